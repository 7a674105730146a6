/** Fleet overview: every cluster of the environment side by side, each linking to its Cluster dashboard. */
import { C, CELL, CS, type DashboardSpec, type PanelSpec, type RowSpec } from "./lib";
import {
  allocatable,
  cpuUsage,
  firingAlerts,
  memoryUsage,
  nodesNotReady,
  podResources,
  podsInPhase,
  R,
} from "./promql";

const nodes = (by: string) => `count by (${by}) (max by (cluster, node) (kube_node_info{${C}}))`;
/** 0 for every selected cluster: completes a sum that has no series where nothing counts. */
const zeroPerCluster = `(0 * ${nodes("cluster")})`;

/** Samples each cluster's collector sends AMP per second (what AMP bills). */
export const samplesSent = (by: string): PanelSpec["queries"] => [
  {
    expr: `sum by (${by}) (rate(prometheus_remote_storage_samples_total{${C}}${R}))`,
    legend: by === "cluster" ? "{{cluster}}" : "sent",
    collector: "prometheus",
  },
  {
    // Per target and scrape: the samples left after the allow-list's keep (metric_relabel_configs).
    expr: `sum by (${by}) (sum_over_time(scrape_samples_post_metric_relabeling{${C}}[5m])) / 300`,
    legend: by === "cluster" ? "{{cluster}}" : "sent",
    collector: "managed",
  },
];

const rows: RowSpec[] = [
  {
    title: "Clusters",
    panels: [
      {
        kind: "stat",
        title: "Clusters",
        description:
          "Clusters selected whose API server is scraped (every cluster of the environment by default).",
        unit: "short",
        queries: [{ expr: `count(count by (cluster) (up{${C}, job="kubernetes-api-servers"}))` }],
      },
      {
        kind: "stat",
        title: "Nodes not ready",
        description: "Nodes whose Ready condition is false or unknown, across the selected clusters.",
        unit: "short",
        thresholds: [[1, "red"]],
        queries: [{ expr: `sum(${nodesNotReady("cluster")})` }],
      },
      {
        kind: "stat",
        title: "Pods pending or failed",
        description: "Pods in phase Pending, Failed or Unknown, across the selected clusters.",
        unit: "short",
        thresholds: [[1, "orange"]],
        queries: [{ expr: `sum(${podsInPhase("Pending|Failed|Unknown", "cluster")})` }],
      },
      {
        kind: "stat",
        title: "Firing alerts",
        description:
          "Alerts AMP's ruler has firing for the selected clusters (ALERTS series, written by the ruler).",
        unit: "short",
        thresholds: [[1, "red"]],
        queries: [{ expr: `sum(${firingAlerts("cluster")}) or vector(0)` }],
      },
      {
        kind: "table",
        title: "Clusters",
        description:
          "One row per cluster: nodes, pods and how much of the allocatable capacity the pods request. Click a cluster for its dashboard.",
        unit: "short",
        w: 24,
        h: 8,
        labels: ["cluster"],
        values: [
          "Nodes",
          "Nodes not ready",
          "Running pods",
          "CPU requested",
          "Memory requested",
          "Firing alerts",
        ],
        units: { "CPU requested": "percentunit", "Memory requested": "percentunit" },
        queries: [
          { expr: nodes("cluster") },
          { expr: nodesNotReady("cluster") },
          { expr: podsInPhase("Running", "cluster") },
          { expr: `${podResources("requests", "cpu", "cluster")} / ${allocatable("cpu")}` },
          { expr: `${podResources("requests", "memory", "cluster")} / ${allocatable("memory")}` },
          { expr: `${firingAlerts("cluster")} or on (cluster) ${zeroPerCluster}` },
        ],
        cellLinks: [
          {
            column: "cluster",
            to: "eksmon-cluster",
            title: "Open the cluster's dashboard",
            vars: { cluster: CELL },
          },
        ],
      },
    ],
  },
  {
    title: "Health",
    panels: [
      {
        kind: "timeseries",
        title: "Firing alerts by cluster and severity",
        description: "Alerts firing over time; 0 when none fires.",
        unit: "short",
        stack: true,
        queries: [
          {
            expr: `${firingAlerts("cluster, severity")} or on (cluster) ${zeroPerCluster}`,
            legend: "{{cluster}} {{severity}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Scrape targets down by cluster",
        description:
          "Targets that did not answer their last scrape (API servers, kubelets, exporters, control plane), per cluster.",
        unit: "short",
        queries: [
          {
            expr: `sum by (cluster) (1 - max by (cluster, job, instance) (up{${C}}))`,
            legend: "{{cluster}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Nodes by cluster",
        description: "Nodes known to the API server (kube-state-metrics), per cluster.",
        unit: "short",
        queries: [{ expr: nodes("cluster"), legend: "{{cluster}}" }],
      },
      {
        kind: "timeseries",
        title: "Running pods by cluster",
        description: "Pods in phase Running, per cluster.",
        unit: "short",
        queries: [{ expr: podsInPhase("Running", "cluster"), legend: "{{cluster}}" }],
      },
    ],
  },
  {
    title: "Capacity",
    panels: [
      {
        kind: "timeseries",
        title: "CPU used / allocatable",
        description: "CPU the containers use, as a share of what the nodes can allocate, per cluster.",
        unit: "percentunit",
        min: 0,
        queries: [{ expr: `${cpuUsage("cluster")} / ${allocatable("cpu")}`, legend: "{{cluster}}" }],
      },
      {
        kind: "timeseries",
        title: "Memory used / allocatable",
        description:
          "Memory working set of the containers, as a share of the nodes' allocatable memory, per cluster.",
        unit: "percentunit",
        min: 0,
        queries: [{ expr: `${memoryUsage("cluster")} / ${allocatable("memory")}`, legend: "{{cluster}}" }],
      },
      {
        kind: "timeseries",
        title: "CPU requested / allocatable",
        description:
          "CPU requested by Pending and Running pods, as a share of allocatable CPU: near 1, new pods stay Pending.",
        unit: "percentunit",
        min: 0,
        queries: [
          {
            expr: `${podResources("requests", "cpu", "cluster")} / ${allocatable("cpu")}`,
            legend: "{{cluster}}",
          },
        ],
      },
      {
        kind: "timeseries",
        title: "Memory requested / allocatable",
        description: "Memory requested by Pending and Running pods, as a share of allocatable memory.",
        unit: "percentunit",
        min: 0,
        queries: [
          {
            expr: `${podResources("requests", "memory", "cluster")} / ${allocatable("memory")}`,
            legend: "{{cluster}}",
          },
        ],
      },
    ],
  },
  {
    title: "Ingestion",
    panels: [
      {
        kind: "timeseries",
        title: "Samples sent to AMP per second",
        description:
          "What each cluster's collector sends AMP (after the allow-list), which AMP bills per sample: the in-cluster Prometheus's remote-write rate, or the managed collector's samples kept per scrape.",
        unit: "short",
        stack: true,
        queries: samplesSent("cluster"),
      },
      {
        kind: "timeseries",
        title: "Samples scraped per scrape, by cluster",
        description:
          "Samples every scrape of every target returns, before the allow-list: what sendAll would send.",
        unit: "short",
        queries: [{ expr: `sum by (cluster) (scrape_samples_scraped{${C}})`, legend: "{{cluster}}" }],
      },
    ],
  },
];

/** The fleet dashboard reads every selected cluster: `cluster=~"$cluster"` in place of the single cluster. */
function everySelectedCluster(row: RowSpec): RowSpec {
  return {
    ...row,
    panels: row.panels.map((p) => ({
      ...p,
      queries: p.queries.map((q) => ({ ...q, expr: q.expr.replaceAll(C, CS) })),
    })),
  };
}

export const fleet: DashboardSpec = {
  uid: "eksmon-fleet",
  title: "Fleet overview",
  description:
    "Every cluster of this environment: health, firing alerts, nodes, pods, capacity and what each sends AMP. Pick clusters above; click one for its Cluster dashboard.",
  tags: ["fleet"],
  scope: [],
  fleet: true,
  rows: rows.map(everySelectedCluster),
};
