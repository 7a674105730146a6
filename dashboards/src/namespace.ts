/** Namespace: the workloads and pods of one namespace, each linking to its own dashboard. */
import { CELL, type DashboardSpec, interpolate, POD_WORKLOAD } from "./lib";
import { cpuUsage, m, memoryUsage, podResources, podsInPhase, R, restarts } from "./promql";

const NS = 'namespace="$namespace"';
/** Joins a per-pod aggregation with the pods' workloads, summed by `by`. */
const byWorkload = (by: string, perPod: string) =>
  `sum by (${by}) (${perPod} * on (cluster, namespace, pod) group_left (workload, workload_type) ${POD_WORKLOAD})`;
const perPod = (f: (by: string, ...matchers: string[]) => string) => f("cluster, namespace, pod", NS);
/** A per-pod aggregation with the pod's node. */
const withNode = (expr: string) =>
  `${expr} * on (cluster, namespace, pod) group_left (node) max by (cluster, namespace, pod, node) (kube_pod_info{${m(NS)}})`;
/** 0 for every pod of the namespace: completes a per-pod sum that has no series for some pods. */
const zeroPerPod = `(0 * max by (cluster, namespace, pod) (kube_pod_info{${m(NS)}}))`;

export const namespace: DashboardSpec = {
  uid: "eksmon-namespace",
  title: "Namespace",
  description:
    "One namespace: its workloads (Deployments, StatefulSets, DaemonSets) and pods, what they use against what they request. Click a workload or a pod to drill down.",
  tags: ["namespace"],
  scope: ["namespace"],
  rows: [
    {
      title: "Overview",
      panels: [
        {
          kind: "stat",
          title: "Running pods",
          description: "Pods of the namespace in phase Running.",
          unit: "short",
          w: 4,
          queries: [{ expr: `sum(${podsInPhase("Running", "cluster", NS)})` }],
        },
        {
          kind: "stat",
          title: "Pods not ready",
          description:
            "Pods whose Ready condition is not true (failing readiness probes, starting, or evicted).",
          unit: "short",
          w: 4,
          thresholds: [[1, "orange"]],
          queries: [
            {
              expr: `sum(max by (pod) (kube_pod_status_ready{${m(NS, 'condition="false"')}}))`,
            },
          ],
        },
        {
          kind: "stat",
          title: "Container restarts (1h)",
          description: "Container restarts in the namespace in the last hour.",
          unit: "short",
          w: 4,
          thresholds: [[1, "orange"]],
          queries: [{ expr: `sum(${restarts("1h", "cluster", NS)})` }],
        },
        {
          kind: "stat",
          title: "CPU used",
          description: "Cores the namespace's containers use.",
          unit: "short",
          decimals: 2,
          w: 4,
          queries: [{ expr: cpuUsage("cluster", NS) }],
        },
        {
          kind: "stat",
          title: "Memory used",
          description: "Memory working set of the namespace's containers.",
          unit: "bytes",
          w: 4,
          queries: [{ expr: memoryUsage("cluster", NS) }],
        },
        {
          kind: "stat",
          title: "CPU used / requested",
          description:
            "CPU used as a share of what the namespace's active pods request: far below 100%, requests can shrink.",
          unit: "percentunit",
          w: 4,
          queries: [
            { expr: `${cpuUsage("cluster", NS)} / ${podResources("requests", "cpu", "cluster", NS)}` },
          ],
        },
      ],
    },
    {
      title: "Workloads",
      panels: [
        {
          kind: "table",
          title: "Workloads",
          description:
            "Per Deployment, StatefulSet and DaemonSet: running pods, CPU and memory used, restarts in the last hour. Click a workload for its dashboard.",
          unit: "short",
          w: 24,
          h: 9,
          labels: ["workload", "workload_type"],
          values: ["Running pods", "CPU used", "Memory used", "Restarts (1h)"],
          units: { "Memory used": "bytes" },
          queries: [
            {
              expr: byWorkload(
                "workload, workload_type",
                `max by (cluster, namespace, pod) (kube_pod_status_phase{${m(NS, 'phase="Running"')}})`,
              ),
            },
            { expr: byWorkload("workload, workload_type", perPod(cpuUsage)) },
            { expr: byWorkload("workload, workload_type", perPod(memoryUsage)) },
            { expr: byWorkload("workload, workload_type", restarts("1h", "cluster, namespace, pod", NS)) },
          ],
          cellLinks: [
            {
              column: "workload",
              to: "eksmon-workload",
              title: "Open the workload's dashboard",
              vars: { namespace: interpolate("namespace"), workload: CELL },
            },
          ],
        },
        {
          kind: "timeseries",
          title: "CPU used by workload",
          description: "Cores used by the pods of each workload.",
          unit: "short",
          stack: true,
          queries: [{ expr: byWorkload("workload", perPod(cpuUsage)), legend: "{{workload}}" }],
        },
        {
          kind: "timeseries",
          title: "Memory used by workload",
          description: "Memory working set of the pods of each workload.",
          unit: "bytes",
          stack: true,
          queries: [{ expr: byWorkload("workload", perPod(memoryUsage)), legend: "{{workload}}" }],
        },
      ],
    },
    {
      title: "Pods",
      panels: [
        {
          kind: "table",
          title: "Pods",
          description:
            "Per pod: the node it runs on, Ready (1) or not, restarts, CPU and memory used. Click a pod or a node for its dashboard.",
          unit: "short",
          w: 24,
          h: 10,
          labels: ["pod", "node"],
          values: ["Ready", "Restarts", "CPU used", "Memory used"],
          units: { "Memory used": "bytes" },
          queries: [
            {
              expr: `sum by (pod, node) (${withNode(`max by (cluster, namespace, pod) (kube_pod_status_ready{${m(NS, 'condition="true"')}})`)})`,
            },
            {
              expr: `sum by (pod, node) (${withNode(`sum by (cluster, namespace, pod) (kube_pod_container_status_restarts_total{${m(NS)}})`)})`,
            },
            { expr: `sum by (pod, node) (${withNode(perPod(cpuUsage))})` },
            { expr: `sum by (pod, node) (${withNode(perPod(memoryUsage))})` },
          ],
          cellLinks: [
            {
              column: "pod",
              to: "eksmon-pod",
              title: "Open the pod's dashboard",
              vars: { namespace: interpolate("namespace"), pod: CELL },
            },
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
          title: "CPU used by pod (top 10)",
          description: "Cores used by the ten busiest pods.",
          unit: "short",
          queries: [{ expr: `topk(10, ${cpuUsage("pod", NS)})`, legend: "{{pod}}" }],
        },
        {
          kind: "timeseries",
          title: "Memory used by pod (top 10)",
          description: "Memory working set of the ten largest pods.",
          unit: "bytes",
          queries: [{ expr: `topk(10, ${memoryUsage("pod", NS)})`, legend: "{{pod}}" }],
        },
        {
          kind: "timeseries",
          title: "Network received by pod (top 10)",
          description: "Bytes per second received by the ten pods receiving most.",
          unit: "Bps",
          queries: [
            {
              expr: `topk(10, sum by (pod) (rate(container_network_receive_bytes_total{${m(NS)}}${R})))`,
              legend: "{{pod}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Network transmitted by pod (top 10)",
          description: "Bytes per second sent by the ten pods sending most.",
          unit: "Bps",
          queries: [
            {
              expr: `topk(10, sum by (pod) (rate(container_network_transmit_bytes_total{${m(NS)}}${R})))`,
              legend: "{{pod}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Container restarts by pod",
          description: "Restarts per pod over each interval; 0 for pods that did not restart.",
          unit: "short",
          queries: [
            {
              expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${m(NS)}}${R}))`,
              legend: "{{pod}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Pods by phase",
          description: "Pods of the namespace per phase.",
          unit: "short",
          stack: true,
          queries: [{ expr: podsInPhase(".+", "phase", NS), legend: "{{phase}}" }],
        },
      ],
    },
    {
      title: "Requests and limits",
      panels: [
        {
          kind: "timeseries",
          title: "CPU: used, requested, limits",
          description: "Cores used by the namespace's containers, requested and limited by its active pods.",
          unit: "short",
          queries: [
            { expr: cpuUsage("cluster", NS), legend: "used" },
            { expr: podResources("requests", "cpu", "cluster", NS), legend: "requested" },
            {
              expr: `${podResources("limits", "cpu", "cluster", NS)} or sum by (cluster) ${zeroPerPod}`,
              legend: "limits",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Memory: used, requested, limits",
          description:
            "Memory working set of the namespace's containers, requested and limited by its active pods.",
          unit: "bytes",
          queries: [
            { expr: memoryUsage("cluster", NS), legend: "used" },
            { expr: podResources("requests", "memory", "cluster", NS), legend: "requested" },
            {
              expr: `${podResources("limits", "memory", "cluster", NS)} or sum by (cluster) ${zeroPerPod}`,
              legend: "limits",
            },
          ],
        },
      ],
    },
  ],
};
