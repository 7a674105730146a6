import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { AmpAlerting } from "../constructs/amp/alerting";
import { AmpRules } from "../constructs/amp/rules";
import { AmpUsageAlarms } from "../constructs/amp/usage-alarms";
import { AmpWorkspace } from "../constructs/amp/workspace";
import { EbsCsiDriver } from "../constructs/cluster/ebs-csi-driver";
import { ExistingEksCluster } from "../constructs/cluster/existing-eks-cluster";
import { PlanReaderRbac } from "../constructs/cluster/plan-reader-rbac";
import type { Collector } from "../constructs/collectors/collector";
import { ManagedCollector } from "../constructs/collectors/managed-collector";
import { PrometheusCollector } from "../constructs/collectors/prometheus-collector";
import { PRICES, unitsForBudget } from "../cost/prices";
import { resourcePrefix } from "../lib/naming";
import { metricFilterOf } from "../monitoring/allow-list";
import { commonRuleFiles, ruleParamsOf } from "../monitoring/rules";
import { EnvironmentStack, EXTERNALLY_ADDED_TAGS, type Upstreams } from "./environment-stack";
import type { OutputKey } from "./graph";

/**
 * `<env>-cluster-monitoring`: the AMP workspace, the EBS CSI driver, the collector the environment chose
 * (a Prometheus server in the cluster that remote-writes to AMP through the network stack's endpoint, or the
 * AMP managed collector), the rules every collector answers, and the alert path to SNS.
 */
export class ClusterMonitoringStack extends EnvironmentStack<"cluster-monitoring"> {
  readonly cluster: ExistingEksCluster;
  readonly workspace: AmpWorkspace;
  readonly ebsCsi: EbsCsiDriver;
  readonly collector: Collector;
  readonly rules: AmpRules;
  readonly alerting: AmpAlerting;
  /** Read access of the plan identities (group eksmon-plan-readers), when the environment has them. */
  readonly planReaders?: PlanReaderRbac;
  /** The ingestion budget's alarms (when `metrics.budget` is set). */
  readonly usageAlarms?: AmpUsageAlarms;

  constructor(
    scope: Construct,
    env: EnvironmentConfig,
    props: { upstream: Upstreams<"cluster-monitoring"> },
  ) {
    // Deploys after the network stack (the endpoint exists) whichever collector runs.
    super(scope, env, "cluster-monitoring", props.upstream);

    this.cluster = new ExistingEksCluster(this, "cluster", {
      clusterName: env.cluster.name,
      region: env.region,
      oidcProvider: env.cluster.oidcProvider,
      auth: env.cluster.auth,
    });
    // Credentials made at apply time (exec, or an ephemeral token): never a token read at plan, which an
    // apply approved more than 15 minutes later would present expired.
    new KubernetesProvider(this, "kubernetes", this.cluster.kubernetesProviderConfig());
    new HelmProvider(this, "helm", { kubernetes: this.cluster.helmKubernetesConfig() });
    if (env.cluster.auth.method === "ephemeral") this.requireTerraform("1.10.0"); // ephemeral resources

    const c = env.collector;
    const adopting =
      env.ebsCsi.driver === "adopt" ||
      env.amp.adoptWorkspaceId !== undefined ||
      c.adopt.namespace ||
      (c.type === "prometheus" && c.adopt.release);
    if (adopting) this.requireTerraform("1.5.0"); // import blocks

    this.workspace = new AmpWorkspace(this, "amp", {
      alias: env.amp.alias,
      retentionDays: env.amp.retentionDays,
      kmsKeyArn: env.amp.kmsKeyArn,
      // An adopted workspace holds data made before this project: never destroyed by a plan (e.g. one that
      // would replace it for a different KMS key), protected environment or not.
      preventDestroy: env.protect || env.amp.adoptWorkspaceId !== undefined,
      // Added by a managed scraper; ignored in both modes so switching collectors never changes the workspace.
      ignoredTagKeys: [...EXTERNALLY_ADDED_TAGS],
      adoptWorkspaceId: env.amp.adoptWorkspaceId,
      labelSetLimits: env.metrics.labelSetLimits,
      logging: env.amp.logging.enabled
        ? {
            logGroupName: `/aws/vendedlogs/prometheus/${this.resourceName("amp")}`,
            retentionDays: env.amp.logging.retentionDays,
            kmsKeyArn: env.amp.logging.kmsKeyArn,
            resourcePolicyName: this.resourceName("amp-logs"),
            target: this.aws,
            keyPreventDestroy: env.protect,
          }
        : undefined,
    });

    this.ebsCsi = new EbsCsiDriver(this, "ebs-csi", {
      cluster: this.cluster,
      addon:
        env.ebsCsi.driver === "existing"
          ? undefined
          : {
              version: env.ebsCsi.addonVersion,
              adoptExisting: env.ebsCsi.driver === "adopt",
              // An adopted add-on ran before this project, with workloads' volumes on it: never destroyed
              // by a plan (nor its role, which it uses from the first apply on), protected or not.
              preventDestroy: env.protect || env.ebsCsi.driver === "adopt",
            },
      roleName: this.resourceName("ebs-csi-driver"),
      storageClassName: env.ebsCsi.storageClassName,
      kmsKeyArn: env.ebsCsi.kmsKeyArn,
    });

    // "Default" is left out of logical ids: the collector's resources keep the addresses they had before
    // a construct grouped them, so upgrading this project never replaces them.
    const shared = {
      cluster: this.cluster,
      workspace: this.workspace,
      rules: ruleParamsOf(env),
      helmTimeoutSeconds: this.cluster.helmTimeoutSeconds,
      // Only what the shipped rules and dashboards read (and metrics.extra) reaches AMP, unless sendAll.
      metrics: metricFilterOf(env),
    };
    this.collector =
      c.type === "prometheus"
        ? new PrometheusCollector(this, "Default", { ...c, ...shared, ...this.prometheusSettings() })
        : new ManagedCollector(this, "Default", { ...c, ...shared, ...this.managedSettings() });

    // What pull-request plan roles (bootstrap-github-aws-<account>) may read in the cluster to refresh it.
    if (env.github)
      this.planReaders = new PlanReaderRbac(this, "plan-readers", {
        releaseNamespaces: this.collector.releaseNamespaces,
      });

    // Rules every collector answers, evaluated by AMP, and their alerts routed to SNS (docs/grafana-as-code.md).
    this.rules = new AmpRules(this, "rules", {
      workspace: this.workspace,
      ruleFiles: commonRuleFiles(ruleParamsOf(env)),
    });
    this.alerting = new AmpAlerting(this, "alerting", {
      workspace: this.workspace,
      topicName: this.resourceName("alerts"),
      emails: env.alerting.emails,
      subjectPrefix: `${env.name} ${env.cluster.name}`,
      target: this.aws,
      preventDestroy: env.protect,
    });
    const budget = env.metrics.budget;
    if (budget)
      this.usageAlarms = new AmpUsageAlarms(this, "usage-alarms", {
        workspace: this.workspace,
        alerting: this.alerting,
        alarmNamePrefix: `${resourcePrefix(env.name)}-`,
        monthlySamples: unitsForBudget(budget.monthlyIngestionUsd, PRICES.amp.ingestion),
        budgetText: `$${budget.monthlyIngestionUsd} of AMP ingestion per month (tiered prices of cost/prices.ts as of ${PRICES.asOf})`,
        activeSeries: budget.activeSeries,
      });

    for (const [key, value] of Object.entries(this.collector.published))
      this.output(key as OutputKey<"cluster-monitoring">, value);
    this.output("alertTopicArn", this.alerting.topicArn);
    this.output("alertTopicKeyArn", this.alerting.keyArn);
    this.output("ampWorkspaceId", this.workspace.workspaceId);
    this.output("ampWorkspaceArn", this.workspace.arn);
    this.output("ampPrometheusEndpoint", this.workspace.prometheusEndpoint);
    this.output("ampRemoteWriteUrl", this.workspace.remoteWriteUrl);
    if (this.ebsCsi.role) this.output("ebsCsiRoleArn", this.ebsCsi.role.roleArn);
  }

  /** What the managed collector needs from this stack: the VPC and the prefix of its names. */
  private managedSettings() {
    return {
      vpcId: this.env.network.vpcId,
      namePrefix: resourcePrefix(this.env.name),
    };
  }

  /** What the in-cluster server needs from this stack: its role name, region, volume and remote-write path. */
  private prometheusSettings() {
    return {
      region: this.env.region,
      storage: this.ebsCsi,
      roleName: this.resourceName("amp-ingest"),
      preventDestroy: this.env.protect,
      remoteWriteEndpointId: this.env.amp.requireVpcEndpoint
        ? this.upstream.network.get("ampEndpointId")
        : undefined,
    };
  }
}
