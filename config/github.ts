/**
 * `github`: the GitHub Actions deploy and plan roles of an environment.
 */
import * as z from "zod";
import { iamPolicyArns, pattern, patterns, show } from "./fields";

export const githubSchema = z.strictObject({
  repository: pattern(
    patterns.githubRepository,
    "a GitHub repository",
    '"owner/name", e.g. "example-org/eksmon"',
  ).describe(
    "Repository whose workflows deploy and plan this environment, as owner/name (the subject its OIDC tokens carry).",
  ),
  oidcProvider: z
    .enum(["create", "lookup"], {
      error: (iss) => `${show(iss.input)} is not an OIDC provider source (expected "create" or "lookup")`,
    })
    .default("create")
    .describe(
      'GitHub Actions\' IAM OIDC provider in the account: "create" it, or "lookup" the one the account already has (one per account).',
    ),
  deployRole: z
    .strictObject({
      policyArns: iamPolicyArns.describe(
        "Managed policies granting what the stacks deploy (state access is added by the project).",
      ),
      permissionsBoundaryArn: pattern(
        patterns.iamPolicyArn,
        "an IAM policy ARN",
        "arn:aws:iam::<account>:policy/<name>",
      )
        .optional()
        .describe("Permissions boundary of the role."),
    })
    .prefault({})
    .describe(
      "The deploy role `eksmon-<env>-github-deploy`, assumed by the job in GitHub environment `<env>`: applies every stack; EKS cluster admin.",
    ),
  planRole: z
    .strictObject({
      policyArns: iamPolicyArns.describe(
        "Managed policies granting the reads a plan refreshes with, e.g. arn:aws:iam::aws:policy/ReadOnlyAccess (state access is added by the project).",
      ),
      permissionsBoundaryArn: pattern(
        patterns.iamPolicyArn,
        "an IAM policy ARN",
        "arn:aws:iam::<account>:policy/<name>",
      )
        .optional()
        .describe("Permissions boundary of the role."),
    })
    .prefault({})
    .describe(
      "The plan role `eksmon-<env>-github-plan`, assumed by pull-request jobs: reads only, never the Grafana token's state.",
    ),
});
