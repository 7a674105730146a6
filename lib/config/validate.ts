/**
 * Validates every environment before any construct is created, so a bad config never writes `cdktf.out`.
 * Each problem is reported as `<env>.<field>: <what is wrong> (expected ...)`.
 */
import type { z } from "zod";
import { availableDashboards } from "../../monitoring/dashboards";
import {
  durationSeconds,
  extraScrapeConfigProblems,
  MIN_MANAGED_SCRAPE_INTERVAL_SECONDS,
} from "../../monitoring/scrape-config";
import { BOOTSTRAP_PREFIX, tfcRunRoleName } from "../naming";
import { type EnvironmentConfig, type EnvironmentInput, environmentSchema, patterns } from "./schema";

/** Thrown with every problem found, one per line; `main.ts` prints it without a stack trace. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid environment configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/** Settings of the S3 state bucket: environments sharing an account share the bucket, so they must agree. */
const STATE_BUCKET_FIELDS = [
  "bucket",
  "region",
  "kmsKeyArn",
  "noncurrentVersionExpiryDays",
  "bootstrapStateInBucket",
] as const;

/** Maximum tags AWS accepts on a resource, less the 4 default tags every provider adds. */
export const MAX_USER_TAGS = 50 - 4;

/** Chart values this project owns: overriding them would break remote write or the IRSA trust. */
const MANAGED_VALUES = [
  "serviceAccounts.server",
  "server.remoteWrite",
  "server.persistentVolume.storageClass",
];

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    "",
  );
}

/** Generic messages for issues the schema does not word itself (missing fields, unknown fields, wrong types). */
const errorMap: z.core.$ZodErrorMap = (iss) => {
  if (iss.code === "unrecognized_keys") {
    return `unknown field${iss.keys.length > 1 ? "s" : ""} ${iss.keys.map((k) => `"${k}"`).join(", ")} (expected only the fields documented in docs/configuration.md)`;
  }
  if (iss.code === "invalid_type") {
    return iss.input === undefined
      ? `is required (expected ${iss.expected})`
      : `must be ${iss.expected === "object" ? "an object" : `a ${iss.expected}`} (got ${typeof iss.input})`;
  }
  if (iss.code === "invalid_union" && iss.input === undefined) return "is required";
  // z.record reports a bad key as "invalid_key" and keeps the key's own message in its issues.
  if (iss.code === "invalid_key") return iss.issues[0]?.message;
  return undefined;
};

/** Resolves defaults that depend on other fields (protect, backend region and key prefix). */
function resolve(env: z.output<typeof environmentSchema>): EnvironmentConfig {
  const backend =
    env.backend.type === "s3"
      ? {
          ...env.backend,
          region: env.backend.region ?? env.region,
          keyPrefix: env.backend.keyPrefix ?? `eks-monitoring/${env.name}`,
        }
      : env.backend;
  return { ...env, protect: env.protect ?? env.name === "prod", backend };
}

function arnParts(arn: string): { partition: string; region: string; account: string } {
  const [, partition, , region, account] = arn.split(":");
  return { partition, region, account };
}

/** Rules that span fields of one environment. */
function environmentRules(env: EnvironmentConfig): [string, string][] {
  const problems: [string, string][] = [];
  const keyArns: [string, string | undefined][] = [
    ["amp.kmsKeyArn", env.amp.kmsKeyArn],
    ["ebsCsi.kmsKeyArn", env.ebsCsi.kmsKeyArn],
    ["backend.kmsKeyArn", env.backend.type === "s3" ? env.backend.kmsKeyArn : undefined],
  ];
  for (const [field, arn] of keyArns) {
    if (!arn) continue;
    const p = arnParts(arn);
    const wantRegion =
      field === "backend.kmsKeyArn" && env.backend.type === "s3" ? env.backend.region : env.region;
    if (p.partition !== env.partition)
      problems.push([
        field,
        `is in partition "${p.partition}" (expected the environment's partition "${env.partition}")`,
      ]);
    if (p.region !== wantRegion)
      problems.push([
        field,
        `is in region "${p.region}" (expected a key in ${wantRegion}, where it is used)`,
      ]);
    if (field !== "backend.kmsKeyArn" && p.account !== env.accountId)
      problems.push([
        field,
        `belongs to account ${p.account} (expected a key in the environment's account ${env.accountId})`,
      ]);
  }
  const oidc = env.cluster.oidcProvider;
  if (typeof oidc === "object") {
    if (!patterns.oidcProviderArn.test(oidc.arn)) {
      problems.push([
        "cluster.oidcProvider.arn",
        `"${oidc.arn}" is not an IAM OIDC provider ARN (expected arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>)`,
      ]);
    } else if (arnParts(oidc.arn).account !== env.accountId) {
      problems.push([
        "cluster.oidcProvider.arn",
        `belongs to account ${arnParts(oidc.arn).account} (expected the environment's account ${env.accountId})`,
      ]);
    } else if (!oidc.arn.includes(`.${env.region}.`)) {
      problems.push([
        "cluster.oidcProvider.arn",
        `is not the issuer of a cluster in ${env.region} (expected oidc.eks.${env.region}.amazonaws.com/id/...)`,
      ]);
    }
  }
  if (env.name === BOOTSTRAP_PREFIX)
    problems.push([
      "name",
      `"${env.name}" is reserved (expected another name: stacks named ${BOOTSTRAP_PREFIX}-* are the bootstrap stacks, and 'cdktf deploy ${env.name}-*' would deploy them)`,
    ]);
  if (env.backend.type === "cloud") {
    const b = env.backend;
    if (b.executionMode === "agent" && !b.agentPoolId)
      problems.push([
        "backend.agentPoolId",
        'is required when executionMode is "agent" (expected the agent pool id, apool-...)',
      ]);
    if (b.executionMode !== "agent" && b.agentPoolId)
      problems.push([
        "backend.agentPoolId",
        `is set but executionMode is "${b.executionMode}" (expected executionMode "agent", or no agentPoolId)`,
      ]);
    for (const [field, arn] of [
      ...b.runRole.policyArns.map((a, i) => [`backend.runRole.policyArns[${i}]`, a] as const),
      ["backend.runRole.permissionsBoundaryArn", b.runRole.permissionsBoundaryArn] as const,
    ]) {
      if (!arn) continue;
      const p = arnParts(arn);
      if (p.partition !== env.partition)
        problems.push([
          field,
          `is in partition "${p.partition}" (expected the environment's partition "${env.partition}")`,
        ]);
      if (p.account !== "aws" && p.account !== env.accountId)
        problems.push([
          field,
          `belongs to account ${p.account} (expected a policy in the environment's account ${env.accountId}, or an AWS managed policy)`,
        ]);
    }
  }
  const dupes = (list: string[]) => list.filter((v, i) => list.indexOf(v) !== i);
  for (const [field, list] of [
    ["network.endpointSubnetIds", env.network.endpointSubnetIds],
    ["network.vpcCidrs", env.network.vpcCidrs],
    ["grafana.admins.userIds", env.grafana.admins.userIds],
    ["grafana.admins.groupIds", env.grafana.admins.groupIds],
    ["grafana.dataSources", env.grafana.dataSources],
    ["grafana.dashboards", env.grafana.dashboards],
    ["grafana.grafanaComDashboards", env.grafana.grafanaComDashboards.map((d) => String(d.id))],
    ["alerting.emails", env.alerting.emails.map((e) => e.toLowerCase())],
  ] as const) {
    const d = dupes([...list]);
    if (d.length)
      problems.push([
        field,
        `lists ${d.map((v) => `"${v}"`).join(", ")} more than once (expected each once)`,
      ]);
  }
  for (const [i, cidr] of env.network.vpcCidrs.entries()) {
    if (Number(cidr.split("/")[1]) < 8)
      problems.push([
        `network.vpcCidrs[${i}]`,
        `"${cidr}" is wider than a VPC can be (expected a VPC CIDR, /8 to /28; never 0.0.0.0/0)`,
      ]);
  }
  if (!env.grafana.dataSources.includes("PROMETHEUS"))
    problems.push([
      "grafana.dataSources",
      "does not include PROMETHEUS (expected PROMETHEUS, the AMP workspace is the point of this workspace)",
    ]);
  const admins = env.grafana.admins;
  if (admins.userIds.length + admins.groupIds.length + admins.userNames.length === 0) {
    problems.push([
      "grafana.admins",
      "names no admin (expected at least one of userIds, groupIds or userNames)",
    ]);
  }
  if (admins.userNames.length > 0 && !admins.identityStoreId) {
    problems.push([
      "grafana.admins.identityStoreId",
      "is required when userNames is set (expected the identity store id, d-xxxxxxxxxx)",
    ]);
  }
  const available = availableDashboards();
  for (const [i, file] of env.grafana.dashboards.entries()) {
    if (!available.includes(file))
      problems.push([
        `grafana.dashboards[${i}]`,
        `"${file}" is not a file in dashboards/ (expected one of ${available.join(", ")})`,
      ]);
  }
  const token = env.grafana.token;
  if (token.rotationDays >= token.ttlDays) {
    problems.push([
      "grafana.token.rotationDays",
      `${token.rotationDays} is not below ttlDays ${token.ttlDays} (expected the token to be replaced before it expires)`,
    ]);
  }
  const q = env.prometheus.queueConfig;
  if (q.capacity < q.maxSamplesPerSend) {
    problems.push([
      "prometheus.queueConfig.capacity",
      `${q.capacity} is below maxSamplesPerSend ${q.maxSamplesPerSend} (expected capacity >= maxSamplesPerSend)`,
    ]);
  }
  for (const managed of MANAGED_VALUES) {
    const parts = managed.split(".");
    let node: unknown = env.prometheus.values;
    for (const part of parts)
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
    if (node !== undefined)
      problems.push([
        `prometheus.values.${managed}`,
        "is managed by this project (expected it unset; use the typed prometheus.* fields)",
      ]);
  }
  problems.push(...collectorRules(env));
  if (Object.keys(env.tags).length > MAX_USER_TAGS) {
    problems.push([
      "tags",
      `has ${Object.keys(env.tags).length} tags (expected at most ${MAX_USER_TAGS}: AWS allows 50 and the project adds 4)`,
    ]);
  }
  return problems;
}

/** Rules of the collector choice: the managed collector's section, its limits and its extra YAML. */
function collectorRules(env: EnvironmentConfig): [string, string][] {
  const managed = env.managedCollector;
  if (env.collector !== "managed") return [];
  if (!managed)
    return [
      [
        "managedCollector",
        'is required when collector is "managed" (expected { subnetIds: ["subnet-...", "subnet-..."] } at least)',
      ],
    ];
  const problems: [string, string][] = [];
  if (env.amp.kmsKeyArn)
    problems.push([
      "collector",
      'is "managed" but the AMP workspace uses a customer KMS key, which needs cross-account role configuration this project does not set up (expected collector "prometheus", or no amp.kmsKeyArn)',
    ]);
  const seconds = durationSeconds(managed.scrapeInterval);
  if (seconds < MIN_MANAGED_SCRAPE_INTERVAL_SECONDS)
    problems.push([
      "managedCollector.scrapeInterval",
      `"${managed.scrapeInterval}" is below the collector's floor (expected a duration of at least 30s)`,
    ]);
  const dupes = (list: readonly string[]) => list.filter((v, i) => list.indexOf(v) !== i);
  for (const [field, list] of [
    ["managedCollector.subnetIds", managed.subnetIds],
    ["managedCollector.securityGroupIds", managed.securityGroupIds ?? []],
  ] as const) {
    const d = dupes(list);
    if (d.length)
      problems.push([
        field,
        `lists ${d.map((v) => `"${v}"`).join(", ")} more than once (expected each once)`,
      ]);
  }
  if (managed.extraScrapeConfigs !== undefined) {
    for (const [suffix, message] of extraScrapeConfigProblems(managed.extraScrapeConfigs))
      problems.push([`managedCollector.extraScrapeConfigs${suffix}`, message]);
  }
  return problems;
}

/**
 * Validates all environments and resolves their defaults.
 * @throws ConfigError listing every problem, in every environment, at once.
 */
export function validateEnvironments(inputs: readonly EnvironmentInput[]): EnvironmentConfig[] {
  const problems: string[] = [];
  const configs: EnvironmentConfig[] = [];
  inputs.forEach((input, index) => {
    const label =
      input && typeof input === "object" && typeof input.name === "string" && input.name
        ? input.name
        : `environments[${index}]`;
    const parsed = environmentSchema.safeParse(input, { error: errorMap });
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${label}.${fieldPath(issue.path) || "(root)"}: ${issue.message}`);
      return;
    }
    const env = resolve(parsed.data);
    for (const [field, message] of environmentRules(env)) problems.push(`${label}.${field}: ${message}`);
    configs.push(env);
  });

  // Rules across environments.
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
    if (env.backend.type === "s3") {
      claim(
        `s3:${env.backend.bucket}/${env.backend.keyPrefix}`,
        "backend.keyPrefix",
        `state key prefix s3://${env.backend.bucket}/${env.backend.keyPrefix}`,
      );
    }
    if (env.backend.type === "cloud") {
      const roleName = tfcRunRoleName(env.name, env.backend.runRole.name);
      claim(
        `role:${env.accountId}:${roleName}`,
        "backend.runRole.name",
        `run role ${roleName} in account ${env.accountId}`,
      );
    }
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
  if (inputs.length === 0)
    problems.push("environments: none defined (expected at least one environment in environments/index.ts)");
  if (problems.length) throw new ConfigError(problems);
  return configs;
}
