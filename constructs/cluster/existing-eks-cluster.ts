import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import type { HelmProviderKubernetes } from "@cdktf/provider-helm/lib/provider";
import type { KubernetesProviderConfig } from "@cdktf/provider-kubernetes/lib/provider";
import { Fn, type IResolvable, TerraformLocal, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { importExisting } from "../../lib/adoption";

/** How the cluster's IAM OIDC provider is found: looked up from the issuer, created, or given by ARN. */
export type OidcProviderSource = "lookup" | "create" | { readonly arn: string };

/**
 * How the Kubernetes and Helm providers get a token, both at apply time (never a token read at plan):
 * - `exec`: each client runs `aws eks get-token` and runs it again when the token expires, so applies of
 *   any length work; needs the aws CLI where Terraform runs.
 * - `ephemeral`: the AWS provider's ephemeral `aws_eks_cluster_auth` (aws >= 5.84, Terraform >= 1.10),
 *   opened anew at apply, never stored; no CLI needed, but the token is not renewed during the apply
 *   (hashicorp/terraform-provider-aws#46633), so the Kubernetes work of one apply must fit in 15 minutes.
 */
export type KubernetesAuth =
  | {
      readonly method: "exec";
      /** Role `aws eks get-token` assumes first (`--role-arn`). @default none: the credentials Terraform runs with */
      readonly roleArn?: string;
    }
  | { readonly method: "ephemeral" };

/** EKS authentication tokens expire 15 minutes after they are made (the presigned STS URL's lifetime). */
export const EKS_TOKEN_LIFETIME_SECONDS = 900;

/**
 * How long one Helm release may wait for its pods. With `exec` a long wait is harmless. With `ephemeral`
 * the token made at the start of the apply must outlive the Kubernetes work: a release waits at most 300 s,
 * and an atomic rollback after a failed wait at most as long again, so the releases of an apply need at
 * most 10 of the token's 15 minutes (they run side by side, or one after the other behind a namespace),
 * leaving 5 for what comes before them (the EBS CSI add-on, IAM).
 */
export const HELM_TIMEOUT_SECONDS: Readonly<Record<KubernetesAuth["method"], number>> = {
  exec: 600,
  ephemeral: 300,
};

/** What separates the account from the issuer in an IAM OIDC provider ARN. */
const OIDC_PROVIDER_MARK = ":oidc-provider/";

/** The kubernetes client authentication API `aws eks get-token` answers with. */
const EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1";

export interface ExistingEksClusterProps {
  /** Name of the EKS cluster, which must already exist. */
  readonly clusterName: string;
  /** Region of the cluster (what `aws eks get-token` signs for). */
  readonly region: string;
  /** Where the IAM OIDC provider for IRSA comes from. */
  readonly oidcProvider: OidcProviderSource;
  /** How the Kubernetes and Helm providers authenticate. @default { method: "exec" } */
  readonly auth?: KubernetesAuth;
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
  /** Kubernetes version of the control plane, e.g. "1.31" (add-on versions depend on it). */
  readonly kubernetesVersion: string;
  /** How the cluster authenticates: API, API_AND_CONFIG_MAP or CONFIG_MAP (access entries need an API mode). */
  readonly authenticationMode: string;
  /** Whether the API server has a private endpoint in the cluster's VPC (the AMP managed collector needs one). */
  readonly endpointPrivateAccess: boolean | IResolvable;
  /** Region of the cluster. */
  readonly region: string;
}

/**
 * An EKS cluster this project does not own: its API endpoint and CA, the credentials of the Kubernetes and
 * Helm providers (obtained at apply time, see KubernetesAuth; never passed across stacks), and the IAM
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
  /** Kubernetes version of the control plane, read at plan time. */
  readonly kubernetesVersion: string;
  /** How the cluster authenticates, read at plan time. */
  readonly authenticationMode: string;
  /** Whether the API server has a private endpoint in the VPC, read at plan time. */
  readonly endpointPrivateAccess: IResolvable;
  /** How the Kubernetes and Helm providers authenticate. */
  readonly auth: KubernetesAuth;
  /** Timeout of one Helm release, bounded by how the token is obtained (HELM_TIMEOUT_SECONDS). */
  readonly helmTimeoutSeconds: number;
  /** The cluster's data source (its version, access configuration, network). */
  readonly cluster: DataAwsEksCluster;
  /** Address of the ephemeral token, in `ephemeral` mode. */
  readonly ephemeralTokenAddress?: string;
  /** Region of the cluster. */
  readonly region: string;
  /** ARN of the IAM OIDC provider. */
  readonly oidcProviderArn: string;
  /** Issuer host and path without `https://`, the prefix of the IRSA condition keys. */
  readonly oidcIssuerHost: string;
  /** The IAM OIDC provider, when created here (`oidcProvider: "create"`). */
  readonly createdOidcProvider?: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: ExistingEksClusterProps) {
    super(scope, id);
    const source = props.oidcProvider;
    const cluster = new DataAwsEksCluster(this, "cluster", {
      name: props.clusterName,
      lifecycle:
        typeof source === "object"
          ? { postcondition: [ExistingEksCluster.issuerOfProvider(source.arn, props.clusterName)] }
          : undefined,
    });
    this.cluster = cluster;
    this.region = props.region;
    this.auth = props.auth ?? { method: "exec" };
    this.helmTimeoutSeconds = HELM_TIMEOUT_SECONDS[this.auth.method];
    if (this.auth.method === "ephemeral") {
      // cdktf 0.21 has no ephemeral resources: written into the stack's JSON, referenced as a string.
      const name = `${this.node.id.replace(/[^A-Za-z0-9_-]/g, "_")}_auth`;
      TerraformStack.of(this).addOverride(`ephemeral.aws_eks_cluster_auth.${name}`, {
        name: props.clusterName,
      });
      this.ephemeralTokenAddress = `ephemeral.aws_eks_cluster_auth.${name}`;
    }
    const issuerUrl = cluster.identity.get(0).oidc.get(0).issuer;
    this.name = props.clusterName; // known at plan time, unlike the data source's attribute
    this.arn = cluster.arn;
    this.clusterSecurityGroupId = cluster.vpcConfig.get(0).clusterSecurityGroupId;
    this.endpoint = cluster.endpoint;
    this.caCertificate = Fn.base64decode(cluster.certificateAuthority.get(0).data);
    this.kubernetesVersion = cluster.version;
    this.authenticationMode = cluster.accessConfig.get(0).authenticationMode;
    this.endpointPrivateAccess = cluster.vpcConfig.get(0).endpointPrivateAccess;

    if (typeof source === "object") {
      this.oidcProviderArn = source.arn;
      this.oidcIssuerHost = ExistingEksCluster.issuerHostOf(source.arn);
    } else {
      // A local keeps policy documents free of quoted function arguments: they stay parseable JSON.
      this.oidcIssuerHost = new TerraformLocal(
        this,
        "oidc_issuer_host",
        Fn.replace(issuerUrl, "https://", ""),
      ).asString;
      if (source === "create") {
        this.createdOidcProvider = new IamOpenidConnectProvider(this, "oidc-provider", {
          url: issuerUrl,
          clientIdList: ["sts.amazonaws.com"],
        });
        this.oidcProviderArn = this.createdOidcProvider.arn;
      } else
        this.oidcProviderArn = new DataAwsIamOpenidConnectProvider(this, "oidc-provider", {
          url: issuerUrl,
        }).arn;
    }
  }

  /**
   * Imports the IAM OIDC provider created here as it exists (its ARN, built from the cluster's partition,
   * account and issuer) instead of creating it: for taking it over from another stack's state.
   */
  importExisting(): void {
    if (!this.createdOidcProvider) return;
    const arnPart = (i: number) => `split(":", ${this.cluster.fqn}.arn)[${i}]`;
    importExisting(
      this.createdOidcProvider,
      `\${format("arn:%s:iam::%s:oidc-provider/%s", ${arnPart(1)}, ${arnPart(4)}, replace(${this.cluster.fqn}.identity[0].oidc[0].issuer, "https://", ""))}`,
    );
  }

  /** The issuer host and path an IAM OIDC provider ARN names (`oidc.eks.<region>.amazonaws.com/id/<id>`). */
  private static issuerHostOf(providerArn: string): string {
    return providerArn.slice(providerArn.indexOf(OIDC_PROVIDER_MARK) + OIDC_PROVIDER_MARK.length);
  }

  /**
   * A given provider ARN must name the cluster's own issuer: a typo, or a cluster re-created since (new
   * issuer), would otherwise plan cleanly and leave every IRSA role unassumable (the EBS CSI add-on
   * DEGRADED, remote write 403). Checked when the cluster is read, before anything trusts the ARN.
   */
  private static issuerOfProvider(providerArn: string, clusterName: string) {
    const issuerHost = 'replace(self.identity[0].oidc[0].issuer, "https://", "")';
    const arnPrefix = providerArn.slice(0, providerArn.indexOf(OIDC_PROVIDER_MARK));
    return {
      condition: `\${${issuerHost} == "${ExistingEksCluster.issuerHostOf(providerArn)}"}`,
      errorMessage: `cluster.oidcProvider.arn is ${providerArn}, but EKS cluster ${clusterName} has the issuer \${self.identity[0].oidc[0].issuer} (a typo, or a cluster re-created since): IRSA roles trusting that ARN could never be assumed. Set cluster.oidcProvider.arn to ${arnPrefix}${OIDC_PROVIDER_MARK}\${${issuerHost}} ("aws iam list-open-id-connect-providers" lists the account's), or to "lookup" to read it from the cluster; "create" if the cluster has none yet.`,
    };
  }

  /** `aws eks get-token` for this cluster: its region, JSON output whatever the profile says, the role if any. */
  execCommand(): { apiVersion: string; command: string; args: string[] } {
    const args = [
      "eks",
      "get-token",
      "--cluster-name",
      this.name,
      "--region",
      this.region,
      "--output",
      "json",
    ];
    if (this.auth.method === "exec" && this.auth.roleArn) args.push("--role-arn", this.auth.roleArn);
    return { apiVersion: EXEC_API_VERSION, command: "aws", args };
  }

  /** The kubernetes provider's connection (its `exec` is a one-element list; never mixed with `token`). */
  kubernetesProviderConfig(): KubernetesProviderConfig {
    const base = { host: this.endpoint, clusterCaCertificate: this.caCertificate };
    return this.ephemeralTokenAddress
      ? { ...base, token: `\${${this.ephemeralTokenAddress}.token}` }
      : { ...base, exec: [this.execCommand()] };
  }

  /** The helm provider's `kubernetes` block (its `exec` is an object). */
  helmKubernetesConfig(): HelmProviderKubernetes {
    const base = { host: this.endpoint, clusterCaCertificate: this.caCertificate };
    return this.ephemeralTokenAddress
      ? { ...base, token: `\${${this.ephemeralTokenAddress}.token}` }
      : { ...base, exec: this.execCommand() };
  }
}
