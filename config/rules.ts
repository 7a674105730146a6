/**
 * The rules that span sections of one environment (the account, region or partition an ARN must be in; the
 * collector against the workspace's key; the token method against where Terraform runs ...). Rules within one
 * section sit beside its fields. Then the rules across environments (crossEnvironmentProblems).
 */
import type * as z from "zod";
import { dashboardsFor, SHIPPED_DASHBOARDS } from "../lib/catalogue";
import { tfcPlanRoleName, tfcRunRoleName } from "../lib/naming";
import { chatChannelKeys, hasChatChannels } from "./alerting";
import { defaultAuthMethod } from "./cluster";
import type { EnvironmentConfig } from "./environment";
import { arnParts, arnPlacementProblems, patterns } from "./fields";
import type { EnvironmentShape } from "./shape";

type Shape = EnvironmentShape;
type Rule = (env: Shape, ctx: z.RefinementCtx) => void;
type ClusterShape = Shape["clusters"][number];

/** Each cluster with its path in the config (`clusters[i]`). */
const clustersOf = (env: Shape): [ClusterShape, (string | number)[]][] =>
  env.clusters.map((cluster, i) => [cluster, ["clusters", i]]);

const issue = (ctx: z.RefinementCtx, path: (string | number)[], message: string) =>
  ctx.addIssue({ code: "custom", path, message });

/** KMS keys live in the environment's partition and account, in the region where they are used. */
const kmsKeysInEnvironment: Rule = (env, ctx) => {
  const keys: [(string | number)[], string | undefined, string][] = [
    [["amp", "kmsKeyArn"], env.amp.kmsKeyArn, env.region],
    [["amp", "logging", "kmsKeyArn"], env.amp.logging.kmsKeyArn, env.region],
    ...clustersOf(env).map(([c, at]): [(string | number)[], string | undefined, string] => [
      [...at, "ebsCsi", "kmsKeyArn"],
      c.ebsCsi.kmsKeyArn,
      env.region,
    ]),
  ];
  for (const [path, arn, region] of keys) {
    if (!arn) continue;
    for (const message of arnPlacementProblems(arn, {
      partition: env.partition,
      region,
      regionWhy: "where it is used",
      account: env.accountId,
      thing: "key",
    }))
      issue(ctx, path, message);
  }
  // The state key may sit in a central account: only its partition and region are checked.
  if (env.backend.type === "s3" && env.backend.kmsKeyArn) {
    const arn = env.backend.kmsKeyArn;
    for (const message of arnPlacementProblems(arn, {
      partition: env.partition,
      region: env.backend.region ?? env.region,
      regionWhy: "where it is used",
      thing: "key",
    }))
      issue(ctx, ["backend", "kmsKeyArn"], message);
  }
};

/** A given OIDC provider must be the issuer of a cluster of this account and region. */
const oidcProviderOfEnvironment: Rule = (env, ctx) => {
  for (const [cluster, at] of clustersOf(env)) {
    const oidc = cluster.oidcProvider;
    if (typeof oidc !== "object" || !patterns.oidcProviderArn.test(oidc.arn)) continue;
    const path = [...at, "oidcProvider", "arn"];
    const { account } = arnParts(oidc.arn);
    if (account !== env.accountId)
      issue(ctx, path, `belongs to account ${account} (expected the environment's account ${env.accountId})`);
    else if (!oidc.arn.includes(`.${env.region}.`))
      issue(
        ctx,
        path,
        `is not the issuer of a cluster in ${env.region} (expected oidc.eks.${env.region}.amazonaws.com/id/...)`,
      );
  }
};

/**
 * Clusters are told apart by name (the `cluster` label) and by their stack (`<env>-cluster-<id or name>`);
 * a cluster without an id keeps the environment's resource names, which only one can.
 */
const clustersTellApart: Rule = (env, ctx) => {
  const seen = new Map<string, number>();
  const stacks = new Map<string, number>();
  let idless: number | undefined;
  for (const [cluster, at] of clustersOf(env)) {
    const i = at[1] as number;
    const other = seen.get(cluster.name);
    if (other !== undefined)
      issue(
        ctx,
        [...at, "name"],
        `"${cluster.name}" is already clusters[${other}] (expected each EKS cluster once)`,
      );
    else seen.set(cluster.name, i);
    const key = cluster.id ?? cluster.name;
    // `<env>-cluster-monitoring` is the workspace's stack.
    if (key === "monitoring")
      issue(
        ctx,
        [...at, cluster.id ? "id" : "name"],
        `"monitoring" would name this cluster's stack ${env.name}-cluster-monitoring, the workspace's stack (expected ${cluster.id ? "another id" : 'an id, e.g. "blue"'})`,
      );
    const sameStack = stacks.get(key);
    if (sameStack !== undefined && sameStack !== other)
      issue(
        ctx,
        [...at, cluster.id ? "id" : "name"],
        `"${key}" names clusters[${sameStack}]'s stack too (${env.name}-cluster-${key}) (expected another id)`,
      );
    else stacks.set(key, i);
    if (cluster.id) continue;
    if (idless !== undefined)
      issue(
        ctx,
        [...at, "id"],
        `is required: clusters[${idless}] has no id already, and the cluster without one keeps the environment's resource names (eksmon-${env.name}-amp-ingest, ...), which two clusters cannot share (expected a short key, e.g. "green")`,
      );
    else idless = i;
  }
  // One endpoint per VPC: a cluster's own network is another VPC than the environment's, and clusters
  // sharing one agree on it.
  const vpcs = new Map<string, [string, number]>();
  for (const [cluster, at] of clustersOf(env)) {
    if (!cluster.network) continue;
    const i = at[1] as number;
    if (cluster.network.vpcId === env.network.vpcId) {
      issue(
        ctx,
        [...at, "network"],
        `is the environment's VPC ${env.network.vpcId} (expected no network on a cluster in the environment's VPC: it shares the environment's endpoint)`,
      );
      continue;
    }
    const settings = JSON.stringify(cluster.network);
    const first = vpcs.get(cluster.network.vpcId);
    if (first && first[0] !== settings)
      issue(
        ctx,
        [...at, "network"],
        `differs from clusters[${first[1]}].network, in the same VPC ${cluster.network.vpcId} (expected the same settings: clusters sharing a VPC share its endpoint)`,
      );
    else if (!first) vpcs.set(cluster.network.vpcId, [settings, i]);
  }
  const taking = clustersOf(env).filter(([c]) => c.adopt.clusterMonitoringStack);
  for (const [cluster, at] of taking.slice(1))
    issue(
      ctx,
      [...at, "adopt", "clusterMonitoringStack"],
      `is true for ${cluster.name} too, but <env>-cluster-monitoring held one cluster's resources (expected it on ${taking[0][0].name} only)`,
    );
  for (const [cluster, at] of taking)
    if (cluster.id)
      issue(
        ctx,
        [...at, "id"],
        `is set, but adopt.clusterMonitoringStack takes over resources named after the environment (eksmon-${env.name}-amp-ingest, ...), which a cluster with an id would rename and so replace (expected no id on this cluster)`,
      );
  for (const [cluster, at] of taking)
    if (cluster.collector.type === "managed" && !cluster.adopt.managedScraper)
      issue(
        ctx,
        [...at, "adopt", "managedScraper"],
        `is required with adopt.clusterMonitoringStack and the managed collector: the scraper has no data source to be found by, so its id and role are given (expected { id: "s-...", roleArn: "arn:aws:iam::..." }, from: aws amp list-scrapers --region ${env.region} --filters alias=eksmon-${env.name}-scraper --query 'scrapers[].{id:scraperId,roleArn:roleArn}')`,
      );
  for (const [cluster, at] of clustersOf(env))
    if (cluster.adopt.managedScraper && !cluster.adopt.clusterMonitoringStack)
      issue(
        ctx,
        [...at, "adopt", "managedScraper"],
        "is only read with adopt.clusterMonitoringStack: true (expected both, or neither)",
      );
};

/**
 * A role's attached policies and permissions boundary (at `path` in the config) are the environment's own or
 * AWS managed ones.
 */
function rolePoliciesInEnvironment(
  env: Shape,
  ctx: z.RefinementCtx,
  path: (string | number)[],
  role: { readonly policyArns: readonly string[]; readonly permissionsBoundaryArn?: string },
): void {
  const arns: [(string | number)[], string | undefined][] = [
    ...role.policyArns.map((arn, i): [(string | number)[], string] => [[...path, "policyArns", i], arn]),
    [[...path, "permissionsBoundaryArn"], role.permissionsBoundaryArn],
  ];
  for (const [at, arn] of arns) {
    if (!arn) continue;
    for (const message of arnPlacementProblems(arn, {
      partition: env.partition,
      // An invalid accountId is reported once, on accountId, not again on every ARN.
      account: patterns.accountId.test(env.accountId) ? env.accountId : undefined,
      awsManagedAllowed: true,
      thing: "policy",
    }))
      issue(ctx, at, message);
  }
}

/** The Terraform Cloud run role's policies are the environment's own or AWS managed ones. */
const runRolePoliciesInEnvironment: Rule = (env, ctx) => {
  if (env.backend.type === "cloud")
    for (const role of ["runRole", "planRole"] as const)
      rolePoliciesInEnvironment(env, ctx, ["backend", role], env.backend[role]);
};

/** The managed collector cannot write to a workspace encrypted with a customer key (no cross-account setup here). */
const managedCollectorNeedsAwsOwnedKey: Rule = (env, ctx) => {
  for (const [cluster, at] of clustersOf(env))
    if (cluster.collector.type === "managed" && env.amp.kmsKeyArn)
      issue(
        ctx,
        [...at, "collector", "type"],
        'is "managed" but the AMP workspace uses a customer KMS key, which needs cross-account role configuration this project does not set up (expected type "prometheus", or no amp.kmsKeyArn)',
      );
};

/** A listed dashboard must be answerable by one of the environment's collectors. */
const dashboardsAnsweredByCollector: Rule = (env, ctx) => {
  const types = [...new Set(env.clusters.map((c) => c.collector.type))];
  for (const [i, file] of (env.grafana.dashboards ?? []).entries()) {
    const needs = SHIPPED_DASHBOARDS[file]?.collector;
    if (needs && !types.includes(needs))
      issue(
        ctx,
        ["grafana", "dashboards", i],
        `"${file}" shows the ${needs} collector, but no cluster of this environment runs it (its collectors: ${types.map((t) => `"${t}"`).join(", ")}; expected dashboards of those: ${dashboardsFor(types).join(", ")})`,
      );
  }
};

/** The token method must work where Terraform runs (backend.terraformVersion is held to 1.10 in backend.ts). */
const kubernetesAuthWorksWhereTerraformRuns: Rule = (env, ctx) => {
  for (const [cluster, at] of clustersOf(env)) {
    const auth = cluster.auth;
    const method = auth.method ?? defaultAuthMethod(env.backend);
    if (auth.method === "exec" && env.backend.type === "cloud" && env.backend.executionMode === "remote")
      issue(
        ctx,
        [...at, "auth", "method"],
        '"exec" runs the aws CLI, which Terraform Cloud\'s remote runners do not have (expected "ephemeral", or backend.executionMode "agent" with the aws CLI on the agents)',
      );
    if (auth.roleArn && method === "ephemeral")
      issue(
        ctx,
        [...at, "auth", "roleArn"],
        `is set, but auth.method is "ephemeral", whose token is made with the AWS provider's own credentials (expected method "exec", or no roleArn)`,
      );
    if (auth.roleArn)
      for (const message of arnPlacementProblems(auth.roleArn, { partition: env.partition, thing: "role" }))
        issue(ctx, [...at, "auth", "roleArn"], message);
  }
};

/**
 * The identity-store lookup must run where Identity Center lives: from a workload account it fails
 * (AccessDenied / ResourceNotFound) unless it assumes a role in Identity Center's account.
 */
const identityCenterReachable: Rule = (env, ctx) => {
  const ic = env.grafana.identityCenter;
  const named =
    env.grafana.admins.userNames.length +
    env.grafana.editors.userNames.length +
    env.grafana.viewers.userNames.length;
  if (!ic || named === 0) return;
  const path = ["grafana", "identityCenter", "lookupRoleArn"];
  if (ic.accountId !== env.accountId && !ic.lookupRoleArn)
    issue(
      ctx,
      path,
      `is required: userNames are looked up in Identity Center's account ${ic.accountId}, and from this environment's account ${env.accountId} the lookup fails with AccessDenied (expected the ARN of a role in ${ic.accountId} that may call identitystore:GetUserId and identitystore:DescribeUser, trusted by the identities that plan and deploy; or userIds instead of userNames)`,
    );
  if (ic.lookupRoleArn)
    for (const message of arnPlacementProblems(ic.lookupRoleArn, {
      partition: env.partition,
      account: ic.accountId,
      thing: "role",
    }))
      issue(ctx, path, message.replace("the environment's account", "Identity Center's account"));
};

/** GitHub Actions roles plan and apply with S3 state; their policies are the environment's or AWS's. */
const githubRolesFitTheBackend: Rule = (env, ctx) => {
  const github = env.github;
  if (!github) return;
  if (env.backend.type !== "s3")
    issue(
      ctx,
      ["github"],
      env.backend.type === "cloud"
        ? 'is set but backend.type is "cloud": Terraform Cloud runs plan and apply with their run role (expected backend.type "s3", or no github section)'
        : 'is set but backend.type is "local": state on one machine cannot be shared with a pipeline (expected backend.type "s3", or no github section)',
    );
  for (const role of ["deployRole", "planRole"] as const)
    rolePoliciesInEnvironment(env, ctx, ["github", role], github[role]);
};

/**
 * A pinned add-on version needs an add-on this project manages; an adopted one needs the version it runs:
 * AWS's default for the cluster's Kubernetes version may be older, and EKS refuses a downgrade at apply.
 */
const addonVersionFitsTheDriver: Rule = (env, ctx) => {
  for (const [cluster, at] of clustersOf(env)) {
    const ebsCsi = cluster.ebsCsi;
    if (ebsCsi.driver === "existing" && ebsCsi.addonVersion)
      issue(
        ctx,
        [...at, "ebsCsi", "addonVersion"],
        'is set but ebsCsi.driver is "existing": this project installs no add-on (expected driver "addon" or "adopt", or no addonVersion)',
      );
    if (ebsCsi.driver === "adopt" && !ebsCsi.addonVersion)
      issue(
        ctx,
        [...at, "ebsCsi", "addonVersion"],
        `is required when ebsCsi.driver is "adopt": without it the add-on would be set to AWS's default version for the cluster's Kubernetes version, which may be older than the one running, and EKS refuses the downgrade at apply (expected the version that runs: aws eks describe-addon --cluster-name ${cluster.name} --addon-name aws-ebs-csi-driver --region ${env.region} --query addon.addonVersion --output text)`,
      );
  }
};

/** grafana.com dashboards are not parsed at synth: under the allow-list their metrics must be listed. */
const importedDashboardsHaveMetrics: Rule = (env, ctx) => {
  if (env.grafana.grafanaComDashboards.length === 0 || env.metrics.sendAll || env.metrics.extra.length > 0)
    return;
  issue(
    ctx,
    ["metrics", "extra"],
    `is empty, but grafana.grafanaComDashboards imports ${env.grafana.grafanaComDashboards.map((d) => d.id).join(", ")} whose queries the allow-list cannot read (expected the metrics they read in metrics.extra, see docs/cost.md, or metrics.sendAll: true)`,
  );
};

/** AWS Chatbot's API regions (lib/limits.ts) are in the aws partition: Slack and Teams need it. */
const chatChannelsInChatbotPartition: Rule = (env, ctx) => {
  if (env.partition === "aws" || !hasChatChannels(env.alerting)) return;
  for (const { field } of chatChannelKeys(env.alerting))
    issue(
      ctx,
      field
        .split(/[.[\]]+/)
        .filter(Boolean)
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      `needs AWS Chatbot, whose API this project uses in the aws partition only (expected no Slack or Teams channel in partition "${env.partition}"; route to email or HTTPS instead)`,
    );
};

export const ENVIRONMENT_RULES: Rule[] = [
  kmsKeysInEnvironment,
  oidcProviderOfEnvironment,
  clustersTellApart,
  runRolePoliciesInEnvironment,
  managedCollectorNeedsAwsOwnedKey,
  dashboardsAnsweredByCollector,
  kubernetesAuthWorksWhereTerraformRuns,
  addonVersionFitsTheDriver,
  identityCenterReachable,
  githubRolesFitTheBackend,
  importedDashboardsHaveMetrics,
  chatChannelsInChatbotPartition,
];

/** Settings of the S3 state bucket: environments sharing an account share the bucket, so they must agree. */
const STATE_BUCKET_FIELDS = [
  "bucket",
  "region",
  "kmsKeyArn",
  "noncurrentVersionExpiryDays",
  "bootstrapStateInBucket",
] as const;

/**
 * The rules across environments: unique names, state keys and run roles; one GitHub OIDC provider and one
 * state bucket per account, on whose settings the environments sharing it agree.
 */
export function crossEnvironmentProblems(configs: readonly EnvironmentConfig[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, EnvironmentConfig>();
  for (const env of configs) {
    const claim = (key: string, field: string, what: string) => {
      const other = seen.get(key);
      if (other && other !== env)
        problems.push(
          `${env.name}.${field}: ${what} is already used by environment "${other.name}" (expected a unique value per environment)`,
        );
      else seen.set(key, env);
    };
    claim(`name:${env.name}`, "name", `"${env.name}"`);
    // AWS Chatbot takes a channel in one configuration per account ("has already been configured").
    for (const channel of chatChannelKeys(env.alerting))
      claim(
        `chat:${env.accountId}:${channel.key}`,
        channel.field,
        `${channel.key} (AWS Chatbot configures a channel once per account, ${env.accountId})`,
      );
    if (env.backend.type === "s3") {
      claim(
        `s3:${env.backend.bucket}/${env.backend.keyPrefix}`,
        "backend.keyPrefix",
        `state key prefix s3://${env.backend.bucket}/${env.backend.keyPrefix}`,
      );
    }
    if (env.backend.type === "cloud") {
      const roles = [
        ["runRole", "run role", tfcRunRoleName(env.name, env.backend.runRole.name)],
        ["planRole", "plan role", tfcPlanRoleName(env.name, env.backend.planRole.name)],
      ] as const;
      for (const [field, what, roleName] of roles)
        claim(
          `role:${env.accountId}:${roleName}`,
          `backend.${field}.name`,
          `${what} ${roleName} in account ${env.accountId}`,
        );
    }
  }
  // One GitHub Actions OIDC provider per account: the environments of an account agree on whether to create it.
  const githubByAccount = new Map<string, EnvironmentConfig>();
  for (const env of configs) {
    if (!env.github) continue;
    const first = githubByAccount.get(env.accountId);
    if (!first?.github) {
      githubByAccount.set(env.accountId, env);
      continue;
    }
    if (first.github.oidcProvider !== env.github.oidcProvider)
      problems.push(
        `${env.name}.github.oidcProvider: "${env.github.oidcProvider}" differs from environment "${first.name}" in the same account ${env.accountId} (expected "${first.github.oidcProvider}": one GitHub OIDC provider per account, made or looked up by its bootstrap stack)`,
      );
  }
  // One state bucket per account: the state bootstrap stack of an account creates exactly one bucket.
  const stateByAccount = new Map<string, EnvironmentConfig>();
  for (const env of configs) {
    if (env.backend.type !== "s3") continue;
    const first = stateByAccount.get(env.accountId);
    if (first?.backend.type !== "s3") {
      stateByAccount.set(env.accountId, env);
      continue;
    }
    for (const field of STATE_BUCKET_FIELDS) {
      const mine = env.backend[field];
      const theirs = first.backend[field];
      if (mine !== theirs)
        problems.push(
          `${env.name}.backend.${field}: ${JSON.stringify(mine) ?? "unset"} differs from environment "${first.name}" in the same account ${env.accountId} (expected ${JSON.stringify(theirs) ?? "unset"}: one state bucket per account, created by its bootstrap stack)`,
        );
    }
  }
  return problems;
}
