import type { Construct } from "constructs";
import { Role } from "../iam/role";
import { GITHUB_AWS_AUDIENCE, GITHUB_OIDC_HOST } from "./github-oidc";

export interface GithubActionsRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  /** What the role is for, shown in IAM. */
  readonly description: string;
  /** ARN of the account's OIDC provider for GitHub Actions. */
  readonly oidcProviderArn: string;
  /** The one `sub` claim allowed, e.g. `repo:<owner>/<repo>:environment:<env>` (exact, no wildcard). */
  readonly subject: string;
  /** Longest session, in seconds (the job's `role-duration-seconds` may not exceed it). @default 3600 */
  readonly maxSessionSeconds?: number;
  /** Managed policies to attach, keyed by ARN. @default none */
  readonly policyArns?: readonly string[];
  /** Permissions boundary. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * A role GitHub Actions assumes with its OIDC token (no static keys): trusted only for one exact subject
 * (a repository's GitHub environment, or its pull requests) with the STS audience. Grants add to its
 * inline policy (state access); managed policies, keyed by ARN, grant what it deploys or reads.
 */
export class GithubActionsRole extends Role {
  constructor(scope: Construct, id: string, props: GithubActionsRoleProps) {
    super(scope, id, {
      roleName: props.roleName,
      description: props.description,
      maxSessionSeconds: props.maxSessionSeconds ?? 3600,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      managedPolicyArns: props.policyArns,
      trust: [
        {
          Sid: "GithubActionsOidc",
          Effect: "Allow",
          Principal: { Federated: props.oidcProviderArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_AWS_AUDIENCE,
              [`${GITHUB_OIDC_HOST}:sub`]: props.subject,
            },
          },
        },
      ],
    });
    // Attachments were `policy-<index>` before they were keyed by ARN.
    this.movedAttachmentsFromIndex("policy-", props.policyArns ?? []);
  }
}
