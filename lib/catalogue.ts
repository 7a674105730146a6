/**
 * What the project ships that an environment chooses from: the collector types, the dashboards (and the
 * collector each one needs), and the scrape job names the collectors generate. The configuration validates
 * choices against it; monitoring content and constructs implement it. It imports nothing, so config/ can
 * build on it without reaching up into monitoring/ or constructs/.
 */

/** Who collects the cluster's metrics (docs/collectors.md): the in-cluster Prometheus server or the AMP managed collector. */
export const COLLECTOR_TYPES = ["prometheus", "managed"] as const;
export type CollectorType = (typeof COLLECTOR_TYPES)[number];

/**
 * The dashboards shipped in dashboards/ (rendered from dashboards/src/ by `npm run dashboards`), and the
 * collector whose own metrics a dashboard shows (none: any collector answers it). An environment gets, unless
 * its config lists others, every dashboard its collector can answer: never panels that stay empty. A test
 * holds this list to the files in dashboards/.
 */
export const SHIPPED_DASHBOARDS: Readonly<Record<string, { readonly collector?: CollectorType }>> = {
  "fleet.json": {},
  "cluster.json": {},
  "namespace.json": {},
  "workload.json": {},
  "pod.json": {},
  "node.json": {},
  "persistent-volumes.json": {},
  "api-server.json": {},
  // kube-scheduler and kube-controller-manager through metrics.eks.amazonaws.com: both collectors scrape them.
  "eks-control-plane.json": {},
  "prometheus-collector.json": { collector: "prometheus" },
  "managed-collector.json": { collector: "managed" },
  // AMP's usage metrics in CloudWatch, and the cluster's own share from its collector's series.
  "monitoring-cost.json": {},
};

/** The shipped dashboards that show this collector's own health. */
export function collectorDashboards(collector: CollectorType): string[] {
  return Object.entries(SHIPPED_DASHBOARDS)
    .filter(([, d]) => d.collector === collector)
    .map(([file]) => file);
}

/** The shipped dashboards an environment whose clusters run these collectors gets by default. */
export function dashboardsFor(collectors: CollectorType | readonly CollectorType[]): string[] {
  const types: readonly CollectorType[] = typeof collectors === "string" ? [collectors] : collectors;
  return Object.entries(SHIPPED_DASHBOARDS)
    .filter(([, d]) => d.collector === undefined || types.includes(d.collector))
    .map(([file]) => file);
}

/**
 * Job names of the managed collector's generated scrape configuration: the prometheus chart's names for the
 * same targets, so dashboards and rules read the same series with either collector. Extra scrape configs
 * may not reuse them.
 */
export const MANAGED_SCRAPE_JOBS = [
  "kubernetes-api-servers",
  "kubernetes-nodes",
  "kubernetes-nodes-cadvisor",
  "kubernetes-service-endpoints",
  "kube-scheduler",
  "kube-controller-manager",
] as const;

/**
 * The EKS control plane's components both collectors scrape through the API server (EKS user guide, "Fetch
 * control plane raw metrics": Kubernetes 1.28 and later), by job name: the path under the API server and the
 * resource of the `metrics.eks.amazonaws.com` API group the scraper needs `get` on.
 */
export const EKS_CONTROL_PLANE_JOBS = {
  "kube-scheduler": {
    path: "/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics",
    resource: "ksh/metrics",
  },
  "kube-controller-manager": {
    path: "/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics",
    resource: "kcm/metrics",
  },
} as const;

/** The first Kubernetes minor version whose EKS API server serves the control plane's metrics. */
export const EKS_CONTROL_PLANE_METRICS_MIN_MINOR = 28;
