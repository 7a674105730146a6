/** Cluster: one cluster's health and capacity, its namespaces and nodes, each linking further down. */
import { C, CELL, type DashboardSpec } from "./lib";
import {
  allocatable,
  cpuUsage,
  firingAlerts,
  m,
  memoryUsage,
  nodesNotReady,
  podResources,
  podsInPhase,
  R,
  restarts,
} from "./promql";

const cpuOf = (kind: "requests" | "limits") => podResources(kind, "cpu", "cluster");
const memoryOf = (kind: "requests" | "limits") => podResources(kind, "memory", "cluster");

export const cluster: DashboardSpec = {
  uid: "eksmon-cluster",
  title: "Cluster",
  description:
    "One cluster: its health, how full it is (used and requested against allocatable), its namespaces and its nodes. Click a namespace or a node to drill down.",
  tags: ["cluster"],
  scope: [],
  rows: [
    {
      title: "Health",
      panels: [
        {
          kind: "stat",
          title: "Nodes",
          description: "Nodes registered with the API server.",
          unit: "short",
          w: 3,
          queries: [{ expr: `count(max by (node) (kube_node_info{${C}}))` }],
        },
        {
          kind: "stat",
          title: "Nodes not ready",
          description: "Nodes whose Ready condition is false or unknown.",
          unit: "short",
          w: 3,
          thresholds: [[1, "red"]],
          queries: [{ expr: `sum(${nodesNotReady("cluster")})` }],
        },
        {
          kind: "stat",
          title: "Running pods",
          description: "Pods in phase Running.",
          unit: "short",
          w: 3,
          queries: [{ expr: `sum(${podsInPhase("Running", "cluster")})` }],
        },
        {
          kind: "stat",
          title: "Pending pods",
          description:
            "Pods not yet running: waiting for a node (see the scheduler's pending pods), an image or a volume.",
          unit: "short",
          w: 3,
          thresholds: [[1, "orange"]],
          queries: [{ expr: `sum(${podsInPhase("Pending", "cluster")})` }],
        },
        {
          kind: "stat",
          title: "Failed pods",
          description: "Pods in phase Failed or Unknown.",
          unit: "short",
          w: 3,
          thresholds: [[1, "red"]],
          queries: [{ expr: `sum(${podsInPhase("Failed|Unknown", "cluster")})` }],
        },
        {
          kind: "stat",
          title: "Container restarts (1h)",
          description: "Container restarts in the last hour, every namespace.",
          unit: "short",
          w: 3,
          thresholds: [[1, "orange"]],
          queries: [{ expr: `sum(${restarts("1h", "cluster")})` }],
        },
        {
          kind: "stat",
          title: "Firing alerts",
          description: "Alerts firing for this cluster in AMP's ruler.",
          unit: "short",
          w: 3,
          thresholds: [[1, "red"]],
          queries: [{ expr: `sum(${firingAlerts("cluster")}) or vector(0)` }],
        },
        {
          kind: "stat",
          title: "Namespaces",
          description: "Namespaces in phase Active.",
          unit: "short",
          w: 3,
          queries: [
            { expr: `count(max by (namespace) (kube_namespace_status_phase{${m('phase="Active"')}}) == 1)` },
          ],
        },
      ],
    },
    {
      title: "Capacity",
      panels: [
        {
          kind: "gauge",
          title: "CPU used",
          description: "CPU the containers use, as a share of the nodes' allocatable CPU.",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: [
            [0.7, "orange"],
            [0.9, "red"],
          ],
          queries: [{ expr: `${cpuUsage("cluster")} / ${allocatable("cpu")}` }],
        },
        {
          kind: "gauge",
          title: "CPU requested",
          description:
            "CPU requested by Pending and Running pods, as a share of allocatable CPU: near 100%, new pods stay Pending.",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: [
            [0.8, "orange"],
            [0.95, "red"],
          ],
          queries: [{ expr: `${cpuOf("requests")} / ${allocatable("cpu")}` }],
        },
        {
          kind: "gauge",
          title: "Memory used",
          description: "Memory working set of the containers, as a share of the nodes' allocatable memory.",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: [
            [0.7, "orange"],
            [0.9, "red"],
          ],
          queries: [{ expr: `${memoryUsage("cluster")} / ${allocatable("memory")}` }],
        },
        {
          kind: "gauge",
          title: "Memory requested",
          description: "Memory requested by Pending and Running pods, as a share of allocatable memory.",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: [
            [0.8, "orange"],
            [0.95, "red"],
          ],
          queries: [{ expr: `${memoryOf("requests")} / ${allocatable("memory")}` }],
        },
        {
          kind: "timeseries",
          title: "CPU: used, requested, limits, allocatable",
          description:
            "Cores used by containers, requested and limited by active pods, and allocatable on the nodes.",
          unit: "short",
          queries: [
            { expr: cpuUsage("cluster"), legend: "used" },
            { expr: cpuOf("requests"), legend: "requested" },
            { expr: cpuOf("limits"), legend: "limits" },
            { expr: allocatable("cpu"), legend: "allocatable" },
          ],
        },
        {
          kind: "timeseries",
          title: "Memory: used, requested, limits, allocatable",
          description:
            "Memory working set of containers, requested and limited by active pods, and allocatable on the nodes.",
          unit: "bytes",
          queries: [
            { expr: memoryUsage("cluster"), legend: "used" },
            { expr: memoryOf("requests"), legend: "requested" },
            { expr: memoryOf("limits"), legend: "limits" },
            { expr: allocatable("memory"), legend: "allocatable" },
          ],
        },
        {
          kind: "timeseries",
          title: "CPU used by namespace",
          description: "Cores used by the containers of each namespace.",
          unit: "short",
          stack: true,
          queries: [{ expr: cpuUsage("namespace"), legend: "{{namespace}}" }],
        },
        {
          kind: "timeseries",
          title: "Memory used by namespace",
          description: "Memory working set of the containers of each namespace.",
          unit: "bytes",
          stack: true,
          queries: [{ expr: memoryUsage("namespace"), legend: "{{namespace}}" }],
        },
      ],
    },
    {
      title: "Namespaces",
      panels: [
        {
          kind: "table",
          title: "Namespaces",
          description:
            "Per namespace: running pods, CPU and memory used and requested, restarts in the last hour. Click a namespace for its dashboard.",
          unit: "short",
          w: 24,
          h: 10,
          labels: ["namespace"],
          values: [
            "Running pods",
            "CPU used",
            "CPU requested",
            "Memory used",
            "Memory requested",
            "Restarts (1h)",
          ],
          units: { "Memory used": "bytes", "Memory requested": "bytes" },
          queries: [
            { expr: podsInPhase("Running", "namespace") },
            { expr: cpuUsage("namespace") },
            { expr: podResources("requests", "cpu", "namespace") },
            { expr: memoryUsage("namespace") },
            { expr: podResources("requests", "memory", "namespace") },
            { expr: restarts("1h", "namespace") },
          ],
          cellLinks: [
            {
              column: "namespace",
              to: "eksmon-namespace",
              title: "Open the namespace's dashboard",
              vars: { namespace: CELL },
            },
          ],
        },
      ],
    },
    {
      title: "Nodes",
      panels: [
        {
          kind: "table",
          title: "Nodes",
          description:
            "Per node: Ready (1) or not (0), CPU and memory used (node-exporter), pods scheduled. Click a node for its dashboard.",
          unit: "short",
          w: 24,
          h: 10,
          labels: ["node"],
          values: ["Ready", "CPU used", "Memory used", "Pods"],
          units: { "CPU used": "percentunit", "Memory used": "percentunit" },
          queries: [
            {
              expr: `max by (node) (kube_node_status_condition{${m('condition="Ready"', 'status="true"')}})`,
            },
            { expr: `1 - avg by (node) (rate(node_cpu_seconds_total{${m('mode="idle"')}}${R}))` },
            {
              expr: `1 - sum by (node) (node_memory_MemAvailable_bytes{${C}}) / sum by (node) (node_memory_MemTotal_bytes{${C}})`,
            },
            { expr: `count by (node) (max by (node, namespace, pod) (kube_pod_info{${m('node!=""')}}))` },
          ],
          cellLinks: [
            {
              column: "node",
              to: "eksmon-node",
              title: "Open the node's dashboard",
              vars: { node: CELL },
            },
          ],
        },
        {
          kind: "timeseries",
          title: "CPU used by node",
          description: "Share of each node's CPU time not idle (node-exporter).",
          unit: "percentunit",
          min: 0,
          max: 1,
          queries: [
            {
              expr: `1 - avg by (node) (rate(node_cpu_seconds_total{${m('mode="idle"')}}${R}))`,
              legend: "{{node}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Memory used by node",
          description: "Share of each node's memory not available to new allocations (node-exporter).",
          unit: "percentunit",
          min: 0,
          max: 1,
          queries: [
            {
              expr: `1 - sum by (node) (node_memory_MemAvailable_bytes{${C}}) / sum by (node) (node_memory_MemTotal_bytes{${C}})`,
              legend: "{{node}}",
            },
          ],
        },
      ],
    },
    {
      title: "Network and storage",
      panels: [
        {
          kind: "timeseries",
          title: "Network received by namespace",
          description: "Bytes per second the pods of each namespace receive.",
          unit: "Bps",
          stack: true,
          queries: [
            {
              expr: `sum by (namespace) (rate(container_network_receive_bytes_total{${m('pod!=""')}}${R}))`,
              legend: "{{namespace}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Network transmitted by namespace",
          description: "Bytes per second the pods of each namespace send.",
          unit: "Bps",
          stack: true,
          queries: [
            {
              expr: `sum by (namespace) (rate(container_network_transmit_bytes_total{${m('pod!=""')}}${R}))`,
              legend: "{{namespace}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Volume claims by phase",
          description:
            "Persistent volume claims Bound, Pending or Lost; see the Persistent volumes dashboard.",
          unit: "short",
          queries: [
            {
              expr: `sum by (phase) (max by (namespace, persistentvolumeclaim, phase) (kube_persistentvolumeclaim_status_phase{${C}}))`,
              legend: "{{phase}}",
            },
          ],
          links: [{ title: "Persistent volumes", to: "eksmon-persistent-volumes" }],
        },
      ],
    },
  ],
};
