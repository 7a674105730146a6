import { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { importExisting } from "../../lib/adoption";
import type { ScrapedExporter } from "../../monitoring/scrape-config";

/** node-exporter's port: it runs on the host network, so its endpoints are node IPs on this port. */
export const NODE_EXPORTER_PORT = 9100;
/** kube-state-metrics' metrics port (its endpoints are pod IPs). */
export const KUBE_STATE_METRICS_PORT = 8080;

export interface ClusterExportersProps {
  /** Namespace of both releases (created here). */
  readonly namespace: string;
  /** Chart repository URL of both charts. */
  readonly chartRepository: string;
  /** Exact prometheus-community/prometheus-node-exporter chart version. */
  readonly nodeExporterChartVersion: string;
  /** Exact prometheus-community/kube-state-metrics chart version. */
  readonly kubeStateMetricsChartVersion: string;
  /** How long each release waits for its pods, in seconds. @default 600 */
  readonly helmTimeoutSeconds?: number;
  /** The namespace already exists: import it. @default false */
  readonly adoptNamespace?: boolean;
}

/** Helm values of prometheus-node-exporter: fixed port, and the annotation the prometheus chart's job keys on. */
export function nodeExporterValues(): Record<string, unknown> {
  return {
    service: {
      port: NODE_EXPORTER_PORT,
      targetPort: NODE_EXPORTER_PORT,
      annotations: { "prometheus.io/scrape": "true" },
    },
  };
}

/** Helm values of kube-state-metrics: fixed port, no self-metrics port, scrape annotation on. */
export function kubeStateMetricsValues(): Record<string, unknown> {
  return {
    prometheusScrape: true,
    selfMonitor: { enabled: false },
    service: { port: KUBE_STATE_METRICS_PORT },
  };
}

/**
 * node-exporter (a DaemonSet) and kube-state-metrics (a Deployment) in their own namespace, installed with
 * their own charts: the exporters an external collector scrapes when no Prometheus server runs in the cluster.
 * (The prometheus chart bundles the same two charts as sub-charts.)
 */
export class ClusterExporters extends Construct {
  /** The namespace. */
  readonly namespace: NamespaceV1;
  /** The node-exporter release. */
  readonly nodeExporter: Release;
  /** The kube-state-metrics release. */
  readonly kubeStateMetrics: Release;
  /** What a collector scrapes, by service name and port. */
  readonly scraped: ScrapedExporter[] = [
    { name: "prometheus-node-exporter", port: NODE_EXPORTER_PORT },
    { name: "kube-state-metrics", port: KUBE_STATE_METRICS_PORT },
  ];

  constructor(scope: Construct, id: string, props: ClusterExportersProps) {
    super(scope, id);
    this.namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: props.namespace, labels: { "app.kubernetes.io/managed-by": "terraform" } },
    });
    if (props.adoptNamespace) importExisting(this.namespace, props.namespace);
    const release = (name: string, version: string, values: Record<string, unknown>) =>
      new Release(this, name, {
        name,
        repository: props.chartRepository,
        chart: name,
        version,
        namespace: this.namespace.metadata.name,
        values: [stringify(values, { lineWidth: 0 })],
        atomic: true,
        cleanupOnFail: true,
        wait: true,
        timeout: props.helmTimeoutSeconds ?? 600,
        maxHistory: 10,
      });
    this.nodeExporter = release(
      "prometheus-node-exporter",
      props.nodeExporterChartVersion,
      nodeExporterValues(),
    );
    this.kubeStateMetrics = release(
      "kube-state-metrics",
      props.kubeStateMetricsChartVersion,
      kubeStateMetricsValues(),
    );
  }
}
