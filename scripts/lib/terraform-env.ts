/**
 * Which Terraform every command of the project runs (plan, deploy, destroy, validate, providers:lock, e2e,
 * and the workflows through them), and with what environment: no prompts, no update checks, and one shared
 * provider plugin cache, so the stacks of an environment install each provider once and later runs only
 * link it (docs/validation.md).
 */
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The Terraform binary every script runs: TERRAFORM_BINARY_NAME when set (e.g. `tofu`, as the cdktf CLI
 * honours it), else `terraform` from PATH. An empty value counts as unset.
 */
export function terraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.TERRAFORM_BINARY_NAME || "terraform";
}

/** `${XDG_CACHE_HOME:-~/.cache}/eksmon/terraform`: the project's Terraform caches. */
export function terraformCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "eksmon", "terraform");
}

/**
 * The shared plugin cache: TF_PLUGIN_CACHE_DIR when set (the workflows set it to the folder they keep
 * between runs), else `<cache root>/plugin-cache`. Terraform links a cached package into a stack only when
 * its checksum matches the stack's lock file, so the cache cannot smuggle in a package the lock rejects.
 */
export function pluginCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TF_PLUGIN_CACHE_DIR || join(terraformCacheRoot(env), "plugin-cache");
}

/**
 * The environment for Terraform (and the cdktf CLI, which passes it on): the caller's, plus the shared
 * plugin cache (created if missing) and automation settings. The escape hatch
 * TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE is removed: the lock files are the contract.
 */
export function terraformEnv(
  base: NodeJS.ProcessEnv = process.env,
  cacheDir: string = pluginCacheDir(base),
): NodeJS.ProcessEnv {
  mkdirSync(cacheDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...base,
    TF_PLUGIN_CACHE_DIR: cacheDir,
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
  };
  delete env.TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE;
  return env;
}
