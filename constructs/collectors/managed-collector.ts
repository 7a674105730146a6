import { Construct } from "constructs";
import { collectorDashboards } from "../../lib/catalogue";
import type { MetricFilter } from "../../monitoring/allow-list";
import { COLLECTOR_RULE_FILES, type RuleParams } from "../../monitoring/rules";
import { managedScrapeConfigYaml } from "../../monitoring/scrape-config";
import { AmpRules } from "../amp/rules";
import type { IAmpWorkspace } from "../amp/workspace";
import type { IEksCluster } from "../cluster/existing-eks-cluster";
import { ClusterExporters, type ExporterSources } from "./cluster-exporters";
import type { Collector } from "./collector";
import { AmpManagedScraper, type ExistingScraper } from "./managed-scraper";

/** The collector settings an environment chooses. */
export interface ManagedCollectorSettings {
  /** Subnets of the scraper's network interfaces (2-5, in at least two AZs). */
  readonly subnetIds: string[];
  /** Security groups of the scraper. @default one is created, allowed to reach the cluster */
  readonly securityGroupIds?: string[];
  /** Scrape interval of every job (>= 30s). */
  readonly scrapeInterval: string;
  /** Extra scrape_configs entries as a YAML list (already validated). @default none */
  readonly extraScrapeConfigs?: string;
  /** Create the scraper's EKS access entry (false when AWS created it). */
  readonly accessEntry: boolean;
  /** Namespace of the exporters (created here, when one is installed). */
  readonly namespace: string;
  /** Which exporters to install, and which already run in the cluster (scraped where they are). */
  readonly exporters: ExporterSources;
  /** Chart repository of the exporters. */
  readonly chartRepository: string;
  /** prometheus-community/prometheus-node-exporter chart version. */
  readonly nodeExporterChartVersion: string;
  /** prometheus-community/kube-state-metrics chart version. */
  readonly kubeStateMetricsChartVersion: string;
  /** What the scraper sends to AMP (a `keep` in every job's metric_relabel_configs). */
  readonly metrics: MetricFilter;
}

export interface ManagedCollectorProps extends ManagedCollectorSettings {
  /** The cluster scraped. */
  readonly cluster: IEksCluster;
  /** The AMP workspace the scraper writes to. */
  readonly workspace: IAmpWorkspace;
  /** VPC of the cluster (the scraper's security group). */
  readonly vpcId: string;
  /** Prefix of the scraper's alias and security group name, e.g. `eksmon-staging`. */
  readonly namePrefix: string;
  /** The environment, thresholds and runbooks of the collector's own rules (written for its cluster). */
  readonly rules: RuleParams;
  /**
   * Short key of the cluster in the names of what it has in the shared workspace (its rule group namespace,
   * `eksmon-<id>-managed-collector`). @default none: `eksmon-managed-collector`
   */
  readonly clusterId?: string;
  /** How long each exporter release waits for its pods, in seconds. @default 600 */
  readonly helmTimeoutSeconds?: number;
  /** What the cluster already runs and is imported: the exporters' namespace. @default nothing */
  readonly adopt?: {
    /** Import the exporters' namespace instead of creating it. @default false */
    readonly namespace?: boolean;
  };
}

/**
 * The AMP managed collector: the scraper with its network and cluster access, node-exporter and
 * kube-state-metrics in the cluster for it to scrape, and what only it needs: its silence alert and its
 * dashboard. Its scrape configuration uses the prometheus chart's job names, so shared dashboards and rules
 * read the same series in both modes.
 */
export class ManagedCollector extends Construct implements Collector {
  readonly type = "managed";
  /** The exporters the scraper reads. */
  readonly exporters: ClusterExporters;
  /** The scraper. */
  readonly scraper: AmpManagedScraper;
  /** The collector's own rules. */
  readonly rules: AmpRules;
  readonly dashboards = collectorDashboards("managed");
  readonly published: Collector["published"];
  readonly releaseNamespaces: Collector["releaseNamespaces"];

  constructor(scope: Construct, id: string, props: ManagedCollectorProps) {
    super(scope, id);
    this.exporters = new ClusterExporters(this, "exporters", {
      namespace: props.namespace,
      chartRepository: props.chartRepository,
      nodeExporterChartVersion: props.nodeExporterChartVersion,
      kubeStateMetricsChartVersion: props.kubeStateMetricsChartVersion,
      helmTimeoutSeconds: props.helmTimeoutSeconds,
      adoptNamespace: props.adopt?.namespace,
      sources: props.exporters,
    });
    this.scraper = new AmpManagedScraper(this, "scraper", {
      alias: `${props.namePrefix}-scraper`,
      cluster: props.cluster,
      vpcId: props.vpcId,
      subnetIds: props.subnetIds,
      securityGroupIds: props.securityGroupIds,
      securityGroupName: `${props.namePrefix}-amp-scraper`,
      targetPorts: [
        { port: 443, what: "Kubernetes API server" },
        ...this.exporters.scraped.map((e) => ({ port: e.port, what: e.name })),
      ],
      workspace: props.workspace,
      scrapeConfiguration: managedScrapeConfigYaml({
        scrapeInterval: props.scrapeInterval,
        exporters: this.exporters.scraped,
        extraScrapeConfigs: props.extraScrapeConfigs,
        metrics: props.metrics,
        // Every series says which cluster it came from: the environment's clusters share one workspace.
        externalLabels: { cluster: props.cluster.name },
      }),
      createAccessEntry: props.accessEntry,
    });
    this.rules = new AmpRules(this, "collector-rules", {
      workspace: props.workspace,
      ruleFiles: COLLECTOR_RULE_FILES.managed(props.rules, {
        name: props.cluster.name,
        id: props.clusterId,
      }),
    });
    this.releaseNamespaces = this.exporters.namespace ? [this.exporters.namespace] : [];
    this.published = { ampScraperArn: this.scraper.arn };
  }

  /**
   * Imports what this collector declares as it exists (the scraper and its network and cluster access, the
   * exporters, the rule namespaces) instead of creating it: for taking them over from another stack's state.
   */
  importExisting(scraper: ExistingScraper): void {
    this.exporters.importExisting();
    this.scraper.importExisting(scraper);
    this.rules.importExisting();
  }
}
