/**
 * The one typed shape of an environment, validated at synth time.
 *
 * Every constraint here mirrors an AWS or Kubernetes rule (see docs/configuration.md, generated from this
 * schema). Messages say what is wrong and what is expected; `validateEnvironments` prefixes them with
 * `<env>.<field>`.
 */
import { z } from "zod";
import { SHIPPED_DASHBOARDS } from "../../monitoring/dashboards";

/** Renders a user's value inside an error message. */
function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
}

/** A string that must match `re`; the message names the expectation and an example. */
function pattern(re: RegExp, what: string, expected: string) {
  return z
    .string({
      error: (iss) =>
        `${iss.input === undefined ? "is required" : "must be a string"} (expected ${expected})`,
    })
    .regex(re, { error: (iss) => `${show(iss.input)} is not ${what} (expected ${expected})` });
}

function lengthBetween(min: number, max: number, what: string, re?: RegExp, reText?: string) {
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

function intBetween(min: number, max: number, what: string) {
  return z
    .number({ error: () => `must be a number (expected ${what}, an integer ${min}-${max})` })
    .int({ error: (iss) => `${show(iss.input)} is not an integer (expected ${what}, ${min}-${max})` })
    .min(min, { error: (iss) => `${show(iss.input)} is too small (expected ${what}, ${min}-${max})` })
    .max(max, { error: (iss) => `${show(iss.input)} is too large (expected ${what}, ${min}-${max})` });
}

function numberBetween(min: number, max: number, what: string) {
  return z
    .number({ error: () => `must be a number (expected ${what}, ${min}-${max})` })
    .min(min, { error: (iss) => `${show(iss.input)} is too small (expected ${what}, ${min}-${max})` })
    .max(max, { error: (iss) => `${show(iss.input)} is too large (expected ${what}, ${min}-${max})` });
}

const bool = (what: string) => z.boolean({ error: () => `must be true or false (${what})` });

// --- AWS and Kubernetes identifiers (BRIEF: AWS constraints a config validator should enforce) ---
export const patterns = {
  envName: /^[a-z][a-z0-9]{0,11}$/,
  accountId: /^\d{12}$/,
  region: /^[a-z]{2}(-[a-z]+)+-\d$/,
  partition: /^aws(-[a-z]+)*$/,
  clusterName: /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/,
  vpcId: /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/,
  subnetId: /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/,
  cidr: /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/,
  kmsKeyArn: /^arn:aws[-a-z]*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/[a-zA-Z0-9-]+$/,
  oidcProviderArn: /^arn:aws[-a-z]*:iam::\d{12}:oidc-provider\/[a-z0-9.-]+\/id\/[A-Za-z0-9]+$/,
  addonVersion: /^v\d+\.\d+\.\d+-eksbuild\.\d+$/,
  semver: /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/,
  k8sName: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
  duration: /^(\d+(ms|s|m|h|d|w|y))+$/,
  quantity: /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|m|k|M|G|T)?$/,
  grafanaName: /^[a-zA-Z0-9\-._~]{1,255}$/,
  identityCenterId:
    /^([0-9a-fA-F]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
  identityStoreId: /^d-[0-9a-f]{10}$/,
  securityGroupId: /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/,
  s3Bucket: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  stateKeyPrefix: /^[A-Za-z0-9!_.*'()/-]{1,900}[A-Za-z0-9!_.*'()-]$/,
  tfcName: /^[A-Za-z0-9_-]{1,90}$/,
  agentPoolId: /^apool-[A-Za-z0-9]{16}$/,
  terraformVersion: /^\d+\.\d+\.\d+$/,
  iamPolicyArn: /^arn:aws[-a-z]*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,512}$/,
  iamRoleName: /^[\w+=,.@-]{1,64}$/,
  hostname: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/,
  tagKey: /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
  tagValue: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u,
  email: /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/,
  dashboardFile: /^[a-z0-9][a-z0-9-]*\.json$/,
  datasourceInput: /^[A-Za-z_][A-Za-z0-9_]*$/,
} as const;

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

/** Who collects the cluster's metrics (see docs/collectors.md). */
export const COLLECTORS = ["prometheus", "managed"] as const;

/** Grafana versions AMG offers; a workspace can be upgraded, never downgraded. */
export const GRAFANA_VERSIONS = ["9.4", "10.4", "12.4"] as const;

const kmsKeyArn = pattern(
  patterns.kmsKeyArn,
  "a KMS key ARN",
  "arn:aws:kms:<region>:<account>:key/<key-id>; an alias is not accepted",
);

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

export const s3BackendSchema = z.strictObject({
  /** Backend kind. */
  type: z.literal("s3"),
  /** State bucket (created by the bootstrap stack or your own; versioned). */
  bucket: pattern(
    patterns.s3Bucket,
    "an S3 bucket name",
    "3-63 lower-case letters, digits, dots and hyphens",
  ),
  /** Key prefix; each stack's state is `<keyPrefix>/<stack>.tfstate`. Defaults to `eks-monitoring/<env>`. */
  keyPrefix: pattern(
    patterns.stateKeyPrefix,
    "an S3 key prefix",
    'a path without a trailing slash, e.g. "eks-monitoring/dev"',
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

export const cloudBackendSchema = z.strictObject({
  /** Backend kind. */
  type: z.literal("cloud"),
  /** Terraform Cloud / HCP Terraform organization. */
  organization: pattern(patterns.tfcName, "a Terraform Cloud organization name", "letters, digits, _ and -"),
  /** Workspaces are named `<workspacePrefix>-<env>-<stack>`. */
  workspacePrefix: pattern(patterns.tfcName, "a workspace name prefix", "letters, digits, _ and -").default(
    "eks-monitoring",
  ),
  /** Terraform Cloud project holding the workspaces (created by the TFC bootstrap; named in the run role's trust). */
  project: lengthBetween(
    3,
    40,
    "a Terraform Cloud project name",
    /^[A-Za-z0-9 _-]+$/,
    "letters, digits, spaces, _ and -",
  ).default("eks-monitoring"),
  /** Terraform Cloud / Enterprise hostname. */
  hostname: pattern(patterns.hostname, "a hostname", 'a host such as "app.terraform.io"').default(
    "app.terraform.io",
  ),
  /** Terraform version the workspaces run (pinned; >= 1.10). */
  terraformVersion: pattern(
    patterns.terraformVersion,
    "a Terraform version",
    'an exact version such as "1.11.4"',
  ).default("1.11.4"),
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
      name: pattern(patterns.iamRoleName, "an IAM role name", "1-64 letters, digits and +=,.@_-").optional(),
      /** Managed policies granting what the stacks deploy (least privilege is yours to define; none by default). */
      policyArns: z
        .array(
          pattern(
            patterns.iamPolicyArn,
            "an IAM policy ARN",
            "arn:aws:iam::<account>:policy/<name> or arn:aws:iam::aws:policy/<name>",
          ),
          { error: () => "must be a list of IAM policy ARNs" },
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
});

export const localBackendSchema = z.strictObject({
  /** Backend kind. */
  type: z.literal("local"),
});

export const environmentSchema = z.strictObject({
  /** Environment name: stacks are `<name>-network`, `<name>-cluster-monitoring`, `<name>-grafana`. */
  name: pattern(
    patterns.envName,
    "an environment name",
    "1-12 lower-case letters and digits, starting with a letter",
  ),
  /** AWS account the environment deploys to; every provider refuses any other account. */
  accountId: pattern(patterns.accountId, "an AWS account id", "12 digits, e.g. 111111111111"),
  /** AWS region of the cluster, the AMP workspace and the AMG workspace. */
  region: pattern(patterns.region, "an AWS region", 'a region such as "us-east-1"'),
  /** AWS partition. */
  partition: pattern(patterns.partition, "an AWS partition", '"aws", "aws-cn" or "aws-us-gov"').default(
    "aws",
  ),
  /** Protect stateful resources (AMP and AMG workspaces, Prometheus namespace) with prevent_destroy. Default: true for "prod". */
  protect: bool("protect stateful resources from destroy").optional(),
  /** Extra tags on every resource (the project adds project, environment, stack and managed-by). */
  tags: z
    .record(
      pattern(patterns.tagKey, "a tag key", "1-128 characters, not starting with aws:"),
      pattern(patterns.tagValue, "a tag value", "0-256 characters"),
    )
    .default({}),

  /** The existing EKS cluster to monitor. */
  cluster: z.strictObject({
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
      .default("lookup"),
  }),

  /** Where the AMP interface endpoint goes (network stack). */
  network: z.strictObject({
    /** VPC of the cluster, where the AMP interface endpoint is created. */
    vpcId: pattern(patterns.vpcId, "a VPC id", "vpc- followed by 8 or 17 hex digits"),
    /** CIDR blocks allowed to reach the endpoint on tcp/443 (the VPC's CIDRs). */
    vpcCidrs: z
      .array(pattern(patterns.cidr, "an IPv4 CIDR block", 'a block such as "10.0.0.0/16"'), {
        error: () => "must be a list of CIDR blocks",
      })
      .min(1, { error: () => "is empty (expected at least one CIDR block of the VPC)" }),
    /** Subnets of the endpoint's network interfaces, one per AZ. */
    endpointSubnetIds: z
      .array(pattern(patterns.subnetId, "a subnet id", "subnet- followed by 8 or 17 hex digits"), {
        error: () => "must be a list of subnet ids",
      })
      .min(2, { error: () => "has fewer than 2 subnets (expected at least 2, in different AZs)" })
      .max(16, { error: () => "has more than 16 subnets (expected 2-16)" }),
    /** Also create an interface endpoint for the AMP control plane (`com.amazonaws.<region>.aps`). */
    controlPlaneEndpoint: bool("create the aps control-plane endpoint").default(false),
  }),

  /** The Amazon Managed Service for Prometheus workspace. */
  amp: z.strictObject({
    /** AMP workspace alias. */
    alias: lengthBetween(1, 100, "an AMP workspace alias"),
    /** How long AMP keeps samples, in days. */
    retentionDays: intBetween(1, 1095, "retention in days").default(150),
    /** Customer-managed KMS key for the workspace (AWS-owned key when omitted; changing it replaces the workspace). */
    kmsKeyArn: kmsKeyArn.optional(),
    /** Allow remote write only through the network stack's VPC endpoint (aws:SourceVpce). */
    requireVpcEndpoint: bool("require the VPC endpoint for remote write").default(true),
  }),

  /** Who scrapes the cluster: "prometheus" (a server in the cluster remote-writes to AMP) or "managed" (the AMP managed collector). */
  collector: z
    .enum(COLLECTORS, {
      error: (iss) => `${show(iss.input)} is not a collector (expected "prometheus" or "managed")`,
    })
    .default("prometheus"),

  /** The AMP managed collector (required when collector is "managed"; ignored otherwise). */
  managedCollector: z
    .strictObject({
      /** Subnets of the collector's network interfaces: 2-5 subnets in at least two AZs, routable to the cluster. */
      subnetIds: z
        .array(pattern(patterns.subnetId, "a subnet id", "subnet- followed by 8 or 17 hex digits"), {
          error: () => "must be a list of subnet ids",
        })
        .min(2, { error: () => "has fewer than 2 subnets (expected 2-5 subnets, in at least two AZs)" })
        .max(5, { error: () => "has more than 5 subnets (expected 2-5 subnets, the collector's limit)" }),
      /** Security groups of the collector (1-5); when omitted the project creates one allowed to reach the cluster. */
      securityGroupIds: z
        .array(
          pattern(patterns.securityGroupId, "a security group id", "sg- followed by 8 or 17 hex digits"),
          { error: () => "must be a list of security group ids" },
        )
        .min(1, { error: () => "is empty (expected 1-5 security group ids, or omit it to create one)" })
        .max(5, { error: () => "has more than 5 security groups (expected 1-5)" })
        .optional(),
      /** Scrape interval of every job, at least "30s" (the collector's floor). */
      scrapeInterval: pattern(
        patterns.duration,
        "a Prometheus duration",
        'a duration of at least 30s, such as "30s" or "1m"',
      ).default("1m"),
      /** Extra `scrape_configs` entries as a YAML list, appended to the generated jobs (IPs only, no other SD than kubernetes_sd_configs). */
      extraScrapeConfigs: z
        .string({ error: () => "must be a string (expected a YAML list of scrape_config entries)" })
        .optional(),
      /** Create the EKS access entry for the scraper's role (set false when AWS already created one: see docs/collectors.md). */
      accessEntry: bool("create the scraper's EKS access entry").default(true),
      /** Namespace of the node-exporter and kube-state-metrics releases (created here). */
      namespace: pattern(patterns.k8sName, "a namespace name", "a DNS-1123 label").default(
        "monitoring-exporters",
      ),
      /** Chart repository of both exporters (an internal mirror works too). */
      chartRepository: z
        .url({ error: (iss) => `${show(iss.input)} is not a URL (expected an https or oci repository URL)` })
        .default("https://prometheus-community.github.io/helm-charts"),
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
    })
    .optional(),

  /** The in-cluster Prometheus server (used when collector is "prometheus"; all fields have defaults). */
  prometheus: z
    .strictObject({
      /** prometheus-community/prometheus chart version. */
      chartVersion: pattern(patterns.semver, "a chart version", 'an exact version such as "29.27.0"').default(
        "29.27.0",
      ),
      /** Chart repository (an internal mirror works too). */
      chartRepository: z
        .url({ error: (iss) => `${show(iss.input)} is not a URL (expected an https or oci repository URL)` })
        .default("https://prometheus-community.github.io/helm-charts"),
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
        .prefault({}),
      /** Scrape interval, e.g. "30s". */
      scrapeInterval: pattern(
        patterns.duration,
        "a Prometheus duration",
        'a duration such as "30s" or "1m"',
      ).default("1m"),
      /** Local TSDB retention on the server (AMP keeps the long-term copy). */
      retention: pattern(patterns.duration, "a Prometheus duration", 'a duration such as "15d"').default(
        "15d",
      ),
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
      values: z.record(z.string(), z.unknown()).default({}),
    })
    .prefault({}),

  /** The aws-ebs-csi-driver EKS add-on and the StorageClass for Prometheus data. */
  ebsCsi: z.strictObject({
    /** aws-ebs-csi-driver add-on version. */
    addonVersion: pattern(
      patterns.addonVersion,
      "an EKS add-on version",
      'a version such as "v1.38.1-eksbuild.1"',
    ),
    /** StorageClass for Prometheus data (gp3, encrypted, Retain, WaitForFirstConsumer). */
    storageClassName: pattern(patterns.k8sName, "a StorageClass name", "a DNS-1123 label").default(
      "prometheus-gp3",
    ),
    /** Customer-managed KMS key for the volumes; the driver's role gets the grants it needs. */
    kmsKeyArn: kmsKeyArn.optional(),
  }),

  /** The Amazon Managed Grafana workspace. */
  grafana: z.strictObject({
    /** AMG workspace name. */
    name: pattern(patterns.grafanaName, "an AMG workspace name", "1-255 letters, digits and - . _ ~"),
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
      .default(["PROMETHEUS"]),
    /** Notification destinations (AMG supports SNS only). */
    notificationDestinations: z
      .array(z.literal("SNS", { error: (iss) => `${show(iss.input)} is not supported (expected "SNS")` }))
      .default(["SNS"]),
    /** Title of the project's folder in Grafana (one folder holds every dashboard below). */
    folderTitle: lengthBetween(1, 140, "a Grafana folder title").default("EKS monitoring"),
    /** Dashboards to publish, by file name in dashboards/ (default: all of them). */
    dashboards: z
      .array(
        pattern(
          patterns.dashboardFile,
          "a dashboard file name",
          'a .json file name in dashboards/, e.g. "cluster-capacity.json"',
        ),
        { error: () => "must be a list of dashboard file names" },
      )
      .default([...SHIPPED_DASHBOARDS]),
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
      .default([]),
    /** The service-account token the grafana provider uses. */
    token: z
      .strictObject({
        /** Token lifetime in days (AMG allows at most 30). */
        ttlDays: intBetween(1, 30, "token lifetime in days").default(30),
        /** Replace the token on the first apply after this many days (below ttlDays: apply at least once in between). */
        rotationDays: intBetween(1, 29, "token rotation period in days").default(7),
      })
      .prefault({}),
    /** Workspace admins in IAM Identity Center. */
    admins: z.strictObject({
      /** Identity Center user ids. */
      userIds: z
        .array(
          pattern(patterns.identityCenterId, "an Identity Center user id", "a UUID, optionally prefixed"),
        )
        .default([]),
      /** Identity Center group ids. */
      groupIds: z
        .array(
          pattern(patterns.identityCenterId, "an Identity Center group id", "a UUID, optionally prefixed"),
        )
        .default([]),
      /** User names looked up in the identity store at plan time. */
      userNames: z.array(lengthBetween(1, 128, "an Identity Center user name")).default([]),
      /** Identity store id (required with userNames). */
      identityStoreId: pattern(
        patterns.identityStoreId,
        "an identity store id",
        "d- followed by 10 hex digits",
      ).optional(),
      /** Region of the IAM Identity Center instance, when it is not the environment's region. */
      identityStoreRegion: pattern(
        patterns.region,
        "an AWS region",
        'a region such as "us-east-1"',
      ).optional(),
    }),
  }),

  /** AMP alerts: where they go (SNS email subscriptions) and when they fire (thresholds). */
  alerting: z
    .strictObject({
      /** Email addresses subscribed to the alert topic (each confirms a mail from SNS before receiving alerts). */
      emails: z
        .array(pattern(patterns.email, "an email address", 'an address such as "oncall@example.com"'), {
          error: () => "must be a list of email addresses",
        })
        .default([]),
      /** Thresholds of the baseline alerts (docs/grafana-as-code.md lists the alerts). */
      thresholds: z
        .strictObject({
          /** RemoteWriteBehind fires when remote write lags more than this, in seconds. */
          remoteWriteLagSeconds: intBetween(30, 86_400, "remote-write lag in seconds").default(300),
          /** RemoteWriteFailing fires when more than this percentage of samples fail. */
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
    })
    .prefault({}),

  /** Where each stack keeps its Terraform state: s3, cloud (Terraform Cloud / HCP Terraform) or local. */
  backend: z.discriminatedUnion("type", [s3BackendSchema, cloudBackendSchema, localBackendSchema], {
    error: (iss) =>
      iss.input === undefined
        ? 'is required (expected { type: "s3" | "cloud" | "local", ... })'
        : `has an unknown type (expected type "s3", "cloud" or "local")`,
  }),
});

/** What an environment file writes (defaults may be omitted). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
type Parsed = z.output<typeof environmentSchema>;
export type S3BackendConfig = z.output<typeof s3BackendSchema> & { keyPrefix: string; region: string };
export type CloudBackendConfig = z.output<typeof cloudBackendSchema>;
export type BackendConfig = S3BackendConfig | CloudBackendConfig | z.output<typeof localBackendSchema>;

/** A validated environment with every default resolved: what stacks receive. */
export type EnvironmentConfig = Omit<Parsed, "protect" | "backend"> & {
  protect: boolean;
  backend: BackendConfig;
};

/** Type helper for environment files: `export const dev = defineEnvironment({ ... })`. */
export function defineEnvironment(env: EnvironmentInput): EnvironmentInput {
  return env;
}
