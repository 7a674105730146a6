/** Workload: one Deployment, StatefulSet or DaemonSet: its replicas and its pods, each linking to its dashboard. */
import { CELL, type DashboardSpec, interpolate, WORKLOAD_PODS } from "./lib";
import { cpuUsage, m, memoryUsage, podResources, R } from "./promql";

const NS = 'namespace="$namespace"';
/** Keeps a per-pod aggregation's pods of the selected workload. */
const ofWorkload = (perPod: string) =>
  `(${perPod} * on (cluster, namespace, pod) group_left () ${WORKLOAD_PODS})`;
/** A per-pod sum of the workload's pods, summed by `by`. */
const sumOfPods = (by: string, perPod: string) => `sum by (${by}) ${ofWorkload(perPod)}`;
const cpuPerPod = cpuUsage("cluster, namespace, pod", NS);
const memoryPerPod = memoryUsage("cluster, namespace, pod", NS);
/** 0 for every pod of the workload: completes a per-pod sum that has no series for some pods. */
const zeroPerPod = `(0 * ${ofWorkload(`max by (cluster, namespace, pod) (kube_pod_info{${m(NS)}})`)})`;

/** One value of the workload, whichever kind it is: the Deployment's, the StatefulSet's or the DaemonSet's metric. */
const ofKind = (deployment: string, statefulset: string, daemonset: string) =>
  [
    `max(${deployment}{${m(NS, 'deployment="$workload"')}})`,
    `max(${statefulset}{${m(NS, 'statefulset="$workload"')}})`,
    `max(${daemonset}{${m(NS, 'daemonset="$workload"')}})`,
  ].join(" or ");

const desired = ofKind(
  "kube_deployment_spec_replicas",
  "kube_statefulset_replicas",
  "kube_daemonset_status_desired_number_scheduled",
);
const available = ofKind(
  "kube_deployment_status_replicas_available",
  "kube_statefulset_status_replicas_ready",
  "kube_daemonset_status_number_available",
);
const updated = ofKind(
  "kube_deployment_status_replicas_updated",
  "kube_statefulset_status_replicas_updated",
  "kube_daemonset_status_updated_number_scheduled",
);

/** A per-pod aggregation with the pod's node, summed by pod and node. */
const withNode = (perPod: string) =>
  `sum by (pod, node) (${ofWorkload(perPod)} * on (cluster, namespace, pod) group_left (node) max by (cluster, namespace, pod, node) (kube_pod_info{${m(NS)}}))`;

export const workload: DashboardSpec = {
  uid: "eksmon-workload",
  title: "Workload",
  description:
    "One Deployment, StatefulSet or DaemonSet: replicas desired, available and updated (a stuck rollout shows here), and what its pods use. Click a pod or a node to drill down.",
  tags: ["workload"],
  scope: ["namespace", "workload"],
  rows: [
    {
      title: "Replicas",
      panels: [
        {
          kind: "stat",
          title: "Desired replicas",
          description: "Replicas the workload asks for (pods to schedule, for a DaemonSet).",
          unit: "short",
          w: 4,
          queries: [{ expr: desired }],
        },
        {
          kind: "stat",
          title: "Available replicas",
          description:
            "Replicas available (ready, for a StatefulSet); below desired, the workload is degraded.",
          unit: "short",
          w: 4,
          queries: [{ expr: available }],
        },
        {
          kind: "stat",
          title: "Unavailable replicas",
          description: "Desired minus available: pods missing or not ready.",
          unit: "short",
          w: 4,
          thresholds: [[1, "orange"]],
          queries: [{ expr: `(${desired}) - (${available})` }],
        },
        {
          kind: "stat",
          title: "Container restarts (1h)",
          description: "Restarts of the workload's containers in the last hour.",
          unit: "short",
          w: 4,
          thresholds: [[1, "orange"]],
          queries: [
            {
              expr: `sum(${sumOfPods("cluster, namespace, pod", `sum by (cluster, namespace, pod) (increase(kube_pod_container_status_restarts_total{${m(NS)}}[1h]))`)})`,
            },
          ],
        },
        {
          kind: "stat",
          title: "CPU used",
          description: "Cores used by the workload's pods.",
          unit: "short",
          decimals: 2,
          w: 4,
          queries: [{ expr: sumOfPods("cluster", cpuPerPod) }],
        },
        {
          kind: "stat",
          title: "Memory used",
          description: "Memory working set of the workload's pods.",
          unit: "bytes",
          w: 4,
          queries: [{ expr: sumOfPods("cluster", memoryPerPod) }],
        },
        {
          kind: "timeseries",
          title: "Replicas: desired, available, updated",
          description:
            "A rollout is done when all three meet; updated below desired for long means it is stuck (see the pods below).",
          unit: "short",
          w: 24,
          queries: [
            { expr: desired, legend: "desired" },
            { expr: available, legend: "available" },
            { expr: updated, legend: "updated" },
          ],
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
            "The workload's pods: the node each runs on, Ready (1) or not, restarts, CPU and memory used. Click a pod or a node for its dashboard.",
          unit: "short",
          w: 24,
          h: 9,
          labels: ["pod", "node"],
          values: ["Ready", "Restarts", "CPU used", "Memory used"],
          units: { "Memory used": "bytes" },
          queries: [
            {
              expr: withNode(
                `max by (cluster, namespace, pod) (kube_pod_status_ready{${m(NS, 'condition="true"')}})`,
              ),
            },
            {
              expr: withNode(
                `sum by (cluster, namespace, pod) (kube_pod_container_status_restarts_total{${m(NS)}})`,
              ),
            },
            { expr: withNode(cpuPerPod) },
            { expr: withNode(memoryPerPod) },
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
          title: "Pods by phase",
          description: "The workload's pods per phase.",
          unit: "short",
          stack: true,
          queries: [
            {
              expr: `sum by (phase) (max by (cluster, namespace, pod, phase) (kube_pod_status_phase{${m(NS)}}) * on (cluster, namespace, pod) group_left () ${WORKLOAD_PODS})`,
              legend: "{{phase}}",
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
              expr: sumOfPods(
                "pod",
                `sum by (cluster, namespace, pod) (increase(kube_pod_container_status_restarts_total{${m(NS)}}${R}))`,
              ),
              legend: "{{pod}}",
            },
          ],
        },
      ],
    },
    {
      title: "Resources",
      panels: [
        {
          kind: "timeseries",
          title: "CPU used by pod",
          description:
            "Cores used by each pod of the workload, and what the workload's pods request in total.",
          unit: "short",
          queries: [
            { expr: sumOfPods("pod", cpuPerPod), legend: "{{pod}}" },
            {
              expr: sumOfPods("cluster", podResources("requests", "cpu", "cluster, namespace, pod", NS)),
              legend: "requested (all pods)",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Memory used by pod",
          description: "Memory working set of each pod of the workload, and what its pods request in total.",
          unit: "bytes",
          queries: [
            { expr: sumOfPods("pod", memoryPerPod), legend: "{{pod}}" },
            {
              expr: sumOfPods("cluster", podResources("requests", "memory", "cluster, namespace, pod", NS)),
              legend: "requested (all pods)",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "CPU throttled by pod",
          description:
            "Share of CPU periods in which a pod's containers were throttled by their CPU limit; 0 for pods without a limit. High values slow the workload even below its request.",
          unit: "percentunit",
          min: 0,
          queries: [
            {
              expr: `${sumOfPods("pod", `sum by (cluster, namespace, pod) (rate(container_cpu_cfs_throttled_periods_total{${m(NS, 'container!=""')}}${R}))`)} / ${sumOfPods("pod", `sum by (cluster, namespace, pod) (rate(container_cpu_cfs_periods_total{${m(NS, 'container!=""')}}${R}))`)} or sum by (pod) ${zeroPerPod}`,
              legend: "{{pod}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Network received by pod",
          description: "Bytes per second each pod of the workload receives.",
          unit: "Bps",
          queries: [
            {
              expr: sumOfPods(
                "pod",
                `sum by (cluster, namespace, pod) (rate(container_network_receive_bytes_total{${m(NS)}}${R}))`,
              ),
              legend: "{{pod}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Network transmitted by pod",
          description: "Bytes per second each pod of the workload sends.",
          unit: "Bps",
          queries: [
            {
              expr: sumOfPods(
                "pod",
                `sum by (cluster, namespace, pod) (rate(container_network_transmit_bytes_total{${m(NS)}}${R}))`,
              ),
              legend: "{{pod}}",
            },
          ],
        },
      ],
    },
  ],
};
