import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { type IGrantable, InlinePolicy, type PolicyStatement, policyDocument } from "../../lib/iam";
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
  /** Managed policies to attach. @default none */
  readonly policyArns?: readonly string[];
  /** Permissions boundary. @default none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * A role GitHub Actions assumes with its OIDC token (no static keys): trusted only for one exact subject
 * (a repository's GitHub environment, or its pull requests) with the STS audience. Grants add to its
 * inline policy (state access); managed policies grant what it deploys or reads.
 */
export class GithubActionsRole extends Construct implements IGrantable {
  /** The role. */
  readonly role: IamRole;
  /** Role ARN: the principal of its EKS access entry and of state-bucket conditions. */
  readonly roleArn: string;
  private readonly inline: InlinePolicy;

  constructor(scope: Construct, id: string, props: GithubActionsRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      maxSessionDuration: props.maxSessionSeconds ?? 3600,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: policyDocument({
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
      }),
    });
    this.roleArn = this.role.arn;
    this.inline = new InlinePolicy(this, "policy", this.role, props.roleName);
    (props.policyArns ?? []).forEach((policyArn, i) => {
      new IamRolePolicyAttachment(this, `policy-${i}`, { role: this.role.name, policyArn });
    });
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.inline.addToPolicy(...statements);
  }
}
