import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { alertRoutesOf, chatbotRegionOf, hasChatChannels } from "../config/alerting";
import type { EnvironmentConfig } from "../config/environment";
import { AmpAlerting } from "../constructs/amp/alerting";
import { AmpRules } from "../constructs/amp/rules";
import { AmpUsageAlarms } from "../constructs/amp/usage-alarms";
import { AmpWorkspace } from "../constructs/amp/workspace";
import { ROLE_RESOURCES } from "../constructs/iam/role";
import { PRICES, unitsForBudget } from "../cost/prices";
import { resourcePrefix } from "../lib/naming";
import { type FormerResource, forgetResources, logicalIdAt } from "../lib/removed";
import { commonRuleFiles, ruleParamsOf } from "../monitoring/rules";
import { defaultTags, EnvironmentStack, EXTERNALLY_ADDED_TAGS } from "./environment-stack";

/** A role's resources at `path` (an IrsaRole of 0.2: its role, inline policy and attachments). */
const roleAt = (path: string[], attachmentKeys: readonly string[] = []): FormerResource[] =>
  [ROLE_RESOURCES.role, ROLE_RESOURCES.inlinePolicy, ...attachmentKeys.map(ROLE_RESOURCES.managedPolicy)].map(
    ({ type, id }) => ({ type, path: [...path, id] }),
  );

/** The scrape ports of 0.2's managed collector (the API server, node-exporter, kube-state-metrics). */
const SCRAPER_PORTS_0_2 = [443, 9100, 8080];

/**
 * What 0.2 declared in this stack for its one cluster, by construct path ("Default" is left out of
 * logical ids): every variant of it (either collector, the add-on or not, a created OIDC provider). Since
 * 0.3 those are the cluster's stack's, at the same paths there; this stack forgets them whatever the
 * configuration says (an address not in state is passed over), so no upgrade destroys them, and adding or
 * removing a cluster never changes this stack. Imported by the cluster's stack with
 * `adopt.clusterMonitoringStack` (docs/upgrading.md).
 */
function clusterResourcesOf02(stack: TerraformStack): FormerResource[] {
  const namespaceId = (path: string[]) => logicalIdAt(stack, stack, path);
  const planReaderRoles = [
    ["Default", "prometheus", "namespace"],
    ["Default", "exporters", "namespace"],
  ].flatMap((ns) => [
    { type: "kubernetes_role_v1", path: ["plan-readers", `releases-${namespaceId(ns)}`] },
    { type: "kubernetes_role_binding_v1", path: ["plan-readers", `releases-binding-${namespaceId(ns)}`] },
  ]);
  return [
    { type: "aws_iam_openid_connect_provider", path: ["cluster", "oidc-provider"] },
    { type: "aws_eks_addon", path: ["ebs-csi", "addon"] },
    ...roleAt(["ebs-csi", "irsa"], ["0", "AmazonEBSCSIDriverPolicy"]),
    { type: "kubernetes_storage_class_v1", path: ["ebs-csi", "storage-class"] },
    ...roleAt(["Default", "prometheus-irsa"]),
    { type: "kubernetes_namespace_v1", path: ["Default", "prometheus", "namespace"] },
    { type: "helm_release", path: ["Default", "prometheus", "release"] },
    { type: "kubernetes_namespace_v1", path: ["Default", "exporters", "namespace"] },
    { type: "helm_release", path: ["Default", "exporters", "prometheus-node-exporter"] },
    { type: "helm_release", path: ["Default", "exporters", "kube-state-metrics"] },
    { type: "aws_security_group", path: ["Default", "scraper", "security-group"] },
    ...SCRAPER_PORTS_0_2.flatMap((port) => [
      { type: "aws_vpc_security_group_egress_rule", path: ["Default", "scraper", `to-cluster-${port}`] },
      { type: "aws_vpc_security_group_ingress_rule", path: ["Default", "scraper", `from-scraper-${port}`] },
    ]),
    { type: "aws_prometheus_scraper", path: ["Default", "scraper", "scraper"] },
    { type: "aws_eks_access_entry", path: ["Default", "scraper", "access-entry"] },
    { type: "kubernetes_cluster_role_v1", path: ["Default", "scraper", "cluster-role"] },
    { type: "kubernetes_cluster_role_binding_v1", path: ["Default", "scraper", "cluster-role-binding"] },
    ...["prometheus", "managed"].map((type) => ({
      type: "aws_prometheus_rule_group_namespace",
      path: ["Default", "collector-rules", `eksmon-${type}-collector`],
    })),
    { type: "kubernetes_cluster_role_v1", path: ["plan-readers", "cluster-role"] },
    { type: "kubernetes_cluster_role_binding_v1", path: ["plan-readers", "cluster-role-binding"] },
    ...planReaderRoles,
  ];
}

/**
 * `<env>-cluster-monitoring`: the environment's AMP workspace and what its clusters share: the rules every
 * collector answers, the alert path to SNS, the ingestion budget's alarms and the workspace's logs. Each
 * cluster's own resources (collector, EBS CSI driver, IRSA roles) are in its stack, `<env>-cluster-<key>`,
 * which reads the workspace from here.
 */
export class ClusterMonitoringStack extends EnvironmentStack<"cluster-monitoring"> {
  readonly workspace: AmpWorkspace;
  readonly rules: AmpRules;
  readonly alerting: AmpAlerting;
  /** The ingestion budget's alarms (when `metrics.budget` is set). */
  readonly usageAlarms?: AmpUsageAlarms;
  /** The addresses of 0.2's cluster resources, forgotten here (see clusterResourcesOf02). */
  readonly forgottenClusterAddresses: readonly string[];

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, env, "cluster-monitoring", {});
    if (env.amp.adoptWorkspaceId !== undefined) this.requireTerraform("1.5.0"); // import blocks

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

    // Rules every collector answers, evaluated by AMP, and their alerts routed to SNS (docs/grafana-as-code.md).
    this.rules = new AmpRules(this, "rules", {
      workspace: this.workspace,
      ruleFiles: commonRuleFiles(ruleParamsOf(env)),
    });
    // Routed by severity to SNS topics, mail, HTTPS receivers and chat channels (docs/alerting.md).
    this.alerting = new AmpAlerting(this, "alerting", {
      workspace: this.workspace,
      topicName: this.resourceName("alerts"),
      environment: env.name,
      routes: alertRoutesOf(env.alerting),
      target: this.aws,
      preventDestroy: env.protect,
      chatbotProvider: this.chatbotProvider(),
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

    this.output("alertTopicArn", this.alerting.topicArns.critical);
    this.output("alertWarningTopicArn", this.alerting.topicArns.warning);
    this.output("alertInfoTopicArn", this.alerting.topicArns.info);
    this.output("alertTopicKeyArn", this.alerting.keyArn);
    this.output("ampWorkspaceId", this.workspace.workspaceId);
    this.output("ampWorkspaceArn", this.workspace.arn);
    this.output("ampPrometheusEndpoint", this.workspace.prometheusEndpoint);
    this.output("ampRemoteWriteUrl", this.workspace.remoteWriteUrl);

    this.forgottenClusterAddresses = forgetResources(this, clusterResourcesOf02(this));
    // Terraform needs the providers of forgotten resources declared, not configured.
    new KubernetesProvider(this, "kubernetes", {});
    new HelmProvider(this, "helm", {});
  }

  /**
   * The AWS provider the Chatbot channel configurations are made with, in a region serving the Chatbot API
   * (`alerting.chatbotRegion`); none when the environment has no chat channel or its own region serves it.
   */
  private chatbotProvider(): AwsProvider | undefined {
    const region = chatbotRegionOf(this.env);
    if (!hasChatChannels(this.env.alerting) || region === this.env.region) return undefined;
    return new AwsProvider(this, "chatbot", {
      alias: "chatbot",
      region,
      allowedAccountIds: [this.env.accountId],
      defaultTags: [{ tags: defaultTags(this.env, this.kind) }],
      ignoreTags: [{ keys: [...EXTERNALLY_ADDED_TAGS] }],
    });
  }
}
