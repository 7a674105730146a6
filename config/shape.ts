/**
 * The shape of one environment: its identity (name, account, region, partition, protection, tags) and one
 * section per concern, each in its own file beside this one.
 */
import * as z from "zod";
import { BOOTSTRAP_PREFIX } from "../lib/naming";
import { alertingSchema } from "./alerting";
import { ampSchema } from "./amp";
import { backendSchema } from "./backend";
import { clusterSchema } from "./cluster";
import { bool, listError, moved, pattern, patterns } from "./fields";
import { githubSchema } from "./github";
import { grafanaSchema } from "./grafana";
import { metricsSchema } from "./metrics";
import { networkSchema } from "./network";
import { sizingSchema } from "./sizing";

/** Maximum tags AWS accepts on a resource, less the 4 default tags every provider adds. */
export const MAX_USER_TAGS = 50 - 4;

export const environmentShape = z.strictObject({
  name: pattern(
    patterns.envName,
    "an environment name",
    "1-12 lower-case letters and digits, starting with a letter",
  )
    .refine((name) => name !== BOOTSTRAP_PREFIX, {
      error: `"${BOOTSTRAP_PREFIX}" is reserved (expected another name: stacks named ${BOOTSTRAP_PREFIX}-* are the bootstrap stacks, and 'cdktf deploy ${BOOTSTRAP_PREFIX}-*' would deploy them)`,
    })
    .describe(
      "Environment name: stacks are `<name>-network`, `<name>-cluster-monitoring`, `<name>-cluster-<cluster>` per cluster, `<name>-grafana`, `<name>-grafana-token`, `<name>-grafana-config`.",
    ),
  accountId: pattern(patterns.accountId, "an AWS account id", "12 digits, e.g. 111111111111").describe(
    "AWS account the environment deploys to; every provider refuses any other account.",
  ),
  region: pattern(patterns.region, "an AWS region", 'a region such as "us-east-1"').describe(
    "AWS region of the clusters, the AMP workspace and the AMG workspace.",
  ),
  partition: pattern(patterns.partition, "an AWS partition", '"aws", "aws-cn" or "aws-us-gov"')
    .default("aws")
    .describe("AWS partition."),
  protect: bool("protect stateful resources from destroy").describe(
    "Protect stateful resources (AMP and AMG workspaces, Prometheus namespace, KMS keys) with prevent_destroy.",
  ),
  tags: z
    .record(
      pattern(patterns.tagKey, "a tag key", "1-128 characters, not starting with aws:"),
      pattern(patterns.tagValue, "a tag value", "0-256 characters"),
    )
    .refine((tags) => Object.keys(tags).length <= MAX_USER_TAGS, {
      error: (iss) =>
        `has ${Object.keys(iss.input as object).length} tags (expected at most ${MAX_USER_TAGS}: AWS allows 50 and the project adds 4)`,
    })
    .default({})
    .describe("Extra tags on every resource (the project adds project, environment, stack and managed-by)."),
  clusters: z
    .array(clusterSchema, { error: listError("clusters") })
    .min(1, { error: () => "is empty (expected at least one cluster: { name, collector, ... })" })
    .describe(
      "The existing EKS clusters to monitor, one or more (a blue/green upgrade runs two): each with its collector, EBS CSI driver and size, all writing to the environment's AMP workspace, told apart by the `cluster` label.",
    ),
  network: networkSchema.describe(
    "The environment's VPC and its AMP interface endpoints (network stack): the aps-workspaces endpoint created or reused, the optional aps one. A cluster in another VPC says so in its own `network`.",
  ),
  amp: ampSchema.describe("The Amazon Managed Service for Prometheus workspace."),
  cluster: moved(
    "clusters: [{ name, oidcProvider, auth, collector, ebsCsi, sizing }] (one entry per EKS cluster; the fields of cluster, collector and ebsCsi go inside it)",
  ).describe("Moved into `clusters`."),
  collector: moved("clusters[].collector (each cluster has its own collector)").describe(
    "Moved into `clusters[].collector`.",
  ),
  ebsCsi: moved("clusters[].ebsCsi (each cluster has its own EBS CSI driver)").describe(
    "Moved into `clusters[].ebsCsi`.",
  ),
  prometheus: moved('clusters[].collector: { type: "prometheus", ... } holding its fields').describe(
    'Moved into `clusters[].collector` (type "prometheus").',
  ),
  managedCollector: moved('clusters[].collector: { type: "managed", ... } holding its fields').describe(
    'Moved into `clusters[].collector` (type "managed").',
  ),
  grafana: grafanaSchema.describe("The Amazon Managed Grafana workspace."),
  alerting: alertingSchema
    .prefault({})
    .describe(
      "AMP alerts: where they go (per severity: SNS topics with mail, HTTPS and Slack/Teams through AWS Chatbot) and when they fire (thresholds).",
    ),
  github: githubSchema
    .optional()
    .describe(
      "GitHub Actions deploy and plan roles of this environment, created by the bootstrap-github-aws-<account> stack with their EKS access (S3 state only).",
    ),
  metrics: metricsSchema
    .prefault({})
    .describe(
      "What the collector sends to AMP (allow-list by default), the ingestion budget and the workspace's series limits.",
    ),
  sizing: sizingSchema
    .prefault({})
    .describe(
      "Grafana's use, for `npm run cost` (changes no resource); each cluster's size is in `clusters[].sizing`.",
    ),
  backend: backendSchema.describe(
    "Where each stack keeps its Terraform state: s3, cloud (Terraform Cloud / HCP Terraform) or local.",
  ),
});

/** An environment as the shape parses it, before the cross-section rules and the defaults that depend on other fields. */
export type EnvironmentShape = z.output<typeof environmentShape>;
