/**
 * What each stage of the loopback deploy does (the stages and their order: e2e/main.ts). The stages hand
 * each other what they made through one `Run`; a stage reads only what the stages it needs have made.
 * The upgrade from the previous release (e2e/upgrade.ts) and issue 16's proofs (e2e/proofs.ts) are stages
 * of their own, on what this file sets up.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { dirname, join, resolve } from "node:path";
import { synthesizeApp } from "../app";
import type { EnvironmentConfig, EnvironmentInput } from "../config/environment";
import { validateEnvironments } from "../config/validate";
import { readProjectLock, requiredProviders } from "../lib/provider-lock";
import { stackNames } from "../lib/synth-output.cjs";
import { terraformBinary } from "../scripts/lib/terraform-env";
import { type EnvironmentStackRef, type StackKind, stackNameOf, stacksOf } from "../stacks/graph";
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
  type DeployedEnvironment,
  writeProbe,
} from "./lib/assertions";
import { MotoClient } from "./lib/aws";
import { awsCliStandIn, type EksAuthWebhook, startEksAuthWebhook, webhookKubeconfig } from "./lib/eks-auth";
import {
  type CollectorMode,
  E2E_ENV,
  type EnvironmentOptions,
  type ExistingInfrastructure,
  e2eEnvironment,
  GREEN_ID,
  UPGRADE_ENV,
} from "./lib/environment";
import { EMULATOR_GAPS, type ExclusionRule } from "./lib/exclusions";
import { concurrentApplies, stoppedApplies } from "./lib/faults";
import {
  type KubeBinaries,
  KubeClient,
  type KubeCluster,
  type KubeEtcd,
  startApiServer,
  startEtcd,
} from "./lib/kube";
import { baseAddress } from "./lib/plan";
import {
  freePort,
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
import { out } from "./lib/report";
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
import {
  chartRepository,
  installTutorial,
  type SeededAccount,
  type SeededCluster,
  seedAccount,
} from "./lib/seed";
import { LIMITS, type StackRunner } from "./lib/stack-runner";
import type { OrderingRule } from "./lib/terraform-events";
import type { StageControl } from "./stages";

export const ROOT = resolve(__dirname, "..");
const TERRAFORM = terraformBinary();
/** Cold Go builds of the Kubernetes binaries take many minutes on a shared machine (docs/validation.md). */
const INSTALL_TIMEOUT = 60 * 60_000;
export const START_TIMEOUT = 90_000;

/** One EKS cluster on loopback: its API server (and controller manager), client and token webhook. */
export interface ClusterHalf {
  readonly name: string;
  readonly api: KubeCluster;
  readonly client: KubeClient;
  readonly webhook: EksAuthWebhook;
}

/** What the Kubernetes half started: etcd, an API server per EKS cluster, the chart repository. */
export interface KubeHalf {
  readonly bin: KubeBinaries;
  readonly etcd: KubeEtcd;
  /** By EKS cluster name. */
  readonly clusters: Map<string, ClusterHalf>;
  readonly helm?: string;
  readonly charts?: Server;
  readonly chartUrl?: string;
}

/** What seed makes: the emulators, what the user already has, the synthesized environment. */
export interface Seeded {
  readonly ctx: RunContext;
  /** The synth of the environment with both clusters running the in-cluster Prometheus. */
  readonly out1: string;
  readonly infra: ExistingInfrastructure;
  readonly seed: SeededAccount;
  readonly stacks: string[];
  readonly kube?: KubeHalf;
  readonly adoption: Adoption;
  readonly awsCliLog: string;
  /** The STS endpoint (moto) token webhooks ask. */
  readonly stsEndpoint: string;
}

/** The run, as the stages fill it. */
export interface Run {
  readonly runDir: string;
  readonly logDir: string;
  /** Servers the run opened on loopback (EKS token webhooks, chart repository): closed at the end. */
  readonly servers: Server[];
  seeded?: Seeded;
  /** The bootstrap stacks, the state bucket's first. */
  bootstraps: string[];
  /** Every stack copy the run began to apply (and has not destroyed), by stack: destroy tears these down. */
  readonly deployed: Map<string, Prepared>;
  /** Environment stacks in the order they were first applied (each environment's `stacksOf`): destroy reverses it. */
  readonly order: string[];
  /** Environments deployed, for the after-destroy checks (name, VPC, state keys). */
  readonly environments: Map<string, Omit<DeployedEnvironment, "stateKeys">>;
  /** Outputs of the environment-wide stacks of the run's environment, by kind. */
  readonly outputs: Record<string, Record<string, unknown>>;
  /** Outputs of each cluster's stack, by EKS cluster name. */
  readonly clusterOutputs: Record<string, Record<string, unknown>>;
  /** cluster-monitoring's copy in `deployed` adopts the console-made workspace (prevent_destroy). */
  adoptsWorkspace: boolean;
  /** The first cluster's collector as deployed (the switch changes it). */
  mode: CollectorMode;
  /** The second cluster is in the deployed configuration (remove-cluster takes it out). */
  withGreen: boolean;
}

export function newRun(runDir: string, logDir: string): Run {
  return {
    runDir,
    logDir,
    servers: [],
    bootstraps: [],
    deployed: new Map(),
    order: [],
    environments: new Map(),
    outputs: {},
    clusterOutputs: {},
    adoptsWorkspace: false,
    mode: "prometheus",
    withGreen: true,
  };
}

/** The seeded run, for a stage that needs seed. */
export function seeded(run: Run): Seeded {
  if (!run.seeded) throw new Error("seed has not run");
  return run.seeded;
}

/** The validated configuration of one environment input (what `stacksOf` reads). */
export function configOf(input: EnvironmentInput): EnvironmentConfig {
  return validateEnvironments([input])[0];
}

/** The run's environment as the stages have left it, with `options` changed. */
export function currentEnvironment(run: Run, options: EnvironmentOptions = {}): EnvironmentInput {
  const s = seeded(run);
  return e2eEnvironment(
    run.adoptsWorkspace ? s.infra : { ...s.infra, existingWorkspaceId: undefined, tutorialInstalled: false },
    run.mode,
    { green: run.withGreen, ...options },
  );
}

/** Synthesizes environments with the app's code path into `<run>/<folder>/cdktf.out`, timed. */
export async function synth(
  run: Run,
  folder: string,
  what: string,
  inputs: readonly EnvironmentInput[],
): Promise<string> {
  const outdir = join(run.runDir, folder, "cdktf.out");
  await out.timed(`synth: ${what}`, async () => {
    synthesizeApp(inputs, outdir);
  });
  return outdir;
}

/** Stack `kind` of the run's environment (`cluster` of the cluster with key `cluster`). */
export const name = (kind: StackKind, cluster?: string) => stackNameOf(E2E_ENV, kind, cluster);
/** The stack of the first cluster (no id: its key is its name) and of the second (`green`). */
export const blueStack = () => name("cluster", E2E.cluster);
export const greenStack = () => name("cluster", GREEN_ID);

/** Runs one of the project's install scripts (path from the root); returns the path it prints and how long it took. */
export async function install(
  script: string,
  args: string[] = [],
): Promise<{ path: string; seconds: number }> {
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
const WORKSPACE_ORDER: OrderingRule[] = [
  {
    before: "aws_prometheus_workspace.",
    after: "aws_prometheus_rule_group_namespace.",
    why: "rules need the workspace",
  },
  { before: "aws_kms_key.", after: "aws_sns_topic.", why: "the topic is encrypted with the key" },
  { before: "aws_sns_topic.", after: "aws_sns_topic_policy.", why: "the policy is on the topic" },
];

/** Ordering inside a cluster's stack (in-cluster Prometheus). */
export const CLUSTER_ORDER: OrderingRule[] = [
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
];

// --- seed ---

/**
 * The tools, moto, what the user already has (VPC, subnets, two clusters with their OIDC providers,
 * Identity Center user, a console-made AMP workspace), the environment synthesized from their ids, the
 * providers from the local mirrors, and the Kubernetes half (an API server per cluster) with the tutorial's
 * release in the first cluster. Ends the run (SKIPPED) without Terraform or an AWS provider.
 */
export async function seed(run: Run, stage: StageControl): Promise<void> {
  const { runDir, logDir } = run;
  out.section("tools");
  const tfVersion = terraformVersion();
  if (!tfVersion) {
    const reason = `cannot run ${TERRAFORM}: install Terraform >= 1.10 or set TERRAFORM_BINARY_NAME`;
    out.skipped("e2e", reason);
    stage.end(reason);
    return;
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
  const account = await out.timed(
    `created what the user has: VPC, 2 subnets, EKS clusters ${E2E.cluster} and ${E2E.greenCluster} with their OIDC providers, Identity Center user, a console-made AMP workspace`,
    () => seedAccount(client, [E2E.cluster, E2E.greenCluster]),
  );
  out.say(
    `    VPC ${account.vpcId}, subnets ${account.subnetIds.join(" ")}, workspace ${account.existingWorkspaceId}; Terraform runs as ${account.deployer}`,
  );
  const shared = account.clusters.filter((c) => c.sharedIssuer);
  if (shared.length > 0)
    out.notProven(
      "each cluster's IRSA roles trust its own OIDC provider",
      `moto 5.2.5 gives every EKS cluster of a server the same issuer (${account.clusters[0].issuer}), so ${shared.map((c) => c.name).join(", ")} share(s) ${account.clusters[0].name}'s IAM OIDC provider; EKS gives each cluster its own. Each role's trust is still checked for its own service account`,
    );

  const chartPort = await freePort();
  const infra: ExistingInfrastructure = {
    accountId: E2E.account,
    region: E2E.region,
    vpcId: account.vpcId,
    vpcCidr: account.vpcCidr,
    subnetIds: account.subnetIds,
    clusterName: E2E.cluster,
    greenClusterName: E2E.greenCluster,
    stateBucket: E2E.stateBucket,
    identityStoreId: account.identityStoreId,
    adminUserName: account.adminUserName,
    chartRepository: `http://127.0.0.1:${chartPort}`,
    existingWorkspaceId: account.existingWorkspaceId,
    tutorialInstalled: true,
  };

  out.section("synth (validateEnvironments + synthesizeApp)");
  const out1 = join(runDir, "prometheus", "cdktf.out");
  await out.timed(
    `two clusters into one workspace, collector prometheus, ephemeral cluster credentials, ${E2E.cluster} adopting the tutorial's workspace, namespace and release`,
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
    const reason = aws?.missing ?? "the stacks require no AWS provider";
    out.skipped("e2e", reason);
    stage.end(reason);
    return;
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
  // A kubeconfig of the user's would give the providers a cluster where the stacks configure none.
  for (const v of ["TF_PLUGIN_CACHE_DIR", "AWS_PROFILE", "AWS_SESSION_TOKEN", "KUBECONFIG"]) delete tfEnv[v];

  out.section(
    "Kubernetes on loopback (etcd; per EKS cluster kube-apiserver, kube-controller-manager, EKS token webhook; no kubelet)",
  );
  const kubeMissing = providers.filter((p) => ["kubernetes", "helm"].includes(p.required.name) && !p.use);
  let kube: KubeHalf | undefined;
  let adoption: Adoption = { imports: [] };
  const ctx: RunContext = {
    runDir,
    logDir,
    terraform: TERRAFORM,
    tfEnv,
    aws: { endpoint, accessKey: "test", secretKey: "test" },
    moto: client,
    clusters: new Map(),
    rules,
    unavailable,
    expressionStandIns: [
      {
        pattern: /data\.aws_eks_cluster\.[\w-]+\.vpc_config\[0\]\.cluster_security_group_id/g,
        value: account.clusterSg,
        reason: "moto's EKS clusters have no cluster security group; the one the harness created stands in",
      },
    ],
    providers,
    lock,
    vpcId: account.vpcId,
  };
  run.environments.set(E2E_ENV, { name: E2E_ENV, vpcId: account.vpcId, clusterSg: account.clusterSg });
  if (kubeMissing.length > 0) {
    out.skipped(
      "Kubernetes half (namespace, StorageClass, service account, chart workloads, RBAC, adoption of the namespace and release, apply-time credentials)",
      kubeMissing.map((p) => p.missing).join("; "),
    );
  } else {
    kube = await startKubeHalf(run, rules, infra.chartRepository, chartPort);
    for (const c of account.clusters) await startCluster(run, ctx, kube, endpoint, c, account.deployer);
    adoption = await prepareTutorial(kube);
  }

  run.seeded = {
    ctx,
    out1,
    infra,
    seed: account,
    stacks,
    kube,
    adoption: { ...adoption, workspaceId: account.existingWorkspaceId },
    awsCliLog,
    stsEndpoint: endpoint,
  };
}

/** etcd, the binaries, helm and the chart repository: what every cluster's API server shares. */
async function startKubeHalf(
  run: Run,
  rules: ExclusionRule[],
  chartRepo: string,
  chartPort: number,
): Promise<KubeHalf> {
  const etcd = await install("e2e/install-etcd.sh");
  const apiserver = await install("e2e/install-kube-apiserver.sh");
  const kcm = await install("e2e/install-kube-apiserver.sh", ["kube-controller-manager"]);
  out.say(
    `  install scripts: etcd ${etcd.seconds.toFixed(1)}s, kube-apiserver ${apiserver.seconds.toFixed(1)}s, kube-controller-manager ${kcm.seconds.toFixed(1)}s (cached after the first build)`,
  );
  const bin: KubeBinaries = { etcd: etcd.path, apiserver: apiserver.path, controllerManager: kcm.path };
  const store = await startEtcd(bin.etcd, join(run.runDir, "kube"), START_TIMEOUT);
  out.say(
    `  etcd ${store.url} (pid ${store.service.pid}), shared by the API servers under their own prefixes`,
  );
  const half: KubeHalf = { bin, etcd: store, clusters: new Map() };
  const chartsDir = process.env.E2E_CHARTS_DIR || resolve(ROOT, "..", "shared", "reference", "charts");
  if (!existsSync(chartsDir)) {
    rules.push({
      kind: "resource",
      type: "helm_release",
      reason: `SKIPPED: no charts offline (${chartsDir} missing)`,
    });
    out.skipped("Helm releases", `${chartsDir} is missing (the pinned charts are not available offline)`);
    return half;
  }
  const helm = await install("scripts/install-helm.sh");
  const charts = await chartRepository(helm.path, chartsDir, join(run.runDir, "charts"), chartPort);
  run.servers.push(charts);
  out.say(
    `  chart repository ${chartRepo}: the charts of ${chartsDir}, packaged by helm (install script ${helm.seconds.toFixed(1)}s)`,
  );
  return { ...half, helm: helm.path, charts, chartUrl: chartRepo };
}

/**
 * An API server standing in for EKS cluster `cluster` (its own etcd prefix, certificates, controller manager
 * and token webhook bound to its name), the deployer's access entry stood in for, registered in `ctx`.
 */
export async function startCluster(
  run: Run,
  ctx: RunContext,
  kube: KubeHalf,
  stsEndpoint: string,
  cluster: SeededCluster,
  deployer: string,
): Promise<ClusterHalf> {
  const webhook = await startEksAuthWebhook(await freePort(), stsEndpoint, cluster.name);
  run.servers.push(webhook.server);
  const first = kube.clusters.size === 0;
  const api = await startApiServer(
    kube.bin,
    kube.etcd.url,
    join(run.runDir, "kube", cluster.name),
    START_TIMEOUT,
    {
      name: cluster.name,
      // The first keeps kube-apiserver's default prefix; every other one has its own.
      etcdPrefix: first ? undefined : `/registry-${cluster.name}`,
      tokenWebhookKubeconfig: webhookKubeconfig(webhook.url),
    },
  );
  const client = new KubeClient(api.host, api.caPem, api.token);
  out.say(
    `  ${cluster.name}: kube-apiserver ${api.host} (etcd prefix ${first ? "/registry" : `/registry-${cluster.name}`}) ready in ${api.readySeconds.toFixed(1)}s (${api.services.map((x) => `${x.name} pid ${x.pid}`).join(", ")}); EKS token webhook ${webhook.url}`,
  );
  // What an EKS access entry with AmazonEKSClusterAdminPolicy gives the identity that runs Terraform.
  await client.create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: "e2e-deployer-access-entry" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: deployer }],
  });
  out.say(
    `    stand-in: ClusterRoleBinding cluster-admin for ${deployer}, what its EKS access entry (AmazonEKSClusterAdminPolicy) grants on EKS; moto has no access entries`,
  );
  const half: ClusterHalf = { name: cluster.name, api, client, webhook };
  kube.clusters.set(cluster.name, half);
  ctx.clusters.set(cluster.name, { loopback: { host: api.host, caPem: api.caPem }, client });
  return half;
}

/** The tutorial's namespace and release in the first cluster, installed by hand before the first apply, to be adopted. */
async function prepareTutorial(kube: KubeHalf): Promise<Adoption> {
  const first = kube.clusters.get(E2E.cluster)!;
  if (!kube.helm) {
    const ns = await first.client.create("/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "prometheus" },
    });
    out.say("  the tutorial's namespace prometheus created by hand (no charts: no release)");
    return { namespaceUid: ns.metadata.uid, imports: [] };
  }
  const t = await installTutorial(kube.helm, first.api.kubeconfig, kube.chartUrl!, first.client);
  out.say(
    `  ${E2E.cluster}: the tutorial's release: helm install prometheus --namespace prometheus --create-namespace (revision ${t.revision})`,
  );
  return { namespaceUid: t.namespaceUid, releaseRevision: t.revision, imports: [] };
}

// --- bootstrap ---

/** The bootstrap stacks (local state), the state bucket first: versioned, refuses destroy; the GitHub roles. */
export async function bootstrap(run: Run): Promise<void> {
  const { ctx, out1, stacks } = seeded(run);
  run.bootstraps = stacks
    .filter((x) => x.startsWith("bootstrap-"))
    .sort((a) => (a.startsWith("bootstrap-state-") ? -1 : 1));
  for (const stack of run.bootstraps) {
    out.section(`${stack} (local state)`);
    const p = prepare(ctx, out1, stack);
    run.deployed.set(stack, p);
    await deployStack(ctx, p.runner);
    if (stack.startsWith("bootstrap-state-")) {
      const versioning = await ctx.moto.call<{ Status?: string }>("s3", "get_bucket_versioning", {
        Bucket: E2E.stateBucket,
      });
      out.check("state bucket is versioned", versioning.Status === "Enabled", JSON.stringify(versioning));
      await refusesDestroy(p.runner, "aws_s3_bucket", "state bucket refuses destroy (prevent_destroy)");
    }
    if (stack.startsWith("bootstrap-github-aws-")) await assertGithubRoles(ctx);
  }
}

// --- deploy ---

/**
 * Each stack of the environment in dependency order (`stacksOf`: network, cluster-monitoring, a stack per
 * cluster, the grafana stacks), checked against the emulators and each cluster's API server.
 */
export async function deploy(run: Run): Promise<void> {
  const s = seeded(run);
  const { ctx } = s;
  const env = configOf(e2eEnvironment(s.infra, "prometheus"));
  const outputs = run.outputs;
  for (const ref of stacksOf(env)) {
    const stack = ref.name;
    const cluster = env.clusters.find((c) => c.key === ref.cluster);
    const label = cluster ? `${stack} (${cluster.name}, prometheus)` : stack;
    out.section(
      `${label}${ref.kind.startsWith("grafana") ? " (Amazon Managed Grafana is not emulated: what needs it is excluded)" : ""}`,
    );
    const p = prepare(ctx, s.out1, stack, false, label);
    run.deployed.set(stack, p);
    if (!run.order.includes(stack)) run.order.push(stack);
    if (ref.kind === "cluster-monitoring") run.adoptsWorkspace = true;
    const reads = ref.kind.startsWith("grafana-") ? writeProbe(p.runner.dir, p.original) : [];
    const imports = (p.prepared.json.import ?? []).map((i) => String(i.to));
    const order =
      ref.kind === "cluster-monitoring" ? WORKSPACE_ORDER : ref.kind === "cluster" ? CLUSTER_ORDER : [];
    const { plan } = await deployStack(ctx, p.runner, order);
    const published = await p.runner.outputs();
    if (cluster) run.clusterOutputs[cluster.name] = published;
    else outputs[ref.kind] = published;
    if (reads.length > 0) assertProbe(stack, published, reads, outputs);
    if (ref.kind === "network") await assertNetwork(ctx, outputs.network);
    if (ref.kind === "cluster-monitoring") {
      await assertAdoption(stack, { workspaceId: s.adoption.workspaceId, imports }, plan, published);
      await refusesDestroy(
        p.runner,
        "aws_prometheus_workspace",
        "the adopted AMP workspace refuses destroy (prevent_destroy)",
      );
    }
    if (cluster) await assertClusterStack(run, ref, cluster.name, { plan, imports, runner: p.runner });
    if (ref.kind === "grafana") {
      await assertGrafanaRole(ctx, outputs["cluster-monitoring"]);
      await assertAdminLookup(ctx, p.runner, s.seed);
    }
    keepTimes(p.runner);
  }
  // Each cluster's collector rules in the one workspace, beside the shared ones.
  await assertAmp(ctx, outputs["cluster-monitoring"], [
    "eksmon-prometheus-collector",
    `eksmon-${GREEN_ID}-prometheus-collector`,
  ]);
}

/** A cluster's stack, read back from moto and from that cluster's own API server. */
async function assertClusterStack(
  run: Run,
  ref: EnvironmentStackRef,
  clusterName: string,
  applied: { plan: Parameters<typeof assertAdoption>[2]; imports: string[]; runner: StackRunner },
): Promise<void> {
  const s = seeded(run);
  const { ctx } = s;
  const first = clusterName === E2E.cluster;
  const seededCluster = s.seed.clusters.find((c) => c.name === clusterName)!;
  // The first cluster has no id: the environment's names, as before environments had several clusters.
  const prefix = first ? `eksmon-${E2E_ENV}` : `eksmon-${E2E_ENV}-${ref.cluster}`;
  const endpoints = run.outputs.network.amp_vpc_endpoint_ids as Record<string, string> | undefined;
  await assertEndpointGrant(ctx, ref.name, `${prefix}-amp-ingest`, String(endpoints?.[ctx.vpcId]));
  const oidc = { arn: seededCluster.oidcArn, issuer: seededCluster.issuer };
  await assertIrsaTrust(
    ctx,
    oidc,
    `${prefix}-amp-ingest`,
    "system:serviceaccount:prometheus:amp-iamproxy-ingest-service-account",
  );
  await assertIrsaTrust(
    ctx,
    oidc,
    `${prefix}-ebs-csi-driver`,
    "system:serviceaccount:kube-system:ebs-csi-controller-sa",
  );
  const half = s.kube?.clusters.get(clusterName);
  const merged = { ...run.outputs["cluster-monitoring"], ...run.clusterOutputs[clusterName] };
  if (first)
    await assertAdoption(
      ref.name,
      { ...s.adoption, workspaceId: undefined, imports: applied.imports },
      applied.plan,
      merged,
      half?.client,
    );
  else
    out.check(
      `${ref.name}: a cluster added to the environment imports nothing, creates its own`,
      applied.imports.length === 0 && (applied.plan.summary?.add ?? 0) > 0,
      `imports ${applied.imports.join(", ")}; ${changesOf(applied.plan)}`,
      changesOf(applied.plan),
    );
  if (!half || !s.kube) return;
  await assertPrometheusInCluster(half.client, clusterName, merged, Boolean(s.kube.helm));
  await assertPlanReaders(half.client, "prometheus", clusterName);
  const window = applied.runner.lastApply!;
  assertApplyTimeTokens(
    half.webhook.log,
    window.start,
    window.end,
    s.seed.deployer,
    `${clusterName}: ephemeral aws_eks_cluster_auth`,
  );
  // Each stack reached its own cluster: the other API servers never saw this apply's tokens.
  const strays = [...s.kube.clusters.values()]
    .filter((c) => c.name !== clusterName)
    .flatMap((c) =>
      c.webhook.log.filter((a) => a.at >= window.start && a.at <= window.end).map(() => c.name),
    );
  out.check(
    `${ref.name}: its apply reached ${clusterName}'s API server only`,
    strays.length === 0,
    `token reviews during the apply at ${[...new Set(strays)].join(", ")}`,
  );
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
  const byVpc = net.amp_vpc_endpoint_ids as Record<string, string> | undefined;
  out.check(
    "network: amp_vpc_endpoint_ids names that endpoint for the clusters' one VPC",
    JSON.stringify(byVpc) === JSON.stringify({ [ctx.vpcId]: net.amp_vpc_endpoint_id }),
    JSON.stringify(byVpc),
  );
}

/** grafana looked the admin up by user name in Identity Center (moto's identity store): the id it found. */
async function assertAdminLookup(
  ctx: RunContext,
  runner: StackRunner,
  account: SeededAccount,
): Promise<void> {
  const state = await runner.stateValues();
  const looked = [...state.entries()].find(([a]) => a.startsWith("data.aws_identitystore_user."))?.[1];
  const actual = await ctx.moto.call<{ UserId: string }>("identitystore", "get_user_id", {
    IdentityStoreId: account.identityStoreId,
    AlternateIdentifier: {
      UniqueAttribute: { AttributePath: "userName", AttributeValue: account.adminUserName },
    },
  });
  out.check(
    `grafana looked admin ${account.adminUserName} up in Identity Center at plan time (user id from the identity store)`,
    looked?.user_id === actual.UserId,
    `state has ${JSON.stringify(looked?.user_id)}, the identity store ${actual.UserId}`,
  );
}

// --- faults ---

/** Two applies of one stack at once: one must fail on the S3 lock, the state stays intact. */
export async function faults(run: Run): Promise<void> {
  const { ctx } = seeded(run);
  out.section("fault: two applies of one stack at once (S3 lock)");
  await concurrentApplies(ctx, run.deployed.get(name("network"))!.runner);
}

// --- switch ---

/**
 * The first cluster switched to the managed collector with exec credentials: a change of its stack only.
 * The workspace stack plans no change (it would refuse nothing: it is not part of the switch), the
 * switch's applies are interrupted and killed halfway, and every other stack plans no change after it.
 */
export async function switchCollector(run: Run): Promise<void> {
  const s = seeded(run);
  const { ctx } = s;
  const first = s.kube?.clusters.get(E2E.cluster);
  const monitoring = name("cluster-monitoring");
  const stack = blueStack();
  out.section(
    `${stack} (switch of ${E2E.cluster} to collector managed, exec credentials; applies interrupted and killed halfway)`,
  );
  run.mode = "managed";
  const managedEnv = currentEnvironment(run, {});
  const out2 = await synth(run, "managed", `${E2E.cluster} managed, the adoptions dropped`, [managedEnv]);
  const before = await run.deployed.get(monitoring)!.runner.outputs();

  // The workspace's stack is not part of a collector switch any more: its plan must be empty.
  const mon2 = prepare(ctx, out2, monitoring, true, `${monitoring} (managed pass)`);
  await mon2.runner.init(join(mon2.runner.dir, "e2e_backend.hcl"));
  noChanges(
    `${monitoring}: no changes during the collector switch (the workspace stack is not part of it)`,
    await mon2.runner.planNoChanges("plan during switch"),
  );
  keepTimes(mon2.runner);
  // From here destroy tears down this copy, which no longer adopts the workspace.
  run.deployed.set(monitoring, mon2);
  run.adoptsWorkspace = false;

  const c2 = prepare(ctx, out2, stack, false, `${stack} (managed)`);
  run.deployed.set(stack, c2);
  const switchStart = Date.now();
  await c2.runner.init(join(c2.runner.dir, "e2e_backend.hcl"));
  const plan = await c2.runner.plan();
  out.say(`  plan: ${changesOf(plan)}`);
  await stoppedApplies(ctx, c2.runner, plan.planned.length, first?.client);
  run.clusterOutputs[E2E.cluster] = await c2.runner.outputs();
  const after = await mon2.runner.outputs();
  out.check(
    "AMP workspace kept across the switch (same id)",
    after.amp_workspace_id === before.amp_workspace_id,
    `${before.amp_workspace_id} -> ${after.amp_workspace_id}`,
  );
  await assertAmp(
    ctx,
    after,
    ["eksmon-managed-collector", ...(run.withGreen ? [`eksmon-${GREEN_ID}-prometheus-collector`] : [])],
    ["eksmon-prometheus-collector"],
  );
  if (first && s.kube) {
    await assertManagedInCluster(first.client, Boolean(s.kube.helm));
    await assertPlanReaders(first.client, "monitoring-exporters", E2E.cluster);
    assertExecCalls(s.awsCliLog, switchStart, E2E.cluster);
    assertApplyTimeTokens(
      first.webhook.log,
      switchStart,
      Date.now(),
      s.seed.deployer,
      `${E2E.cluster}: exec (aws eks get-token)`,
    );
  }
  keepTimes(c2.runner);
  for (const ref of stacksOf(configOf(managedEnv))) {
    if (ref.name === stack || ref.name === monitoring) continue;
    const again = prepare(ctx, out2, ref.name, true);
    if (ref.kind === "grafana-token" || ref.kind === "grafana-config")
      writeProbe(again.runner.dir, again.original);
    await again.runner.init(join(again.runner.dir, "e2e_backend.hcl"));
    const planned = await again.runner.planNoChanges("plan after switch");
    noChanges(`${ref.name}: no changes after the collector switch`, planned);
    keepTimes(again.runner);
    run.deployed.set(ref.name, again);
  }
}

// --- remove-cluster ---

/** The Helm releases of a cluster: `<namespace>/<name>` -> `<revision> <status>` of the newest record. */
export async function helmReleases(kube: KubeClient): Promise<Record<string, string>> {
  const records = await kube.list("/api/v1/secrets?labelSelector=owner%3Dhelm");
  const newest: Record<string, { version: number; status: string }> = {};
  for (const r of records) {
    const key = `${r.metadata.namespace}/${r.metadata.labels?.name}`;
    const version = Number(r.metadata.labels?.version);
    if (!newest[key] || newest[key].version < version)
      newest[key] = { version, status: r.metadata.labels?.status ?? "?" };
  }
  return Object.fromEntries(
    Object.entries(newest)
      .sort()
      .map(([k, v]) => [k, `${v.version} ${v.status}`]),
  );
}

/**
 * docs/operations.md, "Blue/green cluster upgrade", step 3: the second cluster's stack destroyed while the
 * cluster is still in the configuration, then the cluster dropped from it and every remaining stack planned.
 * Nothing else may move: the workspace keeps its id, the first cluster's Helm releases their revisions, and
 * every remaining stack plans no change.
 */
export async function removeCluster(run: Run): Promise<void> {
  const s = seeded(run);
  const { ctx } = s;
  const stack = greenStack();
  const p = run.deployed.get(stack);
  if (!p) throw new Error(`${stack} was not deployed: nothing to remove`);
  const monitoring = run.deployed.get(name("cluster-monitoring"))!;
  const workspaceBefore = (await monitoring.runner.outputs()).amp_workspace_id;
  const firstKube = s.kube?.clusters.get(E2E.cluster)?.client;
  const greenKube = s.kube?.clusters.get(E2E.greenCluster)?.client;
  const releasesBefore = firstKube ? await helmReleases(firstKube) : {};

  out.section(`${stack}: destroyed while ${E2E.greenCluster} is still in the configuration`);
  if (!p.runner.initialized) await p.runner.init(join(p.runner.dir, "e2e_backend.hcl"));
  const { report } = await p.runner.destroy(ctx.moto);
  out.say(`  destroy: ${doneOf(report)}`);
  const destroyed = report.operations.filter((o) => o.status === "complete").map((o) => o.address);
  out.check(
    `${stack}: the destroy touched its own resources only (${destroyed.length})`,
    destroyed.length > 0 &&
      destroyed.every((a) => {
        const [type, id] = baseAddress(a).split(".");
        return p.original.resource?.[type]?.[id] !== undefined;
      }),
    destroyed.join(", "),
  );
  const left = await p.runner.stateList();
  out.check(
    `${stack}: state empty after destroy`,
    left.filter((a) => !a.startsWith("data.")).length === 0,
    left.join(", "),
  );
  keepTimes(p.runner);
  run.deployed.delete(stack);
  run.withGreen = false;
  await assertClusterGone(ctx, greenKube);

  out.section(`${E2E.greenCluster} dropped from the configuration: every remaining stack planned`);
  const env = currentEnvironment(run);
  const outdir = await synth(run, "without-green", `without ${E2E.greenCluster}`, [env]);
  const refs = stacksOf(configOf(env));
  const names = refs.map((r) => r.name);
  out.check(
    `the configuration without ${E2E.greenCluster} has no stack of it, and every other`,
    !names.includes(stack) &&
      [...run.deployed.keys()].filter((n) => n.startsWith(`${E2E_ENV}-`)).every((n) => names.includes(n)),
    names.join(", "),
    names.join(", "),
  );
  for (const ref of refs) {
    const again = prepare(ctx, outdir, ref.name, true, `${ref.name} (without ${GREEN_ID})`);
    if (ref.kind === "grafana-token" || ref.kind === "grafana-config")
      writeProbe(again.runner.dir, again.original);
    await again.runner.init(join(again.runner.dir, "e2e_backend.hcl"));
    noChanges(
      `${ref.name}: no changes once ${E2E.greenCluster} is out of the configuration`,
      await again.runner.planNoChanges("plan after removal"),
    );
    keepTimes(again.runner);
  }
  const workspaceAfter = (await monitoring.runner.outputs()).amp_workspace_id;
  out.check(
    "the workspace is untouched by the removal (same AMP workspace id)",
    workspaceAfter === workspaceBefore && Boolean(workspaceAfter),
    `${workspaceBefore} -> ${workspaceAfter}`,
    String(workspaceAfter),
  );
  const mon = run.outputs["cluster-monitoring"];
  await assertAmp(
    ctx,
    { ...mon, amp_workspace_id: workspaceAfter },
    [run.mode === "managed" ? "eksmon-managed-collector" : "eksmon-prometheus-collector"],
    [`eksmon-${GREEN_ID}-prometheus-collector`],
  );
  if (firstKube) {
    const releasesAfter = await helmReleases(firstKube);
    out.check(
      `${E2E.cluster}'s Helm releases untouched by the removal (same revision and status, from the release records)`,
      Object.keys(releasesBefore).length > 0 &&
        JSON.stringify(releasesAfter) === JSON.stringify(releasesBefore),
      `before ${JSON.stringify(releasesBefore)}, after ${JSON.stringify(releasesAfter)}`,
      JSON.stringify(releasesAfter),
    );
  }
}

/** What the second cluster's stack made is gone: its roles, its rule namespace, its objects in its API server. */
async function assertClusterGone(ctx: RunContext, kube?: KubeClient): Promise<void> {
  const roles = await ctx.moto.call<{ Roles: { RoleName: string }[] }>("iam", "list_roles");
  const names = roles.Roles.map((r) => r.RoleName);
  const prefix = `eksmon-${E2E_ENV}-${GREEN_ID}-`;
  out.check(
    `AWS: no role of ${E2E.greenCluster} left (${prefix}*), ${E2E.cluster}'s kept`,
    !names.some((n) => n.startsWith(prefix)) && names.includes(`eksmon-${E2E_ENV}-ebs-csi-driver`),
    names.filter((n) => n.startsWith(`eksmon-${E2E_ENV}-`)).join(", "),
  );
  if (!kube) return;
  const namespaces = (await kube.list("/api/v1/namespaces")).map((n) => n.metadata.name);
  const sc = await kube.get("/apis/storage.k8s.io/v1/storageclasses/prometheus-gp3");
  const releases = await helmReleases(kube);
  const clusterRoles = (await kube.list("/apis/rbac.authorization.k8s.io/v1/clusterroles")).map(
    (r) => r.metadata.name,
  );
  out.check(
    `${E2E.greenCluster}: namespace prometheus really deleted, StorageClass, plan readers' ClusterRole and Helm releases gone`,
    !namespaces.includes("prometheus") &&
      !sc &&
      Object.keys(releases).length === 0 &&
      !clusterRoles.includes("eksmon-plan-reader"),
    `namespaces ${namespaces.join(",")}; releases ${JSON.stringify(releases)}`,
  );
}

// --- destroy (teardown) ---

/**
 * Every stack the run applied and has not destroyed, in the reverse of the order they were first applied
 * (each environment's `stacksOf`, the upgrade's environment after the run's), then the GitHub bootstrap
 * (the state bucket refuses destroy); each state must be empty and nothing of the environments left. A
 * stack that fails to destroy does not stop the others; the first error is thrown at the end.
 */
export async function destroy(run: Run): Promise<void> {
  const s = seeded(run);
  const { ctx } = s;
  // A stage that failed may have left a Terraform command running, holding a stack's lock.
  killCommandsNow();
  out.section("destroy (reverse order)");
  // The state objects destroy must keep (versioned history): one per environment stack the run applied.
  const envs: DeployedEnvironment[] = [];
  for (const env of run.environments.values())
    envs.push({
      ...env,
      stateKeys: (await ctx.moto.listKeys(E2E.stateBucket, `eksmon/${env.name}/`).catch(() => [])).filter(
        (k) => !k.endsWith(".tflock"),
      ),
    });
  if (run.adoptsWorkspace) await dropWorkspaceAdoption(run);
  const stacks = [
    ...[...run.order].reverse(),
    ...run.bootstraps.filter((b) => !b.startsWith("bootstrap-state-")),
  ].filter((x) => run.deployed.has(x));
  let failure: unknown;
  for (const stack of stacks) {
    const { runner } = run.deployed.get(stack)!;
    try {
      if (!runner.initialized)
        await runner.init(runner.state ? join(runner.dir, "e2e_backend.hcl") : undefined);
      const { report } = await runner.destroy(ctx.moto);
      out.say(`  ${stack}: ${doneOf(report)}`);
      const left = await runner.stateList();
      out.check(
        `${stack}: state empty after destroy`,
        left.filter((a) => !a.startsWith("data.")).length === 0,
        left.join(", "),
      );
      run.deployed.delete(stack);
    } catch (error) {
      failure ??= error;
      out.say(`  ${stack}: destroy failed (the error is printed at the end); going on with the rest`);
    }
    keepTimes(runner);
  }
  if (failure !== undefined) throw failure;
  // The stacks that reach each cluster; a cluster none of them was applied to keeps what the user had (the
  // tutorial's release, when deploy was skipped).
  const reaching: Record<string, string[]> = {
    [E2E.cluster]: [blueStack()],
    [E2E.greenCluster]: [greenStack()],
    [E2E.upgradeCluster]: [
      `${UPGRADE_ENV}-cluster-monitoring`,
      `${UPGRADE_ENV}-cluster-${E2E.upgradeCluster}`,
    ],
  };
  await assertAllGone(
    ctx,
    envs,
    Object.keys(reaching).filter((c) => reaching[c].some((st) => run.order.includes(st))),
  );
}

/**
 * Until the switch, cluster-monitoring adopts the console-made workspace, and an adopted workspace refuses
 * destroy (prevent_destroy, read from the configuration). What an operator does to remove it, the run does:
 * the same environment without the adoption (the workspace is in state by then) is what destroy reads.
 */
async function dropWorkspaceAdoption(run: Run): Promise<void> {
  const s = seeded(run);
  const monitoring = name("cluster-monitoring");
  run.adoptsWorkspace = false;
  const outdir = await synth(run, "without-adoption", "the environment without the workspace adoption", [
    currentEnvironment(run),
  ]);
  const p = prepare(s.ctx, outdir, monitoring, true, `${monitoring} (without adoption)`);
  await p.runner.init(join(p.runner.dir, "e2e_backend.hcl"));
  run.deployed.set(monitoring, p);
  out.say(
    `  ${monitoring} still adopts the console-made AMP workspace (the switch did not run), which refuses destroy: destroyed with the same environment without the adoption, as an operator would`,
  );
}

// --- teardown of processes ---

let stopping = false;

/** Stops every command, service and server the run started (by pid), last started first. Once. */
export async function stopEverything(run: Run): Promise<void> {
  if (stopping) return;
  stopping = true;
  killCommandsNow();
  for (const server of run.servers) server.close();
  const stopped = await stopAll();
  if (stopped.length > 0) out.say(`stopped ${stopped.join(", ")}`);
}
