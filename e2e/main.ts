/**
 * `npm run e2e`: deploys a generated environment for real against implementations running on 127.0.0.1,
 * then destroys it. AWS is moto (e2e/install-moto.sh); Kubernetes is etcd + kube-apiserver +
 * kube-controller-manager (e2e/install-etcd.sh, e2e/install-kube-apiserver.sh), with no scheduler
 * or kubelet, and EKS-style token authentication (e2e/lib/eks-auth.ts). What it proves and what it
 * cannot: docs/validation.md, "Loopback deploy".
 *
 * The run: the harness creates what a user already has (VPC with DNS attributes, two subnets, the EKS
 * cluster and its OIDC provider, an Identity Center user; the tutorial's AMP workspace, namespace and Helm
 * release), applies the project's bootstrap stacks (the state bucket, the GitHub roles), builds an
 * environment from those ids and synthesizes it with the app's code path (validateEnvironments +
 * synthesizeApp). Each stack, in dependency order: init (S3 backend on moto, use_lockfile), plan, apply, a
 * plan that must show no changes. Then the faults (two applies on one lock; applies interrupted and killed
 * halfway), the switch to the managed collector, and destroy in reverse order. Resources the emulators
 * cannot serve are excluded by type with the reason printed (e2e/lib/exclusions.ts); stacks are
 * pointed at loopback by override files (e2e/lib/overrides.ts), never by changing the product.
 *
 * Exit 0 when every check passed (SKIPPED and NOT PROVEN lines say what could not run here and why),
 * 1 on a failed check or an error. Every process started is stopped by its pid at the end.
 *
 * Environment: E2E_KEEP=1 keeps the run folder (logs, stack copies) after a passing run;
 * E2E_PROVIDER_MIRRORS (colon-separated) replaces the provider mirrors searched; E2E_CHARTS_DIR the folder
 * of unpacked reference charts (default ../shared/reference/charts); TERRAFORM_BINARY_NAME the Terraform.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { synthesizeApp } from "../app";
import { stackName } from "../lib/naming";
import { readProjectLock, requiredProviders } from "../lib/provider-lock";
import { stackNames } from "../lib/synth-output.cjs";
import { terraformBinary } from "../scripts/lib/terraform-env";
import { STACK_KINDS, type StackKind } from "../stacks/graph";
import {
  type Adoption,
  assertAdoption,
  assertAllGone,
  assertAmp,
  assertApplyTimeTokens,
  assertEndpointGrant,
  assertExecCalls,
  assertGithubRoles,
  assertGrafanaRole,
  assertIrsaTrust,
  assertManagedInCluster,
  assertPlanReaders,
  assertProbe,
  assertPrometheusInCluster,
  writeProbe,
} from "./lib/assertions";
import { MotoClient } from "./lib/aws";
import { awsCliStandIn, type EksAuthWebhook, startEksAuthWebhook, webhookKubeconfig } from "./lib/eks-auth";
import { type CollectorMode, E2E_ENV, type ExistingInfrastructure, e2eEnvironment } from "./lib/environment";
import { EMULATOR_GAPS, type ExclusionRule } from "./lib/exclusions";
import { concurrentApplies, stoppedApplies } from "./lib/faults";
import { KubeClient, type KubeCluster, startKubeCluster } from "./lib/kube";
import {
  freePort,
  killAllNow,
  killCommandsNow,
  logTail,
  runCommand,
  startService,
  stopAll,
  waitFor,
} from "./lib/processes";
import {
  cliConfig,
  defaultMirrorRoots,
  mirrorLookup,
  resolutionLine,
  resolveProviders,
} from "./lib/providers";
import { out, summaryLines } from "./lib/report";
import {
  changesOf,
  deployStack,
  doneOf,
  E2E,
  keepTimes,
  noChanges,
  type Prepared,
  prepare,
  type RunContext,
  readStack,
} from "./lib/run";
import { chartRepository, installTutorial, type SeededAccount, seedAccount } from "./lib/seed";
import { LIMITS, StackError, type StackRunner } from "./lib/stack-runner";
import type { OrderingRule } from "./lib/terraform-events";

const ROOT = resolve(__dirname, "..");
const TERRAFORM = terraformBinary();
/** Cold Go builds of the Kubernetes binaries take many minutes on a shared machine (docs/validation.md). */
const INSTALL_TIMEOUT = 60 * 60_000;
const START_TIMEOUT = 90_000;

/** Runs one of the project's install scripts (path from the root); returns the path it prints and how long it took. */
async function install(script: string, args: string[] = []): Promise<{ path: string; seconds: number }> {
  const r = await runCommand("bash", [join(ROOT, script), ...args], {
    timeoutMs: INSTALL_TIMEOUT,
  });
  if (r.code !== 0)
    throw new Error(
      `${script} ${args.join(" ")} failed:\n${r.stderr.trim().split("\n").slice(-5).join("\n")}`,
    );
  return { path: r.stdout.trim().split("\n").pop() ?? "", seconds: r.seconds };
}

function terraformVersion(): string | undefined {
  const r = spawnSync(TERRAFORM, ["version"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  return r.status === 0 ? r.stdout.split("\n")[0] : undefined;
}

/** Ordering inside cluster-monitoring that only a real apply shows (graph edges Terraform must honour). */
const MONITORING_ORDER: OrderingRule[] = [
  {
    before: "aws_iam_role_policy.prometheus-irsa_policy",
    after: "helm_release.",
    why: "remote write is allowed before the server starts",
  },
  {
    before: "kubernetes_storage_class_v1.",
    after: "helm_release.",
    why: "the volume claim's StorageClass exists",
  },
  { before: "kubernetes_namespace_v1.", after: "helm_release.", why: "the release's namespace exists" },
  {
    before: "aws_prometheus_workspace.",
    after: "aws_prometheus_rule_group_namespace.",
    why: "rules need the workspace",
  },
  { before: "aws_kms_key.", after: "aws_sns_topic.", why: "the topic is encrypted with the key" },
  { before: "aws_sns_topic.", after: "aws_sns_topic_policy.", why: "the policy is on the topic" },
];

let runDir = "";

/** What the Kubernetes half started, when it runs. */
interface KubeHalf {
  readonly cluster: KubeCluster;
  readonly client: KubeClient;
  readonly webhook: EksAuthWebhook;
  readonly helm?: string;
  readonly charts?: Server;
  readonly chartUrl?: string;
}

async function main(): Promise<number> {
  runDir = mkdtempSync(join(tmpdir(), "eksmon-e2e-"));
  const logDir = join(runDir, "logs");
  mkdirSync(logDir);
  out.say(`e2e: run folder ${runDir} (logs in logs/)`);

  out.section("tools");
  const tfVersion = terraformVersion();
  if (!tfVersion) {
    out.skipped("e2e", `cannot run ${TERRAFORM}: install Terraform >= 1.10 or set TERRAFORM_BINARY_NAME`);
    return 0;
  }
  out.say(`  ${tfVersion}`);
  const moto = await install("e2e/install-moto.sh");
  out.say(`  moto 5.2.5: ${moto.path} (install script ${moto.seconds.toFixed(1)}s)`);

  out.section("AWS on loopback (moto)");
  const motoPort = await freePort();
  const motoService = startService(
    "moto",
    moto.path,
    ["-H", "127.0.0.1", "-p", String(motoPort)],
    join(logDir, "moto.log"),
    // The account allowed_account_ids names; AWS managed policies (AmazonEBSCSIDriverPolicy) loaded.
    { ...process.env, MOTO_ACCOUNT_ID: E2E.account, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
  );
  const endpoint = `http://127.0.0.1:${motoPort}`;
  await waitFor(
    "moto",
    async () => {
      if (motoService.exited) throw new Error(`moto exited:\n${logTail(motoService.log)}`);
      return (await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) })).ok;
    },
    START_TIMEOUT,
  );
  out.say(`  moto on ${endpoint} (pid ${motoService.pid}), account ${E2E.account}`);
  const python = join(dirname(moto.path), "python");
  const client = new MotoClient(python, endpoint, E2E.region);
  const seed = await out.timed(
    "created what the user has: VPC, 2 subnets, EKS cluster, OIDC provider, Identity Center user, a console-made AMP workspace",
    () => seedAccount(client),
  );
  out.say(
    `    VPC ${seed.vpcId}, subnets ${seed.subnetIds.join(" ")}, workspace ${seed.existingWorkspaceId}; Terraform runs as ${seed.deployer}`,
  );

  const chartPort = await freePort();
  const infra: ExistingInfrastructure = {
    accountId: E2E.account,
    region: E2E.region,
    vpcId: seed.vpcId,
    vpcCidr: seed.vpcCidr,
    subnetIds: seed.subnetIds,
    clusterName: E2E.cluster,
    stateBucket: E2E.stateBucket,
    identityStoreId: seed.identityStoreId,
    adminUserName: seed.adminUserName,
    chartRepository: `http://127.0.0.1:${chartPort}`,
    existingWorkspaceId: seed.existingWorkspaceId,
    tutorialInstalled: true,
  };

  out.section("synth (validateEnvironments + synthesizeApp)");
  const out1 = join(runDir, "prometheus", "cdktf.out");
  await out.timed(
    "collector prometheus, ephemeral cluster credentials, adopting the tutorial's workspace, namespace and release",
    async () => synthesizeApp([e2eEnvironment(infra, "prometheus")], out1),
  );
  const stacks = stackNames(out1);

  out.section("providers (local mirrors only, nothing downloaded)");
  const mirrors = defaultMirrorRoots();
  const lock = readProjectLock();
  const required = new Map(
    stacks.flatMap((s) => requiredProviders(readStack(out1, s))).map((r) => [r.address, r]),
  );
  const providers = resolveProviders(
    [...required.values()],
    lock,
    mirrorLookup(mirrors),
    mirrors.join(", ") || "no mirror",
  );
  for (const p of providers) out.say(`  ${resolutionLine(p)}`);
  const aws = providers.find((p) => p.required.name === "aws");
  if (!aws?.use) {
    out.skipped("e2e", aws?.missing ?? "the stacks require no AWS provider");
    return 0;
  }
  const unavailable = Object.fromEntries(
    providers.filter((p) => !p.use).map((p) => [p.required.name, `SKIPPED: ${p.missing}`]),
  );
  const rules: ExclusionRule[] = [...EMULATOR_GAPS];
  const tfrc = join(runDir, "terraformrc");
  writeFileSync(tfrc, cliConfig(mirrors));
  // The aws CLI stand-in that `exec` credentials run (aws eks get-token), and its log.
  const bin = join(runDir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "aws"), awsCliStandIn(python));
  chmodSync(join(bin, "aws"), 0o755);
  const awsCliLog = join(logDir, "aws-cli.jsonl");
  const tfEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    TF_CLI_CONFIG_FILE: tfrc,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    E2E_AWS_CLI_LOG: awsCliLog,
    AWS_ENDPOINT_URL_STS: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  };
  for (const v of ["TF_PLUGIN_CACHE_DIR", "AWS_PROFILE", "AWS_SESSION_TOKEN"]) delete tfEnv[v];

  out.section(
    "Kubernetes on loopback (etcd, kube-apiserver, kube-controller-manager, EKS token webhook; no kubelet)",
  );
  const kubeMissing = providers.filter((p) => ["kubernetes", "helm"].includes(p.required.name) && !p.use);
  let kube: KubeHalf | undefined;
  let adoption: Adoption = { imports: [] };
  if (kubeMissing.length > 0) {
    out.skipped(
      "Kubernetes half (namespace, StorageClass, service account, chart workloads, RBAC, adoption of the namespace and release, apply-time credentials)",
      kubeMissing.map((p) => p.missing).join("; "),
    );
  } else {
    kube = await startKubeHalf(runDir, endpoint, rules, infra.chartRepository, chartPort, seed);
    adoption = await prepareTutorial(kube);
  }

  const ctx: RunContext = {
    runDir,
    logDir,
    terraform: TERRAFORM,
    tfEnv,
    aws: { endpoint, accessKey: "test", secretKey: "test" },
    moto: client,
    kube: kube ? { host: kube.cluster.host, caPem: kube.cluster.caPem } : undefined,
    kubeClient: kube?.client,
    rules,
    unavailable,
    expressionStandIns: [
      {
        pattern: /data\.aws_eks_cluster\.[\w-]+\.vpc_config\[0\]\.cluster_security_group_id/g,
        value: seed.clusterSg,
        reason: "moto's EKS clusters have no cluster security group; the one the harness created stands in",
      },
    ],
    providers,
    lock,
    vpcId: seed.vpcId,
  };
  try {
    await scenario(ctx, {
      out1,
      infra,
      seed,
      stacks,
      kube,
      adoption: { ...adoption, workspaceId: seed.existingWorkspaceId },
      awsCliLog,
    });
  } finally {
    kube?.charts?.close();
    kube?.webhook.server.close();
  }
  return 0;
}

async function startKubeHalf(
  dir: string,
  stsEndpoint: string,
  rules: ExclusionRule[],
  chartRepo: string,
  chartPort: number,
  seed: SeededAccount,
): Promise<KubeHalf> {
  const etcd = await install("e2e/install-etcd.sh");
  const apiserver = await install("e2e/install-kube-apiserver.sh");
  const kcm = await install("e2e/install-kube-apiserver.sh", ["kube-controller-manager"]);
  out.say(
    `  install scripts: etcd ${etcd.seconds.toFixed(1)}s, kube-apiserver ${apiserver.seconds.toFixed(1)}s, kube-controller-manager ${kcm.seconds.toFixed(1)}s (cached after the first build)`,
  );
  const webhook = await startEksAuthWebhook(await freePort(), stsEndpoint, E2E.cluster);
  const cluster = await startKubeCluster(
    { etcd: etcd.path, apiserver: apiserver.path, controllerManager: kcm.path },
    join(dir, "kube"),
    START_TIMEOUT,
    webhookKubeconfig(webhook.url),
  );
  const client = new KubeClient(cluster.host, cluster.caPem, cluster.token);
  out.say(
    `  kube-apiserver ${cluster.host} ready in ${cluster.readySeconds.toFixed(1)}s (${cluster.services.map((s) => `${s.name} pid ${s.pid}`).join(", ")}); EKS token webhook ${webhook.url}`,
  );
  // What an EKS access entry with AmazonEKSClusterAdminPolicy gives the identity that runs Terraform.
  await client.create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "e2e-deployer-access-entry" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: seed.deployer }],
  });
  out.say(
    `  stand-in: ClusterRoleBinding cluster-admin for ${seed.deployer}, what its EKS access entry (AmazonEKSClusterAdminPolicy) grants on EKS; moto has no access entries`,
  );
  const chartsDir = process.env.E2E_CHARTS_DIR || resolve(ROOT, "..", "shared", "reference", "charts");
  if (!existsSync(chartsDir)) {
    rules.push({
      kind: "resource",
      type: "helm_release",
      reason: `SKIPPED: no charts offline (${chartsDir} missing)`,
    });
    out.skipped("Helm releases", `${chartsDir} is missing (the pinned charts are not available offline)`);
    return { cluster, client, webhook };
  }
  const helm = await install("scripts/install-helm.sh");
  const charts = await chartRepository(helm.path, chartsDir, join(dir, "charts"), chartPort);
  out.say(
    `  chart repository ${chartRepo}: the charts of ${chartsDir}, packaged by helm (install script ${helm.seconds.toFixed(1)}s)`,
  );
  return { cluster, client, webhook, helm: helm.path, charts, chartUrl: chartRepo };
}

/** The tutorial's namespace and release, installed by hand before the first apply, to be adopted. */
async function prepareTutorial(kube: KubeHalf): Promise<Adoption> {
  if (!kube.helm) {
    const ns = await kube.client.create("/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "prometheus" },
    });
    out.say("  the tutorial's namespace prometheus created by hand (no charts: no release)");
    return { namespaceUid: ns.metadata.uid, imports: [] };
  }
  const t = await installTutorial(kube.helm, kube.cluster.kubeconfig, kube.chartUrl!, kube.client);
  out.say(
    `  the tutorial's release: helm install prometheus --namespace prometheus --create-namespace (revision ${t.revision})`,
  );
  return { namespaceUid: t.namespaceUid, releaseRevision: t.revision, imports: [] };
}

interface Scenario {
  readonly out1: string;
  readonly infra: ExistingInfrastructure;
  readonly seed: SeededAccount;
  readonly stacks: string[];
  readonly kube?: KubeHalf;
  readonly adoption: Adoption;
  readonly awsCliLog: string;
}

const name = (kind: StackKind) => stackName(E2E_ENV, kind);

async function scenario(ctx: RunContext, s: Scenario): Promise<void> {
  const { moto } = ctx;
  const kube = s.kube?.client;
  const bootstraps = s.stacks
    .filter((x) => x.startsWith("bootstrap-"))
    .sort((a) => (a.startsWith("bootstrap-state-") ? -1 : 1));
  const deployed = new Map<string, Prepared>();

  // --- bootstrap stacks (local state): the state bucket first ---
  for (const stack of bootstraps) {
    out.section(`${stack} (local state)`);
    const p = prepare(ctx, s.out1, stack);
    await deployStack(ctx, p.runner);
    deployed.set(stack, p);
    if (stack.startsWith("bootstrap-state-")) {
      const versioning = await moto.call<{ Status?: string }>("s3", "get_bucket_versioning", {
        Bucket: E2E.stateBucket,
      });
      out.check("state bucket is versioned", versioning.Status === "Enabled", JSON.stringify(versioning));
      await refusesDestroy(p.runner, "aws_s3_bucket", "state bucket refuses destroy (prevent_destroy)");
    }
    if (stack.startsWith("bootstrap-github-aws-")) await assertGithubRoles(ctx);
  }

  // --- the environment, in dependency order ---
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const kind of STACK_KINDS) {
    const stack = name(kind);
    const label = kind === "cluster-monitoring" ? `${stack} (prometheus)` : stack;
    out.section(
      `${label}${kind === "grafana" || kind.startsWith("grafana-") ? " (Amazon Managed Grafana is not emulated: what needs it is excluded)" : ""}`,
    );
    const p = prepare(ctx, s.out1, stack, false, label);
    deployed.set(stack, p);
    const reads = kind.startsWith("grafana-") ? writeProbe(p.runner.dir, p.original) : [];
    const imports = (p.prepared.json.import ?? []).map((i) => String(i.to));
    const { plan } = await deployStack(ctx, p.runner, kind === "cluster-monitoring" ? MONITORING_ORDER : []);
    outputs[kind] = await p.runner.outputs();
    if (reads.length > 0) assertProbe(stack, outputs[kind], reads, outputs);
    if (kind === "network") await assertNetwork(ctx, outputs.network);
    if (kind === "cluster-monitoring") {
      const mon = outputs[kind];
      await assertEndpointGrant(ctx, String(outputs.network.amp_vpc_endpoint_id));
      await assertIrsaTrust(
        ctx,
        { arn: s.seed.oidcArn, issuer: s.seed.issuer },
        "eksmon-e2e-amp-ingest",
        "system:serviceaccount:prometheus:amp-iamproxy-ingest-service-account",
      );
      await assertIrsaTrust(
        ctx,
        { arn: s.seed.oidcArn, issuer: s.seed.issuer },
        "eksmon-e2e-ebs-csi-driver",
        "system:serviceaccount:kube-system:ebs-csi-controller-sa",
      );
      await assertAmp(ctx, mon, "eksmon-prometheus-collector");
      await assertAdoption({ ...s.adoption, imports }, plan, mon, kube);
      await refusesDestroy(
        p.runner,
        "aws_prometheus_workspace",
        "the adopted AMP workspace refuses destroy (prevent_destroy)",
      );
      if (kube && s.kube) {
        await assertPrometheusInCluster(kube, mon, Boolean(s.kube.helm));
        await assertPlanReaders(kube, "prometheus");
        const window = p.runner.lastApply!;
        assertApplyTimeTokens(
          s.kube.webhook.log,
          window.start,
          window.end,
          s.seed.deployer,
          "ephemeral aws_eks_cluster_auth",
        );
      }
    }
    if (kind === "grafana") {
      await assertGrafanaRole(ctx, outputs["cluster-monitoring"]);
      await assertAdminLookup(ctx, p.runner, s.seed);
    }
    keepTimes(p.runner);
  }

  // --- faults ---
  out.section("fault: two applies of one stack at once (S3 lock)");
  await concurrentApplies(ctx, deployed.get(name("network"))!.runner);

  // --- the switch to the managed collector, applies stopped halfway ---
  const monitoring = name("cluster-monitoring");
  out.section(
    `${monitoring} (switch to collector managed, exec credentials; applies interrupted and killed halfway)`,
  );
  const out2 = join(ctx.runDir, "managed", "cdktf.out");
  synthesizeApp([e2eEnvironment(s.infra, "managed" satisfies CollectorMode)], out2);
  const mon2 = prepare(ctx, out2, monitoring, false, `${monitoring} (managed)`);
  const switchStart = Date.now();
  await switchCollector(ctx, mon2.runner, outputs["cluster-monitoring"]);
  if (kube && s.kube) {
    await assertManagedInCluster(kube, Boolean(s.kube.helm));
    await assertPlanReaders(kube, "monitoring-exporters");
    assertExecCalls(s.awsCliLog, switchStart);
    assertApplyTimeTokens(
      s.kube.webhook.log,
      switchStart,
      Date.now(),
      s.seed.deployer,
      "exec (aws eks get-token)",
    );
  }
  keepTimes(mon2.runner);
  deployed.set(monitoring, mon2);
  for (const kind of ["grafana", "grafana-token", "grafana-config"] as const) {
    const again = prepare(ctx, out2, name(kind), true);
    if (kind !== "grafana") writeProbe(again.runner.dir, again.original);
    await again.runner.init(join(again.runner.dir, "e2e_backend.hcl"));
    const plan = await again.runner.planNoChanges("plan after switch");
    noChanges(`${name(kind)}: no changes after the collector switch`, plan);
    keepTimes(again.runner);
    deployed.set(name(kind), again);
  }

  // --- destroy, reverse order ---
  out.section("destroy (reverse order)");
  const order = [...STACK_KINDS].reverse().map(name);
  for (const stack of [...order, ...bootstraps.filter((b) => !b.startsWith("bootstrap-state-"))]) {
    const runner = deployed.get(stack)!.runner;
    const { report } = await runner.destroy(moto);
    out.say(`  ${stack}: ${doneOf(report)}`);
    const left = await runner.stateList();
    out.check(
      `${stack}: state empty after destroy`,
      left.filter((a) => !a.startsWith("data.")).length === 0,
      left.join(", "),
    );
    keepTimes(runner);
  }
  await assertAllGone(ctx, s.seed.clusterSg, STACK_KINDS.length);
}

/** `terraform plan -destroy` must fail on prevent_destroy of `type`. */
async function refusesDestroy(runner: StackRunner, type: string, check: string): Promise<void> {
  const r = await runner.run(
    "plan -destroy",
    ["plan", "-destroy", "-input=false", "-no-color", "-lock=false"],
    LIMITS.plan,
  );
  const text = r.stderr + r.stdout;
  out.check(
    check,
    r.code !== 0 && /Instance cannot be destroyed/.test(text) && text.includes(type),
    `plan -destroy exited ${r.code}`,
  );
}

async function assertNetwork(ctx: RunContext, net: Record<string, unknown>): Promise<void> {
  const r = await ctx.moto.call<{
    VpcEndpoints: { ServiceName: string; PrivateDnsEnabled: boolean; VpcId: string }[];
  }>("ec2", "describe_vpc_endpoints", { VpcEndpointIds: [String(net.amp_vpc_endpoint_id)] });
  const ep = r.VpcEndpoints[0];
  out.check(
    "network: AMP interface endpoint exists with private DNS in the VPC",
    ep?.ServiceName === `com.amazonaws.${E2E.region}.aps-workspaces` &&
      ep.PrivateDnsEnabled &&
      ep.VpcId === ctx.vpcId,
    JSON.stringify(ep),
  );
}

/** grafana looked the admin up by user name in Identity Center (moto's identity store): the id it found. */
async function assertAdminLookup(ctx: RunContext, runner: StackRunner, seed: SeededAccount): Promise<void> {
  const state = await runner.stateValues();
  const looked = [...state.entries()].find(([a]) => a.startsWith("data.aws_identitystore_user."))?.[1];
  const actual = await ctx.moto.call<{ UserId: string }>("identitystore", "get_user_id", {
    IdentityStoreId: seed.identityStoreId,
    AlternateIdentifier: {
      UniqueAttribute: { AttributePath: "userName", AttributeValue: seed.adminUserName },
    },
  });
  out.check(
    `grafana looked admin ${seed.adminUserName} up in Identity Center at plan time (user id from the identity store)`,
    looked?.user_id === actual.UserId,
    `state has ${JSON.stringify(looked?.user_id)}, the identity store ${actual.UserId}`,
  );
}

/**
 * Switches cluster-monitoring to the managed collector: the plan must leave the AMP workspace alone; its
 * applies are interrupted and killed halfway (faults.ts); the workspace keeps its id.
 */
async function switchCollector(
  ctx: RunContext,
  runner: StackRunner,
  before: Record<string, unknown>,
): Promise<void> {
  await runner.init(join(runner.dir, "e2e_backend.hcl"));
  const plan = await runner.plan();
  out.say(`  plan: ${changesOf(plan)}`);
  out.check(
    "switch leaves the AMP workspace alone (no change planned on it)",
    !plan.planned.some((p) => p.includes("aws_prometheus_workspace.")),
    plan.planned.filter((p) => p.includes("aws_prometheus_workspace.")).join(", "),
  );
  await stoppedApplies(ctx, runner, plan.planned.length, ctx.kubeClient);
  const after = await runner.outputs();
  out.check(
    "AMP workspace kept across the switch (same id)",
    after.amp_workspace_id === before.amp_workspace_id,
    `${before.amp_workspace_id} -> ${after.amp_workspace_id}`,
  );
  await assertAmp(ctx, after, "eksmon-managed-collector");
}

// --- entry ---

let cleaning = false;
async function cleanup(): Promise<void> {
  if (cleaning) return;
  cleaning = true;
  killCommandsNow();
  const stopped = await stopAll();
  if (stopped.length > 0) out.say(`stopped ${stopped.join(", ")}`);
}

process.on("exit", () => killAllNow());
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    out.say(`\n${signal}: stopping everything this run started`);
    cleanup().finally(() => process.exit(130));
  });

function finish(error?: unknown): void {
  for (const line of summaryLines([...out.summaries.values()], out.checks)) out.say(line);
  if (error !== undefined)
    out.say(
      `\ne2e: ERROR ${error instanceof StackError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  const failed = error !== undefined || out.failed;
  if (!failed && process.env.E2E_KEEP !== "1") rmSync(runDir, { recursive: true, force: true });
  else if (runDir) out.say(`run folder kept: ${runDir}`);
  out.say(`e2e: ${failed ? "FAILED" : "passed"} in ${out.seconds().toFixed(0)}s`);
  process.exitCode = failed ? 1 : 0;
}

main()
  .then(async () => {
    await cleanup();
    finish();
  })
  .catch(async (error) => {
    await cleanup();
    finish(error);
  });
