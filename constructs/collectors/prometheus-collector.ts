import { Release } from "@cdktf/provider-helm/lib/release";
import { DataKubernetesPersistentVolumeClaimV1 } from "@cdktf/provider-kubernetes/lib/data-kubernetes-persistent-volume-claim-v1";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { importExisting } from "../../lib/adoption";
import { collectorDashboards } from "../../lib/catalogue";
import { deepMerge } from "../../lib/merge";
import { keepRule, type MetricFilter } from "../../monitoring/allow-list";
import { COLLECTOR_RULE_FILES, type RuleParams } from "../../monitoring/rules";
import { eksControlPlaneJobs } from "../../monitoring/scrape-config";
import { AmpRules } from "../amp/rules";
import type { IAmpWorkspace } from "../amp/workspace";
import type { EbsCsiDriver } from "../cluster/ebs-csi-driver";
import type { IEksCluster } from "../cluster/existing-eks-cluster";
import { IrsaRole } from "../cluster/irsa-role";
import {
  EXPORTERS,
  ExporterConflicts,
  type ExporterKey,
  type ExporterSources,
  INSTALL_ALL,
  MANAGED_BY_TERRAFORM,
} from "./cluster-exporters";
import type { Collector } from "./collector";
import { ControlPlaneMetricsReader } from "./control-plane-metrics";

/** Name of the server's Helm release (the tutorial's `helm install prometheus ...` used it too). */
export const PROMETHEUS_RELEASE_NAME = "prometheus";
/** The server's volume claim, as the chart names it for that release (`<release>-server`). */
export const PROMETHEUS_SERVER_CLAIM = `${PROMETHEUS_RELEASE_NAME}-server`;

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
  /** What remote write sends to AMP (the server still scrapes everything for its local retention). */
  readonly metrics: MetricFilter;
  /** Extra chart values, merged last. @default none */
  readonly extraValues?: Record<string, unknown>;
  /** Which bundled exporters to install; an "existing" one is scraped where it runs. @default both installed */
  readonly exporters?: ExporterSources;
  /**
   * Labels the server adds to every series it sends (`global.external_labels`: remote write and alerts), e.g.
   * `{ cluster: "<EKS cluster name>" }`; a scraped series' own label of the same name wins. @default none
   */
  readonly externalLabels?: Readonly<Record<string, string>>;
}

/**
 * The relabelling of the chart's `kubernetes-service-endpoints` job (prometheus chart 29.27.0, its
 * values.yaml), with the first rule widened: a service is kept when annotated `prometheus.io/scrape: "true"`
 * (the chart's rule) or when it is one of the `names` (its `app.kubernetes.io/name` label), in any namespace:
 * an exporter installed by someone else may not carry the annotation.
 */
export function serviceEndpointsRelabelling(names: readonly string[]): Record<string, unknown>[] {
  return [
    {
      source_labels: [
        "__meta_kubernetes_service_annotation_prometheus_io_scrape",
        "__meta_kubernetes_service_label_app_kubernetes_io_name",
      ],
      action: "keep",
      regex: `true;.*|[^;]*;(${names.join("|")})`,
    },
    {
      source_labels: ["__meta_kubernetes_service_annotation_prometheus_io_scrape_slow"],
      action: "drop",
      regex: "true",
    },
    {
      source_labels: ["__meta_kubernetes_service_annotation_prometheus_io_scheme"],
      action: "replace",
      target_label: "__scheme__",
      regex: "(https?)",
    },
    {
      source_labels: ["__meta_kubernetes_service_annotation_prometheus_io_path"],
      action: "replace",
      target_label: "__metrics_path__",
      regex: "(.+)",
    },
    {
      source_labels: ["__address__", "__meta_kubernetes_service_annotation_prometheus_io_port"],
      action: "replace",
      target_label: "__address__",
      regex: "(.+?)(?::\\d+)?;(\\d+)",
      replacement: "$1:$2",
    },
    {
      action: "labelmap",
      regex: "__meta_kubernetes_service_annotation_prometheus_io_param_(.+)",
      replacement: "__param_$1",
    },
    { action: "labelmap", regex: "__meta_kubernetes_service_label_(.+)" },
    { source_labels: ["__meta_kubernetes_namespace"], action: "replace", target_label: "namespace" },
    { source_labels: ["__meta_kubernetes_service_name"], action: "replace", target_label: "service" },
    { source_labels: ["__meta_kubernetes_pod_node_name"], action: "replace", target_label: "node" },
  ];
}

/** The exporters the chart should not install: those already running in the cluster. */
function existingExporters(sources: ExporterSources): ExporterKey[] {
  return (Object.keys(sources) as ExporterKey[]).filter((key) => sources[key] === "existing");
}

function definedOnly(map: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Values for the prometheus-community/prometheus chart: a server that remote-writes to AMP with SigV4. */
export function prometheusServerValues(props: PrometheusServerValuesProps): Record<string, unknown> {
  const sources = props.exporters ?? INSTALL_ALL;
  const existing = existingExporters(sources);
  const values = {
    serviceAccounts: {
      server: {
        create: true,
        name: props.serviceAccountName,
        annotations: { "eks.amazonaws.com/role-arn": props.roleArn },
      },
    },
    server: {
      global: {
        scrape_interval: props.scrapeInterval,
        evaluation_interval: props.scrapeInterval,
        ...(props.externalLabels ? { external_labels: { ...props.externalLabels } } : {}),
      },
      remoteWrite: [
        {
          url: props.remoteWriteUrl,
          sigv4: { region: props.region },
          queue_config: {
            max_samples_per_send: props.queueConfig.maxSamplesPerSend,
            max_shards: props.queueConfig.maxShards,
            capacity: props.queueConfig.capacity,
          },
          // Only what the shipped rules and dashboards read (and metrics.extra) leaves for AMP.
          ...(props.metrics.sendAll ? {} : { write_relabel_configs: [keepRule(props.metrics)] }),
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
    // kube-state-metrics and node-exporter stay on (the chart's default): capacity views need them; one
    // that already runs in the cluster is scraped instead, wherever it is, by the chart's job.
    "kube-state-metrics": { enabled: sources.kubeStateMetrics === "install" },
    "prometheus-node-exporter": { enabled: sources.nodeExporter === "install" },
    // The chart's scrapeConfigs map, keyed by job name: new keys are jobs of their own, enabled. The EKS
    // control plane's scheduler and controller manager are read through the API server (their RBAC:
    // PrometheusCollector's control-plane role).
    scrapeConfigs: {
      ...Object.fromEntries(
        eksControlPlaneJobs("chart").map(({ job_name, ...job }) => [job_name as string, job]),
      ),
      ...(existing.length > 0
        ? {
            "kubernetes-service-endpoints": {
              relabel_configs: serviceEndpointsRelabelling(existing.map((key) => EXPORTERS[key].chart)),
            },
          }
        : {}),
    },
  };
  return deepMerge(values, props.extraValues ?? {});
}

/** The chart settings an environment chooses (the collector derives the rest: role, remote write, volume). */
export interface PrometheusServerSettings {
  /** Namespace of the release (created here). */
  readonly namespace: string;
  /** Chart repository URL. */
  readonly chartRepository: string;
  /** Exact chart version. */
  readonly chartVersion: string;
  /** Service account the chart creates for the server (trusted by the IRSA role). */
  readonly serviceAccountName: string;
  /** remote_write queue_config. */
  readonly queueConfig: QueueConfig;
  /** Scrape and rule-evaluation interval. */
  readonly scrapeInterval: string;
  /** Local TSDB retention. */
  readonly retention: string;
  /** Persistent volume size. */
  readonly persistentVolumeSize: string;
  /** Server container resources. */
  readonly resources: PrometheusServerValuesProps["resources"];
  /** Extra chart values, merged last. @default none */
  readonly values?: Record<string, unknown>;
  /** What remote write sends to AMP. */
  readonly metrics: MetricFilter;
  /** Which bundled exporters to install, and which already run in the cluster. @default both installed */
  readonly exporters?: ExporterSources;
}

export interface PrometheusCollectorProps extends PrometheusServerSettings {
  /** The cluster the server runs in (its OIDC provider trusts the server's role). */
  readonly cluster: IEksCluster;
  /** The AMP workspace the server writes to. */
  readonly workspace: IAmpWorkspace;
  /** Region of the workspace, for SigV4. */
  readonly region: string;
  /** Remote write only through this VPC endpoint (`aws:SourceVpce` on the role's permission). @default any path */
  readonly remoteWriteEndpointId?: string;
  /** The EBS CSI driver whose StorageClass holds the server's volume. */
  readonly storage: EbsCsiDriver;
  /** Name of the server's IAM role. */
  readonly roleName: string;
  /** The environment, thresholds and runbooks of the collector's own rules (written for its cluster). */
  readonly rules: RuleParams;
  /**
   * Short key of the cluster in the names of what it has in the shared workspace (its rule group namespace,
   * `eksmon-<id>-prometheus-collector`). @default none: `eksmon-prometheus-collector`
   */
  readonly clusterId?: string;
  /** Refuse plans that delete the namespace (and with it the server's volume claim). */
  readonly preventDestroy: boolean;
  /** How long the release waits for the server, in seconds (bounded by how the cluster token is made). @default 600 */
  readonly helmTimeoutSeconds?: number;
  /** What already runs in the cluster and is imported: the namespace, and a release named `prometheus` in it. @default nothing */
  readonly adopt?: {
    /** Import the namespace instead of creating it. @default false */
    readonly namespace?: boolean;
    /** Import the release named `prometheus` instead of installing it. @default false */
    readonly release?: boolean;
  };
  /**
   * Read at plan whether the bundled exporters it installs already run elsewhere in the cluster (on the first
   * install): node-exporter then fails the plan, kube-state-metrics warns. @default true
   */
  readonly detectConflicts?: boolean;
}

/**
 * The in-cluster collector: a Prometheus server installed by Helm into its own namespace, on an encrypted
 * EBS volume, remote-writing to AMP with SigV4 through an IRSA role that may only write to this workspace;
 * and what only it needs: its remote-write and silence alerts, and its dashboard.
 */
export class PrometheusCollector extends Construct implements Collector {
  readonly type = "prometheus";
  /** The server's IRSA role. */
  readonly role: IrsaRole;
  /** The namespace. */
  readonly namespace: NamespaceV1;
  /** The Helm release. */
  readonly release: Release;
  /** The chart values as rendered into the release. */
  readonly values: Record<string, unknown>;
  /** The collector's own rules. */
  readonly rules: AmpRules;
  /** What the plan reads of exporters already in the cluster, when it checks. */
  readonly conflicts?: ExporterConflicts;
  /** The server's read of kube-scheduler's and kube-controller-manager's metrics through the API server. */
  readonly controlPlaneMetrics: ControlPlaneMetricsReader;
  readonly dashboards = collectorDashboards("prometheus");
  readonly published: Collector["published"];
  readonly releaseNamespaces: Collector["releaseNamespaces"];
  private readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: PrometheusCollectorProps) {
    super(scope, id);
    this.namespaceName = props.namespace;
    this.role = new IrsaRole(this, "prometheus-irsa", {
      cluster: props.cluster,
      serviceAccount: { namespace: props.namespace, name: props.serviceAccountName },
      roleName: props.roleName,
      description: `Prometheus server of ${props.cluster.name}: remote write to AMP workspace ${props.workspace.alias}`,
    });
    props.workspace.grantRemoteWrite(this.role, { viaEndpoint: props.remoteWriteEndpointId });

    // Construct ids of the server's resources are those of the construct that held them before: same addresses.
    const server = new Construct(this, "prometheus");
    this.namespace = new NamespaceV1(server, "namespace", {
      metadata: { name: props.namespace, labels: { ...MANAGED_BY_TERRAFORM } },
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    if (props.adopt?.namespace) importExisting(this.namespace, props.namespace);
    this.controlPlaneMetrics = new ControlPlaneMetricsReader(server, "control-plane-metrics", {
      cluster: props.cluster,
      name: `eksmon-control-plane-metrics-${props.namespace}`,
      serviceAccount: { namespace: props.namespace, name: props.serviceAccountName },
      dependsOn: [this.namespace],
    });
    this.values = prometheusServerValues({
      ...props,
      // Every series says which cluster it came from: the environment's clusters share one workspace.
      externalLabels: { cluster: props.cluster.name },
      roleArn: this.role.roleArn,
      remoteWriteUrl: props.workspace.remoteWriteUrl,
      storageClassName: props.storage.storageClassName,
      extraValues: props.values,
    });
    const sources = props.exporters ?? INSTALL_ALL;
    const installing = (Object.keys(sources) as ExporterKey[]).filter((key) => sources[key] === "install");
    if (installing.length > 0 && props.detectConflicts !== false)
      this.conflicts = new ExporterConflicts(server, "existing-exporters", {
        namespace: props.namespace,
        installing,
      });
    // An adopted release keeps its volume claim's StorageClass: Kubernetes refuses to change the class of an
    // existing claim (only unset -> a class), so the upgrade to ours would fail and roll back. The tutorial's
    // claim took the cluster's default class then (gp2 on older clusters): read at plan, ours when it has none.
    const adoptedClaim = props.adopt?.release
      ? new DataKubernetesPersistentVolumeClaimV1(server, "adopted-claim", {
          metadata: { name: PROMETHEUS_SERVER_CLAIM, namespace: props.namespace },
        })
      : undefined;
    this.release = new Release(server, "release", {
      name: PROMETHEUS_RELEASE_NAME,
      repository: props.chartRepository,
      chart: "prometheus",
      version: props.chartVersion,
      namespace: this.namespace.metadata.name,
      values: [stringify(this.values, { lineWidth: 0 })],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: props.helmTimeoutSeconds ?? 600,
      maxHistory: 10,
      set: adoptedClaim
        ? [
            {
              name: "server.persistentVolume.storageClass",
              value: `\${coalesce(try(${adoptedClaim.fqn}.spec[0].storage_class_name, ""), ${JSON.stringify(props.storage.storageClassName)})}`,
            },
          ]
        : undefined,
      // The role's permissions, not only the role: the server writes as soon as it starts.
      dependsOn: [props.storage.storageClass, ...this.role.permissions],
      lifecycle:
        this.conflicts && sources.nodeExporter === "install"
          ? { precondition: [this.conflicts.nodeExporterPrecondition()] }
          : undefined,
    });
    if (this.conflicts && sources.kubeStateMetrics === "install")
      this.conflicts.warnOnKubeStateMetrics("prometheus_kube_state_metrics");
    // The tutorial's release has this name: imported, it is upgraded in place to these values.
    if (props.adopt?.release) importExisting(this.release, `${props.namespace}/${PROMETHEUS_RELEASE_NAME}`);
    this.rules = new AmpRules(this, "collector-rules", {
      workspace: props.workspace,
      ruleFiles: COLLECTOR_RULE_FILES.prometheus(props.rules, {
        name: props.cluster.name,
        id: props.clusterId,
      }),
    });
    this.releaseNamespaces = [this.namespace];
    this.published = { prometheusRoleArn: this.role.roleArn };
  }

  /**
   * Imports what this collector declares as it exists (role, namespace, release, rule namespaces) instead
   * of creating it: for taking them over from another stack's state, which forgets them.
   */
  importExisting(): void {
    this.role.importExisting();
    importExisting(this.namespace, this.namespaceName);
    importExisting(this.release, `${this.namespaceName}/${PROMETHEUS_RELEASE_NAME}`);
    this.rules.importExisting();
  }
}
