/** Node: one node's conditions, CPU, memory, disks and network (node-exporter), and the pods it runs. */
import { C, CELL, type DashboardSpec, interpolate } from "./lib";
import { m, podResources, R } from "./promql";

const NODE = 'node="$node"';
const sel = (...matchers: string[]) => m(NODE, ...matchers);
/** Filesystems of the node's disks (not the kubelet's tmpfs mounts of secrets, nor overlays). */
const DISKS = 'fstype!~"tmpfs|overlay|squashfs|nsfs"';
/** The node's own interfaces: not the loopback, nor the per-pod host interfaces of the VPC CNI (eni*, veth*). */
const NICS = 'device!~"lo|eni.+|veth.+"';
/** The pods on the node, value 1, by cluster, namespace, pod. */
const PODS_ON_NODE = `max by (cluster, namespace, pod) (kube_pod_info{${sel()}})`;
const perPodOnNode = (metric: string, rate: boolean) => {
  const s = `${metric}{${m('container!=""')}}`;
  return `sum by (namespace, pod) (sum by (cluster, namespace, pod) (${rate ? `rate(${s}${R})` : s}) * on (cluster, namespace, pod) group_left () ${PODS_ON_NODE})`;
};

export const node: DashboardSpec = {
  uid: "eksmon-node",
  title: "Node",
  description:
    "One node: its conditions, what the pods request against what it can allocate, CPU, memory, disks and network as node-exporter sees them, and the pods it runs (click one).",
  tags: ["node"],
  scope: ["node"],
  rows: [
    {
      title: "Status",
      panels: [
        {
          kind: "stat",
          title: "Ready",
          description: "Whether the node's Ready condition is true.",
          unit: "bool_yes_no",
          w: 4,
          queries: [
            { expr: `max(kube_node_status_condition{${sel('condition="Ready"', 'status="true"')}})` },
          ],
        },
        {
          kind: "stat",
          title: "Schedulable",
          description: "No when the node is cordoned (kubectl cordon, or drained during an upgrade).",
          unit: "bool_yes_no",
          w: 4,
          queries: [{ expr: `1 - max(kube_node_spec_unschedulable{${sel()}})` }],
        },
        {
          kind: "stat",
          title: "Allocatable CPU",
          description: "Cores the node offers pods.",
          unit: "short",
          w: 4,
          queries: [{ expr: `max(kube_node_status_allocatable{${sel('resource="cpu"')}})` }],
        },
        {
          kind: "stat",
          title: "Allocatable memory",
          description: "Memory the node offers pods.",
          unit: "bytes",
          w: 4,
          queries: [{ expr: `max(kube_node_status_allocatable{${sel('resource="memory"')}})` }],
        },
        {
          kind: "stat",
          title: "Pods",
          description: "Pods scheduled on the node, against the pods it can hold.",
          unit: "short",
          w: 4,
          queries: [{ expr: `count(max by (namespace, pod) (kube_pod_info{${sel()}}))` }],
        },
        {
          kind: "stat",
          title: "Uptime",
          description: "Time since the node's operating system booted.",
          unit: "s",
          w: 4,
          queries: [{ expr: `time() - max(node_boot_time_seconds{${sel()}})` }],
        },
        {
          kind: "timeseries",
          title: "Conditions",
          description:
            "Node conditions that are true: Ready should be 1, MemoryPressure, DiskPressure and PIDPressure 0.",
          unit: "short",
          queries: [
            {
              expr: `max by (condition) (kube_node_status_condition{${sel('status="true"')}})`,
              legend: "{{condition}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Requested / allocatable",
          description:
            "CPU and memory requested by the node's Pending and Running pods, as a share of what it can allocate: near 100%, no more pods fit.",
          unit: "percentunit",
          min: 0,
          queries: [
            {
              expr: `${podResources("requests", "cpu", "cluster", NODE)} / sum by (cluster) (kube_node_status_allocatable{${sel('resource="cpu"')}})`,
              legend: "CPU",
            },
            {
              expr: `${podResources("requests", "memory", "cluster", NODE)} / sum by (cluster) (kube_node_status_allocatable{${sel('resource="memory"')}})`,
              legend: "memory",
            },
          ],
        },
      ],
    },
    {
      title: "CPU and memory",
      panels: [
        {
          kind: "timeseries",
          title: "CPU by mode",
          description:
            "Share of the node's CPU time per mode (user, system, iowait, steal ...), idle left out.",
          unit: "percentunit",
          stack: true,
          min: 0,
          queries: [
            {
              expr: `sum by (mode) (rate(node_cpu_seconds_total{${sel('mode!="idle"')}}${R})) / scalar(count(node_cpu_seconds_total{${sel('mode="idle"')}}))`,
              legend: "{{mode}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Load average",
          description:
            "Runnable and waiting tasks averaged over 1, 5 and 15 minutes; compare with the cores.",
          unit: "short",
          queries: [
            { expr: `max(node_load1{${sel()}})`, legend: "1m" },
            { expr: `max(node_load5{${sel()}})`, legend: "5m" },
            { expr: `max(node_load15{${sel()}})`, legend: "15m" },
            { expr: `count(node_cpu_seconds_total{${sel('mode="idle"')}})`, legend: "cores" },
          ],
        },
        {
          kind: "timeseries",
          title: "Memory",
          description: "Memory in use (total minus available) and the total, as the kernel reports them.",
          unit: "bytes",
          queries: [
            {
              expr: `max(node_memory_MemTotal_bytes{${sel()}}) - max(node_memory_MemAvailable_bytes{${sel()}})`,
              legend: "used",
            },
            { expr: `max(node_memory_MemTotal_bytes{${sel()}})`, legend: "total" },
          ],
        },
        {
          kind: "timeseries",
          title: "Clock offset",
          description:
            "The node's clock against its time source (node_timex_offset_seconds): beyond tens of milliseconds, TLS and leases misbehave.",
          unit: "s",
          queries: [{ expr: `max(node_timex_offset_seconds{${sel()}})`, legend: "offset" }],
        },
      ],
    },
    {
      title: "Disks and network",
      panels: [
        {
          kind: "timeseries",
          title: "Filesystem used",
          description:
            "Share of each disk filesystem in use (the kubelet evicts pods when the root filesystem fills).",
          unit: "percentunit",
          min: 0,
          max: 1,
          queries: [
            {
              expr: `1 - max by (mountpoint) (node_filesystem_avail_bytes{${sel(DISKS)}}) / max by (mountpoint) (node_filesystem_size_bytes{${sel(DISKS)}})`,
              legend: "{{mountpoint}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Disk throughput",
          description: "Bytes per second read and written, per disk.",
          unit: "Bps",
          queries: [
            {
              expr: `sum by (device) (rate(node_disk_read_bytes_total{${sel()}}${R}))`,
              legend: "{{device}} read",
            },
            {
              expr: `sum by (device) (rate(node_disk_written_bytes_total{${sel()}}${R}))`,
              legend: "{{device}} written",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Disk busy",
          description: "Share of time each disk was busy with I/O: near 100%, it is saturated.",
          unit: "percentunit",
          min: 0,
          queries: [
            {
              expr: `max by (device) (rate(node_disk_io_time_seconds_total{${sel()}}${R}))`,
              legend: "{{device}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Network",
          description:
            "Bytes per second received and sent on the node's own interfaces (pods' interfaces left out).",
          unit: "Bps",
          queries: [
            {
              expr: `sum(rate(node_network_receive_bytes_total{${sel(NICS)}}${R}))`,
              legend: "received",
            },
            {
              expr: `sum(rate(node_network_transmit_bytes_total{${sel(NICS)}}${R}))`,
              legend: "transmitted",
            },
          ],
        },
      ],
    },
    {
      title: "Pods on this node",
      panels: [
        {
          kind: "table",
          title: "Pods",
          description:
            "The pods scheduled on this node with their CPU and memory use and restarts. Click a pod for its dashboard.",
          unit: "short",
          w: 24,
          h: 10,
          labels: ["namespace", "pod"],
          values: ["CPU used", "Memory used", "Restarts"],
          units: { "Memory used": "bytes" },
          queries: [
            { expr: perPodOnNode("container_cpu_usage_seconds_total", true) },
            { expr: perPodOnNode("container_memory_working_set_bytes", false) },
            {
              expr: `sum by (namespace, pod) (sum by (cluster, namespace, pod) (kube_pod_container_status_restarts_total{${C}}) * on (cluster, namespace, pod) group_left () ${PODS_ON_NODE})`,
            },
          ],
          cellLinks: [
            {
              column: "pod",
              to: "eksmon-pod",
              title: "Open the pod's dashboard",
              vars: { namespace: interpolate("__data.fields.namespace"), pod: CELL },
            },
            {
              column: "namespace",
              to: "eksmon-namespace",
              title: "Open the namespace's dashboard",
              vars: { namespace: CELL },
            },
          ],
        },
        {
          kind: "timeseries",
          title: "CPU used by pod (top 10)",
          description: "Cores used by the ten busiest pods on the node.",
          unit: "short",
          queries: [
            {
              expr: `topk(10, ${perPodOnNode("container_cpu_usage_seconds_total", true)})`,
              legend: "{{namespace}}/{{pod}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Memory used by pod (top 10)",
          description: "Memory working set of the ten largest pods on the node.",
          unit: "bytes",
          queries: [
            {
              expr: `topk(10, ${perPodOnNode("container_memory_working_set_bytes", false)})`,
              legend: "{{namespace}}/{{pod}}",
            },
          ],
        },
      ],
    },
  ],
};
