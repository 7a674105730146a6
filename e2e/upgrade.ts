/**
 * The upgrade stage: an environment deployed with the previous release (0.2.0, one cluster, its collector in
 * `<env>-cluster-monitoring`), then deployed with this release's code in its new shape with
 * `adopt.clusterMonitoringStack: true` (docs/upgrading.md, "To several clusters per environment"). Its own
 * VPC, EKS cluster (a third API server on the run's etcd) and state keys, in the run's account and bucket.
 *
 * What it holds: the plans of the upgrade show imports, forgets and in-place updates only (no create,
 * delete or replace of the workspace, the release, the add-on, the roles), each stack's second plan is
 * empty, the same configuration without the flag plans nothing, and the workspace, the IAM roles and the
 * Helm release are the same objects after the upgrade (ids, role ids, release revision only moved forward).
 * The grafana stacks are left out: they need no adoption (docs/upgrading.md: an in-place update of the
 * Grafana workspace's description) and Grafana is not emulated.
 */
import { join } from "node:path";
import type { ResourceChange } from "./lib/drift";
import {
  PREVIOUS_RELEASE,
  previousReleaseEnvironment,
  UPGRADE_ENV,
  type UpgradeInfrastructure,
  upgradedEnvironment,
} from "./lib/environment";
import { classesLine, classifyPlan, type PlanClasses, takeOver } from "./lib/plan";
import { runCommand } from "./lib/processes";
import { out } from "./lib/report";
import type { RunContext } from "./lib/run";
import { changesOf, doneOf, E2E, keepTimes, noChanges, prepare } from "./lib/run";
import { seedCluster, seedVpc } from "./lib/seed";
import { helmReleases, install, type Run, seeded, startCluster, synth } from "./scenario";

/** The stacks the upgrade deploys, in order; the cluster's stack exists in the new layout only. */
const OLD_STACKS = ["network", "cluster-monitoring"].map((k) => `${UPGRADE_ENV}-${k}`);
const clusterStack = () => `${UPGRADE_ENV}-cluster-${E2E.upgradeCluster}`;
const NEW_STACKS = () => [...OLD_STACKS, clusterStack()];

/** Resource types that must never be created, deleted or replaced by the upgrade. */
const KEPT_TYPES = [
  "aws_prometheus_workspace",
  "helm_release",
  "aws_eks_addon",
  "aws_iam_role",
  "kubernetes_namespace_v1",
  "aws_iam_openid_connect_provider",
];

/** What the upgrade's numbers are, per stack (printed, and for the report). */
export interface UpgradeNumbers {
  readonly stack: string;
  readonly classes: PlanClasses;
}

/** Synthesizes `env` (0.2.0's configuration shape) with the previous release's own code, installed at `dir`. */
async function synthPrevious(dir: string, env: Record<string, unknown>, outdir: string): Promise<void> {
  const r = await runCommand(
    "node",
    [
      "-r",
      "esbuild-register",
      "-e",
      'require("./app").synthesizeApp([JSON.parse(process.env.E2E_ENV_JSON)], process.env.E2E_OUTDIR)',
    ],
    {
      cwd: dir,
      env: { ...process.env, E2E_ENV_JSON: JSON.stringify(env), E2E_OUTDIR: outdir },
      timeoutMs: 5 * 60_000,
    },
  );
  if (r.code !== 0) throw new Error(`synth with ${PREVIOUS_RELEASE.version} failed:\n${r.stderr.trim()}`);
}

/** IAM role ids by name (a role created again gets another id). */
async function roleIds(ctx: RunContext, names: readonly string[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const n of names) {
    const r = await ctx.moto
      .call<{ Role: { RoleId: string } }>("iam", "get_role", { RoleName: n })
      .catch(() => undefined);
    ids[n] = r?.Role.RoleId ?? "missing";
  }
  return ids;
}

export async function upgrade(run: Run): Promise<UpgradeNumbers[]> {
  const s = seeded(run);
  out.section(`previous release ${PREVIOUS_RELEASE.version} (${PREVIOUS_RELEASE.commit.slice(0, 7)})`);
  const prev = await install("e2e/install-previous-release.sh", [PREVIOUS_RELEASE.commit]);
  out.say(`  ${prev.path} (install script ${prev.seconds.toFixed(1)}s, cached after the first)`);

  out.section(`the upgrade's own VPC and EKS cluster ${E2E.upgradeCluster}`);
  const vpc = await seedVpc(s.ctx.moto, "10.20", `eks-cluster-sg-${E2E.upgradeCluster}`);
  const cluster = await seedCluster(s.ctx.moto, E2E.upgradeCluster, vpc);
  const ctx: RunContext = {
    ...s.ctx,
    vpcId: vpc.vpcId,
    expressionStandIns: s.ctx.expressionStandIns.map((e) => ({ ...e, value: vpc.clusterSg })),
  };
  const kube = s.kube
    ? await startCluster(run, s.ctx, s.kube, s.stsEndpoint, cluster, s.seed.deployer)
    : undefined;
  run.environments.set(UPGRADE_ENV, { name: UPGRADE_ENV, vpcId: vpc.vpcId, clusterSg: vpc.clusterSg });
  const infra: UpgradeInfrastructure = {
    accountId: E2E.account,
    region: E2E.region,
    vpcId: vpc.vpcId,
    vpcCidr: vpc.vpcCidr,
    subnetIds: vpc.subnetIds,
    clusterName: E2E.upgradeCluster,
    stateBucket: E2E.stateBucket,
    identityStoreId: s.seed.identityStoreId,
    adminUserName: s.seed.adminUserName,
    chartRepository: s.infra.chartRepository,
  };

  out.section(
    `${UPGRADE_ENV} deployed with ${PREVIOUS_RELEASE.version} (its collector in cluster-monitoring)`,
  );
  const oldOut = join(run.runDir, "upgrade-previous", "cdktf.out");
  await out.timed(`synth with ${PREVIOUS_RELEASE.version}'s code (node -r esbuild-register)`, () =>
    synthPrevious(prev.path, previousReleaseEnvironment(infra), oldOut),
  );
  for (const stack of OLD_STACKS) {
    out.section(`${stack} (${PREVIOUS_RELEASE.version})`);
    const p = prepare(ctx, oldOut, stack, false, `${stack} (${PREVIOUS_RELEASE.version})`);
    run.deployed.set(stack, p);
    if (!run.order.includes(stack)) run.order.push(stack);
    await p.runner.init(join(p.runner.dir, "e2e_backend.hcl"));
    out.say(`  plan: ${changesOf(await p.runner.plan())}`);
    out.say(`  apply: ${doneOf((await p.runner.apply(ctx.moto)).report)}`);
    noChanges(
      `${stack} (${PREVIOUS_RELEASE.version}): second plan shows no changes`,
      await p.runner.planNoChanges(),
    );
    keepTimes(p.runner);
  }
  const monitoringOld = run.deployed.get(OLD_STACKS[1])!.runner;
  const workspaceBefore = String((await monitoringOld.outputs()).amp_workspace_id);
  const roles = [`eksmon-${UPGRADE_ENV}-amp-ingest`, `eksmon-${UPGRADE_ENV}-ebs-csi-driver`];
  const rolesBefore = await roleIds(ctx, roles);
  const releasesBefore = kube ? await helmReleases(kube.client) : {};
  const nsBefore = kube
    ? (await kube.client.get<{ metadata: { uid: string } }>("/api/v1/namespaces/prometheus"))?.metadata.uid
    : undefined;
  out.say(
    `  before: workspace ${workspaceBefore}; roles ${JSON.stringify(rolesBefore)}; releases ${JSON.stringify(releasesBefore)}`,
  );

  out.section(`${UPGRADE_ENV} upgraded: this release, clusters[0].adopt.clusterMonitoringStack = true`);
  const newOut = await synth(
    run,
    "upgrade-new",
    "the same environment in this release's shape, taking over",
    [upgradedEnvironment(infra, true)],
  );
  const numbers: UpgradeNumbers[] = [];
  const planned = new Map<string, ResourceChange[]>();
  for (const stack of NEW_STACKS()) {
    out.section(`${stack} (upgrade)`);
    const p = prepare(ctx, newOut, stack, false, `${stack} (upgrade)`);
    run.deployed.set(stack, p);
    if (!run.order.includes(stack)) run.order.push(stack);
    await p.runner.init(join(p.runner.dir, "e2e_backend.hcl"));
    const plan = await p.runner.plan();
    const changes = await p.runner.showPlan();
    planned.set(stack, changes);
    const classes = classifyPlan(changes);
    numbers.push({ stack, classes });
    out.say(`  plan: ${changesOf(plan)}; ${classesLine(classes)}`);
    for (const u of classes.updates) out.say(`    update ${u}`);
    for (const c of classes.creates) out.say(`    create ${c}`);
    const kept = (list: string[]) => list.filter((a) => KEPT_TYPES.includes(a.split(".")[0]));
    out.check(
      `${stack}: the upgrade's plan deletes and replaces nothing, creates none of the workspace, release, add-on, roles, namespace`,
      classes.deletes.length === 0 && classes.replaces.length === 0 && kept(classes.creates).length === 0,
      `deletes ${classes.deletes.join(", ")}; replaces ${classes.replaces.join(", ")}; creates ${classes.creates.join(", ")}`,
      classesLine(classes),
    );
    if (stack === OLD_STACKS[1])
      out.check(
        `${stack}: forgets the cluster's resources (removed, destroy = false), imports nothing`,
        classes.forgets.length > 0 && classes.imports.length === 0,
        classesLine(classes),
      );
    if (stack === clusterStack()) {
      // Each object cluster-monitoring forgot is imported here: the same object (role and policy of an
      // attachment, else its id), at the same address or, where the construct's id changed, another.
      const { carried, lost } = takeOver(planned.get(OLD_STACKS[1]) ?? [], changes);
      for (const c of carried.filter((x) => x.includes(" -> ")))
        out.say(`    taken over at another address: ${c}`);
      out.check(
        `${stack}: imports every object cluster-monitoring forgot`,
        carried.length > 0 && lost.length === 0,
        `forgotten, not imported: ${lost.join(", ")}`,
        `${carried.length} of ${carried.length + lost.length}`,
      );
    }
    out.say(`  apply: ${doneOf((await p.runner.apply(ctx.moto)).report)}`);
    noChanges(`${stack} (upgrade): second plan shows no changes`, await p.runner.planNoChanges());
    keepTimes(p.runner);
  }

  out.section(`${UPGRADE_ENV} after the upgrade: adopt.clusterMonitoringStack removed, every stack planned`);
  const afterOut = await synth(run, "upgrade-after", "without adopt.clusterMonitoringStack", [
    upgradedEnvironment(infra, false),
  ]);
  for (const stack of NEW_STACKS()) {
    const p = prepare(ctx, afterOut, stack, true, `${stack} (after the upgrade)`);
    await p.runner.init(join(p.runner.dir, "e2e_backend.hcl"));
    noChanges(
      `${stack}: no changes once the flag is removed`,
      await p.runner.planNoChanges("plan without the flag"),
    );
    keepTimes(p.runner);
    run.deployed.set(stack, p);
  }
  const workspaceAfter = String((await run.deployed.get(OLD_STACKS[1])!.runner.outputs()).amp_workspace_id);
  out.check(
    `${UPGRADE_ENV}: the AMP workspace is the same after the upgrade`,
    workspaceAfter === workspaceBefore && workspaceBefore !== "undefined",
    `${workspaceBefore} -> ${workspaceAfter}`,
    workspaceAfter,
  );
  const rolesAfter = await roleIds(ctx, roles);
  out.check(
    `${UPGRADE_ENV}: the IAM roles are the same (role ids unchanged: not created again)`,
    JSON.stringify(rolesAfter) === JSON.stringify(rolesBefore) &&
      !Object.values(rolesBefore).includes("missing"),
    `${JSON.stringify(rolesBefore)} -> ${JSON.stringify(rolesAfter)}`,
  );
  if (kube) {
    const releasesAfter = await helmReleases(kube.client);
    const nsAfter = (await kube.client.get<{ metadata: { uid: string } }>("/api/v1/namespaces/prometheus"))
      ?.metadata.uid;
    const before = releasesBefore["prometheus/prometheus"]?.split(" ") ?? [];
    const after = releasesAfter["prometheus/prometheus"]?.split(" ") ?? [];
    out.check(
      `${E2E.upgradeCluster}: the same namespace and Helm release (upgraded in place: revision ${before[0]} -> ${after[0]}, ${after[1]})`,
      Boolean(nsBefore) &&
        nsAfter === nsBefore &&
        Number(after[0]) >= Number(before[0]) &&
        after[1] === "deployed",
      `namespace ${nsBefore} -> ${nsAfter}; releases ${JSON.stringify(releasesBefore)} -> ${JSON.stringify(releasesAfter)}`,
    );
  }
  out.say(`\n  upgrade plans (${PREVIOUS_RELEASE.version} -> this release):`);
  for (const n of numbers) out.say(`    ${n.stack}: ${classesLine(n.classes)}`);
  return numbers;
}
