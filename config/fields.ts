/**
 * The building blocks of the environment schema: field types whose messages say what is wrong and what is
 * expected, the identifier patterns AWS and Kubernetes impose, and the rules shared by several fields.
 * `validateEnvironments` prefixes every message with `<env>.<field>`.
 */
import { RE2JS } from "re2js";
import * as z from "zod";
import { DURATION_PATTERN } from "../lib/duration";

// A run validates a handful of environments: compiling each schema into a validator with `new Function`
// (zod's default) costs more than it saves (docs/performance.md). Same results, interpreted.
// Set here, in the module every section imports first.
z.config({ jitless: true });

/** Renders a user's value inside an error message. */
export function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
}

/** AWS and Kubernetes identifier formats. */
export const patterns = {
  envName: /^[a-z][a-z0-9]{0,11}$/,
  clusterId: /^[a-z][a-z0-9]{0,11}$/,
  scraperId: /^s-[0-9A-Za-z-]{1,62}$/,
  accountId: /^\d{12}$/,
  region: /^[a-z]{2}(-[a-z]+)+-\d$/,
  partition: /^aws(-[a-z]+)*$/,
  clusterName: /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/,
  vpcId: /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/,
  subnetId: /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/,
  vpcEndpointId: /^vpce-([0-9a-f]{8}|[0-9a-f]{17})$/,
  cidr: /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/,
  kmsKeyArn: /^arn:aws[-a-z]*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/[a-zA-Z0-9-]+$/,
  oidcProviderArn: /^arn:aws[-a-z]*:iam::\d{12}:oidc-provider\/[a-z0-9.-]+\/id\/[A-Za-z0-9]+$/,
  addonVersion: /^v\d+\.\d+\.\d+-eksbuild\.\d+$/,
  semver: /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/,
  k8sName: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
  duration: DURATION_PATTERN,
  quantity: /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|m|k|M|G|T)?$/,
  grafanaName: /^[a-zA-Z0-9\-._~]{1,255}$/,
  identityCenterId:
    /^([0-9a-fA-F]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
  identityStoreId: /^d-[0-9a-f]{10}$/,
  ampWorkspaceId: /^ws-[0-9a-zA-Z-]{1,64}$/,
  /** A Prometheus metric name: as an RE2 pattern, it matches itself only. */
  metricName: /^[a-zA-Z_:][a-zA-Z0-9_:]*$/,
  grafanaWorkspaceId: /^g-[0-9a-f]{10}$/,
  securityGroupId: /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/,
  s3Bucket: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  stateKeyPrefix: /^[A-Za-z0-9!_.*'()/-]{1,900}[A-Za-z0-9!_.*'()-]$/,
  tfcName: /^[A-Za-z0-9_-]{1,90}$/,
  agentPoolId: /^apool-[A-Za-z0-9]{16}$/,
  terraformVersion: /^\d+\.\d+\.\d+$/,
  iamPolicyArn: /^arn:aws[-a-z]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,512}$/,
  iamRoleName: /^[\w+=,.@-]{1,64}$/,
  iamRoleArn: /^arn:aws[-a-z]*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
  githubRepository: /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9_.-]{1,100}$/,
  hostname: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
  tagKey: /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
  tagValue: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u,
  email: /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/,
  dashboardFile: /^[a-z0-9][a-z0-9-]*\.json$/,
  datasourceInput: /^[A-Za-z_][A-Za-z0-9_]*$/,
  promLabelName: /^[a-zA-Z_][a-zA-Z0-9_]*$/,
  promLabelValue: /^[\x20-\x7e]*[\x21-\x7e][\x20-\x7e]*$/,
} as const;

/** A string that must match `re`; the message names the expectation and an example. */
export function pattern(re: RegExp, what: string, expected: string) {
  return z
    .string({
      error: (iss) =>
        `${iss.input === undefined ? "is required" : "must be a string"} (expected ${expected})`,
    })
    .regex(re, { error: (iss) => `${show(iss.input)} is not ${what} (expected ${expected})` });
}

export function lengthBetween(min: number, max: number, what: string, re?: RegExp, reText?: string) {
  let s = z
    .string({
      error: (iss) => `${iss.input === undefined ? "is required" : "must be a string"} (expected ${what})`,
    })
    .min(min, {
      error: (iss) => `${show(iss.input)} is too short (expected ${what}, ${min}-${max} characters)`,
    })
    .max(max, {
      error: (iss) => `${show(iss.input)} is too long (expected ${what}, ${min}-${max} characters)`,
    });
  if (re) s = s.regex(re, { error: (iss) => `${show(iss.input)} is not ${what} (expected ${reText})` });
  return s;
}

export function intBetween(min: number, max: number, what: string) {
  return z
    .number({ error: () => `must be a number (expected ${what}, an integer ${min}-${max})` })
    .int({ error: (iss) => `${show(iss.input)} is not an integer (expected ${what}, ${min}-${max})` })
    .min(min, { error: (iss) => `${show(iss.input)} is too small (expected ${what}, ${min}-${max})` })
    .max(max, { error: (iss) => `${show(iss.input)} is too large (expected ${what}, ${min}-${max})` });
}

export function numberBetween(min: number, max: number, what: string) {
  return z
    .number({ error: () => `must be a number (expected ${what}, ${min}-${max})` })
    .min(min, { error: (iss) => `${show(iss.input)} is too small (expected ${what}, ${min}-${max})` })
    .max(max, { error: (iss) => `${show(iss.input)} is too large (expected ${what}, ${min}-${max})` });
}

export const bool = (what: string) =>
  z.boolean({
    error: (iss) =>
      iss.input === undefined
        ? `is required (expected true or false: ${what})`
        : `must be true or false (${what})`,
  });

/** The message of a list field given something else: missing, or not a list. */
export function listError(what: string) {
  return (iss: { input: unknown }) =>
    iss.input === undefined ? `is required (expected a list of ${what})` : `must be a list of ${what}`;
}

/** The values of `list` that occur more than once. */
export function duplicates(list: readonly string[]): string[] {
  return [...new Set(list.filter((v, i) => list.indexOf(v) !== i))];
}

/** Refines a list so each value (compared by `key`) may appear once: `lists "x" more than once`. */
export function uniqueItems<T>(key: (item: T) => string = String) {
  return (list: readonly T[], ctx: z.RefinementCtx) => {
    const d = duplicates(list.map(key));
    if (d.length)
      ctx.addIssue({
        code: "custom",
        message: `lists ${d.map((v) => `"${v}"`).join(", ")} more than once (expected each once)`,
      });
  };
}

/** A list of strings of one pattern, each listed once. */
export function uniqueList(re: RegExp, what: string, expected: string, listWhat: string) {
  return z.array(pattern(re, what, expected), { error: listError(listWhat) }).superRefine(uniqueItems());
}

/** The partition, region and account of an ARN. */
export function arnParts(arn: string): { partition: string; region: string; account: string } {
  const [, partition, , region, account] = arn.split(":");
  return { partition, region, account };
}

/** Where an ARN must live (unset: anywhere); `awsManagedAllowed` also accepts account "aws" (AWS managed policies). */
export interface ArnPlacement {
  readonly partition: string;
  readonly region?: string;
  readonly account?: string;
  readonly awsManagedAllowed?: boolean;
  /** Why the region matters, e.g. "where it is used". */
  readonly regionWhy?: string;
  /** What kind of thing is expected, e.g. "key" or "policy". */
  readonly thing: string;
}

/** Problems with where an ARN lives (partition, region, account), one message each. */
export function arnPlacementProblems(arn: string, want: ArnPlacement): string[] {
  const p = arnParts(arn);
  const problems: string[] = [];
  if (p.partition !== want.partition)
    problems.push(
      `is in partition "${p.partition}" (expected the environment's partition "${want.partition}")`,
    );
  if (want.region !== undefined && p.region !== want.region)
    problems.push(
      `is in region "${p.region}" (expected a ${want.thing} in ${want.region}, ${want.regionWhy})`,
    );
  if (
    want.account !== undefined &&
    p.account !== want.account &&
    !(want.awsManagedAllowed && p.account === "aws")
  )
    problems.push(
      `belongs to account ${p.account} (expected a ${want.thing} in the environment's account ${want.account}${want.awsManagedAllowed ? ", or an AWS managed policy" : ""})`,
    );
  return problems;
}

/**
 * Why `pattern` is not a regex Prometheus accepts (RE2, the Go regexp dialect: no lookaround, no
 * backreferences), or undefined when it is. Checked with re2js, a port of RE2 itself.
 */
export function re2Problem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^error parsing regexp: /, "");
  }
}

/** True when the anchored RE2 `pattern` matches `text` as a whole (how Prometheus applies relabel regexes). */
export function re2FullMatch(pattern: string, text: string): boolean {
  return RE2JS.compile(`(?:${pattern})`).matches(text);
}

/** A KMS key ARN (aliases are not accepted: grants and key policies need the key itself). */
export const kmsKeyArn = pattern(
  patterns.kmsKeyArn,
  "a KMS key ARN",
  "arn:aws:kms:<region>:<account>:key/<key-id>; an alias is not accepted",
);

/** An IAM role ARN (the role, not a session). */
export const iamRoleArn = pattern(
  patterns.iamRoleArn,
  "an IAM role ARN",
  "arn:aws:iam::<account>:role/<name> (the role, not an assumed-role session ARN)",
);

/** The public chart repository of the Prometheus server and the exporters. */
export const PROMETHEUS_COMMUNITY_CHARTS = "https://prometheus-community.github.io/helm-charts";

/** A Helm chart repository URL, the prometheus-community one by default. */
export const chartRepositoryUrl = z
  .url({ error: (iss) => `${show(iss.input)} is not a URL (expected an https or oci repository URL)` })
  .default(PROMETHEUS_COMMUNITY_CHARTS);

/** A list of `min`-`max` distinct subnet ids; `fewer` and `more` say what is expected. */
export const subnetIds = (min: number, max: number, fewer: string, more: string) =>
  z
    .array(pattern(patterns.subnetId, "a subnet id", "subnet- followed by 8 or 17 hex digits"), {
      error: listError("subnet ids"),
    })
    .min(min, { error: () => fewer })
    .max(max, { error: () => more })
    .superRefine(uniqueItems());

/** Kubernetes container resources (requests or limits). */
export const resourceList = z.strictObject({
  cpu: pattern(patterns.quantity, "a CPU quantity", 'a Kubernetes quantity such as "500m" or "1"')
    .optional()
    .describe('CPU, e.g. "500m".'),
  memory: pattern(patterns.quantity, "a memory quantity", 'a Kubernetes quantity such as "512Mi" or "2Gi"')
    .optional()
    .describe('Memory, e.g. "1Gi".'),
});

/** Managed IAM policies attached to a role (at most 10, the IAM limit per role). */
export const iamPolicyArns = z
  .array(
    pattern(
      patterns.iamPolicyArn,
      "an IAM policy ARN",
      "arn:aws:iam::<account>:policy/<name> or arn:aws:iam::aws:policy/<name>",
    ),
    { error: listError("IAM policy ARNs") },
  )
  .max(10, { error: () => "has more than 10 policies (expected at most 10, the IAM limit per role)" })
  .default([]);

/** A top-level section that moved: any value is refused with where it went. */
export function moved(where: string) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value !== undefined) ctx.addIssue({ code: "custom", message: `has moved (expected ${where})` });
    })
    .optional()
    .meta({ moved: true });
}
