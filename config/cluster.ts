/**
 * `clusters[]`: the existing EKS clusters to monitor, each with its IAM OIDC provider, how Terraform's
 * Kubernetes and Helm providers authenticate to it, its VPC when not the environment's, its collector, its EBS
 * CSI driver and its size. Every cluster writes to the environment's one AMP workspace, its series labelled
 * `cluster="<name>"`, and has its own stack, `<env>-cluster-<id or name>`.
 */
import * as z from "zod";
import { collectorSchema } from "./collector";
import { ebsCsiSchema } from "./ebs-csi";
import { bool, iamRoleArn, pattern, patterns, show } from "./fields";
import { networkSchema } from "./network";
import { clusterSizingSchema } from "./sizing";

/** A given OIDC provider is named by its ARN (checked here rather than in the union, whose error would hide this one). */
function oidcProviderArnFormat(source: "lookup" | "create" | { arn: string }, ctx: z.RefinementCtx): void {
  if (typeof source === "object" && !patterns.oidcProviderArn.test(source.arn))
    ctx.addIssue({
      code: "custom",
      path: ["arn"],
      message: `"${source.arn}" is not an IAM OIDC provider ARN (expected arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>)`,
    });
}

const clusterAuthSchema = z.strictObject({
  method: z
    .enum(["exec", "ephemeral"], {
      error: (iss) => `${show(iss.input)} is not a token method (expected "exec" or "ephemeral")`,
    })
    .optional()
    .describe(
      'How the Kubernetes and Helm providers get a token at apply time: "exec" (aws eks get-token; needs the aws CLI) or "ephemeral" (the AWS provider\'s ephemeral aws_eks_cluster_auth; Terraform >= 1.10, applies under 15 minutes). Default: "ephemeral" with backend "cloud", else "exec".',
    ),
  roleArn: iamRoleArn
    .optional()
    .describe(
      'Role `aws eks get-token --role-arn` assumes for the token ("exec" only); default: the identity running Terraform.',
    ),
});

export const clusterSchema = z.strictObject({
  name: pattern(
    patterns.clusterName,
    "an EKS cluster name",
    "1-100 letters, digits, - and _, starting alphanumeric",
  ).describe(
    "Name of the existing EKS cluster, in the environment's account and region: the value of the `cluster` label on its series.",
  ),
  id: pattern(
    patterns.clusterId,
    "a cluster id",
    "1-12 lower-case letters and digits, starting with a letter",
  )
    .optional()
    .describe(
      "Short key of the cluster in its stack's and resources' names (`<env>-cluster-<id>`, `eksmon-<env>-<id>-amp-ingest`). Omitted: the stack is `<env>-cluster-<name>` and the cluster's AWS resources keep the environment's names (`eksmon-<env>-amp-ingest`), as before environments had several clusters; at most one cluster of an environment may omit it.",
    ),
  oidcProvider: z
    .union(
      [
        z.literal("lookup"),
        z.literal("create"),
        z.strictObject({
          arn: z.string().describe("ARN of an existing IAM OIDC provider for the cluster's issuer."),
        }),
      ],
      {
        error: () => 'must be "lookup", "create" or { arn: "arn:aws:iam::<account>:oidc-provider/..." }',
      },
    )
    .superRefine(oidcProviderArnFormat)
    .default("lookup")
    .describe(
      'IAM OIDC provider: "lookup" reads it from the cluster\'s issuer, "create" creates it, or give its ARN.',
    ),
  auth: clusterAuthSchema
    .prefault({})
    .describe("Credentials of the Kubernetes and Helm providers (docs/operations.md)."),
  network: networkSchema
    .optional()
    .describe(
      "The cluster's VPC and its AMP endpoint, when the cluster is not in the environment's `network` VPC (clusters sharing a VPC share its endpoint).",
    ),
  collector: collectorSchema.describe(
    'Who scrapes the cluster: `{ type: "prometheus", ... }` (a server in the cluster remote-writes to AMP) or `{ type: "managed", subnetIds, ... }` (the AMP managed collector).',
  ),
  ebsCsi: ebsCsiSchema
    .prefault({})
    .describe("The aws-ebs-csi-driver EKS add-on and the StorageClass for Prometheus data."),
  sizing: clusterSizingSchema
    .prefault({})
    .describe("Size of the cluster, for `npm run cost` (changes no resource)."),
  adopt: z
    .strictObject({
      clusterMonitoringStack: bool("take the cluster's resources over from <env>-cluster-monitoring")
        .default(false)
        .describe(
          "Upgrading from 0.2, where one cluster's resources lived in `<env>-cluster-monitoring`: the next apply forgets them there (`removed`, never destroyed) and imports them into this cluster's stack (docs/upgrading.md). One-shot: remove it after that deploy.",
        ),
      managedScraper: z
        .strictObject({
          id: pattern(patterns.scraperId, "a scraper id", "s- followed by letters, digits and -").describe(
            "The scraper's id (`scraperId`).",
          ),
          roleArn: iamRoleArn.describe("ARN of the scraper's service-linked role (`roleArn`)."),
        })
        .optional()
        .describe(
          "With `clusterMonitoringStack` and the managed collector: the scraper to take over, as `aws amp list-scrapers --filters alias=eksmon-<env>-scraper` shows it (no data source reads scrapers).",
        ),
    })
    .prefault({})
    .describe("What this cluster takes over on its first apply."),
});

/**
 * How the Kubernetes and Helm providers get a token at apply time, once defaults are resolved (the cluster
 * construct documents both methods).
 */
export type KubernetesAuth =
  | { readonly method: "exec"; readonly roleArn?: string }
  | { readonly method: "ephemeral" };

/**
 * Where Terraform runs decides how it can get a cluster token: Terraform Cloud's runners have no aws CLI,
 * so cloud environments default to the ephemeral token; anywhere else (CI, laptops) exec, which survives
 * applies longer than the token's 15 minutes.
 */
export function defaultAuthMethod(backend: { type: string }): "exec" | "ephemeral" {
  return backend.type === "cloud" ? "ephemeral" : "exec";
}
