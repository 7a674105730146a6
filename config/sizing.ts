/**
 * `sizing`: the size of the cluster and of Grafana's use, for `npm run cost` (changes no resource).
 */
import * as z from "zod";
import { intBetween, numberBetween } from "./fields";

export const sizingSchema = z.strictObject({
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
      'Measured active series of the workspace (`count({__name__=~".+"})` in AMP), replacing the model\'s count for the current metrics setting.',
    ),
  grafanaEditors: intBetween(1, 100_000, "active Grafana editors")
    .default(1)
    .describe("Grafana users active in a month with the Editor or Admin role (AMG bills at least one)."),
  grafanaViewers: intBetween(0, 100_000, "active Grafana viewers")
    .default(0)
    .describe("Grafana users active in a month with the Viewer role."),
  dashboardHoursPerMonth: intBetween(0, 744, "hours per month")
    .default(40)
    .describe(
      "Hours per month one of the project's dashboards is open in a browser (one at a time; each refresh queries AMP).",
    ),
});
