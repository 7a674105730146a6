/**
 * What the e2e asserts about the deployed environment, read back from the emulators and the API server
 * (never from the synthesized JSON): remote-state reads, IAM trust and policies, AMP, the Kubernetes objects
 * with their fields, RBAC as the authorizer evaluates it, adoption by import, apply-time credentials, and
 * that destroy leaves nothing behind.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { Authentication } from "./eks-auth";
import type { TfJson } from "./exclusions";
import type { KubeClient } from "./kube";
import { waitFor } from "./processes";
import { out } from "./report";
import { E2E, type RunContext } from "./run";
import type { RunReport } from "./terraform-events";

type Outputs = Record<string, unknown>;

/** An inline policy of a role, as moto returns it (a document, or URL-encoded JSON). */
export async function rolePolicy(
  ctx: RunContext,
  role: string,
): Promise<{ Statement: Record<string, unknown>[] }> {
  const r = await ctx.moto.call<{ PolicyDocument: unknown }>("iam", "get_role_policy", {
    RoleName: role,
    PolicyName: role,
  });
  const doc = r.PolicyDocument;
  return (typeof doc === "string" ? JSON.parse(decodeURIComponent(doc)) : doc) as {
    Statement: Record<string, unknown>[];
  };
}

/** A cluster's stack read network's endpoint id (of its VPC) from the S3 backend: it is in the remote-write grant. */
export async function assertEndpointGrant(
  ctx: RunContext,
  stack: string,
  role: string,
  endpointId: string,
): Promise<void> {
  const policy = await rolePolicy(ctx, role);
  const write = policy.Statement.find((st) => st.Action === "aps:RemoteWrite") as
    | { Condition?: { StringEquals?: Record<string, string> } }
    | undefined;
  const got = write?.Condition?.StringEquals?.["aws:SourceVpce"];
  out.check(
    `${stack} read network's amp_vpc_endpoint_ids[<its VPC>] from the S3 backend (aws:SourceVpce of ${role}'s remote-write grant)`,
    Boolean(endpointId) && got === endpointId,
    `policy has ${got}, network published ${endpointId}`,
    endpointId,
  );
}

export async function assertIrsaTrust(
  ctx: RunContext,
  oidc: { arn: string; issuer: string },
  roleName: string,
  subject: string,
): Promise<void> {
  const role = await ctx.moto.call<{ Role: { AssumeRolePolicyDocument: unknown } }>("iam", "get_role", {
    RoleName: roleName,
  });
  const doc = role.Role.AssumeRolePolicyDocument;
  const trust = (typeof doc === "string" ? JSON.parse(decodeURIComponent(doc)) : doc) as {
    Statement: { Principal: { Federated: string }; Condition: { StringEquals: Record<string, string> } }[];
  };
  const st = trust.Statement[0];
  const host = oidc.issuer.replace(/^https:\/\//, "");
  out.check(
    `IRSA role ${roleName} trusts the emulated cluster's OIDC provider for ${subject} only`,
    trust.Statement.length === 1 &&
      st?.Principal.Federated === oidc.arn &&
      st.Condition.StringEquals[`${host}:sub`] === subject &&
      st.Condition.StringEquals[`${host}:aud`] === "sts.amazonaws.com",
    JSON.stringify(trust),
  );
}

/**
 * The workspace (its alias), the rule groups namespaces in it (the shared rules and alerts, and each
 * cluster's collector rules: `collectorRules`, none of `goneRules`), the budget alarms on the alert topic.
 */
export async function assertAmp(
  ctx: RunContext,
  mon: Outputs,
  collectorRules: readonly string[],
  goneRules: readonly string[] = [],
  env = "e2e",
): Promise<void> {
  const id = String(mon.amp_workspace_id);
  const ws = await ctx.moto.call<{ workspace: { alias: string } }>("amp", "describe_workspace", {
    workspaceId: id,
  });
  out.check(
    `AMP workspace has the environment's alias (${env}-metrics)`,
    ws.workspace.alias === `${env}-metrics`,
    JSON.stringify(ws.workspace),
  );
  const rules = await ctx.moto.call<{ ruleGroupsNamespaces: { name: string }[] }>(
    "amp",
    "list_rule_groups_namespaces",
    {
      workspaceId: id,
    },
  );
  const names = rules.ruleGroupsNamespaces.map((r) => r.name).sort();
  out.check(
    `AMP rule groups namespaces: recording rules, alerts, ${collectorRules.join(", ")}${goneRules.length > 0 ? `; not ${goneRules.join(", ")}` : ""}`,
    ["eksmon-alerts", ...collectorRules, "eksmon-recording-rules"].every((n) => names.includes(n)) &&
      !goneRules.some((n) => names.includes(n)),
    names.join(", "),
  );
  const alarms = await ctx.moto.call<{ MetricAlarms: { AlarmName: string; AlarmActions: string[] }[] }>(
    "cloudwatch",
    "describe_alarms",
    { AlarmNamePrefix: `eksmon-${env}-` },
  );
  out.check(
    "ingestion budget alarms exist and notify the alert topic",
    alarms.MetricAlarms.length === 2 &&
      alarms.MetricAlarms.every((a) => a.AlarmActions.includes(String(mon.alert_topic_arn))),
    JSON.stringify(alarms.MetricAlarms.map((a) => [a.AlarmName, a.AlarmActions])),
    alarms.MetricAlarms.map((a) => a.AlarmName).join(", "),
  );
}

export async function assertGrafanaRole(ctx: RunContext, mon: Outputs): Promise<void> {
  const policy = JSON.stringify(await rolePolicy(ctx, "eksmon-e2e-grafana"));
  out.check(
    "grafana read cluster-monitoring's amp_workspace_arn and alert_topic_arn from the S3 backend (its role's policy)",
    policy.includes(`"${mon.amp_workspace_arn}"`) && policy.includes(`"${mon.alert_topic_arn}"`),
    policy,
  );
}

/** The GitHub deploy and plan roles: trusted by GitHub's OIDC provider for the repository only. */
export async function assertGithubRoles(ctx: RunContext): Promise<void> {
  const problems: string[] = [];
  for (const [role, subject] of [
    ["eksmon-e2e-github-deploy", "repo:example-org/eksmon:environment:e2e"],
    ["eksmon-e2e-github-plan", "repo:example-org/eksmon:pull_request"],
  ]) {
    const r = await ctx.moto.call<{ Role: { AssumeRolePolicyDocument: unknown } }>("iam", "get_role", {
      RoleName: role,
    });
    const doc = r.Role.AssumeRolePolicyDocument;
    const text = typeof doc === "string" ? decodeURIComponent(doc) : JSON.stringify(doc);
    if (!text.includes("token.actions.githubusercontent.com") || !text.includes(subject))
      problems.push(`${role}: ${text}`);
  }
  out.check(
    "GitHub deploy and plan roles trust GitHub's OIDC provider for this repository's environment / pull requests",
    problems.length === 0,
    problems.join("; "),
  );
}

// --- the cluster ---

/** What existed before the first apply and must be adopted, not recreated. */
export interface Adoption {
  readonly workspaceId?: string;
  readonly namespaceUid?: string;
  readonly releaseRevision?: number;
  /** Import blocks the stack holds, by address. */
  readonly imports: string[];
}

export async function assertAdoption(
  stack: string,
  adoption: Adoption,
  plan: RunReport,
  mon: Outputs,
  kube?: KubeClient,
): Promise<void> {
  out.check(
    `${stack}: first plan imports what exists (${adoption.imports.length}: ${adoption.imports.map((a) => a.split(".")[0]).join(", ")})`,
    (plan.summary?.import ?? 0) === adoption.imports.length && adoption.imports.length > 0,
    `plan imports ${plan.summary?.import ?? 0}`,
  );
  if (adoption.workspaceId)
    out.check(
      "the AMP workspace made by hand is adopted (same id), its alias updated in place",
      mon.amp_workspace_id === adoption.workspaceId,
      `made ${adoption.workspaceId}, stack has ${mon.amp_workspace_id}`,
    );
  if (!kube || adoption.namespaceUid === undefined) return;
  const ns = await kube.get<{ metadata: { uid: string } }>("/api/v1/namespaces/prometheus");
  out.check(
    "the tutorial's prometheus namespace is adopted by import, not recreated (same uid)",
    ns?.metadata.uid === adoption.namespaceUid,
    `uid before ${adoption.namespaceUid}, after ${ns?.metadata.uid}`,
  );
  if (adoption.releaseRevision === undefined) {
    out.skipped(
      "the tutorial's Helm release imported and upgraded in place",
      "no charts offline: no release",
    );
    return;
  }
  const releases = await kube.list(
    "/api/v1/namespaces/prometheus/secrets?labelSelector=owner%3Dhelm,name%3Dprometheus",
  );
  const byVersion = Object.fromEntries(
    releases.map((r) => [Number(r.metadata.labels?.version), r.metadata.labels?.status]),
  );
  const next = adoption.releaseRevision + 1;
  out.check(
    `the tutorial's Helm release is imported and upgraded in place (revision ${adoption.releaseRevision} superseded, ${next} deployed)`,
    byVersion[adoption.releaseRevision] === "superseded" && byVersion[next] === "deployed",
    JSON.stringify(byVersion),
  );
}

/**
 * The in-cluster Prometheus of cluster `cluster`, read from its API server: namespace, StorageClass, the
 * chart's objects with the IRSA annotation of `outputs.prometheus_role_arn` (the cluster stack's), remote
 * write to `outputs.amp_remote_write_url` (cluster-monitoring's) and the external label `cluster`.
 */
export async function assertPrometheusInCluster(
  kube: KubeClient,
  cluster: string,
  outputs: Outputs,
  charts: boolean,
  claimClass = "prometheus-gp3",
): Promise<void> {
  const ns = await kube.get<{ metadata: { labels?: Record<string, string> } }>(
    "/api/v1/namespaces/prometheus",
  );
  out.check(
    `${cluster}: namespace prometheus labelled managed-by terraform`,
    ns?.metadata.labels?.["app.kubernetes.io/managed-by"] === "terraform",
    JSON.stringify(ns?.metadata),
  );
  const sc = await kube.get<Record<string, unknown>>("/apis/storage.k8s.io/v1/storageclasses/prometheus-gp3");
  const params = (sc?.parameters ?? {}) as Record<string, string>;
  out.check(
    `${cluster}: StorageClass prometheus-gp3: ebs.csi.aws.com, gp3, encrypted, Retain, WaitForFirstConsumer, expandable`,
    sc?.provisioner === "ebs.csi.aws.com" &&
      params.type === "gp3" &&
      params.encrypted === "true" &&
      sc.reclaimPolicy === "Retain" &&
      sc.volumeBindingMode === "WaitForFirstConsumer" &&
      sc.allowVolumeExpansion === true,
    JSON.stringify(sc),
  );
  if (!charts) {
    out.skipped(
      `${cluster}: the chart's objects (service account, server, volume claim, config, exporters)`,
      "no charts offline",
    );
    return;
  }
  const sa = await kube.get<{ metadata: { annotations?: Record<string, string> } }>(
    "/api/v1/namespaces/prometheus/serviceaccounts/amp-iamproxy-ingest-service-account",
  );
  out.check(
    `${cluster}: service account amp-iamproxy-ingest-service-account carries its stack's IRSA role annotation`,
    sa?.metadata.annotations?.["eks.amazonaws.com/role-arn"] === outputs.prometheus_role_arn,
    `${JSON.stringify(sa?.metadata.annotations)}, stack's role ${outputs.prometheus_role_arn}`,
    String(outputs.prometheus_role_arn),
  );
  const server = await kube.get<{ spec: { template: { spec: { serviceAccountName: string } } } }>(
    "/apis/apps/v1/namespaces/prometheus/deployments/prometheus-server",
  );
  out.check(
    `${cluster}: chart workload: Deployment prometheus-server runs as that service account`,
    server?.spec.template.spec.serviceAccountName === "amp-iamproxy-ingest-service-account",
    JSON.stringify(server?.spec.template.spec.serviceAccountName),
  );
  const pvc = await kube.get<{
    spec: { storageClassName: string; resources: { requests: { storage: string } } };
  }>("/api/v1/namespaces/prometheus/persistentvolumeclaims/prometheus-server");
  out.check(
    `${cluster}: chart workload: PersistentVolumeClaim prometheus-server on ${claimClass}, 8Gi`,
    pvc?.spec.storageClassName === claimClass && pvc.spec.resources.requests.storage === "8Gi",
    JSON.stringify(pvc?.spec),
  );
  const cm = await kube.get<{ data: Record<string, string> }>(
    "/api/v1/namespaces/prometheus/configmaps/prometheus-server",
  );
  const config = cm?.data["prometheus.yml"] ?? "";
  out.check(
    `${cluster}: chart config: remote_write to the workspace's URL with SigV4 in the environment's region`,
    config.includes(String(outputs.amp_remote_write_url)) && /sigv4:\s*\n\s*region: us-east-1/.test(config),
    config.slice(0, 400),
  );
  let labels: unknown;
  try {
    labels = (parse(config) as { global?: { external_labels?: unknown } })?.global?.external_labels;
  } catch (error) {
    labels = `unparsable prometheus.yml: ${error instanceof Error ? error.message : String(error)}`;
  }
  out.check(
    `${cluster}: chart config: global.external_labels.cluster = "${cluster}" (every series it sends names its cluster)`,
    JSON.stringify(labels) === JSON.stringify({ cluster }),
    JSON.stringify(labels),
  );
  const daemonsets = await kube.list("/apis/apps/v1/namespaces/prometheus/daemonsets");
  const deployments = await kube.list("/apis/apps/v1/namespaces/prometheus/deployments");
  out.check(
    `${cluster}: chart workloads: node-exporter DaemonSet and kube-state-metrics Deployment`,
    daemonsets.some((d) => d.metadata.name === "prometheus-prometheus-node-exporter") &&
      deployments.some((d) => d.metadata.name === "prometheus-kube-state-metrics"),
    [...daemonsets, ...deployments].map((d) => d.metadata.name).join(", "),
  );
  const replicaSets = await waitFor(
    "the controller manager's ReplicaSet for prometheus-server",
    async () => {
      const rs = await kube.list("/apis/apps/v1/namespaces/prometheus/replicasets");
      return rs.some((r) => r.metadata.ownerReferences?.some((o) => o.name === "prometheus-server"))
        ? rs
        : undefined;
    },
    60_000,
    500,
  ).catch(() => []);
  out.check(
    `${cluster}: Deployment prometheus-server got its ReplicaSet (kube-controller-manager)`,
    replicaSets.length > 0,
  );
}

/** The plan readers' RBAC, as the API server's authorizer evaluates it for a member of the group. */
export async function assertPlanReaders(
  kube: KubeClient,
  releaseNamespace: string,
  cluster: string,
): Promise<void> {
  const who = { user: "e2e-plan-role", groups: ["eksmon-plan-readers"] };
  const allowed: [string, Parameters<KubeClient["allowed"]>[1]][] = [
    ["list namespaces", { verb: "list", resource: "namespaces" }],
    ["get storageclasses", { verb: "get", resource: "storageclasses", group: "storage.k8s.io" }],
    ["list clusterroles", { verb: "list", resource: "clusterroles", group: "rbac.authorization.k8s.io" }],
    [`get secrets in ${releaseNamespace}`, { verb: "get", resource: "secrets", namespace: releaseNamespace }],
  ];
  const denied: [string, Parameters<KubeClient["allowed"]>[1]][] = [
    ["get secrets in kube-system", { verb: "get", resource: "secrets", namespace: "kube-system" }],
    ["create namespaces", { verb: "create", resource: "namespaces" }],
    [
      `list configmaps in ${releaseNamespace}`,
      { verb: "list", resource: "configmaps", namespace: releaseNamespace },
    ],
  ];
  const wrong: string[] = [];
  for (const [what, attrs] of allowed) if (!(await kube.allowed(who, attrs))) wrong.push(`denied ${what}`);
  for (const [what, attrs] of denied) if (await kube.allowed(who, attrs)) wrong.push(`allowed ${what}`);
  out.check(
    `${cluster}: RBAC authorizer: group eksmon-plan-readers may refresh (${allowed.length} checks), nothing more (${denied.length} checks)`,
    wrong.length === 0,
    wrong.join(", "),
  );
}

/** The managed collector's part of the cluster: exporters and the scraper's RBAC, checked by the authorizer. */
export async function assertManagedInCluster(kube: KubeClient, charts: boolean): Promise<void> {
  const gone = await kube.get("/api/v1/namespaces/prometheus");
  out.check(
    "namespace prometheus deleted for real by the switch (namespace controller)",
    gone === undefined,
    JSON.stringify(gone),
  );
  const daemonsets = await kube.list("/apis/apps/v1/namespaces/monitoring-exporters/daemonsets");
  const deployments = await kube.list("/apis/apps/v1/namespaces/monitoring-exporters/deployments");
  if (charts)
    out.check(
      "exporters in monitoring-exporters: node-exporter DaemonSet, kube-state-metrics Deployment",
      daemonsets.some((d) => d.metadata.name.includes("node-exporter")) &&
        deployments.some((d) => d.metadata.name.includes("kube-state-metrics")),
      [...daemonsets, ...deployments].map((d) => d.metadata.name).join(", "),
    );
  else out.skipped("the exporters' objects", "no charts offline");
  const binding = await kube.get<{ roleRef: { name: string }; subjects: { kind: string; name: string }[] }>(
    "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/aps-collector-user-role-binding",
  );
  out.check(
    "ClusterRoleBinding binds aps-collector-role to the scraper's user aps-collector-user",
    binding?.roleRef.name === "aps-collector-role" &&
      binding.subjects.some((x) => x.kind === "User" && x.name === "aps-collector-user"),
    JSON.stringify(binding),
  );
  const who = { user: "aps-collector-user" };
  const allowed: [string, Parameters<KubeClient["allowed"]>[1]][] = [
    ["list nodes", { verb: "list", resource: "nodes" }],
    ["get nodes/metrics", { verb: "get", resource: "nodes", subresource: "metrics" }],
    ["watch endpoints", { verb: "watch", resource: "endpoints" }],
    ["list services", { verb: "list", resource: "services" }],
    ["list pods", { verb: "list", resource: "pods" }],
    ["list ingresses", { verb: "list", resource: "ingresses", group: "networking.k8s.io" }],
    ["get /metrics", { verb: "get", path: "/metrics" }],
  ];
  const denied: [string, Parameters<KubeClient["allowed"]>[1]][] = [
    ["list secrets", { verb: "list", resource: "secrets" }],
    ["create pods", { verb: "create", resource: "pods" }],
    ["delete nodes", { verb: "delete", resource: "nodes" }],
  ];
  const wrong: string[] = [];
  for (const [what, attrs] of allowed) if (!(await kube.allowed(who, attrs))) wrong.push(`denied ${what}`);
  for (const [what, attrs] of denied) if (await kube.allowed(who, attrs)) wrong.push(`allowed ${what}`);
  out.check(
    `RBAC authorizer: aps-collector-user may discover and read metrics (${allowed.length} checks), nothing more (${denied.length} checks)`,
    wrong.length === 0,
    wrong.join(", "),
  );
}

// --- credentials made at apply time ---

/**
 * The API server authenticated the providers' requests through the EKS token webhook, with tokens signed
 * after `since` (made during this apply, not read at plan), as the identity the harness gave cluster access.
 */
export function assertApplyTimeTokens(
  log: readonly Authentication[],
  since: number,
  until: number,
  identity: string,
  how: string,
): void {
  const during = log.filter((a) => a.at >= since && a.at <= until);
  const accepted = during.filter((a) => a.username);
  const fresh = accepted.filter((a) => (a.signedAt ?? 0) >= since - 1000);
  out.check(
    `${how}: the API server authenticated the apply's requests with EKS tokens signed during the apply, as ${identity}`,
    accepted.length > 0 &&
      fresh.length === accepted.length &&
      accepted.every((a) => a.username === identity) &&
      during.every((a) => !a.problem),
    `${during.length} token reviews, ${accepted.length} accepted, ${fresh.length} signed after the apply started; problems: ${during
      .filter((a) => a.problem)
      .map((a) => a.problem)
      .join("; ")}`,
    `${accepted.length} token reviews`,
  );
}

/** The stand-in aws CLI's log: every call was `eks get-token` with the stack's cluster and region. */
export function assertExecCalls(logFile: string, since: number, cluster: string = E2E.cluster): void {
  const calls = existsSync(logFile)
    ? readFileSync(logFile, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { args: string[]; at: string })
        .filter((c) => Date.parse(c.at) >= since && c.args.includes(cluster))
    : [];
  const expected = [
    "eks",
    "get-token",
    "--cluster-name",
    cluster,
    "--region",
    E2E.region,
    "--output",
    "json",
  ];
  const wrong = calls.filter((c) => JSON.stringify(c.args) !== JSON.stringify(expected));
  out.check(
    `exec: the providers ran \`aws eks get-token --cluster-name ${cluster} --region us-east-1 --output json\` during the apply`,
    calls.length > 0 && wrong.length === 0,
    `${calls.length} calls; unexpected: ${wrong.map((c) => c.args.join(" ")).join(" | ")}`,
    `${calls.length} calls`,
  );
}

// --- remote-state reads of stacks whose resources are all excluded ---

/** A Terraform expression as a JSON string value. */
function interpolation(expression: string): string {
  return `\${${expression}}`;
}

/**
 * Outputs exposing every remote-state value the product's stack reads (found in its own JSON), written as
 * `e2e_probe.tf.json`: the stack's resources that read them may be excluded, the reads are not.
 */
export function writeProbe(dir: string, original: TfJson): string[] {
  const refs = new Set<string>();
  const text = JSON.stringify(original);
  for (const m of text.matchAll(/data\.terraform_remote_state\.([\w-]+)\.outputs\.([\w-]+)/g))
    refs.add(`${m[1]}|${m[2]}`);
  const output: Record<string, { value: string; sensitive: boolean }> = {};
  for (const ref of [...refs].sort()) {
    const [state, name] = ref.split("|");
    output[`e2e_read_${state.replace(/-/g, "_")}_${name}`] = {
      value: interpolation(`data.terraform_remote_state.${state}.outputs.${name}`),
      sensitive: true,
    };
  }
  writeFileSync(join(dir, "e2e_probe.tf.json"), `${JSON.stringify({ output }, null, 2)}\n`);
  out.say(
    `    probe: ${Object.keys(output).length} outputs expose what the remote-state reads return (e2e_probe.tf.json)`,
  );
  return [...refs];
}

/** Each probed read equals what the upstream stack published. */
export function assertProbe(
  stack: string,
  probe: Outputs,
  reads: string[],
  upstream: Record<string, Outputs>,
): void {
  const wrong: string[] = [];
  for (const ref of reads) {
    const [state, name] = ref.split("|");
    const kind = state.replace(/-state$/, "");
    const got = probe[`e2e_read_${state.replace(/-/g, "_")}_${name}`];
    const published = upstream[kind]?.[name];
    if (got === undefined || got !== published)
      wrong.push(`${kind}.${name}: read ${JSON.stringify(got)}, published ${JSON.stringify(published)}`);
  }
  out.check(
    `${stack} read ${reads.length} upstream outputs through terraform_remote_state, each equal to what was published`,
    wrong.length === 0 && reads.length > 0,
    wrong.join("; "),
    reads.map((r) => r.replace("-state|", ".")).join(", "),
  );
}

// --- after destroy ---

/** An environment the run deployed, for the after-destroy checks. */
export interface DeployedEnvironment {
  readonly name: string;
  readonly vpcId: string;
  /** The security group standing in for the EKS cluster's (the harness's, not the environment's). */
  readonly clusterSg: string;
  /** Its state objects before destroy (versioned history: destroy must keep them). */
  readonly stateKeys: readonly string[];
}

/** After destroy: nothing of the environments left in AWS or the clusters; the state objects stay (empty). */
export async function assertAllGone(
  ctx: RunContext,
  envs: readonly DeployedEnvironment[],
  /** The clusters a stack of the run reached (a cluster no stage deployed to keeps what the user had). */
  clusters: readonly string[],
): Promise<void> {
  const roles = await ctx.moto.call<{ Roles: { RoleName: string }[] }>("iam", "list_roles");
  const workspaces = await ctx.moto.call<{ workspaces: { alias?: string }[] }>("amp", "list_workspaces");
  const topics = await ctx.moto.call<{ Topics: { TopicArn: string }[] }>("sns", "list_topics");
  for (const env of envs) {
    const left = roles.Roles.map((r) => r.RoleName).filter(
      (n) => n.startsWith(`eksmon-${env.name}-`) && !n.includes("github"),
    );
    const endpoints = await ctx.moto.call<{ VpcEndpoints: { State: string }[] }>(
      "ec2",
      "describe_vpc_endpoints",
      { Filters: [{ Name: "vpc-id", Values: [env.vpcId] }] },
    );
    const liveEndpoints = endpoints.VpcEndpoints.filter(
      (e) => !["deleted", "deleting"].includes(e.State.toLowerCase()),
    );
    const groups = await ctx.moto.call<{ SecurityGroups: { GroupName: string; GroupId: string }[] }>(
      "ec2",
      "describe_security_groups",
      { Filters: [{ Name: "vpc-id", Values: [env.vpcId] }] },
    );
    const ours = groups.SecurityGroups.filter(
      (g) => g.GroupName !== "default" && g.GroupId !== env.clusterSg,
    );
    const alarms = await ctx.moto.call<{ MetricAlarms: unknown[] }>("cloudwatch", "describe_alarms", {
      AlarmNamePrefix: `eksmon-${env.name}-`,
    });
    out.check(
      `AWS after destroy: no role, AMP workspace, endpoint, security group, topics or alarm of environment ${env.name} left`,
      left.length === 0 &&
        workspaces.workspaces.filter((w) => w.alias === `${env.name}-metrics`).length === 0 &&
        liveEndpoints.length === 0 &&
        ours.length === 0 &&
        alarms.MetricAlarms.length === 0 &&
        // One topic per severity (eksmon-<env>-alerts for critical, -warning, -info).
        !topics.Topics.some((t) => t.TopicArn.split(":").pop()?.startsWith(`eksmon-${env.name}-alerts`)),
      `roles ${left.join(",")}; endpoints ${liveEndpoints.length}; groups ${ours.map((g) => g.GroupName).join(",")}; alarms ${alarms.MetricAlarms.length}`,
    );
    const keys = await ctx.moto.listKeys(E2E.stateBucket, `eksmon/${env.name}/`);
    out.check(
      `${env.name}: state objects kept in the bucket after destroy (versioned history), no lock left`,
      env.stateKeys.every((k) => keys.includes(k)) && !keys.some((k) => k.endsWith(".tflock")),
      `before destroy ${env.stateKeys.join(", ")}; after ${keys.join(", ")}`,
      `${env.stateKeys.length} state objects`,
    );
  }
  for (const [cluster, { client: kube }] of ctx.clusters) {
    if (!clusters.includes(cluster)) continue;
    const namespaces = (await kube.list("/api/v1/namespaces")).map((n) => n.metadata.name);
    const sc = await kube.get("/apis/storage.k8s.io/v1/storageclasses/prometheus-gp3");
    const roles2 = (await kube.list("/apis/rbac.authorization.k8s.io/v1/clusterroles")).map(
      (r) => r.metadata.name,
    );
    const releases = await kube.list("/api/v1/secrets?labelSelector=owner%3Dhelm");
    out.check(
      `${cluster} after destroy: namespaces really deleted, StorageClass, ClusterRoles and Helm releases gone`,
      !namespaces.includes("prometheus") &&
        !namespaces.includes("monitoring-exporters") &&
        !sc &&
        !roles2.includes("aps-collector-role") &&
        !roles2.includes("eksmon-plan-reader") &&
        releases.length === 0,
      `namespaces ${namespaces.join(",")}; releases ${releases.map((r) => `${r.metadata.namespace}/${r.metadata.name}`).join(",")}`,
    );
  }
}
