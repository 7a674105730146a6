/** External tools some tests use when the machine has them (CI installs them; a bare clone skips, saying so). */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A tool from its environment variable (e.g. HELM), the PATH, or the cache its scripts/install-*.sh script
 * fills (`~/.cache/eksmon/<name>/<version>/<name>`, newest version first); undefined when there is none.
 */
export function findTool(name: string, envVar: string): string | undefined {
  const fromEnv = process.env[envVar];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  try {
    const onPath = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    if (onPath) return onPath;
  } catch {
    // not on PATH
  }
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "eksmon", name);
  if (!existsSync(cache)) return undefined;
  return readdirSync(cache)
    .sort()
    .reverse()
    .map((v) => join(cache, v, name))
    .find((p) => existsSync(p));
}

const terraformBinary = findTool("terraform", "TERRAFORM");

/**
 * The value of an HCL expression as Terraform computes it (`terraform console`, no providers), with `locals`
 * defined; undefined when Terraform is not installed (the caller skips, saying so). For the conditions and
 * for_each expressions the stacks write as HCL text.
 */
export function terraformEval(expression: string, locals: Record<string, unknown>): unknown {
  return terraformRender(`\${${expression}}`, locals);
}

/**
 * A string of the synthesized JSON (a Terraform template, e.g. an error message with interpolations)
 * evaluated as Terraform evaluates it there, with `locals` defined; undefined without Terraform.
 */
export function terraformRender(template: string, locals: Record<string, unknown>): unknown {
  if (!terraformBinary) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "tf-eval-"));
  try {
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ locals: { ...locals, evaluated: template } }));
    const out = execFileSync(terraformBinary, ["console"], {
      cwd: dir,
      input: "jsonencode(local.evaluated)\n",
      encoding: "utf8",
      env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null", CHECKPOINT_DISABLE: "1" },
    });
    return JSON.parse(JSON.parse(out.trim()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether terraformEval can run (prints why not, once per file, when it cannot). */
export function terraformEvalAvailable(file: string): boolean {
  if (!terraformBinary)
    process.stdout.write(`${file}: HCL evaluation skipped, not found: terraform (TERRAFORM or PATH)\n`);
  return terraformBinary !== undefined;
}
