/**
 * `npm run validate`: synthesizes the app, then checks every stack with Terraform itself:
 * `terraform init -backend=false` and `terraform validate -json`. Prints one line per stack
 * (`PASS dev-network` / `FAIL dev-network: <first error>`), then `N passed, N failed`; exits 1 on any failure.
 *
 * Usage: npm run validate [-- [--skip-synth] [stack or glob, e.g. 'prod-*' ...]]
 *
 * Environment:
 *   TERRAFORM_BINARY_NAME  Terraform (>= 1.10) or OpenTofu binary (default: terraform)
 *   TF_CLI_CONFIG_FILE     set here to the provider mirror's CLI config when scripts/terraform-providers.sh
 *                          has written one (offline machines); otherwise Terraform downloads from the registry
 *   TF_PLUGIN_CACHE_DIR    shared provider cache (default ~/.cache/eksmon/terraform/plugin-cache), so
 *                          the AWS provider is linked into each stack instead of copied nine times
 *   VALIDATE_PARALLELISM   stacks checked at once (default 2)
 *   CDKTF_OUTDIR           synth output (default cdktf.out)
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import {
  firstInitError,
  mapLimit,
  missingProviderHint,
  parseValidateOutput,
  resultLine,
  type StackResult,
  summaryLine,
} from "./lib/validate";

const root = resolve(__dirname, "..");
const outdir = resolve(root, process.env.CDKTF_OUTDIR ?? "cdktf.out");
const terraform = process.env.TERRAFORM_BINARY_NAME || "terraform";
const parallelism = Math.max(1, Number(process.env.VALIDATE_PARALLELISM ?? 2) || 2);

function log(message: string): void {
  process.stderr.write(`[validate] ${message}\n`);
}

function die(message: string): never {
  log(message);
  process.exit(1);
}

/** `npm run synth` into outdir (the launcher every synth goes through), its summary line on stderr. */
function synth(): void {
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(root, "scripts", "app.cjs"), "--synth", "--output", outdir], {
    cwd: root,
    // stdout carries only the PASS/FAIL lines and the total.
    stdio: ["inherit", process.stderr, "inherit"],
  });
  if (run.status !== 0) die(`synth failed (scripts/app.cjs --synth exited ${run.status ?? run.signal})`);
  log(`synthesized into ${outdir} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Stacks of the last synth (the manifest, so stale directories of removed stacks are ignored). */
function stackNames(): string[] {
  const manifest = join(outdir, "manifest.json");
  if (existsSync(manifest)) return Object.keys(JSON.parse(readFileSync(manifest, "utf8")).stacks).sort();
  const stacks = join(outdir, "stacks");
  return existsSync(stacks) ? readdirSync(stacks).sort() : [];
}

const providerCache = new Map<string, string[]>();

/** Providers a stack requires, e.g. `aws@6.25.0`. */
function providersOf(stack: string): string[] {
  const known = providerCache.get(stack);
  if (known) return known;
  const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  const required = (json.terraform?.required_providers ?? {}) as Record<string, { version?: string }>;
  const providers = Object.entries(required).map(([name, p]) => `${name}@${p.version ?? "*"}`);
  providerCache.set(stack, providers);
  return providers;
}

/** The environment Terraform runs with: mirror config (when built), shared plugin cache, no prompts. */
function terraformEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
  };
  const config = spawnSync("bash", [join(root, "scripts", "terraform-providers.sh"), "--print-config-path"], {
    encoding: "utf8",
  });
  const configPath = config.status === 0 ? config.stdout.trim() : "";
  if (configPath && existsSync(configPath)) {
    env.TF_CLI_CONFIG_FILE = configPath;
    log(`providers from the local mirror (TF_CLI_CONFIG_FILE=${configPath})`);
  } else {
    log("no provider mirror config (scripts/terraform-providers.sh): providers come from the registry");
  }
  env.TF_PLUGIN_CACHE_DIR =
    process.env.TF_PLUGIN_CACHE_DIR || join(homedir(), ".cache", "eksmon", "terraform", "plugin-cache");
  mkdirSync(env.TF_PLUGIN_CACHE_DIR, { recursive: true });
  // Without a lock file, Terraform >= 1.4 copies providers instead of linking them from the cache; the lock
  // files validate writes into cdktf.out are throwaway, so linking is safe here.
  env.TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE = "true";
  return env;
}

function run(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(terraform, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", (e) =>
      done({ code: 127, out, err: `${err}Error: cannot run ${terraform}: ${e.message}` }),
    );
    child.on("close", (code) => done({ code: code ?? 1, out, err }));
  });
}

async function validateStack(stack: string, env: NodeJS.ProcessEnv): Promise<StackResult> {
  const started = Date.now();
  const dir = join(outdir, "stacks", stack);
  const seconds = () => (Date.now() - started) / 1000;
  const init = await run(["init", "-backend=false", "-input=false", "-no-color"], dir, env);
  if (init.code !== 0) {
    return {
      stack,
      ok: false,
      problem: `init: ${firstInitError(`${init.err}\n${init.out}`)}`,
      warnings: 0,
      seconds: seconds(),
    };
  }
  const validate = await run(["validate", "-json", "-no-color"], dir, env);
  return { ...parseValidateOutput(stack, validate.out), seconds: seconds() };
}

/** Shell-style patterns (`prod-*`) to a matcher; no patterns match everything. */
function matcher(patterns: string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => true;
  const res = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      ),
  );
  return (name) => res.some((re) => re.test(name));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const skipSynth = args.includes("--skip-synth");
  const patterns = args.filter((a) => !a.startsWith("--"));

  const version = spawnSync(terraform, ["version"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  if (version.status !== 0) {
    die(
      `cannot run ${terraform} (${version.error?.message ?? version.stderr.trim()}); install Terraform >= 1.10 or set TERRAFORM_BINARY_NAME`,
    );
  }
  log(version.stdout.split("\n")[0]);

  if (!skipSynth) synth();
  const wanted = matcher(patterns);
  const stacks = stackNames().filter(wanted);
  if (stacks.length === 0)
    die(
      `no stacks to validate in ${outdir}/stacks${patterns.length ? ` matching ${patterns.join(" ")}` : ""}`,
    );

  const env = terraformEnv();
  // The plugin cache is not safe for concurrent writes: first init, one at a time, stacks that bring a
  // provider not seen yet (filling the cache); the others then only read from it, in parallel.
  const seen = new Set<string>();
  const warmUp: string[] = [];
  for (const stack of [...stacks].sort((a, b) => providersOf(b).length - providersOf(a).length)) {
    const fresh = providersOf(stack).filter((p) => !seen.has(p));
    if (fresh.length > 0) {
      warmUp.push(stack);
      for (const p of fresh) seen.add(p);
    }
  }
  const started = Date.now();
  const report = (r: StackResult) => {
    process.stdout.write(`${resultLine(r)}\n`);
    return r;
  };
  const results: StackResult[] = [];
  for (const stack of warmUp) results.push(report(await validateStack(stack, env)));
  const rest = stacks.filter((s) => !warmUp.includes(s));
  results.push(...(await mapLimit(rest, parallelism, async (s) => report(await validateStack(s, env)))));

  log(
    `${stacks.length} stacks in ${((Date.now() - started) / 1000).toFixed(1)}s (parallelism ${parallelism})`,
  );
  const hint = missingProviderHint(results);
  if (hint) log(hint);
  process.stdout.write(`${summaryLine(results)}\n`);
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}

main().catch((error) => die(error instanceof Error ? (error.stack ?? error.message) : String(error)));
