import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { DataAwsEksClusterAuth } from "@cdktf/provider-aws/lib/data-aws-eks-cluster-auth";
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Fn, TerraformLocal } from "cdktf";
import { Construct } from "constructs";

/** How the cluster's IAM OIDC provider is found: looked up from the issuer, created, or given by ARN. */
export type OidcProviderSource = "lookup" | "create" | { readonly arn: string };

export interface ExistingEksClusterProps {
  /** Name of the EKS cluster, which must already exist. */
  readonly clusterName: string;
  /** Where the IAM OIDC provider for IRSA comes from. */
  readonly oidcProvider: OidcProviderSource;
}

/** What constructs need of an EKS cluster: its identity, network and the OIDC provider IRSA roles trust. */
export interface IEksCluster {
  /** Cluster name. */
  readonly name: string;
  /** Cluster ARN. */
  readonly arn: string;
  /** Security group EKS created for the control plane and managed node groups. */
  readonly clusterSecurityGroupId: string;
  /** ARN of the IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer host and path without `https://`, the prefix of the IRSA condition keys. */
  readonly oidcIssuerHost: string;
}

/**
 * An EKS cluster this project does not own: its API endpoint and CA, a short-lived token for the
 * Kubernetes and Helm providers (computed in the same stack, never passed across stacks), and the IAM
 * OIDC provider that IRSA roles trust.
 */
export class ExistingEksCluster extends Construct implements IEksCluster {
  /** Cluster name. */
  readonly name: string;
  /** Cluster ARN. */
  readonly arn: string;
  /** Security group EKS created for the control plane and managed node groups. */
  readonly clusterSecurityGroupId: string;
  /** Kubernetes API server URL. */
  readonly endpoint: string;
  /** PEM CA certificate of the API server (decoded). */
  readonly caCertificate: string;
  /** Bearer token for the Kubernetes and Helm providers (valid ~15 minutes, read at plan/apply). */
  readonly token: string;
  /** ARN of the IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer host and path without `https://`, the prefix of the IRSA condition keys. */
  readonly oidcIssuerHost: string;

  constructor(scope: Construct, id: string, props: ExistingEksClusterProps) {
    super(scope, id);
    const cluster = new DataAwsEksCluster(this, "cluster", { name: props.clusterName });
    const auth = new DataAwsEksClusterAuth(this, "auth", { name: props.clusterName });
    const issuerUrl = cluster.identity.get(0).oidc.get(0).issuer;
    this.name = props.clusterName; // known at plan time, unlike the data source's attribute
    this.arn = cluster.arn;
    this.clusterSecurityGroupId = cluster.vpcConfig.get(0).clusterSecurityGroupId;
    this.endpoint = cluster.endpoint;
    this.caCertificate = Fn.base64decode(cluster.certificateAuthority.get(0).data);
    this.token = auth.token;

    const source = props.oidcProvider;
    if (typeof source === "object") {
      this.oidcProviderArn = source.arn;
      this.oidcIssuerHost = source.arn.slice(
        source.arn.indexOf(":oidc-provider/") + ":oidc-provider/".length,
      );
    } else {
      // A local keeps policy documents free of quoted function arguments: they stay parseable JSON.
      this.oidcIssuerHost = new TerraformLocal(
        this,
        "oidc_issuer_host",
        Fn.replace(issuerUrl, "https://", ""),
      ).asString;
      this.oidcProviderArn =
        source === "create"
          ? new IamOpenidConnectProvider(this, "oidc-provider", {
              url: issuerUrl,
              clientIdList: ["sts.amazonaws.com"],
            }).arn
          : new DataAwsIamOpenidConnectProvider(this, "oidc-provider", { url: issuerUrl }).arn;
    }
  }
}
