/**
 * `backend`: where each stack keeps its Terraform state (S3, Terraform Cloud / HCP Terraform, or local files).
 */
import * as z from "zod";
import { PROJECT } from "../lib/naming";
import { compareVersions, MIN_TERRAFORM_VERSION } from "../lib/terraform";
import { bool, intBetween, kmsKeyArn, lengthBetween, listError, pattern, patterns, show } from "./fields";

export const s3BackendSchema = z.strictObject({
  type: z.literal("s3").describe("Backend kind."),
  bucket: pattern(
    patterns.s3Bucket,
    "an S3 bucket name",
    "3-63 lower-case letters, digits, dots and hyphens",
  ).describe("State bucket (created by the bootstrap stack or your own; versioned)."),
  keyPrefix: pattern(
    patterns.stateKeyPrefix,
    "an S3 key prefix",
    'a path without a trailing slash, e.g. "eksmon/dev"',
  )
    .optional()
    .describe("Key prefix; each stack's state is `<keyPrefix>/<stack>.tfstate`. Defaults to `eksmon/<env>`."),
  region: pattern(patterns.region, "an AWS region", 'a region such as "us-east-1"')
    .optional()
    .describe("Region of the state bucket; defaults to the environment's region."),
  kmsKeyArn: kmsKeyArn
    .optional()
    .describe(
      "Customer KMS key for state encryption (S3 backend and state bucket); the AWS managed aws/s3 key when omitted.",
    ),
  noncurrentVersionExpiryDays: intBetween(1, 3650, "days to keep old state versions")
    .default(90)
    .describe("Days the bootstrap stack keeps noncurrent (overwritten) state versions before expiring them."),
  bootstrapStateInBucket: bool("keep the bootstrap state in the bucket")
    .default(false)
    .describe(
      "Keep the state bootstrap stack's own state in the bucket (set after the first apply; see docs/delivery.md).",
    ),
});

/** A role Terraform Cloud runs assume (one for plans, one for applies): its name, policies and boundary. */
const tfcRole = (defaultName: string, policies: string) =>
  z
    .strictObject({
      name: pattern(patterns.iamRoleName, "an IAM role name", "1-64 letters, digits and +=,.@_-")
        .optional()
        .describe(`Role name; defaults to \`${defaultName}\`.`),
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
        .default([])
        .describe(`Managed policies granting ${policies} (none by default).`),
      permissionsBoundaryArn: pattern(
        patterns.iamPolicyArn,
        "an IAM policy ARN",
        "arn:aws:iam::<account>:policy/<name>",
      )
        .optional()
        .describe("Permissions boundary of the role."),
    })
    .prefault({});

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
    type: z.literal("cloud").describe("Backend kind."),
    organization: pattern(
      patterns.tfcName,
      "a Terraform Cloud organization name",
      "letters, digits, _ and -",
    ).describe("Terraform Cloud / HCP Terraform organization."),
    workspacePrefix: pattern(patterns.tfcName, "a workspace name prefix", "letters, digits, _ and -")
      .default(PROJECT)
      .describe("Workspaces are named `<workspacePrefix>-<env>-<stack>`."),
    project: lengthBetween(
      3,
      40,
      "a Terraform Cloud project name",
      /^[A-Za-z0-9 _-]+$/,
      "letters, digits, spaces, _ and -",
    )
      .default(PROJECT)
      .describe(
        "Terraform Cloud project holding the workspaces (created by the TFC bootstrap; named in the run role's trust).",
      ),
    hostname: pattern(patterns.hostname, "a hostname", 'a host such as "app.terraform.io"')
      .default("app.terraform.io")
      .describe("Terraform Cloud / Enterprise hostname."),
    terraformVersion: pattern(
      patterns.terraformVersion,
      "a Terraform version",
      'an exact version such as "1.11.4"',
    )
      .refine((v) => !patterns.terraformVersion.test(v) || compareVersions(v, MIN_TERRAFORM_VERSION) >= 0, {
        error: (iss) =>
          `${show(iss.input)} is older than ${MIN_TERRAFORM_VERSION}, the oldest Terraform this project supports (README "Prerequisites"; the ephemeral cluster token needs it) (expected ${MIN_TERRAFORM_VERSION} or later, e.g. "1.11.4")`,
      })
      .default("1.11.4")
      .describe("Terraform version the workspaces run (pinned; >= 1.10)."),
    executionMode: z
      .enum(["remote", "agent"], {
        error: (iss) => `${show(iss.input)} is not an execution mode (expected "remote" or "agent")`,
      })
      .default("remote")
      .describe('Where runs execute: "remote" (HCP Terraform runners) or "agent" (your agent pool).'),
    agentPoolId: pattern(patterns.agentPoolId, "an agent pool id", "apool- followed by 16 characters")
      .optional()
      .describe('Agent pool id (required with executionMode "agent").'),
    runRole: tfcRole(
      "eksmon-<env>-tfc-run",
      "what the stacks deploy (least privilege is yours to define)",
    ).describe(
      "IAM role the workspaces' applies assume through workload identity (TFC_AWS_APPLY_ROLE_ARN; created by the TFC bootstrap, with EKS cluster admin).",
    ),
    planRole: tfcRole(
      "eksmon-<env>-tfc-plan",
      "the reads a plan refreshes with, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess",
    ).describe(
      "IAM role the workspaces' plans assume (TFC_AWS_PLAN_ROLE_ARN; created by the TFC bootstrap): reads only, and in the cluster the plan readers' group. Plans run the configuration of whoever queued them, so they never hold the apply role.",
    ),
  })
  .superRefine(agentPoolMatchesExecutionMode);

export const localBackendSchema = z.strictObject({
  type: z.literal("local").describe("Backend kind."),
});

export const backendSchema = z.discriminatedUnion(
  "type",
  [s3BackendSchema, cloudBackendSchema, localBackendSchema],
  {
    error: (iss) =>
      iss.input === undefined
        ? 'is required (expected { type: "s3" | "cloud" | "local", ... })'
        : `has an unknown type (expected type "s3", "cloud" or "local")`,
  },
);
