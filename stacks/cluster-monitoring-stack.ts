import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { KubernetesProvider } from "@cdktf/provider-kubernetes/lib/provider";
import type { Construct } from "constructs";
import { AmpAlerting } from "../constructs/amp/alerting";
import { AmpRules } from "../constructs/amp/rules";
import { AmpWorkspace } from "../constructs/amp/workspace";
import { EbsCsiDriver } from "../constructs/cluster/ebs-csi-driver";
import { ExistingEksCluster } from "../constructs/cluster/existing-eks-cluster";
import { IrsaRole } from "../constructs/cluster/irsa-role";
import { ClusterExporters } from "../constructs/collectors/cluster-exporters";
import { AmpManagedScraper } from "../constructs/collectors/managed-scraper";
import { PrometheusServer } from "../constructs/collectors/prometheus-server";
import type { EnvironmentConfig } from "../lib/config/schema";
import { type PolicyStatement, policyDocument } from "../lib/iam";
import { resourceName } from "../lib/naming";
import { NETWORK_OUTPUTS, CLUSTER_MONITORING_OUTPUTS as OUT } from "../lib/outputs";
import { alertRules, recordingRules } from "../monitoring/rules";
import { managedScrapeConfigYaml } from "../monitoring/scrape-config";
import { EnvironmentStack } from "./environment-stack";
import type { NetworkStack } from "./network-stack";

/**
 * `<env>-cluster-monitoring`: the AMP workspace, the EBS CSI driver, and the collector the environment
 * chose: a Prometheus server in the cluster that remote-writes to AMP through the network stack's endpoint
 * ("prometheus"), or the AMP managed collector with node-exporter and kube-state-metrics ("managed").
 */
export class ClusterMonitoringStack extends EnvironmentStack {
  readonly cluster: ExistingEksCluster;
  readonly workspace: AmpWorkspace;
  readonly ebsCsi: EbsCsiDriver;
  /** collector "prometheus": the server's IRSA role and the server. */
  readonly prometheusRole?: IrsaRole;
  readonly prometheus?: PrometheusServer;
  /** collector "managed": the exporters it scrapes and the scraper. */
  readonly exporters?: ClusterExporters;
  readonly scraper?: AmpManagedScraper;
  readonly rules: AmpRules;
  readonly alerting: AmpAlerting;

  constructor(scope: Construct, env: EnvironmentConfig, network: NetworkStack) {
    super(scope, env, "cluster-monitoring");
    this.addDependency(network); // deploy after the endpoint exists, whichever collector runs

    this.cluster = new ExistingEksCluster(this, "cluster", {
      clusterName: env.cluster.name,
      oidcProvider: env.cluster.oidcProvider,
    });
    // Token auth computed in this stack: works on Terraform Cloud runners, which have no aws CLI.
    const kubernetes = {
      host: this.cluster.endpoint,
      clusterCaCertificate: this.cluster.caCertificate,
      token: this.cluster.token,
    };
    new KubernetesProvider(this, "kubernetes", kubernetes);
    new HelmProvider(this, "helm", { kubernetes });

    this.workspace = new AmpWorkspace(this, "amp", {
      alias: env.amp.alias,
      retentionDays: env.amp.retentionDays,
      kmsKeyArn: env.amp.kmsKeyArn,
      preventDestroy: env.protect,
      // Added by a managed scraper; ignored in both modes so switching collectors never changes the workspace.
      ignoredTagKeys: ["AMPAgentlessScraper"],
    });

    this.ebsCsi = new EbsCsiDriver(this, "ebs-csi", {
      clusterName: env.cluster.name,
      addonVersion: env.ebsCsi.addonVersion,
      roleName: resourceName(env.name, "ebs-csi-driver"),
      oidcProviderArn: this.cluster.oidcProviderArn,
      oidcIssuerHost: this.cluster.oidcIssuerHost,
      storageClassName: env.ebsCsi.storageClassName,
      kmsKeyArn: env.ebsCsi.kmsKeyArn,
    });

    if (env.collector === "prometheus") {
      const networkState = this.readUpstream(network);
      const remoteWrite: PolicyStatement = {
        Sid: "RemoteWriteToThisWorkspace",
        Effect: "Allow",
        Action: "aps:RemoteWrite",
        Resource: this.workspace.arn,
        ...(env.amp.requireVpcEndpoint
          ? {
              Condition: {
                StringEquals: { "aws:SourceVpce": networkState.getString(NETWORK_OUTPUTS.ampEndpointId) },
              },
            }
          : {}),
      };
      this.prometheusRole = new IrsaRole(this, "prometheus-irsa", {
        roleName: resourceName(env.name, "amp-ingest"),
        description: `Prometheus server of ${env.cluster.name}: remote write to AMP workspace ${env.amp.alias}`,
        oidcProviderArn: this.cluster.oidcProviderArn,
        oidcIssuerHost: this.cluster.oidcIssuerHost,
        namespace: env.prometheus.namespace,
        serviceAccount: env.prometheus.serviceAccountName,
        inlinePolicy: policyDocument(remoteWrite),
      });

      this.prometheus = new PrometheusServer(this, "prometheus", {
        namespace: env.prometheus.namespace,
        chartRepository: env.prometheus.chartRepository,
        chartVersion: env.prometheus.chartVersion,
        serviceAccountName: env.prometheus.serviceAccountName,
        roleArn: this.prometheusRole.roleArn,
        remoteWriteUrl: this.workspace.remoteWriteUrl,
        region: env.region,
        queueConfig: env.prometheus.queueConfig,
        scrapeInterval: env.prometheus.scrapeInterval,
        retention: env.prometheus.retention,
        persistentVolumeSize: env.prometheus.persistentVolumeSize,
        storageClassName: this.ebsCsi.storageClassName,
        resources: env.prometheus.resources,
        extraValues: env.prometheus.values,
        preventDestroy: env.protect,
        dependsOn: [this.ebsCsi.storageClass, this.prometheusRole.role],
      });
      this.output(
        OUT.prometheusRoleArn,
        this.prometheusRole.roleArn,
        "IAM role of the Prometheus server service account",
      );
    } else {
      const managed = env.managedCollector!; // required by validation when collector is "managed"
      this.exporters = new ClusterExporters(this, "exporters", {
        namespace: managed.namespace,
        chartRepository: managed.chartRepository,
        nodeExporterChartVersion: managed.nodeExporterChartVersion,
        kubeStateMetricsChartVersion: managed.kubeStateMetricsChartVersion,
      });
      this.scraper = new AmpManagedScraper(this, "scraper", {
        alias: resourceName(env.name, "scraper"),
        clusterName: env.cluster.name,
        clusterArn: this.cluster.arn,
        clusterSecurityGroupId: this.cluster.clusterSecurityGroupId,
        vpcId: env.network.vpcId,
        subnetIds: managed.subnetIds,
        securityGroupIds: managed.securityGroupIds,
        securityGroupName: resourceName(env.name, "amp-scraper"),
        targetPorts: [
          { port: 443, what: "Kubernetes API server" },
          ...this.exporters.scraped.map((e) => ({ port: e.port, what: e.name })),
        ],
        workspaceArn: this.workspace.arn,
        scrapeConfiguration: managedScrapeConfigYaml({
          scrapeInterval: managed.scrapeInterval,
          exportersNamespace: managed.namespace,
          exporters: this.exporters.scraped,
          extraScrapeConfigs: managed.extraScrapeConfigs,
        }),
        createAccessEntry: managed.accessEntry,
      });
      this.output(OUT.ampScraperArn, this.scraper.arn, "ARN of the AMP managed collector");
    }

    // Rules evaluated by AMP itself, and their alerts routed to SNS (docs/grafana-as-code.md).
    this.rules = new AmpRules(this, "rules", {
      workspaceId: this.workspace.workspaceId,
      ruleFiles: {
        "eksmon-recording-rules": recordingRules(),
        "eksmon-alerts": alertRules(env.alerting.thresholds),
      },
    });
    this.alerting = new AmpAlerting(this, "alerting", {
      workspaceId: this.workspace.workspaceId,
      workspaceArn: this.workspace.arn,
      topicName: resourceName(env.name, "alerts"),
      emails: env.alerting.emails,
      subjectPrefix: `${env.name} ${env.cluster.name}`,
      accountId: env.accountId,
      region: env.region,
      partition: env.partition,
      preventDestroy: env.protect,
    });
    this.output(OUT.alertTopicArn, this.alerting.topicArn, "SNS topic of the AMP alerts");
    this.output(OUT.alertTopicKeyArn, this.alerting.keyArn, "KMS key of the alert topic");

    this.output(OUT.ampWorkspaceId, this.workspace.workspaceId, "AMP workspace id");
    this.output(OUT.ampWorkspaceArn, this.workspace.arn, "AMP workspace ARN");
    this.output(
      OUT.ampPrometheusEndpoint,
      this.workspace.prometheusEndpoint,
      "AMP Prometheus endpoint (ends in /)",
    );
    this.output(OUT.ampRemoteWriteUrl, this.workspace.remoteWriteUrl, "AMP remote-write URL");
    this.output(OUT.ebsCsiRoleArn, this.ebsCsi.role.roleArn, "IAM role of the EBS CSI driver");
  }
}
