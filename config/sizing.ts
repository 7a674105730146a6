/**
 * `sizing` (environment: Grafana's use) and `clusters[].sizing` (each cluster's size), for `npm run cost`
 * (changes no resource).
 */
import * as z from "zod";
import { intBetween, moved, numberBetween } from "./fields";

/** The size of one cluster: its series grow with nodes, CPUs, pods and volumes. */
export const clusterSizingSchema = z.strictObject({
  nodes: intBetween(1, 100_000, "nodes")
    .default(3)
    .describe("Nodes in the cluster (node-exporter, kubelet and cAdvisor series grow with them)."),
  cpusPerNode: intBetween(1, 1024, "CPUs per node")
    .default(4)
    .describe("CPUs per node (node_cpu_seconds_total has 8 series per CPU)."),
  pods: intBetween(1, 10_000_000, "pods")
    .default(40)
    .describe("Pods running in the cluster (kube-state-metrics and cAdvisor series grow with them)."),
  containersPerPod: numberBetween(1, 50, "containers per pod")
    .default(1.5)
    .describe("Containers per pod, on average."),
  persistentVolumeClaims: intBetween(0, 1_000_000, "persistent volume claims")
    .default(2)
    .describe("Persistent volume claims mounted by pods (kubelet volume stats)."),
  activeSeries: intBetween(1, 10_000_000_000, "active series")
    .optional()
    .describe(
      'Measured active series of this cluster (`count({__name__=~".+", cluster="<name>"})` in AMP), replacing the model\'s count for the current metrics setting.',
    ),
});

/** A cluster's field at the environment's level: moved into the cluster's own sizing. */
const movedToCluster = (field: string) =>
  moved(`clusters[].sizing.${field} (each cluster's size, for npm run cost)`).describe(
    `Moved to clusters[].sizing.${field}.`,
  );

/** Grafana's use, shared by the environment's clusters. */
export const sizingSchema = z
  .strictObject({
    nodes: movedToCluster("nodes"),
    cpusPerNode: movedToCluster("cpusPerNode"),
    pods: movedToCluster("pods"),
    containersPerPod: movedToCluster("containersPerPod"),
    persistentVolumeClaims: movedToCluster("persistentVolumeClaims"),
    activeSeries: movedToCluster("activeSeries"),
    grafanaEditors: intBetween(1, 100_000, "active Grafana editors")
      .default(1)
      .describe("Grafana users active in a month with the Editor or Admin role (AMG bills at least one)."),
    grafanaViewers: intBetween(0, 100_000, "active Grafana viewers")
      .default(0)
      .describe("Grafana users active in a month with the Viewer role."),
    dashboardHoursPerMonth: intBetween(0, 744, "hours per month")
      .default(40)
      .describe("Hours per month the project's dashboards are open in a browser (each refresh queries AMP)."),
  })
  .transform(
    ({
      nodes: _n,
      cpusPerNode: _c,
      pods: _p,
      containersPerPod: _cp,
      persistentVolumeClaims: _v,
      activeSeries: _a,
      ...grafana
    }) => grafana,
  );
