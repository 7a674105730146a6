import { DataAwsSecurityGroup } from "@cdktf/provider-aws/lib/data-aws-security-group";
import { DataAwsVpcSecurityGroupRule } from "@cdktf/provider-aws/lib/data-aws-vpc-security-group-rule";
import { DataAwsVpcSecurityGroupRules } from "@cdktf/provider-aws/lib/data-aws-vpc-security-group-rules";
import { EksAccessEntry } from "@cdktf/provider-aws/lib/eks-access-entry";
import { PrometheusScraper } from "@cdktf/provider-aws/lib/prometheus-scraper";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { TerraformIterator } from "cdktf";
import { Construct } from "constructs";
import { importExisting } from "../../lib/adoption";
import { forEachOf } from "../../lib/terraform";
import type { IAmpWorkspace } from "../amp/workspace";
import { accessEntriesSupported } from "../cluster/cluster-access";
import type { IEksCluster } from "../cluster/existing-eks-cluster";

/** Kubernetes user the scraper's role maps to (the name the AMP user guide uses). */
export const SCRAPER_KUBERNETES_USER = "aps-collector-user";
/** ClusterRole granting the scraper discovery and metrics reads. */
export const SCRAPER_CLUSTER_ROLE = "aps-collector-role";

/** A scraper that exists already, as `aws amp list-scrapers` shows it. */
export interface ExistingScraper {
  /** Its id, `s-...`. */
  readonly id: string;
  /** ARN of its service-linked role (the principal of its EKS access entry). */
  readonly roleArn: string;
}

/** A port the collector opens to the cluster, and why. */
export interface ScrapeTargetPort {
  /** TCP port. */
  readonly port: number;
  /** What listens there (shown in the security group rule descriptions). */
  readonly what: string;
}

export interface AmpManagedScraperProps {
  /** Scraper alias. */
  readonly alias: string;
  /** The cluster it scrapes; its security group (control plane and managed nodes) is opened on `targetPorts`. */
  readonly cluster: IEksCluster;
  /** VPC of the cluster, where the scraper's security group is created. */
  readonly vpcId: string;
  /** Subnets of the scraper's network interfaces (2-5, in at least two AZs). */
  readonly subnetIds: string[];
  /** Security groups of the scraper. @default one is created, allowed to reach the cluster on `targetPorts` */
  readonly securityGroupIds?: string[];
  /** Name of the created security group. */
  readonly securityGroupName: string;
  /** Ports the scraper reaches in the cluster: the API server (443) and the exporters' ports. */
  readonly targetPorts: ScrapeTargetPort[];
  /** The AMP workspace the scraper writes to. */
  readonly workspace: IAmpWorkspace;
  /** Scrape configuration YAML. */
  readonly scrapeConfiguration: string;
  /** Create the EKS access entry mapping the scraper's role to `aps-collector-user`. */
  readonly createAccessEntry: boolean;
}

/**
 * The scraper reaches the API server through the cluster's private endpoint, in the VPC (AMP user guide,
 * "Using an AWS managed collector": cluster endpoint access must include private access). On a public-only
 * cluster the create fails only after its long wait; this fails the plan, saying what to change.
 */
export function privateEndpointAccess(cluster: IEksCluster) {
  return {
    condition: cluster.endpointPrivateAccess,
    errorMessage: `EKS cluster ${cluster.name} has no private API endpoint (endpoint_private_access is false), which the AMP managed collector scrapes through; creating the scraper would fail after a long wait. Turn it on with "aws eks update-cluster-config --name ${cluster.name} --region ${cluster.region} --resources-vpc-config endpointPrivateAccess=true" (public access stays as it is; the update takes several minutes), then plan again; or use collector type "prometheus".`,
  };
}

/**
 * An AMP managed collector (agentless scraper) for an EKS cluster: the scraper, a security group that may
 * reach the cluster (and the matching ingress on the cluster security group), an EKS access entry mapping
 * the scraper's service-linked role to `aps-collector-user`, and the read-only RBAC that user needs.
 * Changing the source (cluster, subnets, security groups) replaces the scraper.
 */
export class AmpManagedScraper extends Construct {
  /** The scraper. */
  readonly scraper: PrometheusScraper;
  /** The security group created for the scraper, when none was given. */
  readonly securityGroup?: SecurityGroup;
  /** Security groups on the scraper's network interfaces. */
  readonly securityGroupIds: string[];
  /** The scraper's access entry, when created. */
  readonly accessEntry?: EksAccessEntry;
  /** The scraper's ClusterRole. */
  readonly clusterRole: ClusterRoleV1;
  /** Its binding to the scraper's Kubernetes user. */
  readonly clusterRoleBinding: ClusterRoleBindingV1;
  /** ARN of the scraper. */
  readonly arn: string;
  /** ARN of the scraper's service-linked role. */
  readonly roleArn: string;
  /** The security group rules created, by port and direction. */
  private readonly rules: {
    readonly port: number;
    readonly egress: VpcSecurityGroupEgressRule;
    readonly ingress: VpcSecurityGroupIngressRule;
  }[] = [];
  private readonly props: AmpManagedScraperProps;

  constructor(scope: Construct, id: string, props: AmpManagedScraperProps) {
    super(scope, id);
    this.props = props;

    if (props.securityGroupIds?.length) {
      this.securityGroupIds = props.securityGroupIds;
    } else {
      // Egress only to the cluster security group, on the scrape ports; the scraper answers nothing.
      this.securityGroup = new SecurityGroup(this, "security-group", {
        name: props.securityGroupName,
        description: "AMP managed collector: scrapes the EKS cluster",
        vpcId: props.vpcId,
        revokeRulesOnDelete: true,
        tags: { Name: props.securityGroupName },
      });
      for (const target of props.targetPorts) {
        const egress = new VpcSecurityGroupEgressRule(this, `to-cluster-${target.port}`, {
          securityGroupId: this.securityGroup.id,
          description: `AMP collector to ${target.what} (tcp/${target.port}) in the cluster`,
          ipProtocol: "tcp",
          fromPort: target.port,
          toPort: target.port,
          referencedSecurityGroupId: props.cluster.clusterSecurityGroupId,
        });
        const ingress = new VpcSecurityGroupIngressRule(this, `from-scraper-${target.port}`, {
          securityGroupId: props.cluster.clusterSecurityGroupId,
          description: `${target.what} (tcp/${target.port}) from the AMP managed collector`,
          ipProtocol: "tcp",
          fromPort: target.port,
          toPort: target.port,
          referencedSecurityGroupId: this.securityGroup.id,
        });
        this.rules.push({ port: target.port, egress, ingress });
      }
      this.securityGroupIds = [this.securityGroup.id];
    }

    // The AMP user guide's role for managed collectors: discovery and metrics reads, nothing else.
    this.clusterRole = new ClusterRoleV1(this, "cluster-role", {
      metadata: { name: SCRAPER_CLUSTER_ROLE, labels: { "app.kubernetes.io/managed-by": "terraform" } },
      rule: [
        {
          apiGroups: [""],
          resources: [
            "nodes",
            "nodes/proxy",
            "nodes/metrics",
            "services",
            "endpoints",
            "pods",
            "ingresses",
            "configmaps",
          ],
          verbs: ["get", "list", "watch"],
        },
        {
          apiGroups: ["extensions", "networking.k8s.io"],
          resources: ["ingresses/status", "ingresses"],
          verbs: ["get", "list", "watch"],
        },
        {
          apiGroups: ["metrics.eks.amazonaws.com"],
          resources: ["kcm/metrics", "ksh/metrics"],
          verbs: ["get"],
        },
        { nonResourceUrls: ["/metrics"], verbs: ["get"] },
      ],
    });
    this.clusterRoleBinding = new ClusterRoleBindingV1(this, "cluster-role-binding", {
      metadata: {
        name: `${SCRAPER_KUBERNETES_USER}-role-binding`,
        labels: { "app.kubernetes.io/managed-by": "terraform" },
      },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: SCRAPER_CLUSTER_ROLE },
      subject: [{ kind: "User", name: SCRAPER_KUBERNETES_USER, apiGroup: "rbac.authorization.k8s.io" }],
    });

    this.scraper = new PrometheusScraper(this, "scraper", {
      alias: props.alias,
      source: [
        {
          eks: [
            {
              clusterArn: props.cluster.arn,
              subnetIds: props.subnetIds,
              securityGroupIds: this.securityGroupIds,
            },
          ],
        },
      ],
      destination: [{ amp: [{ workspaceArn: props.workspace.arn }] }],
      scrapeConfiguration: props.scrapeConfiguration,
      lifecycle: { precondition: [privateEndpointAccess(props.cluster)] },
    });
    this.arn = this.scraper.arn;
    this.roleArn = this.scraper.roleArn;

    if (props.createAccessEntry) {
      this.accessEntry = new EksAccessEntry(this, "access-entry", {
        clusterName: props.cluster.name,
        principalArn: this.scraper.roleArn,
        type: "STANDARD",
        userName: SCRAPER_KUBERNETES_USER,
        lifecycle: {
          precondition: [
            accessEntriesSupported(
              props.cluster.authenticationMode,
              props.cluster.name,
              props.cluster.region,
            ),
          ],
        },
      });
    }
  }

  /**
   * Imports the scraper and what it uses as they exist, instead of creating them: for taking them over from
   * another stack's state, which forgets them. The scraper (no data source reads it) and its access entry (its
   * principal is the scraper's role) by what `aws amp list-scrapers` says; the security group by its name in
   * the VPC, and its rules (AWS gives them ids only) read at plan among the rules of both groups, by port,
   * direction and peer.
   */
  importExisting(existing: ExistingScraper): void {
    const { props } = this;
    importExisting(this.scraper, existing.id);
    if (this.accessEntry) importExisting(this.accessEntry, `${props.cluster.name}:${existing.roleArn}`);
    importExisting(this.clusterRole, SCRAPER_CLUSTER_ROLE);
    importExisting(this.clusterRoleBinding, `${SCRAPER_KUBERNETES_USER}-role-binding`);
    if (!this.securityGroup) return;
    const group = new DataAwsSecurityGroup(this, "existing-security-group", {
      name: props.securityGroupName,
      vpcId: props.vpcId,
    });
    importExisting(this.securityGroup, group.id);
    const cluster = props.cluster.clusterSecurityGroupId;
    const ruleIds = new DataAwsVpcSecurityGroupRules(this, "existing-rule-ids", {
      filter: [{ name: "group-id", values: [group.id, cluster] }],
    });
    const each = TerraformIterator.fromList([]);
    const rules = new DataAwsVpcSecurityGroupRule(this, "existing-rules", {
      forEach: each,
      securityGroupRuleId: each.value,
    });
    forEachOf(rules, `${ruleIds.fqn}.ids`);
    const find = (from: string, to: string, egress: boolean, port: number) =>
      `\${one([for r in ${rules.fqn} : r.security_group_rule_id if r.security_group_id == ${from} && r.referenced_security_group_id == ${to} && r.is_egress == ${egress} && r.from_port == ${port}])}`;
    const groupId = `${group.fqn}.id`;
    for (const { port, egress, ingress } of this.rules) {
      importExisting(egress, find(groupId, cluster, true, port));
      importExisting(ingress, find(cluster, groupId, false, port));
    }
  }
}
