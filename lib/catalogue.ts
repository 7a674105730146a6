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
 * The dashboards shipped in dashboards/, and the collector whose own metrics a dashboard shows (none: any
 * collector answers it). An environment gets, unless its config lists others, every dashboard its collector
 * can answer: never panels that stay empty. A test holds this list to the files in dashboards/.
 */
export const SHIPPED_DASHBOARDS: Readonly<Record<string, { readonly collector?: CollectorType }>> = {
  "eks-control-plane.json": {},
  "cluster-capacity.json": {},
  "prometheus-collector.json": { collector: "prometheus" },
  "managed-collector.json": { collector: "managed" },
  // AMP's usage metrics in CloudWatch: any collector (it reads no PromQL).
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
] as const;
