import { Release } from "@cdktf/provider-helm/lib/release";
import { DataKubernetesAllNamespaces } from "@cdktf/provider-kubernetes/lib/data-kubernetes-all-namespaces";
import { DataKubernetesResources } from "@cdktf/provider-kubernetes/lib/data-kubernetes-resources";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { TerraformIterator, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { importExisting } from "../../lib/adoption";
import { forEachOf } from "../../lib/terraform";
import type { ScrapedExporter } from "../../monitoring/scrape-config";

/** node-exporter's port: it runs on the host network, so its endpoints are node IPs on this port. */
export const NODE_EXPORTER_PORT = 9100;
/** kube-state-metrics' metrics port (its endpoints are pod IPs). */
export const KUBE_STATE_METRICS_PORT = 8080;

/** Where an exporter comes from: installed by this project, or already running in the cluster. */
export type ExporterSource = "install" | "existing";

/** The exporters every collector scrapes, by the key the configuration uses. */
export const EXPORTERS = {
  nodeExporter: {
    /** prometheus-community chart, and the `app.kubernetes.io/name` its Service carries (so does any install of it). */
    chart: "prometheus-node-exporter",
    port: NODE_EXPORTER_PORT,
  },
  kubeStateMetrics: { chart: "kube-state-metrics", port: KUBE_STATE_METRICS_PORT },
} as const;
export type ExporterKey = keyof typeof EXPORTERS;
const EXPORTER_KEYS = Object.keys(EXPORTERS) as ExporterKey[];

/** Label of Kubernetes objects this project creates (its namespaces carry it). */
export const MANAGED_BY_TERRAFORM = { "app.kubernetes.io/managed-by": "terraform" } as const;

/** Where each exporter comes from. */
export type ExporterSources = Readonly<Record<ExporterKey, ExporterSource>>;

/** Every exporter installed (the default). */
export const INSTALL_ALL: ExporterSources = { nodeExporter: "install", kubeStateMetrics: "install" };

/**
 * What a collector scrapes, by service label and port: the exporters it installs, in `namespace`, and the
 * existing ones, in any namespace (found by the `app.kubernetes.io/name` label their charts set).
 */
export function scrapedExporters(sources: ExporterSources, namespace: string): ScrapedExporter[] {
  return EXPORTER_KEYS.map((key) => ({
    name: EXPORTERS[key].chart,
    port: EXPORTERS[key].port,
    ...(sources[key] === "install" ? { namespace } : {}),
  }));
}

export interface ExporterConflictsProps {
  /** Namespace of the releases that install the exporters (created in the same stack). */
  readonly namespace: string;
  /** The exporters about to be installed there. */
  readonly installing: readonly ExporterKey[];
}

/**
 * The exporters already running in the cluster that ours would collide with, read at plan on the first
 * install (while the releases' namespace does not exist yet; afterwards nothing is read but the namespace
 * list). The kubernetes provider lists one namespace at a time (`kubernetes_resources` without a namespace
 * reads "default"), so every namespace not created by Terraform (label app.kubernetes.io/managed-by) is
 * listed for Services with the exporters' `app.kubernetes.io/name`: this project's own namespaces, of either
 * collector (switching collectors), are passed over. Needs list on namespaces, services and
 * customresourcedefinitions (the provider looks kinds up among CRDs): the plan readers have them.
 */
export class ExporterConflicts extends Construct {
  private readonly services: DataKubernetesResources;

  constructor(scope: Construct, id: string, props: ExporterConflictsProps) {
    super(scope, id);
    const all = new DataKubernetesAllNamespaces(this, "namespaces", {});
    const installedBefore = `contains(${all.fqn}.namespaces, ${JSON.stringify(props.namespace)})`;
    // Namespaces Terraform created (ours among them): one list call, only while scanning.
    const scanning = TerraformIterator.fromList([]);
    const terraformNamespaces = new DataKubernetesResources(this, "terraform-namespaces", {
      forEach: scanning,
      apiVersion: "v1",
      kind: "Namespace",
      labelSelector: Object.entries(MANAGED_BY_TERRAFORM)
        .map(([k, v]) => `${k}=${v}`)
        .join(","),
    });
    forEachOf(terraformNamespaces, `${installedBefore} ? [] : ["terraform"]`);
    const scanned = TerraformIterator.fromList([]);
    const names = props.installing.map((key) => EXPORTERS[key].chart);
    this.services = new DataKubernetesResources(this, "services", {
      forEach: scanned,
      apiVersion: "v1",
      kind: "Service",
      namespace: scanned.value,
      labelSelector: `app.kubernetes.io/name in (${names.join(",")})`,
    });
    const created = `flatten([for r in ${terraformNamespaces.fqn} : [for o in r.objects : o.metadata.name]])`;
    forEachOf(this.services, `${installedBefore} ? [] : setsubtract(${all.fqn}.namespaces, ${created})`);
  }

  /** HCL (inside `${...}`): `<namespace>/<name>` of every Service found of exporter `key`. */
  found(key: ExporterKey): string {
    const name = JSON.stringify(EXPORTERS[key].chart);
    return `flatten([for r in ${this.services.fqn} : [for o in r.objects : "\${o.metadata.namespace}/\${o.metadata.name}" if lookup(o.metadata.labels, "app.kubernetes.io/name", "") == ${name}]])`;
  }

  /**
   * The plan-time refusal to install node-exporter next to another: it runs on the host network, so ours
   * would stay Pending on the port until Helm gives up (the release's timeout), and the apply fails.
   */
  nodeExporterPrecondition(): { condition: string; errorMessage: string } {
    const found = this.found("nodeExporter");
    return {
      condition: `\${length(${found}) == 0}`,
      errorMessage: `node-exporter already runs in the cluster (Service \${join(", ", ${found})}): ours would stay Pending on host port ${NODE_EXPORTER_PORT} until Helm gives up. Set collector.exporters.nodeExporter: "existing" to scrape that one instead (found by its app.kubernetes.io/name label, in any namespace).`,
    };
  }

  /**
   * A plan-time warning (a check block) when kube-state-metrics already runs: a second one works, but doubles
   * its series (and the bill), and a release of the same name elsewhere owns the ClusterRole ours would create.
   */
  warnOnKubeStateMetrics(checkName: string): void {
    const found = this.found("kubeStateMetrics");
    TerraformStack.of(this).addOverride(`check.${checkName}`, {
      assert: [
        {
          condition: `\${length(${found}) == 0}`,
          error_message: `kube-state-metrics already runs in the cluster (Service \${join(", ", ${found})}): installing another doubles its series in AMP (a release named kube-state-metrics elsewhere also owns the ClusterRole of that name, and Helm refuses to take it over). Set collector.exporters.kubeStateMetrics: "existing" to scrape that one instead.`,
        },
      ],
    });
  }
}

export interface ClusterExportersProps {
  /** Namespace of both releases (created here, when an exporter is installed). */
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
  /**
   * Which exporters to install; an "existing" one is left alone and scraped where it runs.
   * @default both installed
   */
  readonly sources?: ExporterSources;
  /**
   * Read at plan whether the exporters to install already run elsewhere in the cluster (on the first
   * install): node-exporter then fails the plan, kube-state-metrics warns. @default true
   */
  readonly detectConflicts?: boolean;
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
 * (The prometheus chart bundles the same two charts as sub-charts.) Either may already run in the cluster
 * (`sources`): it is then not installed, and `scraped` finds it by its label in any namespace.
 */
export class ClusterExporters extends Construct {
  /** The namespace, when an exporter is installed. */
  readonly namespace?: NamespaceV1;
  /** The node-exporter release, when installed. */
  readonly nodeExporter?: Release;
  /** The kube-state-metrics release, when installed. */
  readonly kubeStateMetrics?: Release;
  /** What the plan reads of exporters already in the cluster, when it checks. */
  readonly conflicts?: ExporterConflicts;
  /** What a collector scrapes, by service name, port and (for those installed here) namespace. */
  readonly scraped: ScrapedExporter[];
  private readonly namespaceName: string;

  constructor(scope: Construct, id: string, props: ClusterExportersProps) {
    super(scope, id);
    this.namespaceName = props.namespace;
    const sources = props.sources ?? INSTALL_ALL;
    this.scraped = scrapedExporters(sources, props.namespace);
    const installing = EXPORTER_KEYS.filter((key) => sources[key] === "install");
    if (installing.length === 0) return;

    const namespace = new NamespaceV1(this, "namespace", {
      metadata: { name: props.namespace, labels: { ...MANAGED_BY_TERRAFORM } },
    });
    this.namespace = namespace;
    if (props.adoptNamespace) importExisting(namespace, props.namespace);
    const conflicts =
      props.detectConflicts === false
        ? undefined
        : new ExporterConflicts(this, "existing-exporters", { namespace: props.namespace, installing });
    this.conflicts = conflicts;
    const release = (
      name: string,
      version: string,
      values: Record<string, unknown>,
      precondition?: { condition: string; errorMessage: string },
    ) =>
      new Release(this, name, {
        name,
        repository: props.chartRepository,
        chart: name,
        version,
        namespace: namespace.metadata.name,
        values: [stringify(values, { lineWidth: 0 })],
        atomic: true,
        cleanupOnFail: true,
        wait: true,
        timeout: props.helmTimeoutSeconds ?? 600,
        maxHistory: 10,
        lifecycle: precondition ? { precondition: [precondition] } : undefined,
      });
    if (sources.nodeExporter === "install")
      this.nodeExporter = release(
        EXPORTERS.nodeExporter.chart,
        props.nodeExporterChartVersion,
        nodeExporterValues(),
        conflicts?.nodeExporterPrecondition(),
      );
    if (sources.kubeStateMetrics === "install") {
      this.kubeStateMetrics = release(
        EXPORTERS.kubeStateMetrics.chart,
        props.kubeStateMetricsChartVersion,
        kubeStateMetricsValues(),
      );
      conflicts?.warnOnKubeStateMetrics(`${this.node.id.replace(/[^A-Za-z0-9_-]/g, "_")}_kube_state_metrics`);
    }
  }

  /** Imports the namespace and releases as they exist instead of creating them (taken over from another state). */
  importExisting(): void {
    if (this.namespace) importExisting(this.namespace, this.namespaceName);
    for (const release of [this.nodeExporter, this.kubeStateMetrics])
      if (release) importExisting(release, `${this.namespaceName}/${release.nameInput}`);
  }
}
