/** Pod: one pod, its containers, what they use against their requests and limits, and the node it runs on. */
import { CELL, type DashboardSpec } from "./lib";
import { m, R } from "./promql";

const POD = ['namespace="$namespace"', 'pod="$pod"'] as const;
const sel = (...matchers: string[]) => m(...POD, ...matchers);
/** 0 for every container of the pod: completes a per-container sum that has no series for some. */
const zeroPerContainer = `(0 * max by (container) (kube_pod_container_status_ready{${sel()}}))`;
const resource = (kind: "requests" | "limits", r: "cpu" | "memory") =>
  `sum by (container) (kube_pod_container_resource_${kind}{${sel(`resource="${r}"`)}})`;
const cpuByContainer = `sum by (container) (rate(container_cpu_usage_seconds_total{${sel('container!=""')}}${R}))`;
const memoryByContainer = `sum by (container) (container_memory_working_set_bytes{${sel('container!=""')}})`;

export const pod: DashboardSpec = {
  uid: "eksmon-pod",
  title: "Pod",
  description:
    "One pod: its phase and containers, restarts and why, CPU and memory against requests and limits, network, and the node it runs on (click it).",
  tags: ["pod"],
  scope: ["namespace", "pod"],
  rows: [
    {
      title: "Status",
      panels: [
        {
          kind: "stat",
          title: "Phase",
          description: "The pod's phase: Pending, Running, Succeeded, Failed or Unknown.",
          unit: "none",
          w: 4,
          showName: true,
          queries: [{ expr: `max by (phase) (kube_pod_status_phase{${sel()}}) == 1`, legend: "{{phase}}" }],
        },
        {
          kind: "stat",
          title: "Ready",
          description:
            "1 when the pod's Ready condition is true (all containers pass their readiness probes).",
          unit: "bool_yes_no",
          w: 4,
          queries: [{ expr: `max(kube_pod_status_ready{${sel('condition="true"')}})` }],
        },
        {
          kind: "stat",
          title: "Container restarts",
          description: "Restarts of the pod's containers since it started.",
          unit: "short",
          w: 4,
          thresholds: [[1, "orange"]],
          queries: [{ expr: `sum(max by (container) (kube_pod_container_status_restarts_total{${sel()}}))` }],
        },
        {
          kind: "stat",
          title: "CPU used",
          description: "Cores the pod's containers use.",
          unit: "short",
          decimals: 3,
          w: 4,
          queries: [{ expr: `sum(${cpuByContainer})` }],
        },
        {
          kind: "stat",
          title: "Memory used",
          description: "Memory working set of the pod's containers.",
          unit: "bytes",
          w: 4,
          queries: [{ expr: `sum(${memoryByContainer})` }],
        },
        {
          kind: "stat",
          title: "Memory used / limit",
          description:
            "Memory working set against the containers' memory limits (0 when no container has one): near 100%, the kernel kills the container (OOMKilled).",
          unit: "percentunit",
          w: 4,
          thresholds: [
            [0.8, "orange"],
            [0.95, "red"],
          ],
          queries: [
            {
              expr: `sum(${memoryByContainer}) / sum(${resource("limits", "memory")}) or sum(${zeroPerContainer})`,
            },
          ],
        },
        {
          kind: "table",
          title: "Where it runs",
          description:
            "The node the pod is scheduled on (click it for the node's dashboard), its IP, and what created it.",
          unit: "short",
          w: 24,
          h: 4,
          labels: ["node", "pod_ip", "host_ip", "created_by_kind", "created_by_name"],
          values: [],
          queries: [
            {
              expr: `max by (node, pod_ip, host_ip, created_by_kind, created_by_name) (kube_pod_info{${sel()}})`,
            },
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
      ],
    },
    {
      title: "Containers",
      panels: [
        {
          kind: "table",
          title: "Containers",
          description:
            "Per container: Ready (1) or not, restarts, CPU used and requested, memory used and limit (empty when none is set).",
          unit: "short",
          w: 24,
          h: 7,
          labels: ["container"],
          values: ["Ready", "Restarts", "CPU used", "CPU requested", "Memory used", "Memory limit"],
          units: { "Memory used": "bytes", "Memory limit": "bytes" },
          queries: [
            { expr: `max by (container) (kube_pod_container_status_ready{${sel()}})` },
            { expr: `max by (container) (kube_pod_container_status_restarts_total{${sel()}})` },
            { expr: cpuByContainer },
            { expr: resource("requests", "cpu") },
            { expr: memoryByContainer },
            { expr: resource("limits", "memory") },
          ],
        },
        {
          kind: "timeseries",
          title: "Why containers wait or last terminated",
          description:
            "Containers waiting (CrashLoopBackOff, ImagePullBackOff, ContainerCreating ...) and the reason each last terminated (OOMKilled, Error, Completed); 0 per container when there is nothing to say.",
          unit: "short",
          w: 24,
          queries: [
            {
              expr: `sum by (container, reason) (kube_pod_container_status_waiting_reason{${sel()}}) or ${zeroPerContainer}`,
              legend: "{{container}} waiting {{reason}}",
            },
            {
              expr: `sum by (container, reason) (kube_pod_container_status_last_terminated_reason{${sel()}}) or ${zeroPerContainer}`,
              legend: "{{container}} last terminated {{reason}}",
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
          title: "CPU used by container",
          description: "Cores used by each container, with its request and limit.",
          unit: "short",
          queries: [
            { expr: cpuByContainer, legend: "{{container}} used" },
            { expr: resource("requests", "cpu"), legend: "{{container}} requested" },
            { expr: `${resource("limits", "cpu")} or ${zeroPerContainer}`, legend: "{{container}} limit" },
          ],
        },
        {
          kind: "timeseries",
          title: "Memory used by container",
          description:
            "Memory working set of each container, with its request and limit (the OOM-kill line).",
          unit: "bytes",
          queries: [
            { expr: memoryByContainer, legend: "{{container}} used" },
            { expr: resource("requests", "memory"), legend: "{{container}} requested" },
            { expr: `${resource("limits", "memory")} or ${zeroPerContainer}`, legend: "{{container}} limit" },
          ],
        },
        {
          kind: "timeseries",
          title: "CPU throttled by container",
          description:
            "Share of CPU periods in which the container was throttled by its CPU limit; 0 without a limit.",
          unit: "percentunit",
          min: 0,
          queries: [
            {
              expr: `sum by (container) (rate(container_cpu_cfs_throttled_periods_total{${sel('container!=""')}}${R})) / sum by (container) (rate(container_cpu_cfs_periods_total{${sel('container!=""')}}${R})) or ${zeroPerContainer}`,
              legend: "{{container}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Container restarts",
          description: "Restarts per container over each interval.",
          unit: "short",
          queries: [
            {
              expr: `sum by (container) (increase(kube_pod_container_status_restarts_total{${sel()}}${R}))`,
              legend: "{{container}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Network",
          description: "Bytes per second the pod receives and sends (all its interfaces).",
          unit: "Bps",
          queries: [
            {
              expr: `sum(rate(container_network_receive_bytes_total{${sel()}}${R}))`,
              legend: "received",
            },
            {
              expr: `sum(rate(container_network_transmit_bytes_total{${sel()}}${R}))`,
              legend: "transmitted",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Memory used / request",
          description:
            "Memory working set against the request, per container: above 100% the pod is first to be evicted when its node runs short.",
          unit: "percentunit",
          queries: [
            {
              expr: `${memoryByContainer} / ${resource("requests", "memory")} or ${zeroPerContainer}`,
              legend: "{{container}}",
            },
          ],
        },
      ],
    },
  ],
};
