import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { type IGrantable, InlinePolicy, type PolicyStatement, policyDocument } from "../../lib/iam";
import type { IEksCluster } from "./existing-eks-cluster";

/** A Kubernetes service account. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export interface IrsaRoleProps {
  /** The cluster whose OIDC provider the role trusts. */
  readonly cluster: IEksCluster;
  /** The only service account allowed to assume the role. */
  readonly serviceAccount: ServiceAccountRef;
  /** IAM role name. */
  readonly roleName: string;
  /** What the role is for, shown in IAM. */
  readonly description: string;
  /** Managed policies to attach. @default none */
  readonly managedPolicyArns?: string[];
  /** Refuse any plan that destroys the role (something outside the stack keeps using it). @default false */
  readonly preventDestroy?: boolean;
}

/** The resources an IrsaRole declares (type and construct id), for whoever must name them once it is gone. */
export const IRSA_ROLE_RESOURCES = {
  role: { type: "aws_iam_role", id: "role" },
  inlinePolicy: { type: "aws_iam_role_policy", id: "policy" },
  /** The i-th managed policy attachment. */
  managedPolicy: (i: number) => ({ type: "aws_iam_role_policy_attachment", id: `managed-${i}` }),
} as const;

/**
 * An IAM role for one Kubernetes service account (IRSA): trusted by the cluster's OIDC provider only for
 * `system:serviceaccount:<namespace>:<name>` with audience `sts.amazonaws.com`. Permissions come from grants
 * (`workspace.grantRemoteWrite(role)`), which add to the role's inline policy.
 */
export class IrsaRole extends Construct implements IGrantable {
  /** The role. */
  readonly role: IamRole;
  /** Role ARN, for the service account's `eks.amazonaws.com/role-arn` annotation. */
  readonly roleArn: string;
  /** The `sub` the trust policy requires. */
  readonly subject: string;
  /** The managed policies attached to the role. */
  readonly managedPolicyAttachments: IamRolePolicyAttachment[];
  private readonly inline: InlinePolicy;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const { cluster, serviceAccount } = props;
    this.subject = `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`;
    this.role = new IamRole(this, IRSA_ROLE_RESOURCES.role.id, {
      name: props.roleName,
      description: props.description,
      maxSessionDuration: 3600,
      assumeRolePolicy: policyDocument({
        Sid: "ServiceAccountWebIdentity",
        Effect: "Allow",
        Principal: { Federated: cluster.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${cluster.oidcIssuerHost}:sub`]: this.subject,
            [`${cluster.oidcIssuerHost}:aud`]: "sts.amazonaws.com",
          },
        },
      }),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.roleArn = this.role.arn;
    this.inline = new InlinePolicy(this, IRSA_ROLE_RESOURCES.inlinePolicy.id, this.role, props.roleName);
    this.managedPolicyAttachments = (props.managedPolicyArns ?? []).map(
      (policyArn, i) =>
        new IamRolePolicyAttachment(this, IRSA_ROLE_RESOURCES.managedPolicy(i).id, {
          role: this.role.name,
          policyArn,
        }),
    );
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.inline.addToPolicy(...statements);
  }

  /** The inline policy, once something was granted. */
  get policy() {
    return this.inline.resource;
  }

  /**
   * What a workload using the role waits for: the role, its inline policy and its managed policy
   * attachments. IAM answers CreateRole before the permissions exist, so a pod that starts after the role
   * alone gets AccessDenied until the policy lands (and a failing Helm wait may roll the release back).
   */
  get permissions(): ITerraformDependable[] {
    return [this.role, ...(this.policy ? [this.policy] : []), ...this.managedPolicyAttachments];
  }
}
