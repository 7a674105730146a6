import { DataAwsEksCluster } from "@cdktf/provider-aws/lib/data-aws-eks-cluster";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { EksAccessPolicyAssociation } from "@cdktf/provider-aws/lib/eks-access-policy-association";
import { Fn, type TerraformProvider } from "cdktf";
import { Construct } from "constructs";

/**
 * The Kubernetes group of identities that only plan: bound by `PlanReaderRbac` (in the cluster-monitoring
 * stack) to reads of exactly what the stacks manage. EKS refuses group names starting with `system:`,
 * `eks:`, `aws:`, `amazon:` or `iam:`.
 */
export const PLAN_READER_GROUP = "eksmon-plan-readers";

/** The only EKS access policy that can create Namespaces, StorageClasses and ClusterRoles (the charts' RBAC). */
export const CLUSTER_ADMIN_POLICY = "AmazonEKSClusterAdminPolicy";

/** Authentication modes in which the EKS API serves access entries. */
const ACCESS_ENTRY_MODES = ["API", "API_AND_CONFIG_MAP"];

/**
 * The construct id of an environment's access to one of its clusters: `<env>-cluster-access` for the cluster
 * without an id (the id it had when environments had one cluster: same addresses), `<env>-<id>-cluster-access`.
 */
export function clusterAccessId(env: string, clusterId?: string): string {
  return clusterId ? `${env}-${clusterId}-cluster-access` : `${env}-cluster-access`;
}

/** Where the cluster is: its name, region and partition. */
export interface ClusterAccessProps {
  /** Name of the EKS cluster. */
  readonly clusterName: string;
  /** Region of the cluster (for messages; `provider` is the one that reaches it). */
  readonly region: string;
  /**
   * AWS provider of the cluster's account and region, when the stack's default provider is in another region.
   * @default the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
  /** Partition of the access policy ARNs. */
  readonly partition: string;
}

/**
 * The precondition every access entry carries: the cluster serves access entries at all. On a CONFIG_MAP
 * cluster the entry would fail at apply (InvalidRequestException); this fails the plan, saying what to do.
 */
export function accessEntriesSupported(authenticationMode: string, clusterName: string, region: string) {
  return {
    condition: Fn.contains(ACCESS_ENTRY_MODES, authenticationMode),
    errorMessage: `EKS cluster ${clusterName} authenticates with ${authenticationMode}, which has no access entries (they need API or API_AND_CONFIG_MAP). Switch it with "aws eks update-cluster-config --name ${clusterName} --region ${region} --access-config authenticationMode=API_AND_CONFIG_MAP" (there is no way back to CONFIG_MAP), then plan again.`,
  };
}

/**
 * Access to one EKS cluster for the identities that run Terraform, as EKS access entries (no aws-auth
 * ConfigMap edits): applied from the stack that owns each identity, before the stacks that need it.
 * - `grantDeploy`: AmazonEKSClusterAdminPolicy at cluster scope. No narrower managed access policy can
 *   create Namespaces, StorageClasses, ClusterRoles and ClusterRoleBindings, which the stacks and the
 *   charts create (docs/operations.md).
 * - `grantPlan`: an entry in `PLAN_READER_GROUP` and no access policy: the cluster-monitoring stack binds
 *   the group to reads of what it manages. AmazonEKSAdminViewPolicy would work too, but reads every
 *   Secret in the cluster, and plan identities run pull-request code.
 * Every entry fails the plan, with how to fix it, on a cluster whose authentication mode has none.
 */
export class EksClusterAccess extends Construct {
  /** The cluster, read in its region. */
  readonly cluster: DataAwsEksCluster;
  private readonly props: ClusterAccessProps;

  constructor(scope: Construct, id: string, props: ClusterAccessProps) {
    super(scope, id);
    this.props = props;
    this.cluster = new DataAwsEksCluster(this, "cluster", {
      name: props.clusterName,
      provider: props.provider,
    });
  }

  /** Cluster admin for an identity that applies the stacks. `principalArn` is the IAM role's ARN. */
  grantDeploy(id: string, principalArn: string): EksAccessEntry {
    const entry = this.entry(id, principalArn);
    new EksAccessPolicyAssociation(this, `${id}-cluster-admin`, {
      clusterName: this.props.clusterName,
      provider: this.props.provider,
      principalArn: entry.principalArn,
      policyArn: `arn:${this.props.partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`,
      accessScope: { type: "cluster" },
    });
    return entry;
  }

  /** Plan-time reads for an identity that only plans (pull requests). */
  grantPlan(id: string, principalArn: string): EksAccessEntry {
    return this.entry(id, principalArn, [PLAN_READER_GROUP]);
  }

  private entry(id: string, principalArn: string, kubernetesGroups?: string[]): EksAccessEntry {
    return new EksAccessEntry(this, id, {
      clusterName: this.props.clusterName,
      provider: this.props.provider,
      principalArn,
      type: "STANDARD",
      kubernetesGroups,
      lifecycle: {
        precondition: [
          accessEntriesSupported(
            this.cluster.accessConfig.get(0).authenticationMode,
            this.props.clusterName,
            this.props.region,
          ),
        ],
      },
    });
  }
}
