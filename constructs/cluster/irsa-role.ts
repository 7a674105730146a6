import type { Construct } from "constructs";
import { Role } from "../iam/role";
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
  /** Managed policies to attach, keyed by ARN. @default none */
  readonly managedPolicyArns?: readonly string[];
  /** Refuse any plan that destroys the role (something outside the stack keeps using it). @default false */
  readonly preventDestroy?: boolean;
}

/**
 * An IAM role for one Kubernetes service account (IRSA): trusted by the cluster's OIDC provider only for
 * `system:serviceaccount:<namespace>:<name>` with audience `sts.amazonaws.com`. Permissions come from grants
 * (`workspace.grantRemoteWrite(role)`), which add to the role's inline policy.
 */
export class IrsaRole extends Role {
  /** The `sub` the trust policy requires. */
  readonly subject: string;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    const { cluster, serviceAccount } = props;
    const subject = `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`;
    super(scope, id, {
      roleName: props.roleName,
      description: props.description,
      maxSessionSeconds: 3600,
      managedPolicyArns: props.managedPolicyArns,
      preventDestroy: props.preventDestroy,
      trust: [
        {
          Sid: "ServiceAccountWebIdentity",
          Effect: "Allow",
          Principal: { Federated: cluster.oidcProviderArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${cluster.oidcIssuerHost}:sub`]: subject,
              [`${cluster.oidcIssuerHost}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ],
    });
    this.subject = subject;
  }
}
