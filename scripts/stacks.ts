/**
 * `npm run plan|deploy|destroy|maintain -- <env>`: the cdktf and terraform commands of one environment, in order.
 * Run with `node -r esbuild-register scripts/stacks.ts <command> <env> [options]` (see USAGE in lib/cli.ts).
 * Honours TERRAFORM_BINARY_NAME (e.g. tofu), like the cdktf CLI. Terraform and cdktf run with the shared
 * provider plugin cache (scripts/lib/terraform-env.ts); plan's `terraform init` takes `-lockfile=readonly`, so a
 * provider the stack's lock file (written by synth from .terraform.lock.hcl) does not vouch for stops it.
 */
import { type SpawnSyncOptions, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { adoptionFlags } from "../config/adoption";
import type { EnvironmentConfig } from "../config/environment";
import { ConfigError, validateEnvironments } from "../config/validate";
import { environments } from "../environments";
import { stackName } from "../lib/naming";
import { DEFAULT_OUTDIR, stackDir } from "../lib/synth-output.cjs";
import {
  adoptionReminder,
  destroyRefusal,
  type Invocation,
  MAINTAINED_STACKS,
  parseCommandLine,
  pullRequestSkipReason,
  stacksInOrder,
  UsageError,
} from "./lib/cli";
import {
  adoptionFailureHint,
  classifyPlanFailure,
  countsFromPlanText,
  type EnvironmentPlanReport,
  type MaintenanceReport,
  maintenanceVerdict,
  type StackPlanResult,
  summarizePlan,
  summaryLine,
} from "./lib/plan";
import { terraformBinary, terraformEnv } from "./lib/terraform-env";

const ROOT = resolve(__dirname, "..");
const TERRAFORM = terraformBinary();
const CDKTF = join(ROOT, "node_modules", ".bin", "cdktf");
/** Where synth writes and plans run (CDKTF_OUTDIR, as for validate; default cdktf.out). */
const OUTDIR = resolve(ROOT, process.env.CDKTF_OUTDIR || DEFAULT_OUTDIR);
let env: NodeJS.ProcessEnv | undefined;
/** Created on first use: `env-info` needs no cache folder. */
const ENV = () => {
  env ??= terraformEnv();
  return env;
};

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(cmd, args, {
    env: ENV(),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    ...options,
  });
  if (result.error) throw new Error(`could not run ${cmd}: ${result.error.message}`);
  return {
    status: result.status ?? 1,
    stdout: String(result.stdout ?? ""),
    stderr: String(result.stderr ?? ""),
  };
}

/** `npm run synth` into OUTDIR, where planStack() looks (the launcher every synth goes through). */
function synth(): void {
  const r = run(process.execPath, [join(ROOT, "scripts", "app.cjs"), "--synth", "--output", OUTDIR], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (r.status !== 0) throw new Error("synth failed (see above)");
}

/**
 * How to plan a stack: S3 and local state take `-lock=false` when asked (pull requests); Terraform Cloud
 * plans asked not to lock run as speculative plans without a plan file (a saved cloud plan is a real
 * run), so their counts come from the plan text.
 */
function planStack(env: EnvironmentConfig, stack: string, noLock: boolean): StackPlanResult {
  const cwd = stackDir(OUTDIR, stack);
  const speculative = noLock && env.backend.type === "cloud";
  const init = run(TERRAFORM, ["init", "-input=false", "-no-color", "-lockfile=readonly"], { cwd });
  if (init.status !== 0) return { stack, status: "error", output: `${init.stdout}\n${init.stderr}`.trim() };
  const args = ["plan", "-input=false", "-no-color", "-detailed-exitcode"];
  if (!speculative) args.push("-out=tfplan");
  if (noLock && !speculative) args.push("-lock=false");
  const plan = run(TERRAFORM, args, { cwd });
  if (plan.status === 1) {
    const output = `${plan.stderr}\n${plan.stdout}`.trim();
    const { status, upstream } = classifyPlanFailure(plan.stderr);
    const upstreamStacks = upstream.map((kind) => `${env.name}-${kind}`);
    return { stack, status, output, ...(status === "upstream-missing" ? { upstream: upstreamStacks } : {}) };
  }
  const status = plan.status === 2 ? "changes" : "no-changes";
  if (speculative) {
    const counts = countsFromPlanText(plan.stdout);
    if (!counts) return { stack, status: "error", output: `no plan summary in the output:\n${plan.stdout}` };
    return { stack, status, counts, output: plan.stdout.trim() };
  }
  const json = run(TERRAFORM, ["show", "-json", "tfplan"], { cwd });
  const text = run(TERRAFORM, ["show", "-no-color", "tfplan"], { cwd });
  if (json.status !== 0) return { stack, status: "error", output: json.stderr.trim() };
  const counts = summarizePlan(JSON.parse(json.stdout));
  return { stack, status, counts, output: text.stdout.trim() };
}

function plan(inv: Invocation, env: EnvironmentConfig): number {
  if (!inv.skipSynth) synth();
  const results: StackPlanResult[] = [];
  for (const stack of stacksInOrder(env, "plan")) {
    const skip = inv.pullRequest ? pullRequestSkipReason(stack, inv.environment) : undefined;
    if (skip) {
      process.stderr.write(`\n== ${stack}: skipped (${skip})\n`);
      results.push({ stack, status: "skipped", reason: skip, output: "" });
      continue;
    }
    process.stderr.write(`\n== ${stack}: terraform init + plan\n`);
    const result = planStack(env, stack, inv.noLock);
    process.stderr.write(`${result.output}\n`);
    const hint =
      result.status === "error"
        ? adoptionFailureHint(result.output, env.name, adoptionFlags(env))
        : undefined;
    if (hint) process.stderr.write(`\n${hint}\n`);
    results.push(result);
  }
  if (inv.report) {
    const report: EnvironmentPlanReport = { environment: inv.environment, stacks: results };
    mkdirSync(dirname(resolve(inv.report)), { recursive: true });
    writeFileSync(resolve(inv.report), `${JSON.stringify(report, null, 2)}\n`);
  }
  process.stdout.write(`\n${results.map(summaryLine).join("\n")}\n`);
  return results.some((r) => r.status === "error") ? 1 : 0;
}

/**
 * The scheduled run: renew the Grafana token (apply the saved plans of MAINTAINED_STACKS that change
 * something, in order; stop at the first failure), then plan every stack without the lock (speculative on
 * Terraform Cloud) and report any change as drift. Run on the commit last deployed, so that nothing it
 * applies is newer than what the deploy (and its approvals) applied.
 */
function maintain(inv: Invocation, env: EnvironmentConfig): number {
  if (!inv.skipSynth) synth();
  const applied: StackPlanResult[] = [];
  let renewed = true;
  for (const kind of MAINTAINED_STACKS) {
    const stack = stackName(env.name, kind);
    process.stderr.write(`\n== ${stack}: terraform init + plan, apply when it changes something\n`);
    let result = planStack(env, stack, false);
    if (result.status === "changes") {
      const apply = run(TERRAFORM, ["apply", "-input=false", "-no-color", "tfplan"], {
        cwd: stackDir(OUTDIR, stack),
      });
      if (apply.status !== 0)
        result = { ...result, status: "error", output: `${apply.stdout}\n${apply.stderr}`.trim() };
    }
    process.stderr.write(`${result.output}\n`);
    applied.push(result);
    if (result.status !== "changes" && result.status !== "no-changes") {
      renewed = false;
      break;
    }
  }
  const drift: StackPlanResult[] = [];
  if (renewed)
    for (const stack of stacksInOrder(env, "plan")) {
      process.stderr.write(`\n== ${stack}: terraform plan -lock=false (drift)\n`);
      const result = planStack(env, stack, true);
      process.stderr.write(`${result.output}\n`);
      drift.push(result);
    }
  const report: MaintenanceReport = { environment: env.name, applied, drift };
  if (inv.report) {
    mkdirSync(dirname(resolve(inv.report)), { recursive: true });
    writeFileSync(resolve(inv.report), `${JSON.stringify(report, null, 2)}\n`);
  }
  const { lines, failed } = maintenanceVerdict(report);
  process.stdout.write(`\n${lines.join("\n")}\n`);
  return failed ? 1 : 0;
}

function cdktf(args: string[]): number {
  process.stderr.write(`$ cdktf ${args.map((a) => (a.includes("*") ? `'${a}'` : a)).join(" ")}\n`);
  return run(CDKTF, args, { cwd: ROOT, stdio: "inherit" }).status;
}

function envInfo(env: EnvironmentConfig): number {
  const lines = [
    `environment=${env.name}`,
    `region=${env.region}`,
    `backend=${env.backend.type}`,
    `tfc_hostname=${env.backend.type === "cloud" ? env.backend.hostname : ""}`,
    `protected=${env.protect}`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

function main(argv: string[]): number {
  let configs: EnvironmentConfig[];
  try {
    configs = validateEnvironments(environments);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const inv = parseCommandLine(
    argv,
    configs.map((c) => c.name),
  );
  const env = configs.find((c) => c.name === inv.environment)!;
  const approve = inv.autoApprove ? ["--auto-approve"] : [];
  switch (inv.command) {
    case "plan":
      return plan(inv, env);
    case "deploy": {
      const status = cdktf(["deploy", `${env.name}-*`, ...approve]);
      const reminder = status === 0 ? adoptionReminder(env.name, adoptionFlags(env)) : undefined;
      if (reminder) process.stderr.write(`\n${reminder}\n`);
      return status;
    }
    case "destroy": {
      const refusal = destroyRefusal(env.name, env.protect, inv.forceUnprotected, adoptionFlags(env));
      if (refusal) {
        process.stderr.write(`${refusal}\n`);
        return 1;
      }
      return cdktf(["destroy", ...stacksInOrder(env, "destroy"), ...approve]);
    }
    case "maintain":
      return maintain(inv, env);
    case "env-info":
      return envInfo(env);
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
