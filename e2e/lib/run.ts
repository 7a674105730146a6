/**
 * The e2e run's shared context and the steps every stack goes through: preparing the synthesized copy for
 * loopback (exclusions, stand-ins, override file, backend settings, each change printed) and deploying it
 * (init, plan, apply with the S3 lock read back, a plan that must show no changes).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { LOCK_FILE_NAME, type LockedProvider, requiredProviders } from "../../lib/provider-lock";
import { readStack as readSynthesized, STACK_FILE, stackDir } from "../../lib/synth-output.cjs";
import type { MotoClient } from "./aws";
import {
  type ExclusionRule,
  type ExpressionStandIn,
  exclusionSummary,
  type PreparedStack,
  prepareStack,
  type TfJson,
} from "./exclusions";
import type { KubeClient } from "./kube";
import { type AwsLoopback, backendConfigHcl, type KubeLoopback, stackOverride } from "./overrides";
import { copyLockFile, type ProviderResolution } from "./providers";
import { out } from "./report";
import { type LockSighting, type NoChangesReport, StackRunner } from "./stack-runner";
import { completedByAction, type OrderingRule, orderingViolations, type RunReport } from "./terraform-events";

/** The emulated account and the names of what the harness creates. */
export const E2E = {
  account: "111111111111",
  region: "us-east-1",
  /** The first cluster (no id), where the tutorial was installed. */
  cluster: "e2e-eks",
  /** The second cluster of the environment (id "green"). */
  greenCluster: "e2e-eks-green",
  /** The upgrade stage's cluster, in its own VPC. */
  upgradeCluster: "e2e-eks-up",
  stateBucket: "eksmon-e2e-tfstate",
} as const;

/** The loopback API server standing in for one EKS cluster, and the harness's client of it. */
export interface KubeTarget {
  readonly loopback: KubeLoopback;
  /** The harness's own client (admin token). */
  readonly client: KubeClient;
}

export interface RunContext {
  readonly runDir: string;
  readonly logDir: string;
  readonly terraform: string;
  readonly tfEnv: NodeJS.ProcessEnv;
  readonly aws: AwsLoopback;
  readonly moto: MotoClient;
  /**
   * The loopback API servers, by the EKS cluster they stand for (a stack's providers reach the one their
   * host names); empty when the Kubernetes half is skipped. Stages may add one (the upgrade's cluster).
   */
  readonly clusters: Map<string, KubeTarget>;
  readonly rules: ExclusionRule[];
  readonly unavailable: Record<string, string>;
  readonly expressionStandIns: ExpressionStandIn[];
  readonly providers: ProviderResolution[];
  /** The project's .terraform.lock.hcl. */
  readonly lock: readonly LockedProvider[];
  /** The user's VPC (the harness created it). */
  readonly vpcId: string;
}

export function readStack(outdir: string, stack: string): TfJson {
  return readSynthesized(outdir, stack) as TfJson;
}

/** A stack made ready for loopback: its runner, what was changed, and the product's own JSON. */
export interface Prepared {
  readonly runner: StackRunner;
  readonly prepared: PreparedStack;
  readonly original: TfJson;
}

/** Prepares a synthesized stack for loopback (exclusions, stand-ins, overrides) and prints every change. */
export function prepare(
  ctx: RunContext,
  outdir: string,
  stack: string,
  quiet = false,
  label = stack,
): Prepared {
  const dir = stackDir(outdir, stack);
  const original = readStack(outdir, stack);
  const prepared = prepareStack(original, {
    rules: ctx.rules,
    unavailableProviders: ctx.unavailable,
    expressionStandIns: ctx.expressionStandIns,
    regionArgument: ctx.providers.some(
      (p) => p.required.name === "aws" && p.use?.check === "override" && /^5\./.test(p.use.version),
    )
      ? { providerRegion: E2E.region, because: "aws 5.100.0 stands in for 6.x" }
      : undefined,
    partition: "aws",
    region: E2E.region,
    accountId: E2E.account,
  });
  writeFileSync(join(dir, STACK_FILE), `${JSON.stringify(prepared.json, null, 2)}\n`);
  const standIns = ctx.providers.flatMap((p) =>
    p.use?.check === "override"
      ? [
          {
            name: p.required.name,
            source: p.required.address.replace(/^registry\.terraform\.io\//, ""),
            version: p.use.version,
          },
        ]
      : [],
  );
  writeFileSync(
    join(dir, LOCK_FILE_NAME),
    copyLockFile(requiredProviders(prepared.json), ctx.providers, ctx.lock),
  );
  const override = stackOverride(prepared.json, {
    aws: ctx.aws,
    clusters:
      ctx.clusters.size > 0
        ? Object.fromEntries([...ctx.clusters].map(([name, t]) => [name, t.loopback]))
        : undefined,
    providerStandIns: standIns,
  });
  writeFileSync(join(dir, "e2e_override.tf.json"), `${JSON.stringify(override.json, null, 2)}\n`);
  const backend = original.terraform?.backend?.s3 as { bucket?: string; key?: string } | undefined;
  if (backend) writeFileSync(join(dir, "e2e_backend.hcl"), backendConfigHcl(ctx.aws));
  if (!quiet) {
    out.say(`  ${prepared.applied.length} resources to apply, ${prepared.excluded.length} excluded`);
    for (const line of exclusionSummary(prepared.excluded)) out.say(`    excluded ${line}`);
    for (const line of prepared.standIns) out.say(`    stand-in ${line}`);
    for (const line of prepared.notes) out.say(`    note ${line}`);
    for (const line of override.lines) out.say(`    loopback ${line}`);
  }
  out.summaries.set(label, {
    stack: label,
    applied: prepared.applied.length,
    excluded: prepared.excluded.length,
    excludedTypes: exclusionSummary(prepared.excluded),
    times: out.summaries.get(label)?.times ?? [],
  });
  const runner = new StackRunner(
    stack,
    dir,
    ctx.terraform,
    ctx.tfEnv,
    ctx.logDir,
    backend?.bucket && backend.key ? { bucket: backend.bucket, key: backend.key } : undefined,
    label,
  );
  return { runner, prepared, original };
}

/** Adds a runner's phase times to its summary. */
export function keepTimes(runner: StackRunner): void {
  const s = out.summaries.get(runner.label);
  if (s) out.summaries.set(runner.label, { ...s, times: [...s.times, ...runner.times.splice(0)] });
}

/** `+3 ~0 -0 import 2` */
export function changesOf(report: RunReport): string {
  const s = report.summary;
  return s ? `+${s.add} ~${s.change} -${s.remove}${s.import ? ` import ${s.import}` : ""}` : "no summary";
}

/** `create 3, update 1` of an apply's completed operations. */
export function doneOf(report: RunReport): string {
  return (
    Object.entries(completedByAction(report.operations))
      .map(([a, n]) => `${a} ${n}`)
      .join(", ") || "nothing to do"
  );
}

/** init, plan, apply (lock read back), plan again: must show no changes. Returns plan and apply reports. */
export async function deployStack(
  ctx: RunContext,
  runner: StackRunner,
  ordering: OrderingRule[] = [],
): Promise<{ plan: RunReport; apply: RunReport }> {
  await runner.init(runner.state ? join(runner.dir, "e2e_backend.hcl") : undefined);
  const plan = await runner.plan();
  out.say(`  plan: ${changesOf(plan)}`);
  const { report, lock } = await runner.apply(ctx.moto);
  out.say(`  apply: ${doneOf(report)}`);
  if (runner.state) lockChecks(runner, lock);
  if (ordering.length > 0) {
    const violations = orderingViolations(report.operations, ordering);
    out.check(
      `${runner.stack}: apply order (${ordering.length} rules)`,
      violations.length === 0,
      violations.join("; "),
    );
  }
  noChanges(`${runner.stack}: second plan shows no changes`, await runner.planNoChanges());
  keepTimes(runner);
  return { plan, apply: report };
}

/** Checks a plan that must show no changes; known emulator drift is printed, not counted. */
export function noChanges(check: string, report: NoChangesReport): boolean {
  for (const e of report.explained) out.say(`    known emulator drift, not a finding: ${e}`);
  return out.check(check, report.unexplained.length === 0, report.unexplained.join("; "));
}

function lockChecks(runner: StackRunner, lock?: LockSighting): void {
  const key = `${runner.state!.key}.tflock`;
  let info: { Operation?: string; Path?: string } = {};
  try {
    info = JSON.parse(lock?.body ?? "{}");
  } catch {
    // reported below
  }
  out.check(
    `${runner.stack}: apply held the S3 lock object ${key} (read back from the bucket's versions)`,
    Boolean(
      lock?.seen &&
        info.Operation === "OperationTypeApply" &&
        info.Path === `${runner.state!.bucket}/${runner.state!.key}`,
    ),
    lock?.seen ? `lock info ${lock.body}` : "never written",
  );
  out.check(`${runner.stack}: lock released after apply`, lock?.leftBehind === false, "still in the bucket");
}
