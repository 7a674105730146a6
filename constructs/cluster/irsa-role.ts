import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { policyDocument } from "../../lib/iam";

export interface IrsaRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  /** What the role is for, shown in IAM. */
  readonly description: string;
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** OIDC issuer without `https://` (prefix of the `:sub` and `:aud` condition keys). */
  readonly oidcIssuerHost: string;
  /** Namespace of the service account. */
  readonly namespace: string;
  /** Name of the service account allowed to assume the role. */
  readonly serviceAccount: string;
  /** Inline permissions policy (JSON). */
  readonly inlinePolicy?: string;
  /** Managed policies to attach. */
  readonly managedPolicyArns?: string[];
}

/**
 * An IAM role for one Kubernetes service account (IRSA): trusted by the cluster's OIDC provider only for
 * `system:serviceaccount:<namespace>:<name>` with audience `sts.amazonaws.com`.
 */
export class IrsaRole extends Construct {
  /** The role. */
  readonly role: IamRole;
  /** Role ARN, for the service account's `eks.amazonaws.com/role-arn` annotation. */
  readonly roleArn: string;
  /** The `sub` the trust policy requires. */
  readonly subject: string;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    this.subject = `system:serviceaccount:${props.namespace}:${props.serviceAccount}`;
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: props.description,
      maxSessionDuration: 3600,
      assumeRolePolicy: policyDocument({
        Sid: "ServiceAccountWebIdentity",
        Effect: "Allow",
        Principal: { Federated: props.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${props.oidcIssuerHost}:sub`]: this.subject,
            [`${props.oidcIssuerHost}:aud`]: "sts.amazonaws.com",
          },
        },
      }),
    });
    this.roleArn = this.role.arn;
    if (props.inlinePolicy) {
      new IamRolePolicy(this, "policy", {
        role: this.role.name,
        name: props.roleName,
        policy: props.inlinePolicy,
      });
    }
    (props.managedPolicyArns ?? []).forEach((policyArn, i) => {
      new IamRolePolicyAttachment(this, `managed-${i}`, { role: this.role.name, policyArn });
    });
  }
}
