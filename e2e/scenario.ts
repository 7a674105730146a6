/**
 * What each stage of the loopback deploy does (the stages and their order: e2e/main.ts). The stages hand
 * each other what they made through one `Run`; a stage reads only what the stages it needs have made.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
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
import { chartRepository, installTutorial, type SeededAccount, seedAccount } from "./lib/seed";
import { LIMITS, type StackRunner } from "./lib/stack-runner";
import type { OrderingRule } from "./lib/terraform-events";
import type { StageControl } from "./stages";

const ROOT = resolve(__dirname, "..");
const TERRAFORM = terraformBinary();
/** Cold Go builds of the Kubernetes binaries take many minutes on a shared machine (docs/validation.md). */
const INSTALL_TIMEOUT = 60 * 60_000;
const START_TIMEOUT = 90_000;

/** What the Kubernetes half started, when it runs. */
interface KubeHalf {
  readonly cluster: KubeCluster;
  readonly client: KubeClient;
  readonly webhook: EksAuthWebhook;
  readonly helm?: string;
  readonly charts?: Server;
  readonly chartUrl?: string;
}

/** What seed makes: the emulators, what the user already has, the synthesized environment. */
interface Seeded {
  readonly ctx: RunContext;
  /** The synth of the environment with the in-cluster Prometheus. */
  readonly out1: string;
  readonly infra: ExistingInfrastructure;
  readonly seed: SeededAccount;
  readonly stacks: string[];
  readonly kube?: KubeHalf;
  readonly adoption: Adoption;
  readonly awsCliLog: string;
}

/** The run, as the stages fill it. */
export interface Run {
  readonly runDir: string;
  readonly logDir: string;
  /** Servers the run opened on loopback (EKS token webhook, chart repository): closed at the end. */
  readonly servers: Server[];
  seeded?: Seeded;
  /** The bootstrap stacks, the state bucket's first. */
  bootstraps: string[];
  /** Every stack copy the run began to apply, by stack: destroy tears these down. */
  readonly deployed: Map<string, Prepared>;
  /** Outputs of the environment stacks, by kind. */
  readonly outputs: Record<string, Record<string, unknown>>;
  /** cluster-monitoring's copy in `deployed` adopts the console-made workspace (prevent_destroy). */
  adoptsWorkspace: boolean;
}

export function newRun(runDir: string, logDir: string): Run {
  return {
    runDir,
    logDir,
    servers: [],
    bootstraps: [],
    deployed: new Map(),
    outputs: {},
    adoptsWorkspace: false,
  };
}

/** The seeded run, for a stage that needs seed. */
function seeded(run: Run): Seeded {
  if (!run.seeded) throw new Error("seed has not run");
  return run.seeded;
}

const name = (kind: StackKind) => stackName(E2E_ENV, kind);

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

// --- seed ---

/**
 * The tools, moto, what the user already has (VPC, subnets, cluster, OIDC provider, Identity Center user,
 * a console-made AMP workspace), the environment synthesized from their ids, the providers from the local
 * mirrors, and the Kubernetes half with the tutorial's release. Ends the run (SKIPPED) without Terraform
 * or an AWS provider.
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
    "created what the user has: VPC, 2 subnets, EKS cluster, OIDC provider, Identity Center user, a console-made AMP workspace",
    () => seedAccount(client),
  );
  out.say(
    `    VPC ${account.vpcId}, subnets ${account.subnetIds.join(" ")}, workspace ${account.existingWorkspaceId}; Terraform runs as ${account.deployer}`,
  );

  const chartPort = await freePort();
  const infra: ExistingInfrastructure = {
    accountId: E2E.account,
    region: E2E.region,
    vpcId: account.vpcId,
    vpcCidr: account.vpcCidr,
    subnetIds: account.subnetIds,
    clusterName: E2E.cluster,
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
    kube = await startKubeHalf(run, endpoint, rules, infra.chartRepository, chartPort, account);
    adoption = await prepareTutorial(kube);
  }

  run.seeded = {
    ctx: {
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
          value: account.clusterSg,
          reason: "moto's EKS clusters have no cluster security group; the one the harness created stands in",
        },
      ],
      providers,
      lock,
      vpcId: account.vpcId,
    },
    out1,
    infra,
    seed: account,
    stacks,
    kube,
    adoption: { ...adoption, workspaceId: account.existingWorkspaceId },
    awsCliLog,
  };
}

async function startKubeHalf(
  run: Run,
  stsEndpoint: string,
  rules: ExclusionRule[],
  chartRepo: string,
  chartPort: number,
  account: SeededAccount,
): Promise<KubeHalf> {
  const etcd = await install("e2e/install-etcd.sh");
  const apiserver = await install("e2e/install-kube-apiserver.sh");
  const kcm = await install("e2e/install-kube-apiserver.sh", ["kube-controller-manager"]);
  out.say(
    `  install scripts: etcd ${etcd.seconds.toFixed(1)}s, kube-apiserver ${apiserver.seconds.toFixed(1)}s, kube-controller-manager ${kcm.seconds.toFixed(1)}s (cached after the first build)`,
  );
  const webhook = await startEksAuthWebhook(await freePort(), stsEndpoint, E2E.cluster);
  run.servers.push(webhook.server);
  const cluster = await startKubeCluster(
    { etcd: etcd.path, apiserver: apiserver.path, controllerManager: kcm.path },
    join(run.runDir, "kube"),
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
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: account.deployer }],
  });
  out.say(
    `  stand-in: ClusterRoleBinding cluster-admin for ${account.deployer}, what its EKS access entry (AmazonEKSClusterAdminPolicy) grants on EKS; moto has no access entries`,
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
  const charts = await chartRepository(helm.path, chartsDir, join(run.runDir, "charts"), chartPort);
  run.servers.push(charts);
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

/** Each environment stack in dependency order, checked against the emulators and the API server. */
export async function deploy(run: Run): Promise<void> {
  const s = seeded(run);
  const { ctx } = s;
  const kube = s.kube?.client;
  const outputs = run.outputs;
  for (const kind of STACK_KINDS) {
    const stack = name(kind);
    const label = kind === "cluster-monitoring" ? `${stack} (prometheus)` : stack;
    out.section(
      `${label}${kind === "grafana" || kind.startsWith("grafana-") ? " (Amazon Managed Grafana is not emulated: what needs it is excluded)" : ""}`,
    );
    const p = prepare(ctx, s.out1, stack, false, label);
    run.deployed.set(stack, p);
    if (kind === "cluster-monitoring") run.adoptsWorkspace = true;
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
 * cluster-monitoring switched to the managed collector with exec credentials, its applies interrupted and
 * killed halfway; the grafana stacks plan no changes after it.
 */
export async function switchCollector(run: Run): Promise<void> {
  const s = seeded(run);
  const { ctx } = s;
  const kube = s.kube?.client;
  const monitoring = name("cluster-monitoring");
  out.section(
    `${monitoring} (switch to collector managed, exec credentials; applies interrupted and killed halfway)`,
  );
  const out2 = join(ctx.runDir, "managed", "cdktf.out");
  synthesizeApp([e2eEnvironment(s.infra, "managed" satisfies CollectorMode)], out2);
  const mon2 = prepare(ctx, out2, monitoring, false, `${monitoring} (managed)`);
  // From here destroy tears down this copy, which no longer adopts the workspace.
  run.deployed.set(monitoring, mon2);
  run.adoptsWorkspace = false;
  const switchStart = Date.now();
  await switchToManaged(ctx, mon2.runner, run.outputs["cluster-monitoring"]);
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
  for (const kind of ["grafana", "grafana-token", "grafana-config"] as const) {
    const again = prepare(ctx, out2, name(kind), true);
    if (kind !== "grafana") writeProbe(again.runner.dir, again.original);
    await again.runner.init(join(again.runner.dir, "e2e_backend.hcl"));
    const plan = await again.runner.planNoChanges("plan after switch");
    noChanges(`${name(kind)}: no changes after the collector switch`, plan);
    keepTimes(again.runner);
    run.deployed.set(name(kind), again);
  }
}

/**
 * Switches cluster-monitoring to the managed collector: the plan must leave the AMP workspace alone; its
 * applies are interrupted and killed halfway (faults.ts); the workspace keeps its id.
 */
async function switchToManaged(
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

// --- destroy (teardown) ---

/**
 * Every stack the run began to apply, in reverse order, then the GitHub bootstrap (the state bucket
 * refuses destroy); each state must be empty and nothing of the environment left. A stack that fails to
 * destroy does not stop the others; the first error is thrown at the end.
 */
export async function destroy(run: Run): Promise<void> {
  const s = seeded(run);
  const { ctx } = s;
  // A stage that failed may have left a Terraform command running, holding a stack's lock.
  killCommandsNow();
  out.section("destroy (reverse order)");
  // The state objects destroy must keep (versioned history): one per environment stack deploy applied.
  const stateObjects = (await ctx.moto.listKeys(E2E.stateBucket, "eksmon/e2e/").catch(() => [])).filter(
    (k) => !k.endsWith(".tflock"),
  );
  if (run.adoptsWorkspace) await dropWorkspaceAdoption(run, s);
  const order = [...STACK_KINDS].reverse().map(name);
  const stacks = [...order, ...run.bootstraps.filter((b) => !b.startsWith("bootstrap-state-"))].filter((x) =>
    run.deployed.has(x),
  );
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
    } catch (error) {
      failure ??= error;
      out.say(`  ${stack}: destroy failed (the error is printed at the end); going on with the rest`);
    }
    keepTimes(runner);
  }
  if (failure !== undefined) throw failure;
  await assertAllGone(ctx, s.seed.clusterSg, stateObjects);
}

/**
 * Until the switch, cluster-monitoring adopts the console-made workspace, and an adopted workspace refuses
 * destroy (prevent_destroy, read from the configuration). What an operator does to remove it, the run does:
 * the same environment without the adoption (the workspace is in state by then) is what destroy reads.
 */
async function dropWorkspaceAdoption(run: Run, s: Seeded): Promise<void> {
  const monitoring = name("cluster-monitoring");
  const outdir = join(run.runDir, "without-adoption", "cdktf.out");
  synthesizeApp(
    [e2eEnvironment({ ...s.infra, existingWorkspaceId: undefined, tutorialInstalled: false }, "prometheus")],
    outdir,
  );
  const p = prepare(s.ctx, outdir, monitoring, true, `${monitoring} (prometheus)`);
  await p.runner.init(join(p.runner.dir, "e2e_backend.hcl"));
  run.deployed.set(monitoring, p);
  run.adoptsWorkspace = false;
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
