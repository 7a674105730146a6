/**
 * PromQL the dashboards share: the exporters' series as the collectors label them (docs/grafana-as-code.md,
 * "What the queries read"), every selector filtered by cluster and inside an aggregation.
 *
 * Label shapes relied on (both collectors use the prometheus chart's job names and relabelling):
 * - cAdvisor (`kubernetes-nodes-cadvisor`): `namespace`, `pod`, `container` (empty for the pod's own cgroup),
 *   `instance` the node; network series on the pod's cgroup, without `container`;
 * - kube-state-metrics (`kubernetes-service-endpoints`, honor_labels): its own `namespace`, `pod`, `node` ...
 *   win over the target's;
 * - node-exporter (`kubernetes-service-endpoints`): `node` from the exporter pod's node;
 * - kubelet (`kubernetes-nodes`): `namespace`, `persistentvolumeclaim` on volume stats, `instance` the node.
 */
import { C } from "./lib";

/** The rate window: Grafana's `$__rate_interval` (at least 4 scrape intervals of the data source's 1m). */
export const R = "[$__rate_interval]";

/** A label matcher list: the cluster's, then the given ones. */
export const m = (...matchers: string[]) => [C, ...matchers].join(", ");

/** Pods that hold their requests (Pending or Running), value 1, by cluster, namespace, pod. */
export function activePods(...matchers: string[]): string {
  return `max by (cluster, namespace, pod) (kube_pod_status_phase{${m(...matchers, 'phase=~"Pending|Running"')}} == 1)`;
}

/**
 * The requests (or limits) of a resource held by active pods, summed by `by`; `matchers` narrow both the
 * requests and the pods (namespace, node ...).
 */
export function podResources(
  kind: "requests" | "limits",
  resource: "cpu" | "memory",
  by: string,
  ...matchers: string[]
): string {
  const inner = [...new Set(["cluster", "namespace", "pod", "container", ...by.split(/,\s*/)])].join(", ");
  return `sum by (${by}) (max by (${inner}) (kube_pod_container_resource_${kind}{${m(...matchers, `resource="${resource}"`)}}) * on (cluster, namespace, pod) group_left () ${activePods(...matchers.filter((x) => !x.startsWith("node=")))})`;
}

/** CPU used (cores) by containers, summed by `by`. */
export const cpuUsage = (by: string, ...matchers: string[]) =>
  `sum by (${by}) (rate(container_cpu_usage_seconds_total{${m('container!=""', ...matchers)}}${R}))`;

/** Memory working set (bytes) of containers, summed by `by`. */
export const memoryUsage = (by: string, ...matchers: string[]) =>
  `sum by (${by}) (container_memory_working_set_bytes{${m('container!=""', ...matchers)}})`;

/** Allocatable capacity of the cluster's nodes (one series per node: max over duplicates). */
export const allocatable = (resource: "cpu" | "memory" | "pods", by = "cluster", ...matchers: string[]) =>
  `sum by (${by}) (max by (cluster, node) (kube_node_status_allocatable{${m(...matchers, `resource="${resource}"`)}}))`;

/** Nodes whose Ready condition is not true (0 when all are), by `by`. */
export const nodesNotReady = (by: string, cluster = C) =>
  `sum by (${by}) (max by (cluster, node) (kube_node_status_condition{${cluster}, condition="Ready", status!="true"}))`;

/** Pods in a phase (a regex), summed by `by`. */
export const podsInPhase = (phase: string, by: string, ...matchers: string[]) =>
  `sum by (${by}) (max by (cluster, namespace, pod) (kube_pod_status_phase{${m(...matchers, `phase=~"${phase}"`)}}))`;

/** Container restarts over a window, summed by `by`. */
export const restarts = (window: string, by: string, ...matchers: string[]) =>
  `sum by (${by}) (increase(kube_pod_container_status_restarts_total{${m(...matchers)}}[${window}]))`;

/** Firing alerts (every alert carries `cluster`), summed by `by`, or nothing. */
export const firingAlerts = (by: string, cluster = C) =>
  `sum by (${by}) (ALERTS{${cluster}, alertstate="firing"})`;
