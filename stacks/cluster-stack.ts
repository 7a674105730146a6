import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { Construct } from "constructs";
import type { ClusterConfig, EnvironmentConfig } from "../config/environment";
import { AmpWorkspace, type IAmpWorkspace } from "../constructs/amp/workspace";
import { EbsCsiDriver } from "../constructs/cluster/ebs-csi-driver";
import { ExistingEksCluster } from "../constructs/cluster/existing-eks-cluster";
import { PlanReaderRbac } from "../constructs/cluster/plan-reader-rbac";
import { ManagedCollector } from "../constructs/collectors/managed-collector";
import { PrometheusCollector } from "../constructs/collectors/prometheus-collector";
import { importedAddresses } from "../lib/adoption";
import { resourcePrefix } from "../lib/naming";
import { metricFilterOf } from "../monitoring/allow-list";
import { ruleParamsOf } from "../monitoring/rules";
import { EnvironmentStack, type Upstreams } from "./environment-stack";
import type { OutputKey } from "./graph";

/**
 * `<env>-cluster-<id or name>`: what one EKS cluster of the environment runs and has for its monitoring: the
 * EBS CSI driver, the collector (a Prometheus server in the cluster that remote-writes to the environment's
 * workspace through its VPC's endpoint, or the AMP managed collector) with its IRSA role, exporters and rules,
 * and the plan readers' RBAC. Adding or removing a cluster plans this stack only: the workspace and the
 * other clusters are other stacks.
 */
export class ClusterStack extends EnvironmentStack<"cluster"> {
  /** The cluster's configuration. */
  readonly clusterConfig: ClusterConfig;
  readonly cluster: ExistingEksCluster;
  /** The environment's workspace, read from `<env>-cluster-monitoring`. */
  readonly workspace: IAmpWorkspace;
  readonly ebsCsi: EbsCsiDriver;
  readonly collector: PrometheusCollector | ManagedCollector;
  /** Read access of the plan identities (group eksmon-plan-readers), when the environment has them. */
  readonly planReaders?: PlanReaderRbac;
  /**
   * What this stack takes over from `<env>-cluster-monitoring` (`adopt.clusterMonitoringStack`): the
   * addresses it imports, which that stack forgets. @default none
   */
  readonly takenOver: readonly string[];

  constructor(
    scope: Construct,
    env: EnvironmentConfig,
    cluster: ClusterConfig,
    props: { upstream: Upstreams<"cluster"> },
  ) {
    super(scope, env, "cluster", props.upstream, cluster);
    this.clusterConfig = cluster;
    const monitoring = this.upstream["cluster-monitoring"];

    this.cluster = new ExistingEksCluster(this, "cluster", {
      clusterName: cluster.name,
      region: env.region,
      oidcProvider: cluster.oidcProvider,
      auth: cluster.auth,
    });
    // Credentials made at apply time (exec, or an ephemeral token): never a token read at plan, which an
    // apply approved more than 15 minutes later would present expired.
    new KubernetesProvider(this, "kubernetes", this.cluster.kubernetesProviderConfig());
    new HelmProvider(this, "helm", { kubernetes: this.cluster.helmKubernetesConfig() });
    if (cluster.auth.method === "ephemeral") this.requireTerraform("1.10.0"); // ephemeral resources

    const c = cluster.collector;
    const takingOver = cluster.adopt.clusterMonitoringStack;
    const adopting =
      takingOver ||
      cluster.ebsCsi.driver === "adopt" ||
      c.adopt.namespace ||
      (c.type === "prometheus" && c.adopt.release);
    if (adopting) this.requireTerraform("1.5.0"); // import blocks

    this.workspace = AmpWorkspace.fromAttributes(this, "amp", {
      workspaceId: monitoring.get("ampWorkspaceId"),
      arn: monitoring.get("ampWorkspaceArn"),
      alias: env.amp.alias,
      prometheusEndpoint: monitoring.get("ampPrometheusEndpoint"),
    });

    this.ebsCsi = new EbsCsiDriver(this, "ebs-csi", {
      cluster: this.cluster,
      addon:
        cluster.ebsCsi.driver === "existing"
          ? undefined
          : {
              version: cluster.ebsCsi.addonVersion,
              adoptExisting: cluster.ebsCsi.driver === "adopt",
              // An adopted add-on ran before this project, with workloads' volumes on it: never destroyed
              // by a plan (nor its role, which it uses from the first apply on), protected or not.
              preventDestroy: env.protect || cluster.ebsCsi.driver === "adopt",
            },
      roleName: this.clusterResourceName("ebs-csi-driver"),
      storageClassName: cluster.ebsCsi.storageClassName,
      kmsKeyArn: cluster.ebsCsi.kmsKeyArn,
    });

    // "Default" is left out of logical ids: the collector's resources keep the addresses they had before
    // a construct grouped them (and in <env>-cluster-monitoring before clusters had stacks of their own).
    const shared = {
      cluster: this.cluster,
      clusterId: cluster.id,
      workspace: this.workspace,
      rules: ruleParamsOf(env),
      helmTimeoutSeconds: this.cluster.helmTimeoutSeconds,
      // Only what the shipped rules and dashboards read (and metrics.extra) reaches AMP, unless sendAll.
      metrics: metricFilterOf(env, c.type),
    };
    this.collector =
      c.type === "prometheus"
        ? new PrometheusCollector(this, "Default", {
            ...c,
            ...shared,
            region: env.region,
            storage: this.ebsCsi,
            roleName: this.clusterResourceName("amp-ingest"),
            preventDestroy: env.protect,
            remoteWriteEndpointId: env.amp.requireVpcEndpoint
              ? this.upstream.network.entry("ampEndpointIds", cluster.network.vpcId)
              : undefined,
          })
        : new ManagedCollector(this, "Default", {
            ...c,
            ...shared,
            vpcId: cluster.network.vpcId,
            namePrefix: this.clusterResourceName(),
          });

    // What plan identities (GitHub pull requests, Terraform Cloud's plan phase) may read in the cluster to
    // refresh it; their access entries put them in the group (the bootstrap stacks).
    if (env.github || env.backend.type === "cloud")
      this.planReaders = new PlanReaderRbac(this, "plan-readers", {
        releaseNamespaces: this.collector.releaseNamespaces,
      });

    this.takenOver = takingOver ? this.takeOver(cluster) : [];

    for (const [key, value] of Object.entries(this.collector.published))
      this.output(key as OutputKey<"cluster">, value);
    if (this.ebsCsi.role) this.output("ebsCsiRoleArn", this.ebsCsi.role.roleArn);
  }

  /**
   * Name of an account-wide resource of this cluster: `eksmon-<env>-<id>-<purpose>`, or the environment's
   * `eksmon-<env>-<purpose>` for the cluster without an id (the names of a one-cluster environment).
   */
  private clusterResourceName(purpose?: string): string {
    const parts = [this.clusterConfig.id, purpose].filter((p): p is string => p !== undefined);
    return parts.length > 0
      ? `${resourcePrefix(this.env.name)}-${parts.join("-")}`
      : resourcePrefix(this.env.name);
  }

  /**
   * Imports what 0.2 created for this cluster in `<env>-cluster-monitoring` (same construct ids, so the same
   * addresses, and the same names: the cluster has no id), which that stack forgets. What 0.2 did not have
   * (the plan readers of a Terraform Cloud environment without GitHub) is created. Returns the addresses.
   */
  private takeOver(cluster: ClusterConfig): string[] {
    this.cluster.importExisting();
    this.ebsCsi.importExisting();
    if (this.collector instanceof PrometheusCollector) this.collector.importExisting();
    else {
      const scraper = cluster.adopt.managedScraper;
      if (!scraper)
        throw new Error(`${this.node.id}: adopt.managedScraper is required (config rules check it)`);
      this.collector.importExisting(scraper);
    }
    if (this.env.github) this.planReaders?.importExisting();
    return importedAddresses(this);
  }
}
