/**
 * `npm run e2e`: deploys a generated environment for real against implementations running on 127.0.0.1,
 * then destroys it. AWS is moto (e2e/install-moto.sh); Kubernetes is etcd + kube-apiserver +
 * kube-controller-manager (e2e/install-etcd.sh, e2e/install-kube-apiserver.sh), with no scheduler
 * or kubelet, and EKS-style token authentication (e2e/lib/eks-auth.ts). What it proves and what it
 * cannot: docs/validation.md, "Loopback deploy".
 *
 * The run is a test in named stages (below; what each does: e2e/scenario.ts), each skippable with
 * E2E_SKIP=faults,switch (e2e/stages.ts). seed creates what a user already has (VPC with DNS attributes, two
 * subnets, two EKS clusters and their OIDC provider, an Identity Center user; the tutorial's AMP workspace,
 * namespace and Helm release), builds an environment from those ids and synthesizes it with the app's code
 * path (validateEnvironments + synthesizeApp); bootstrap applies the project's bootstrap stacks (the state
 * bucket, the GitHub roles); deploy applies each stack in dependency order: init (S3 backend on moto,
 * use_lockfile), plan, apply, a plan that must show no changes. Then faults (two applies on one lock),
 * switch (the first cluster to the managed collector, applies interrupted and killed halfway),
 * remove-cluster (the second cluster's stack destroyed, the cluster dropped: nothing else moves), upgrade
 * (an environment of its own deployed with 0.2.0, then taken over by this release: e2e/upgrade.ts), proofs
 * (issue 16 on the emptied second cluster: e2e/proofs.ts), and destroy in reverse order.
 * Resources the emulators cannot serve are excluded by type with the reason printed (e2e/lib/exclusions.ts);
 * stacks are pointed at loopback by override files (e2e/lib/overrides.ts), never by changing the product.
 *
 * Teardown is registered before the stage that creates what it tears down and runs at the end, last
 * registered first, also when a stage failed: destroy (before bootstrap), then stopping every process the
 * run started, by its pid (before seed). Ctrl-C stops the processes only.
 *
 * Exit 0 when every check passed (SKIPPED and NOT PROVEN lines say what could not run here and why),
 * 1 on a failed check or an error.
 *
 * Environment: E2E_SKIP (comma-separated stage names) skips those stages and the ones that need them;
 * E2E_KEEP=1 keeps the run folder (logs, stack copies) after a passing run; E2E_PROVIDER_MIRRORS
 * (colon-separated) replaces the provider mirrors searched; E2E_CHARTS_DIR the folder of unpacked reference
 * charts (default ../shared/reference/charts); TERRAFORM_BINARY_NAME the Terraform.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killAllNow } from "./lib/processes";
import { out, summaryLines } from "./lib/report";
import { StackError } from "./lib/stack-runner";
import { proofs } from "./proofs";
import {
  bootstrap,
  deploy,
  destroy,
  faults,
  newRun,
  type Run,
  removeCluster,
  seed,
  stopEverything,
  switchCollector,
} from "./scenario";
import { parseSkip, STAGES, Stages, summaryLines as stageLines } from "./stages";
import { upgrade } from "./upgrade";

/** The test, as terratest writes one: each teardown registered before the stage that creates its objects. */
async function e2e(stages: Stages, run: Run): Promise<void> {
  stages.always("stop processes", () => stopEverything(run));
  await stages.run("seed", (stage) => seed(run, stage));
  stages.defer("destroy", () => destroy(run));
  await stages.run("bootstrap", () => bootstrap(run));
  await stages.run("deploy", () => deploy(run));
  await stages.run("faults", () => faults(run));
  await stages.run("switch", () => switchCollector(run));
  await stages.run("remove-cluster", () => removeCluster(run));
  await stages.run("upgrade", async () => {
    await upgrade(run);
  });
  await stages.run("proofs", () => proofs(run));
  await stages.finish();
}

function finish(stages: Stages, runDir: string): void {
  const error = stages.error;
  for (const line of summaryLines([...out.summaries.values()], out.checks)) out.say(line);
  for (const line of stageLines(stages.summary)) out.say(line);
  if (error !== undefined)
    out.say(
      `\ne2e: ERROR ${error instanceof StackError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  const failed = error !== undefined || out.failed || stages.failed;
  if (!failed && process.env.E2E_KEEP !== "1") rmSync(runDir, { recursive: true, force: true });
  else out.say(`run folder kept: ${runDir}`);
  out.say(`e2e: ${failed ? "FAILED" : "passed"} in ${out.seconds().toFixed(0)}s`);
  process.exitCode = failed ? 1 : 0;
}

async function main(): Promise<void> {
  let skip: Set<string>;
  try {
    skip = parseSkip(process.env.E2E_SKIP, STAGES);
  } catch (error) {
    out.say(`e2e: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  const runDir = mkdtempSync(join(tmpdir(), "eksmon-e2e-"));
  const logDir = join(runDir, "logs");
  mkdirSync(logDir);
  out.say(`e2e: run folder ${runDir} (logs in logs/)`);
  if (skip.size > 0) out.say(`e2e: E2E_SKIP=${[...skip].join(",")}`);
  const run = newRun(runDir, logDir);
  const stages = new Stages(STAGES, skip, { say: (line) => out.say(line), failedChecks: () => out.failures });

  process.on("exit", () => killAllNow());
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      out.say(`\n${signal}: stopping everything this run started`);
      stopEverything(run).finally(() => process.exit(130));
    });

  await e2e(stages, run);
  finish(stages, runDir);
}

main().catch((error) => {
  // Only a bug of the harness gets here (stages catch what they throw); processes are killed on exit.
  out.say(`e2e: ERROR ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
