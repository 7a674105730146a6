/**
 * The one typed shape of an environment, validated at synth time.
 *
 * Every constraint mirrors an AWS or Kubernetes rule (docs/configuration.md is generated from this file).
 * Rules that span fields are named refinements beside the section they check; the few that need the
 * environment's account, region or partition sit at the end, on the whole environment. Messages say what is
 * wrong and what is expected; `validateEnvironments` prefixes them with `<env>.<field>`.
 */
import * as z from "zod";
import { LOG_RETENTION_DAYS } from "../../constructs/amp/workspace-logs";
import type { KubernetesAuth } from "../../constructs/cluster/existing-eks-cluster";
import { MAX_TOKEN_TTL_DAYS, tokenRotationProblem } from "../../constructs/grafana/service-account";
import { availableDashboards, dashboardsFor, SHIPPED_DASHBOARDS } from "../../monitoring/dashboards";
import {
  extraScrapeConfigProblems,
  MIN_MANAGED_SCRAPE_INTERVAL_SECONDS,
} from "../../monitoring/scrape-config";
import { durationSeconds } from "../duration";
import { BOOTSTRAP_PREFIX, PROJECT } from "../naming";
import { compareVersions, MIN_TERRAFORM_VERSION } from "../terraform";
import {
  arnParts,
  arnPlacementProblems,
  bool,
  intBetween,
  lengthBetween,
  listError,
  numberBetween,
  pattern,
  patterns,
  re2FullMatch,
  re2Problem,
  show,
  uniqueItems,
  uniqueList,
} from "./fields";

export { patterns } from "./fields";

// A run validates a handful of environments: compiling each schema into a validator with `new Function`
// (zod's default) costs more than it saves (measured: ~15-35 ms of a synth). Same results, interpreted.
z.config({ jitless: true });

/** AMG data sources the workspace may be granted (aws_grafana_workspace.data_sources). */
export const GRAFANA_DATA_SOURCES = [
  "AMAZON_OPENSEARCH_SERVICE",
  "ATHENA",
  "CLOUDWATCH",
  "PROMETHEUS",
  "REDSHIFT",
  "SITEWISE",
  "TIMESTREAM",
  "TWINMAKER",
  "XRAY",
] as const;

/** Grafana versions AMG offers; a workspace can be upgraded, never downgraded. */
export const GRAFANA_VERSIONS = ["9.4", "10.4", "12.4"] as const;

/** Maximum tags AWS accepts on a resource, less the 4 default tags every provider adds. */
export const MAX_USER_TAGS = 50 - 4;

/** The public chart repository of the Prometheus server and the exporters. */
const PROMETHEUS_COMMUNITY_CHARTS = "https://prometheus-community.github.io/helm-charts";

/** Chart values this project owns: overriding them would break remote write or the IRSA trust. */
const MANAGED_CHART_VALUES = [
  "serviceAccounts.server",
  "server.remoteWrite",
  "server.persistentVolume.storageClass",
];

const kmsKeyArn = pattern(
  patterns.kmsKeyArn,
  "a KMS key ARN",
  "arn:aws:kms:<region>:<account>:key/<key-id>; an alias is not accepted",
);

const chartRepositoryUrl = z
  .url({ error: (iss) => `${show(iss.input)} is not a URL (expected an https or oci repository URL)` })
  .default(PROMETHEUS_COMMUNITY_CHARTS);

const subnetIds = (min: number, max: number, fewer: string, more: string) =>
  z
    .array(pattern(patterns.subnetId, "a subnet id", "subnet- followed by 8 or 17 hex digits"), {
      error: listError("subnet ids"),
    })
    .min(min, { error: () => fewer })
    .max(max, { error: () => more })
    .superRefine(uniqueItems());

const resourceList = z.strictObject({
  /** CPU, e.g. "500m". */
  cpu: pattern(patterns.quantity, "a CPU quantity", 'a Kubernetes quantity such as "500m" or "1"').optional(),
  /** Memory, e.g. "1Gi". */
  memory: pattern(
    patterns.quantity,
    "a memory quantity",
    'a Kubernetes quantity such as "512Mi" or "2Gi"',
  ).optional(),
});

// --- backend ---

export const s3BackendSchema = z.strictObject({
  /** Backend kind. */
  type: z.literal("s3"),
  /** State bucket (created by the bootstrap stack or your own; versioned). */
  bucket: pattern(
    patterns.s3Bucket,
    "an S3 bucket name",
    "3-63 lower-case letters, digits, dots and hyphens",
  ),
  /** Key prefix; each stack's state is `<keyPrefix>/<stack>.tfstate`. Defaults to `eksmon/<env>`. */
  keyPrefix: pattern(
    patterns.stateKeyPrefix,
    "an S3 key prefix",
    'a path without a trailing slash, e.g. "eksmon/dev"',
  ).optional(),
  /** Region of the state bucket; defaults to the environment's region. */
  region: pattern(patterns.region, "an AWS region", 'a region such as "us-east-1"').optional(),
  /** Customer KMS key for state encryption (S3 backend and state bucket); the AWS managed aws/s3 key when omitted. */
  kmsKeyArn: kmsKeyArn.optional(),
  /** Days the bootstrap stack keeps noncurrent (overwritten) state versions before expiring them. */
  noncurrentVersionExpiryDays: intBetween(1, 3650, "days to keep old state versions").default(90),
  /** Keep the state bootstrap stack's own state in the bucket (set after the first apply; see docs/delivery.md). */
  bootstrapStateInBucket: bool("keep the bootstrap state in the bucket").default(false),
});

/** Agent mode needs a pool, and only agent mode may name one. */
function agentPoolMatchesExecutionMode(
  b: { executionMode: "remote" | "agent"; agentPoolId?: string },
  ctx: z.RefinementCtx,
): void {
  if (b.executionMode === "agent" && !b.agentPoolId)
    ctx.addIssue({
      code: "custom",
      path: ["agentPoolId"],
      message: 'is required when executionMode is "agent" (expected the agent pool id, apool-...)',
    });
  if (b.executionMode !== "agent" && b.agentPoolId)
    ctx.addIssue({
      code: "custom",
      path: ["agentPoolId"],
      message: `is set but executionMode is "${b.executionMode}" (expected executionMode "agent", or no agentPoolId)`,
    });
}

export const cloudBackendSchema = z
  .strictObject({
    /** Backend kind. */
    type: z.literal("cloud"),
    /** Terraform Cloud / HCP Terraform organization. */
    organization: pattern(
      patterns.tfcName,
      "a Terraform Cloud organization name",
      "letters, digits, _ and -",
    ),
    /** Workspaces are named `<workspacePrefix>-<env>-<stack>`. */
    workspacePrefix: pattern(patterns.tfcName, "a workspace name prefix", "letters, digits, _ and -").default(
      PROJECT,
    ),
    /** Terraform Cloud project holding the workspaces (created by the TFC bootstrap; named in the run role's trust). */
    project: lengthBetween(
      3,
      40,
      "a Terraform Cloud project name",
      /^[A-Za-z0-9 _-]+$/,
      "letters, digits, spaces, _ and -",
    ).default(PROJECT),
    /** Terraform Cloud / Enterprise hostname. */
    hostname: pattern(patterns.hostname, "a hostname", 'a host such as "app.terraform.io"').default(
      "app.terraform.io",
    ),
    /** Terraform version the workspaces run (pinned; >= 1.10). */
    terraformVersion: pattern(
      patterns.terraformVersion,
      "a Terraform version",
      'an exact version such as "1.11.4"',
    )
      .refine((v) => !patterns.terraformVersion.test(v) || compareVersions(v, MIN_TERRAFORM_VERSION) >= 0, {
        error: (iss) =>
          `${show(iss.input)} is older than ${MIN_TERRAFORM_VERSION}, the oldest Terraform this project supports (README "Prerequisites"; the ephemeral cluster token needs it) (expected ${MIN_TERRAFORM_VERSION} or later, e.g. "1.11.4")`,
      })
      .default("1.11.4"),
    /** Where runs execute: "remote" (HCP Terraform runners) or "agent" (your agent pool). */
    executionMode: z
      .enum(["remote", "agent"], {
        error: (iss) => `${show(iss.input)} is not an execution mode (expected "remote" or "agent")`,
      })
      .default("remote"),
    /** Agent pool id (required with executionMode "agent"). */
    agentPoolId: pattern(
      patterns.agentPoolId,
      "an agent pool id",
      "apool- followed by 16 characters",
    ).optional(),
    /** IAM role the workspaces' runs assume through workload identity (created by the TFC bootstrap). */
    runRole: z
      .strictObject({
        /** Role name; defaults to `eksmon-<env>-tfc-run`. */
        name: pattern(
          patterns.iamRoleName,
          "an IAM role name",
          "1-64 letters, digits and +=,.@_-",
        ).optional(),
        /** Managed policies granting what the stacks deploy (least privilege is yours to define; none by default). */
        policyArns: z
          .array(
            pattern(
              patterns.iamPolicyArn,
              "an IAM policy ARN",
              "arn:aws:iam::<account>:policy/<name> or arn:aws:iam::aws:policy/<name>",
            ),
            { error: listError("IAM policy ARNs") },
          )
          .max(10, { error: () => "has more than 10 policies (expected at most 10, the IAM limit per role)" })
          .default([]),
        /** Permissions boundary of the run role. */
        permissionsBoundaryArn: pattern(
          patterns.iamPolicyArn,
          "an IAM policy ARN",
          "arn:aws:iam::<account>:policy/<name>",
        ).optional(),
      })
      .prefault({}),
  })
  .superRefine(agentPoolMatchesExecutionMode);

export const localBackendSchema = z.strictObject({
  /** Backend kind. */
  type: z.literal("local"),
});

// --- cluster, network, AMP ---

/** A given OIDC provider is named by its ARN (checked here rather than in the union, whose error would hide this one). */
function oidcProviderArnFormat(source: "lookup" | "create" | { arn: string }, ctx: z.RefinementCtx): void {
  if (typeof source === "object" && !patterns.oidcProviderArn.test(source.arn))
    ctx.addIssue({
      code: "custom",
      path: ["arn"],
      message: `"${source.arn}" is not an IAM OIDC provider ARN (expected arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>)`,
    });
}

const iamRoleArn = pattern(
  patterns.iamRoleArn,
  "an IAM role ARN",
  "arn:aws:iam::<account>:role/<name> (the role, not an assumed-role session ARN)",
);

const clusterAuthSchema = z.strictObject({
  /** How the Kubernetes and Helm providers get a token at apply time: "exec" (aws eks get-token; needs the aws CLI) or "ephemeral" (the AWS provider's ephemeral aws_eks_cluster_auth; Terraform >= 1.10, applies under 15 minutes). Default: "ephemeral" with backend "cloud", else "exec". */
  method: z
    .enum(["exec", "ephemeral"], {
      error: (iss) => `${show(iss.input)} is not a token method (expected "exec" or "ephemeral")`,
    })
    .optional(),
  /** Role `aws eks get-token --role-arn` assumes for the token ("exec" only); default: the identity running Terraform. */
  roleArn: iamRoleArn.optional(),
});

const clusterSchema = z.strictObject({
  /** Name of the existing EKS cluster. */
  name: pattern(
    patterns.clusterName,
    "an EKS cluster name",
    "1-100 letters, digits, - and _, starting alphanumeric",
  ),
  /** IAM OIDC provider: "lookup" reads it from the cluster's issuer, "create" creates it, or give its ARN. */
  oidcProvider: z
    .union(
      [
        z.literal("lookup"),
        z.literal("create"),
        z.strictObject({
          /** ARN of an existing IAM OIDC provider for the cluster's issuer. */
          arn: z.string(),
        }),
      ],
      {
        error: () => 'must be "lookup", "create" or { arn: "arn:aws:iam::<account>:oidc-provider/..." }',
      },
    )
    .superRefine(oidcProviderArnFormat)
    .default("lookup"),
  /** Credentials of the Kubernetes and Helm providers (docs/operations.md). */
  auth: clusterAuthSchema.prefault({}),
});

/** A CIDR wider than /8 is no VPC's: most likely 0.0.0.0/0 by mistake. */
function vpcSizedCidr(cidr: string, ctx: z.RefinementCtx): void {
  if (Number(cidr.split("/")[1]) < 8)
    ctx.addIssue({
      code: "custom",
      message: `"${cidr}" is wider than a VPC can be (expected a VPC CIDR, /8 to /28; never 0.0.0.0/0)`,
    });
}

const networkSchema = z.strictObject({
  /** VPC of the cluster, where the AMP interface endpoint is created. */
  vpcId: pattern(patterns.vpcId, "a VPC id", "vpc- followed by 8 or 17 hex digits"),
  /** CIDR blocks allowed to reach the endpoint on tcp/443 (the VPC's CIDRs). */
  vpcCidrs: z
    .array(
      pattern(patterns.cidr, "an IPv4 CIDR block", 'a block such as "10.0.0.0/16"').superRefine(vpcSizedCidr),
      { error: listError("CIDR blocks") },
    )
    .min(1, { error: () => "is empty (expected at least one CIDR block of the VPC)" })
    .superRefine(uniqueItems()),
  /** Subnets of the endpoint's network interfaces, one per AZ. */
  endpointSubnetIds: subnetIds(
    2,
    16,
    "has fewer than 2 subnets (expected at least 2, in different AZs)",
    "has more than 16 subnets (expected 2-16)",
  ),
  /** Also create an interface endpoint for the AMP control plane (`com.amazonaws.<region>.aps`). */
  controlPlaneEndpoint: bool("create the aps control-plane endpoint").default(false),
});

const ampSchema = z.strictObject({
  /** AMP workspace alias. */
  alias: lengthBetween(1, 100, "an AMP workspace alias"),
  /** How long AMP keeps samples, in days. */
  retentionDays: intBetween(1, 1095, "retention in days").default(150),
  /** Customer-managed KMS key for the workspace (AWS-owned key when omitted; changing it replaces the workspace). */
  kmsKeyArn: kmsKeyArn.optional(),
  /** Id of an AMP workspace made by hand (ws-...) to import instead of creating one; it is then protected from destroy. */
  adoptWorkspaceId: pattern(
    patterns.ampWorkspaceId,
    "an AMP workspace id",
    "ws- followed by the workspace's id, as the console shows it",
  ).optional(),
  /** Also condition the ingest role's remote write on the network stack's endpoint (aws:SourceVpce); verify first, see docs/operations.md. */
  requireVpcEndpoint: bool("require the VPC endpoint for remote write").default(false),
  /** AMP's rule-evaluation and alert-manager errors, in a CloudWatch Logs log group (docs/operations.md). */
  logging: z
    .strictObject({
      /** Send them to the log group `/aws/vendedlogs/prometheus/eksmon-<env>-amp`. */
      enabled: bool("send AMP's rule and alert manager errors to CloudWatch Logs").default(true),
      /** Days the log group keeps them (a value CloudWatch Logs accepts). */
      retentionDays: z
        .int({ error: () => "must be a whole number (expected days, e.g. 30)" })
        .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
          error: (iss) =>
            `${show(iss.input)} is not a retention CloudWatch Logs accepts (expected one of ${LOG_RETENTION_DAYS.join(", ")})`,
        })
        .default(30),
      /** Customer-managed KMS key for the log group, whose policy lets logs.<region>.amazonaws.com use it; unset: a key is created. */
      kmsKeyArn: kmsKeyArn.optional(),
    })
    .prefault({}),
});

// --- collector ---

/** The capacity of a shard's queue must hold at least one request's worth of samples. */
function queueHoldsOneRequest(
  q: { capacity: number; maxSamplesPerSend: number },
  ctx: z.RefinementCtx,
): void {
  if (q.capacity < q.maxSamplesPerSend)
    ctx.addIssue({
      code: "custom",
      path: ["capacity"],
      message: `${q.capacity} is below maxSamplesPerSend ${q.maxSamplesPerSend} (expected capacity >= maxSamplesPerSend)`,
    });
}

/** An imported release lives in its namespace, which must then be imported too (creating it would fail). */
function releaseNeedsItsNamespace(a: { namespace: boolean; release: boolean }, ctx: z.RefinementCtx): void {
  if (a.release && !a.namespace)
    ctx.addIssue({
      code: "custom",
      path: ["namespace"],
      message:
        "is false but adopt.release is true: the release lives in that namespace, which would then be created and fail (expected namespace true)",
    });
}

/** Chart values that would break remote write or the IRSA trust stay with the typed fields. */
function noManagedChartValues(values: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const managed of MANAGED_CHART_VALUES) {
    let node: unknown = values;
    for (const part of managed.split("."))
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
    if (node !== undefined)
      ctx.addIssue({
        code: "custom",
        path: managed.split("."),
        message: "is managed by this project (expected it unset; use the typed collector fields)",
      });
  }
}

export const prometheusCollectorSchema = z.strictObject({
  /** A Prometheus server in the cluster (Helm chart, EBS volume, IRSA role) remote-writes to AMP through the endpoint. */
  type: z.literal("prometheus"),
  /** prometheus-community/prometheus chart version. */
  chartVersion: pattern(patterns.semver, "a chart version", 'an exact version such as "29.27.0"').default(
    "29.27.0",
  ),
  /** Chart repository (an internal mirror works too). */
  chartRepository: chartRepositoryUrl,
  /** Namespace of the Helm release. */
  namespace: pattern(patterns.k8sName, "a namespace name", "a DNS-1123 label").default("prometheus"),
  /** Server service account, trusted by the IRSA role. */
  serviceAccountName: pattern(patterns.k8sName, "a service account name", "a DNS-1123 label").default(
    "amp-iamproxy-ingest-service-account",
  ),
  /** remote_write queue_config (tutorial values). */
  queueConfig: z
    .strictObject({
      /** Samples per request. */
      maxSamplesPerSend: intBetween(1, 100_000, "max_samples_per_send").default(1000),
      /** Upper bound of parallel senders. */
      maxShards: intBetween(1, 10_000, "max_shards").default(200),
      /** Samples buffered per shard (at least maxSamplesPerSend). */
      capacity: intBetween(1, 1_000_000, "capacity").default(2500),
    })
    .superRefine(queueHoldsOneRequest)
    .prefault({}),
  /** Scrape interval, e.g. "30s". */
  scrapeInterval: pattern(
    patterns.duration,
    "a Prometheus duration",
    'a duration such as "30s" or "1m"',
  ).default("1m"),
  /** Local TSDB retention on the server (AMP keeps the long-term copy). */
  retention: pattern(patterns.duration, "a Prometheus duration", 'a duration such as "15d"').default("15d"),
  /** Size of the server's persistent volume. */
  persistentVolumeSize: pattern(
    patterns.quantity,
    "a volume size",
    'a Kubernetes quantity such as "8Gi"',
  ).default("8Gi"),
  /** Server container resources. */
  resources: z
    .strictObject({
      /** Requests (scheduling). */
      requests: resourceList.prefault({}),
      /** Limits (memory limit recommended; a CPU limit throttles scrapes). */
      limits: resourceList.prefault({}),
    })
    .prefault({}),
  /** Extra chart values, deep-merged last (remote write and service account are managed and cannot be overridden). */
  values: z.record(z.string(), z.unknown()).superRefine(noManagedChartValues).default({}),
  /** What the cluster already runs, imported on the first apply (e.g. the tutorial's namespace and `prometheus` release). */
  adopt: z
    .strictObject({
      /** The namespace exists: import it. */
      namespace: bool("import the existing namespace").default(false),
      /** A Helm release named `prometheus` runs in it: import it and upgrade it in place to these settings. */
      release: bool("import the existing prometheus release").default(false),
    })
    .superRefine(releaseNeedsItsNamespace)
    .prefault({}),
});

/** The managed collector refuses scrape intervals below its floor. */
function atLeastManagedFloor(interval: string, ctx: z.RefinementCtx): void {
  if (durationSeconds(interval) < MIN_MANAGED_SCRAPE_INTERVAL_SECONDS)
    ctx.addIssue({
      code: "custom",
      message: `"${interval}" is below the collector's floor (expected a duration of at least 30s)`,
    });
}

/** Extra scrape configs must be a YAML list of uniquely named jobs the collector accepts. */
function acceptableExtraScrapeConfigs(yaml: string, ctx: z.RefinementCtx): void {
  for (const problem of extraScrapeConfigProblems(yaml))
    ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
}

export const managedCollectorSchema = z.strictObject({
  /** The AMP managed collector scrapes the cluster from 2-5 subnets; node-exporter and kube-state-metrics run in the cluster. */
  type: z.literal("managed"),
  /** Subnets of the collector's network interfaces: 2-5 subnets in at least two AZs, routable to the cluster. */
  subnetIds: subnetIds(
    2,
    5,
    "has fewer than 2 subnets (expected 2-5 subnets, in at least two AZs)",
    "has more than 5 subnets (expected 2-5 subnets, the collector's limit)",
  ),
  /** Security groups of the collector (1-5); when omitted the project creates one allowed to reach the cluster. */
  securityGroupIds: z
    .array(pattern(patterns.securityGroupId, "a security group id", "sg- followed by 8 or 17 hex digits"), {
      error: listError("security group ids"),
    })
    .min(1, { error: () => "is empty (expected 1-5 security group ids, or omit it to create one)" })
    .max(5, { error: () => "has more than 5 security groups (expected 1-5)" })
    .superRefine(uniqueItems())
    .optional(),
  /** Scrape interval of every job, at least "30s" (the collector's floor). */
  scrapeInterval: pattern(
    patterns.duration,
    "a Prometheus duration",
    'a duration of at least 30s, such as "30s" or "1m"',
  )
    .superRefine(atLeastManagedFloor)
    .default("1m"),
  /** Extra `scrape_configs` entries as a YAML list, appended to the generated jobs (IPs only, no other SD than kubernetes_sd_configs). */
  extraScrapeConfigs: z
    .string({ error: () => "must be a string (expected a YAML list of scrape_config entries)" })
    .superRefine(acceptableExtraScrapeConfigs)
    .optional(),
  /** Create the EKS access entry for the scraper's role (set false when AWS already created one: see docs/collectors.md). */
  accessEntry: bool("create the scraper's EKS access entry").default(true),
  /** Namespace of the node-exporter and kube-state-metrics releases (created here). */
  namespace: pattern(patterns.k8sName, "a namespace name", "a DNS-1123 label").default(
    "monitoring-exporters",
  ),
  /** Chart repository of both exporters (an internal mirror works too). */
  chartRepository: chartRepositoryUrl,
  /** prometheus-community/prometheus-node-exporter chart version (the prometheus chart 29.27.0 uses 4.56.*). */
  nodeExporterChartVersion: pattern(
    patterns.semver,
    "a chart version",
    'an exact version such as "4.56.0"',
  ).default("4.56.0"),
  /** prometheus-community/kube-state-metrics chart version (the prometheus chart 29.27.0 uses 8.4.*). */
  kubeStateMetricsChartVersion: pattern(
    patterns.semver,
    "a chart version",
    'an exact version such as "8.4.0"',
  ).default("8.4.0"),
  /** What the cluster already runs, imported on the first apply. */
  adopt: z
    .strictObject({
      /** The exporters' namespace exists: import it. */
      namespace: bool("import the existing namespace").default(false),
    })
    .prefault({}),
});

/** The old shape wrote `collector: "prometheus" | "managed"` plus a `prometheus` or `managedCollector` section. */
function oldCollectorShape(input: unknown): string | undefined {
  if (input === "prometheus")
    return 'is the old shape "prometheus" (expected collector: { type: "prometheus", ... } holding the fields of the old prometheus section)';
  if (input === "managed")
    return 'is the old shape "managed" (expected collector: { type: "managed", ... } holding the fields of the old managedCollector section)';
  return undefined;
}

const collectorSchema = z
  .discriminatedUnion("type", [prometheusCollectorSchema, managedCollectorSchema], {
    error: (iss) =>
      oldCollectorShape(iss.input) ??
      (iss.input !== null && typeof iss.input === "object"
        ? `has an unknown type ${show((iss.input as { type?: unknown }).type)} (expected type "prometheus" or "managed")`
        : 'must be an object (expected { type: "prometheus" | "managed", ... })'),
  })
  .prefault({ type: "prometheus" });

/** A top-level section that moved: any value is refused with where it went. */
function moved(where: string) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (value !== undefined) ctx.addIssue({ code: "custom", message: `has moved (expected ${where})` });
    })
    .optional()
    .meta({ moved: true });
}

// --- EBS CSI, Grafana, alerting ---

const ebsCsiSchema = z.strictObject({
  /** Who runs the EBS CSI driver: "addon" (this project creates the EKS add-on), "adopt" (the add-on exists: import it, then manage it), "existing" (installed and managed elsewhere, add-on or self-managed: only the StorageClass is created). */
  driver: z
    .enum(["addon", "adopt", "existing"], {
      error: (iss) => `${show(iss.input)} is not a driver source (expected "addon", "adopt" or "existing")`,
    })
    .default("addon"),
  /** aws-ebs-csi-driver add-on version; unset: AWS's default for the cluster's Kubernetes version, resolved at plan. */
  addonVersion: pattern(
    patterns.addonVersion,
    "an EKS add-on version",
    'a version such as "v1.38.1-eksbuild.1"',
  ).optional(),
  /** StorageClass for Prometheus data (gp3, encrypted, Retain, WaitForFirstConsumer). */
  storageClassName: pattern(patterns.k8sName, "a StorageClass name", "a DNS-1123 label").default(
    "prometheus-gp3",
  ),
  /** Customer-managed KMS key for the volumes; the driver's role gets the grants it needs. */
  kmsKeyArn: kmsKeyArn.optional(),
});

/** A workspace without anyone to administer it cannot be used; user names are looked up in an identity store. */
function adminsCanSignIn(
  a: {
    userIds: string[];
    groupIds: string[];
    userNames: string[];
    identityStoreId?: string;
    identityCenter?: { accountId: string; region: string; lookupRoleArn?: string };
  },
  ctx: z.RefinementCtx,
): void {
  if (a.userIds.length + a.groupIds.length + a.userNames.length === 0)
    ctx.addIssue({
      code: "custom",
      message: "names no admin (expected at least one of userIds, groupIds or userNames)",
    });
  if (a.userNames.length > 0 && !a.identityStoreId)
    ctx.addIssue({
      code: "custom",
      path: ["identityStoreId"],
      message: "is required when userNames is set (expected the identity store id, d-xxxxxxxxxx)",
    });
  if (a.userNames.length > 0 && !a.identityCenter)
    ctx.addIssue({
      code: "custom",
      path: ["identityCenter"],
      message:
        "is required when userNames is set: the lookup runs in Identity Center's account and home region (expected { accountId, region } of the management or delegated administrator account, and lookupRoleArn when that is not this account; or userIds instead of userNames)",
    });
}

/** The token must be replaced before it expires. */
function tokenRenewedInTime(t: { ttlDays: number; rotationDays: number }, ctx: z.RefinementCtx): void {
  const problem = tokenRotationProblem(t.ttlDays, t.rotationDays);
  if (problem) ctx.addIssue({ code: "custom", path: ["rotationDays"], message: problem });
}

/** A listed dashboard must be a file in dashboards/. */
function dashboardFileExists(file: string, ctx: z.RefinementCtx): void {
  const available = availableDashboards();
  if (!available.includes(file))
    ctx.addIssue({
      code: "custom",
      message: `"${file}" is not a file in dashboards/ (expected one of ${available.join(", ")})`,
    });
}

const grafanaSchema = z.strictObject({
  /** AMG workspace name. */
  name: pattern(patterns.grafanaName, "an AMG workspace name", "1-255 letters, digits and - . _ ~"),
  /** Id of an AMG workspace made by hand (g-...) to import instead of creating one; it is then protected from destroy. */
  adoptWorkspaceId: pattern(
    patterns.grafanaWorkspaceId,
    "an AMG workspace id",
    "g- followed by 10 hex digits",
  ).optional(),
  /** Grafana version (upgrade only). */
  version: z
    .enum(GRAFANA_VERSIONS, {
      error: (iss) =>
        `${show(iss.input)} is not an AMG Grafana version (expected one of ${GRAFANA_VERSIONS.join(", ")})`,
    })
    .default("10.4"),
  /** Data sources AMG may read; PROMETHEUS is required. */
  dataSources: z
    .array(
      z.enum(GRAFANA_DATA_SOURCES, {
        error: (iss) =>
          `${show(iss.input)} is not an AMG data source (expected one of ${GRAFANA_DATA_SOURCES.join(", ")})`,
      }),
    )
    .superRefine(uniqueItems())
    .refine((list) => list.includes("PROMETHEUS"), {
      error:
        "does not include PROMETHEUS (expected PROMETHEUS, the AMP workspace is the point of this workspace)",
    })
    .default(["PROMETHEUS"]),
  /** Notification destinations (AMG supports SNS only). */
  notificationDestinations: z
    .array(z.literal("SNS", { error: (iss) => `${show(iss.input)} is not supported (expected "SNS")` }))
    .default(["SNS"]),
  /** Title of the project's folder in Grafana (one folder holds every dashboard below). */
  folderTitle: lengthBetween(1, 140, "a Grafana folder title").default("EKS monitoring"),
  /** Dashboards to publish, by file name in dashboards/ (default: every shipped dashboard the environment's collector can answer). */
  dashboards: z
    .array(
      pattern(
        patterns.dashboardFile,
        "a dashboard file name",
        'a .json file name in dashboards/, e.g. "cluster-capacity.json"',
      ).superRefine(dashboardFileExists),
      { error: listError("dashboard file names") },
    )
    .superRefine(uniqueItems())
    .optional(),
  /** grafana.com dashboards imported at apply time through the http provider (needs internet on the runner). */
  grafanaComDashboards: z
    .array(
      z.strictObject({
        /** Dashboard id on grafana.com, e.g. 3119. */
        id: intBetween(1, 100_000_000, "a grafana.com dashboard id"),
        /** Revision to download (pinned). */
        revision: intBetween(1, 100_000, "a grafana.com dashboard revision"),
        /** The dashboard's data-source input, mapped to the AMP data source. */
        datasourceInput: pattern(
          patterns.datasourceInput,
          "a data-source input name",
          'a name listed in the dashboard JSON "__inputs", e.g. "DS_PROMETHEUS"',
        ).default("DS_PROMETHEUS"),
      }),
    )
    .superRefine(uniqueItems((d) => String(d.id)))
    .default([]),
  /** The service-account token the grafana provider uses. */
  token: z
    .strictObject({
      /** Token lifetime in days (AMG allows at most 30). */
      ttlDays: intBetween(1, MAX_TOKEN_TTL_DAYS, "token lifetime in days").default(MAX_TOKEN_TTL_DAYS),
      /** Replace the token on the first apply after this many days (below ttlDays: apply at least once in between). */
      rotationDays: intBetween(1, MAX_TOKEN_TTL_DAYS - 1, "token rotation period in days").default(7),
    })
    .superRefine(tokenRenewedInTime)
    .prefault({}),
  /** Workspace admins in IAM Identity Center. */
  admins: z
    .strictObject({
      /** Identity Center user ids. */
      userIds: uniqueList(
        patterns.identityCenterId,
        "an Identity Center user id",
        "a UUID, optionally prefixed",
        "Identity Center user ids",
      ).default([]),
      /** Identity Center group ids. */
      groupIds: uniqueList(
        patterns.identityCenterId,
        "an Identity Center group id",
        "a UUID, optionally prefixed",
        "Identity Center group ids",
      ).default([]),
      /** User names looked up in the identity store at plan time, in Identity Center's account and region (identityCenter). */
      userNames: z
        .array(lengthBetween(1, 128, "an Identity Center user name"))
        .superRefine(uniqueItems())
        .default([]),
      /** Identity store id (required with userNames). */
      identityStoreId: pattern(
        patterns.identityStoreId,
        "an identity store id",
        "d- followed by 10 hex digits",
      ).optional(),
      /** Where IAM Identity Center lives, for the userNames lookup (required with userNames). */
      identityCenter: z
        .strictObject({
          /** Account of the Identity Center instance: the organization's management account or its delegated administrator. */
          accountId: pattern(patterns.accountId, "an AWS account id", "12 digits, e.g. 111111111111"),
          /** Home region of the Identity Center instance. */
          region: pattern(patterns.region, "an AWS region", 'a region such as "us-east-1"'),
          /** Role in that account the lookup assumes (identitystore:GetUserId and DescribeUser); required when it is not the environment's account. */
          lookupRoleArn: iamRoleArn.optional(),
        })
        .optional(),
      /** Moved to identityCenter.region. */
      identityStoreRegion: moved(
        "identityCenter: { accountId, region } (the account and home region of IAM Identity Center)",
      ),
    })
    .superRefine(adminsCanSignIn),
});

const alertingSchema = z.strictObject({
  /** Email addresses subscribed to the alert topic (each confirms a mail from SNS before receiving alerts). */
  emails: z
    .array(pattern(patterns.email, "an email address", 'an address such as "oncall@example.com"'), {
      error: listError("email addresses"),
    })
    .superRefine(uniqueItems((e) => e.toLowerCase()))
    .default([]),
  /** Thresholds of the baseline alerts (docs/grafana-as-code.md lists the alerts). */
  thresholds: z
    .strictObject({
      /** RemoteWriteBehind fires when remote write lags more than this, in seconds (prometheus collector). */
      remoteWriteLagSeconds: intBetween(30, 86_400, "remote-write lag in seconds").default(300),
      /** RemoteWriteFailing fires when more than this percentage of samples fail (prometheus collector). */
      remoteWriteFailedPercent: numberBetween(0, 100, "a percentage of failed samples").default(1),
      /** ApiServerErrors fires when more than this percentage of API requests answer 5xx. */
      apiServerErrorPercent: numberBetween(0, 100, "a percentage of API requests").default(5),
      /** ApiServerLatencyHigh fires when a verb's p99 latency exceeds this, in seconds. */
      apiServerLatencyP99Seconds: numberBetween(0.01, 60, "p99 latency in seconds").default(1),
      /** PersistentVolumeFillingUp fires when a volume claim is fuller than this percentage. */
      persistentVolumeUsedPercent: numberBetween(1, 100, "a percentage of volume capacity").default(85),
      /** Minutes a condition must hold before its alert fires. */
      forMinutes: intBetween(1, 1440, "minutes before an alert fires").default(10),
    })
    .prefault({}),
});

// --- GitHub Actions identities ---

const iamPolicyArns = z
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

const githubSchema = z.strictObject({
  /** Repository whose workflows deploy and plan this environment, as owner/name (the subject its OIDC tokens carry). */
  repository: pattern(
    patterns.githubRepository,
    "a GitHub repository",
    '"owner/name", e.g. "example-org/eksmon"',
  ),
  /** GitHub Actions' IAM OIDC provider in the account: "create" it, or "lookup" the one the account already has (one per account). */
  oidcProvider: z
    .enum(["create", "lookup"], {
      error: (iss) => `${show(iss.input)} is not an OIDC provider source (expected "create" or "lookup")`,
    })
    .default("create"),
  /** The deploy role `eksmon-<env>-github-deploy`, assumed by the job in GitHub environment `<env>`: applies every stack; EKS cluster admin. */
  deployRole: z
    .strictObject({
      /** Managed policies granting what the stacks deploy (state access is added by the project). */
      policyArns: iamPolicyArns,
      /** Permissions boundary of the role. */
      permissionsBoundaryArn: pattern(
        patterns.iamPolicyArn,
        "an IAM policy ARN",
        "arn:aws:iam::<account>:policy/<name>",
      ).optional(),
    })
    .prefault({}),
  /** The plan role `eksmon-<env>-github-plan`, assumed by pull-request jobs: reads only, never the Grafana token's state. */
  planRole: z
    .strictObject({
      /** Managed policies granting the reads a plan refreshes with, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess (state access is added by the project). */
      policyArns: iamPolicyArns,
      /** Permissions boundary of the role. */
      permissionsBoundaryArn: pattern(
        patterns.iamPolicyArn,
        "an IAM policy ARN",
        "arn:aws:iam::<account>:policy/<name>",
      ).optional(),
    })
    .prefault({}),
});

// --- metrics: what reaches AMP and what it may cost ---

/** An extra metric must be a name or an RE2 pattern (Prometheus' dialect) that does not match every name. */
function metricPattern(p: string, ctx: z.RefinementCtx): void {
  // A metric name is an RE2 pattern matching only itself: no need to compile it (~1 ms each).
  if (patterns.metricName.test(p)) return;
  const problem = re2Problem(p);
  if (problem)
    ctx.addIssue({
      code: "custom",
      message: `${show(p)} is not an RE2 regular expression: ${problem} (expected a metric name or a pattern such as "myapp_.*")`,
    });
  else if (re2FullMatch(p, "") || re2FullMatch(p, "any_metric_name:at_all"))
    ctx.addIssue({
      code: "custom",
      message: `${show(p)} matches every metric (expected sendAll: true to send everything, or a narrower pattern)`,
    });
}

/** The key AMP identifies a label set by (label order does not matter). */
const labelSetKey = (l: { labelSet: Record<string, string> }) =>
  `{${Object.entries(l.labelSet)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) // label names are ASCII: no need for ICU's collation
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ")}}`;

/** `sendAll` sends everything: listing extra metrics too says the author expected a filter. */
function extraNeedsAllowList(m: { sendAll: boolean; extra: string[] }, ctx: z.RefinementCtx): void {
  if (m.sendAll && m.extra.length > 0)
    ctx.addIssue({
      code: "custom",
      path: ["extra"],
      message:
        "is set but sendAll is true, which sends every metric anyway (expected extra with sendAll false, or no extra)",
    });
}

const metricsSchema = z
  .strictObject({
    /** Send every scraped metric to AMP instead of only what the shipped dashboards and rules read (docs/cost.md). */
    sendAll: bool("send every scraped metric to AMP").default(false),
    /** Metric names or RE2 patterns (anchored) sent besides what the shipped dashboards and rules read, e.g. for grafana.com imports. */
    extra: z
      .array(
        z
          .string({
            error: () => 'must be a string (expected a metric name or an RE2 pattern such as "myapp_.*")',
          })
          .min(1, { error: () => "is empty (expected a metric name or an RE2 pattern)" })
          .superRefine(metricPattern),
        { error: listError("metric names or RE2 patterns") },
      )
      .superRefine(uniqueItems())
      .default([]),
    /** Monthly AMP ingestion budget: a CloudWatch alarm notifies the alert topic when the current rate would exceed it in a month. */
    budget: z
      .strictObject({
        /** US dollars of AMP ingestion per month (converted to samples with the tiered prices of cost/prices.ts). */
        monthlyIngestionUsd: numberBetween(1, 10_000_000, "US dollars per month"),
        /** Also alarm when the workspace's active series exceed this number. */
        activeSeries: intBetween(1000, 1_000_000_000, "active series").optional(),
      })
      .optional(),
    /** Active-series limits per label set on the AMP workspace: new series of a label set over its limit are refused. */
    labelSetLimits: z
      .array(
        z.strictObject({
          /** Labels a series must carry to count against the limit; {} is the default bucket (series matching no other label set). */
          labelSet: z.record(
            pattern(patterns.promLabelName, "a label name", "[a-zA-Z_][a-zA-Z0-9_]*"),
            pattern(
              patterns.promLabelValue,
              "a label value",
              "printable ASCII with at least one character that is not a space",
            ),
          ),
          /** Most active series of the label set (0: no limit, but AMP publishes the label set's usage to CloudWatch). */
          maxSeries: intBetween(0, 1_000_000_000, "active series"),
        }),
        { error: listError("label-set limits") },
      )
      .superRefine(uniqueItems(labelSetKey))
      .default([]),
  })
  .superRefine(extraNeedsAllowList);

const sizingSchema = z.strictObject({
  /** Nodes in the cluster (node-exporter, kubelet and cAdvisor series grow with them). */
  nodes: intBetween(1, 100_000, "nodes").default(3),
  /** CPUs per node (node_cpu_seconds_total has 8 series per CPU). */
  cpusPerNode: intBetween(1, 1024, "CPUs per node").default(4),
  /** Pods running in the cluster (kube-state-metrics and cAdvisor series grow with them). */
  pods: intBetween(1, 10_000_000, "pods").default(40),
  /** Containers per pod, on average. */
  containersPerPod: numberBetween(1, 50, "containers per pod").default(1.5),
  /** Persistent volume claims mounted by pods (kubelet volume stats). */
  persistentVolumeClaims: intBetween(0, 1_000_000, "persistent volume claims").default(2),
  /** Measured active series of the workspace (`count({__name__=~".+"})` in AMP), replacing the model's count for the current metrics setting. */
  activeSeries: intBetween(1, 10_000_000_000, "active series").optional(),
  /** Grafana users active in a month with the Editor or Admin role (AMG bills at least one). */
  grafanaEditors: intBetween(1, 100_000, "active Grafana editors").default(1),
  /** Grafana users active in a month with the Viewer role. */
  grafanaViewers: intBetween(0, 100_000, "active Grafana viewers").default(0),
  /** Hours per month the project's dashboards are open in a browser (each refresh queries AMP). */
  dashboardHoursPerMonth: intBetween(0, 744, "hours per month").default(40),
});

// --- the environment ---

const environmentShape = z.strictObject({
  /** Environment name: stacks are `<name>-network`, `<name>-cluster-monitoring`, `<name>-grafana`, `<name>-grafana-config`. */
  name: pattern(
    patterns.envName,
    "an environment name",
    "1-12 lower-case letters and digits, starting with a letter",
  ).refine((name) => name !== BOOTSTRAP_PREFIX, {
    error: `"${BOOTSTRAP_PREFIX}" is reserved (expected another name: stacks named ${BOOTSTRAP_PREFIX}-* are the bootstrap stacks, and 'cdktf deploy ${BOOTSTRAP_PREFIX}-*' would deploy them)`,
  }),
  /** AWS account the environment deploys to; every provider refuses any other account. */
  accountId: pattern(patterns.accountId, "an AWS account id", "12 digits, e.g. 111111111111"),
  /** AWS region of the cluster, the AMP workspace and the AMG workspace. */
  region: pattern(patterns.region, "an AWS region", 'a region such as "us-east-1"'),
  /** AWS partition. */
  partition: pattern(patterns.partition, "an AWS partition", '"aws", "aws-cn" or "aws-us-gov"').default(
    "aws",
  ),
  /** Protect stateful resources (AMP and AMG workspaces, Prometheus namespace, KMS keys) with prevent_destroy. */
  protect: bool("protect stateful resources from destroy"),
  /** Extra tags on every resource (the project adds project, environment, stack and managed-by). */
  tags: z
    .record(
      pattern(patterns.tagKey, "a tag key", "1-128 characters, not starting with aws:"),
      pattern(patterns.tagValue, "a tag value", "0-256 characters"),
    )
    .refine((tags) => Object.keys(tags).length <= MAX_USER_TAGS, {
      error: (iss) =>
        `has ${Object.keys(iss.input as object).length} tags (expected at most ${MAX_USER_TAGS}: AWS allows 50 and the project adds 4)`,
    })
    .default({}),
  /** The existing EKS cluster to monitor. */
  cluster: clusterSchema,
  /** Where the AMP interface endpoint goes (network stack). */
  network: networkSchema,
  /** The Amazon Managed Service for Prometheus workspace. */
  amp: ampSchema,
  /** Who scrapes the cluster: `{ type: "prometheus", ... }` (a server in the cluster remote-writes to AMP) or `{ type: "managed", subnetIds, ... }` (the AMP managed collector). */
  collector: collectorSchema,
  /** Moved into `collector` (type "prometheus"). */
  prometheus: moved('its fields inside collector: { type: "prometheus", ... }'),
  /** Moved into `collector` (type "managed"). */
  managedCollector: moved('its fields inside collector: { type: "managed", ... }'),
  /** The aws-ebs-csi-driver EKS add-on and the StorageClass for Prometheus data. */
  ebsCsi: ebsCsiSchema,
  /** The Amazon Managed Grafana workspace. */
  grafana: grafanaSchema,
  /** AMP alerts: where they go (SNS email subscriptions) and when they fire (thresholds). */
  alerting: alertingSchema.prefault({}),
  /** GitHub Actions deploy and plan roles of this environment, created by the bootstrap-github-aws-<account> stack with their EKS access (S3 state only). */
  github: githubSchema.optional(),
  /** What the collector sends to AMP (allow-list by default), the ingestion budget and the workspace's series limits. */
  metrics: metricsSchema.prefault({}),
  /** Size of the cluster and of Grafana's use, for `npm run cost` (changes no resource). */
  sizing: sizingSchema.prefault({}),
  /** Where each stack keeps its Terraform state: s3, cloud (Terraform Cloud / HCP Terraform) or local. */
  backend: z.discriminatedUnion("type", [s3BackendSchema, cloudBackendSchema, localBackendSchema], {
    error: (iss) =>
      iss.input === undefined
        ? 'is required (expected { type: "s3" | "cloud" | "local", ... })'
        : `has an unknown type (expected type "s3", "cloud" or "local")`,
  }),
});

type Shape = z.output<typeof environmentShape>;
type Rule = (env: Shape, ctx: z.RefinementCtx) => void;

const issue = (ctx: z.RefinementCtx, path: (string | number)[], message: string) =>
  ctx.addIssue({ code: "custom", path, message });

/** KMS keys live in the environment's partition and account, in the region where they are used. */
const kmsKeysInEnvironment: Rule = (env, ctx) => {
  const keys: [string[], string | undefined, string][] = [
    [["amp", "kmsKeyArn"], env.amp.kmsKeyArn, env.region],
    [["amp", "logging", "kmsKeyArn"], env.amp.logging.kmsKeyArn, env.region],
    [["ebsCsi", "kmsKeyArn"], env.ebsCsi.kmsKeyArn, env.region],
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
  const oidc = env.cluster.oidcProvider;
  if (typeof oidc !== "object" || !patterns.oidcProviderArn.test(oidc.arn)) return;
  const path = ["cluster", "oidcProvider", "arn"];
  const { account } = arnParts(oidc.arn);
  if (account !== env.accountId)
    issue(ctx, path, `belongs to account ${account} (expected the environment's account ${env.accountId})`);
  else if (!oidc.arn.includes(`.${env.region}.`))
    issue(
      ctx,
      path,
      `is not the issuer of a cluster in ${env.region} (expected oidc.eks.${env.region}.amazonaws.com/id/...)`,
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
    rolePoliciesInEnvironment(env, ctx, ["backend", "runRole"], env.backend.runRole);
};

/** The managed collector cannot write to a workspace encrypted with a customer key (no cross-account setup here). */
const managedCollectorNeedsAwsOwnedKey: Rule = (env, ctx) => {
  if (env.collector.type === "managed" && env.amp.kmsKeyArn)
    issue(
      ctx,
      ["collector", "type"],
      'is "managed" but the AMP workspace uses a customer KMS key, which needs cross-account role configuration this project does not set up (expected type "prometheus", or no amp.kmsKeyArn)',
    );
};

/** A listed dashboard must be answerable by the environment's collector. */
const dashboardsAnsweredByCollector: Rule = (env, ctx) => {
  for (const [i, file] of (env.grafana.dashboards ?? []).entries()) {
    const needs = SHIPPED_DASHBOARDS[file]?.collector;
    if (needs && needs !== env.collector.type)
      issue(
        ctx,
        ["grafana", "dashboards", i],
        `"${file}" shows the ${needs} collector, but this environment's collector is "${env.collector.type}" (expected dashboards of its collector: ${dashboardsFor(env.collector.type).join(", ")})`,
      );
  }
};

/** The token method must work where Terraform runs. */
const kubernetesAuthWorksWhereTerraformRuns: Rule = (env, ctx) => {
  const auth = env.cluster.auth;
  const method = auth.method ?? defaultAuthMethod(env.backend);
  if (auth.method === "exec" && env.backend.type === "cloud" && env.backend.executionMode === "remote")
    issue(
      ctx,
      ["cluster", "auth", "method"],
      '"exec" runs the aws CLI, which Terraform Cloud\'s remote runners do not have (expected "ephemeral", or backend.executionMode "agent" with the aws CLI on the agents)',
    );
  if (auth.roleArn && method === "ephemeral")
    issue(
      ctx,
      ["cluster", "auth", "roleArn"],
      `is set, but cluster.auth.method is "ephemeral", whose token is made with the AWS provider's own credentials (expected method "exec", or no roleArn)`,
    );
  if (auth.roleArn)
    for (const message of arnPlacementProblems(auth.roleArn, { partition: env.partition, thing: "role" }))
      issue(ctx, ["cluster", "auth", "roleArn"], message);
};

/**
 * The identity-store lookup must run where Identity Center lives: from a workload account it fails
 * (AccessDenied / ResourceNotFound) unless it assumes a role in Identity Center's account.
 */
const identityCenterReachable: Rule = (env, ctx) => {
  const ic = env.grafana.admins.identityCenter;
  if (!ic || env.grafana.admins.userNames.length === 0) return;
  const path = ["grafana", "admins", "identityCenter", "lookupRoleArn"];
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

/** A pinned add-on version needs an add-on this project manages. */
const addonVersionNeedsTheAddon: Rule = (env, ctx) => {
  if (env.ebsCsi.driver === "existing" && env.ebsCsi.addonVersion)
    issue(
      ctx,
      ["ebsCsi", "addonVersion"],
      'is set but ebsCsi.driver is "existing": this project installs no add-on (expected driver "addon" or "adopt", or no addonVersion)',
    );
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

const ENVIRONMENT_RULES: Rule[] = [
  kmsKeysInEnvironment,
  oidcProviderOfEnvironment,
  runRolePoliciesInEnvironment,
  managedCollectorNeedsAwsOwnedKey,
  dashboardsAnsweredByCollector,
  kubernetesAuthWorksWhereTerraformRuns,
  addonVersionNeedsTheAddon,
  identityCenterReachable,
  githubRolesFitTheBackend,
  importedDashboardsHaveMetrics,
];

/**
 * Where Terraform runs decides how it can get a cluster token: Terraform Cloud's runners have no aws CLI,
 * so cloud environments default to the ephemeral token; anywhere else (CI, laptops) exec, which survives
 * applies longer than the token's 15 minutes.
 */
function defaultAuthMethod(backend: { type: string }): "exec" | "ephemeral" {
  return backend.type === "cloud" ? "ephemeral" : "exec";
}

/** Defaults that depend on other fields: the S3 key prefix and region, the token method, the collector's dashboards. */
function resolveDefaults({ prometheus: _p, managedCollector: _m, ...env }: Shape) {
  const backend =
    env.backend.type === "s3"
      ? {
          ...env.backend,
          region: env.backend.region ?? env.region,
          keyPrefix: env.backend.keyPrefix ?? `${PROJECT}/${env.name}`,
        }
      : env.backend;
  const dashboards = env.grafana.dashboards ?? dashboardsFor(env.collector.type);
  const method = env.cluster.auth.method ?? defaultAuthMethod(env.backend);
  const auth: KubernetesAuth =
    method === "exec"
      ? { method, ...(env.cluster.auth.roleArn ? { roleArn: env.cluster.auth.roleArn } : {}) }
      : { method };
  return { ...env, backend, cluster: { ...env.cluster, auth }, grafana: { ...env.grafana, dashboards } };
}

export const environmentSchema = environmentShape
  .superRefine((env, ctx) => {
    for (const rule of ENVIRONMENT_RULES) rule(env, ctx);
  })
  .transform(resolveDefaults);

/** What an environment file writes (defaults may be omitted). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** A validated environment with every default resolved: what stacks receive. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type BackendConfig = EnvironmentConfig["backend"];
export type S3BackendConfig = Extract<BackendConfig, { type: "s3" }>;
export type CloudBackendConfig = Extract<BackendConfig, { type: "cloud" }>;
export type CollectorConfig = EnvironmentConfig["collector"];
export type PrometheusCollectorConfig = Extract<CollectorConfig, { type: "prometheus" }>;
export type ManagedCollectorConfig = Extract<CollectorConfig, { type: "managed" }>;
export type MetricsConfig = EnvironmentConfig["metrics"];
export type SizingConfig = EnvironmentConfig["sizing"];

/** Type helper for environment files: `export const dev = defineEnvironment({ ... })`. */
export function defineEnvironment(env: EnvironmentInput): EnvironmentInput {
  return env;
}
