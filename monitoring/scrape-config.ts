/**
 * The scrape configuration of the AMP managed collector, generated here so that it matches what the
 * in-cluster Prometheus chart scrapes: same job names and labels, so dashboards and rules work with either
 * collector. The collector accepts a subset of Prometheus' configuration (kubernetes_sd_configs only, bearer
 * token from the service-account file only, targets by IP; `kubernetes.default.svc` is the only name it resolves).
 */
import { parse, stringify } from "yaml";
import { keepRule, type MetricFilter } from "./allow-list";

/** Where the collector's token lives; the only credentials file the collector accepts. */
const TOKEN_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";
/** The collector reaches kubelets through the API server proxy: only tcp/443 to the control plane is needed. */
const API_SERVER = "kubernetes.default.svc:443";

/** An exporter the collector scrapes through its Kubernetes service endpoints. */
export interface ScrapedExporter {
  /** `app.kubernetes.io/name` label of the exporter's service. */
  readonly name: string;
  /** Port the endpoints listen on (opened from the collector to the cluster). */
  readonly port: number;
  /** Namespace of its service (where this project installs it). @default any namespace (one already running) */
  readonly namespace?: string;
}

export interface ManagedScrapeConfigProps {
  /** Global scrape interval (>= 30s). */
  readonly scrapeInterval: string;
  /** Exporters scraped by the `kubernetes-service-endpoints` job. */
  readonly exporters: readonly ScrapedExporter[];
  /** Extra scrape_configs entries as a YAML list (already validated), appended last. */
  readonly extraScrapeConfigs?: string;
  /** What the collector sends to AMP: a `keep` on `__name__` ends every job's metric_relabel_configs. @default everything */
  readonly metrics?: MetricFilter;
  /**
   * Labels added to every series sent (`global.external_labels`), e.g. `{ cluster: "<EKS cluster name>" }`;
   * a scraped series' own label of the same name wins. @default none
   */
  readonly externalLabels?: Readonly<Record<string, string>>;
}

const bearer = { type: "Bearer", credentials_file: TOKEN_FILE };

/** The `/api/v1/nodes/<node>/proxy/<path>` target of a kubelet endpoint, through the API server. */
function kubeletThroughApiServer(path: string): Record<string, unknown>[] {
  return [
    { action: "labelmap", regex: "__meta_kubernetes_node_label_(.+)" },
    { target_label: "__address__", replacement: API_SERVER },
    {
      source_labels: ["__meta_kubernetes_node_name"],
      regex: "(.+)",
      target_label: "__metrics_path__",
      replacement: `/api/v1/nodes/$1/proxy/${path}`,
    },
  ];
}

/**
 * node-exporter and kube-state-metrics, by their service endpoints (pod or node IPs), with the labels the
 * prometheus chart's job of the same name gives them. Exporters installed in one namespace are watched there
 * only; one already running elsewhere is found by its service's name label and port in any namespace.
 */
function serviceEndpointsJob(exporters: readonly ScrapedExporter[]): Record<string, unknown> {
  const namespaces = [...new Set(exporters.map((e) => e.namespace))];
  const oneNamespace = namespaces.length === 1 ? namespaces[0] : undefined;
  const keep = oneNamespace
    ? [
        {
          source_labels: ["__meta_kubernetes_service_label_app_kubernetes_io_name"],
          action: "keep",
          regex: exporters.map((e) => e.name).join("|"),
        },
        {
          source_labels: ["__meta_kubernetes_endpoint_port_number"],
          action: "keep",
          regex: exporters.map((e) => String(e.port)).join("|"),
        },
      ]
    : [
        {
          source_labels: [
            "__meta_kubernetes_namespace",
            "__meta_kubernetes_service_label_app_kubernetes_io_name",
            "__meta_kubernetes_endpoint_port_number",
          ],
          action: "keep",
          regex: exporters.map((e) => `${e.namespace ?? "[^;]*"};${e.name};${e.port}`).join("|"),
        },
      ];
  return {
    job_name: "kubernetes-service-endpoints",
    honor_labels: true,
    kubernetes_sd_configs: [
      oneNamespace ? { role: "endpoints", namespaces: { names: [oneNamespace] } } : { role: "endpoints" },
    ],
    relabel_configs: [
      ...keep,
      { action: "labelmap", regex: "__meta_kubernetes_service_label_(.+)" },
      { source_labels: ["__meta_kubernetes_namespace"], action: "replace", target_label: "namespace" },
      { source_labels: ["__meta_kubernetes_service_name"], action: "replace", target_label: "service" },
      { source_labels: ["__meta_kubernetes_pod_node_name"], action: "replace", target_label: "node" },
    ],
  };
}

/** The scrape configuration as an object (see `managedScrapeConfigYaml` for what the collector receives). */
export function managedScrapeConfig(props: ManagedScrapeConfigProps): Record<string, unknown> {
  const jobs: Record<string, unknown>[] = [
    {
      job_name: "kubernetes-api-servers",
      scheme: "https",
      authorization: bearer,
      kubernetes_sd_configs: [{ role: "endpoints" }],
      relabel_configs: [
        {
          source_labels: [
            "__meta_kubernetes_namespace",
            "__meta_kubernetes_service_name",
            "__meta_kubernetes_endpoint_port_name",
          ],
          action: "keep",
          regex: "default;kubernetes;https",
        },
      ],
    },
    {
      job_name: "kubernetes-nodes",
      scheme: "https",
      authorization: bearer,
      kubernetes_sd_configs: [{ role: "node" }],
      relabel_configs: kubeletThroughApiServer("metrics"),
    },
    {
      job_name: "kubernetes-nodes-cadvisor",
      scheme: "https",
      authorization: bearer,
      kubernetes_sd_configs: [{ role: "node" }],
      relabel_configs: [
        ...kubeletThroughApiServer("metrics/cadvisor"),
        // The prometheus chart labels cAdvisor series with the kubelet path; dashboards filter on it.
        { target_label: "metrics_path", replacement: "/metrics/cadvisor" },
      ],
    },
    serviceEndpointsJob(props.exporters),
  ];
  const extra = props.extraScrapeConfigs
    ? (parse(props.extraScrapeConfigs) as Record<string, unknown>[])
    : [];
  const filter = props.metrics;
  // The keep comes after a job's own metric relabelling (which may rename): it filters what is sent.
  const filtered = (job: Record<string, unknown>) =>
    !filter || filter.sendAll
      ? job
      : {
          ...job,
          metric_relabel_configs: [
            ...((job.metric_relabel_configs as unknown[] | undefined) ?? []),
            keepRule(filter),
          ],
        };
  return {
    global: {
      scrape_interval: props.scrapeInterval,
      ...(props.externalLabels ? { external_labels: { ...props.externalLabels } } : {}),
    },
    scrape_configs: [...jobs, ...extra].map(filtered),
  };
}

/** The scrape configuration YAML handed to `aws_prometheus_scraper.scrape_configuration`. */
export function managedScrapeConfigYaml(props: ManagedScrapeConfigProps): string {
  // No anchors or aliases: the YAML stays readable in plans and in the AMP console.
  return stringify(managedScrapeConfig(props), { lineWidth: 0, aliasDuplicateObjects: false });
}
