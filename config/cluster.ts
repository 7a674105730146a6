/**
 * `cluster`: the existing EKS cluster to monitor, its IAM OIDC provider, and how Terraform's Kubernetes and
 * Helm providers authenticate to it.
 */
import * as z from "zod";
import { iamRoleArn, pattern, patterns, show } from "./fields";

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
  ).describe("Name of the existing EKS cluster."),
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
