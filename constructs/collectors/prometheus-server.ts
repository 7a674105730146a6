import { Release } from "@cdktf/provider-helm/lib/release";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { deepMerge } from "../../lib/merge";

/** remote_write queue tuning (Prometheus `queue_config`). */
export interface QueueConfig {
  readonly maxSamplesPerSend: number;
  readonly maxShards: number;
  readonly capacity: number;
}

export interface PrometheusServerValuesProps {
  /** Service account the chart creates for the server. */
  readonly serviceAccountName: string;
  /** IRSA role for that service account. */
  readonly roleArn: string;
  /** AMP remote-write URL. */
  readonly remoteWriteUrl: string;
  /** Region of the AMP workspace, for SigV4. */
  readonly region: string;
  /** remote_write queue_config. */
  readonly queueConfig: QueueConfig;
  /** Scrape and rule-evaluation interval. */
  readonly scrapeInterval: string;
  /** Local TSDB retention. */
  readonly retention: string;
  /** Persistent volume size. */
  readonly persistentVolumeSize: string;
  /** StorageClass of the persistent volume. */
  readonly storageClassName: string;
  /** Server container resources. */
  readonly resources: {
    requests: Record<string, string | undefined>;
    limits: Record<string, string | undefined>;
  };
  /** Extra chart values, merged last. */
  readonly extraValues?: Record<string, unknown>;
}

function definedOnly(map: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Values for the prometheus-community/prometheus chart: a server that remote-writes to AMP with SigV4. */
export function prometheusServerValues(props: PrometheusServerValuesProps): Record<string, unknown> {
  const values = {
    serviceAccounts: {
      server: {
        create: true,
        name: props.serviceAccountName,
        annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
      },
    },
    server: {
      global: { scrape_interval: props.scrapeInterval, evaluation_interval: props.scrapeInterval },
      remoteWrite: [
        {
          url: props.remoteWriteUrl,
          sigv4: { region: props.region },
          queue_config: {
            max_samples_per_send: props.queueConfig.maxSamplesPerSend,
            max_shards: props.queueConfig.maxShards,
            capacity: props.queueConfig.capacity,
          },
        },
      ],
      retention: props.retention,
      persistentVolume: {
        enabled: true,
        size: props.persistentVolumeSize,
        storageClass: props.storageClassName,
      },
      resources: {
        requests: definedOnly(props.resources.requests),
        limits: definedOnly(props.resources.limits),
      },
    },
    // Alerting runs in the AMP alert manager, and nothing here pushes metrics.
    alertmanager: { enabled: false },
    "prometheus-pushgateway": { enabled: false },
    // kube-state-metrics and node-exporter stay on (the chart's default): capacity views need them.
    "kube-state-metrics": { enabled: true },
    "prometheus-node-exporter": { enabled: true },
  };
  return deepMerge(values, props.extraValues ?? {});
}

export interface PrometheusServerProps extends PrometheusServerValuesProps {
  /** Namespace of the release (created here). */
  readonly namespace: string;
  /** Chart repository URL. */
  readonly chartRepository: string;
  /** Exact chart version. */
  readonly chartVersion: string;
  /** Refuse plans that delete the namespace (and with it the server's volume claim). */
  readonly preventDestroy: boolean;
  /** What must exist before the release installs (StorageClass, IAM policy). */
  readonly dependsOn?: ITerraformDependable[];
}

/** The Prometheus server, installed by Helm into its own namespace, writing to AMP. */
export class PrometheusServer extends Construct {
  /** The namespace. */
  readonly namespace: NamespaceV1;
  /** The Helm release. */
  readonly release: Release;
  /** The chart values as rendered into the release. */
  readonly values: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: PrometheusServerProps) {
    super(scope, id);
    this.namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: props.namespace, labels: { "app.kubernetes.io/managed-by": "terraform" } },
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    this.values = prometheusServerValues(props);
    this.release = new Release(this, "release", {
      name: "prometheus",
      repository: props.chartRepository,
      chart: "prometheus",
      version: props.chartVersion,
      namespace: this.namespace.metadata.name,
      values: [stringify(this.values, { lineWidth: 0 })],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: 600,
      maxHistory: 10,
      dependsOn: props.dependsOn,
    });
  }
}
