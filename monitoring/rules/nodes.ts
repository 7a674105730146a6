/**
 * Alerts on nodes: their conditions (kube-state-metrics), filesystems, clocks, memory and connection
 * tracking (node-exporter 1.12.0, labelled `node` by the scrape job) and pod slots (the kubelet, whose
 * target's `instance` is the node's name). Filesystems of pods (service-account tokens, volumes under
 * /var/lib/kubelet) and in-memory ones are left to the volume alerts.
 */
import { alert, minutes, type RuleGroup, type RuleParams } from "./types";

const NODE = "cluster, node";
/** The node's own disks: not tmpfs and friends, not the pods' mounts under /var/lib/kubelet. */
const NODE_FILESYSTEMS = 'fstype!~"tmpfs|ramfs|squashfs|nsfs|fuse\\\\..*", mountpoint!~"/var/lib/kubelet/.+"';
const FILESYSTEM = "cluster, node, device, mountpoint";

/** Fixed thresholds (named in the runbooks). */
export const NODE_LIMITS = {
  /** NodeFilesystemAlmostFull: free space below this share (the kubelet evicts pods below 10 %). */
  filesystemFreeRatio: 0.15,
  /** NodeFilesystemFillingUp: predicted empty within this many hours, from the last 6 hours' trend ... */
  filesystemPredictHours: 24,
  /** ... and already below this share free. */
  filesystemFillingFreeRatio: 0.4,
  /** NodeClockSkew: offset from the time source beyond this, in seconds. */
  clockOffsetSeconds: 0.05,
  /** NodeMemoryHighUtilisation: memory in use above this share. */
  memoryUsedRatio: 0.9,
  /** NodePodsNearCapacity: running pods above this share of the node's pod slots (VPC CNI max pods). */
  podsRatio: 0.95,
  /** NodeConntrackNearLimit: connection-tracking entries above this share of the table. */
  conntrackRatio: 0.75,
} as const;

/** One node condition (MemoryPressure ...) as an alert. */
function condition(p: RuleParams, name: string, type: string, what: string) {
  return alert(p, {
    name,
    severity: "warning",
    expr: `max by (${NODE}) (kube_node_status_condition{condition="${type}", status="true"}) == 1`,
    for: minutes(p.thresholds.forMinutes),
    summary: `Node {{ $labels.node }} reports ${type}`,
    description: `node {{ $labels.node }} has reported ${type} for ${p.thresholds.forMinutes} minutes: ${what}`,
  });
}

export function nodeAlerts(p: RuleParams): RuleGroup {
  const pending = minutes(p.thresholds.forMinutes);
  const L = NODE_LIMITS;
  const freeRatio = `node_filesystem_avail_bytes{${NODE_FILESYSTEMS}} / node_filesystem_size_bytes{${NODE_FILESYSTEMS}}`;
  return {
    name: "eksmon-nodes",
    rules: [
      alert(p, {
        name: "NodeNotReady",
        severity: "critical",
        expr: `max by (${NODE}) (kube_node_status_condition{condition="Ready", status="true"}) == 0`,
        for: pending,
        summary: "Node {{ $labels.node }} is not ready",
        description: `node {{ $labels.node }} has not been Ready for ${p.thresholds.forMinutes} minutes: its pods are not served and will be evicted.`,
      }),
      condition(
        p,
        "NodeMemoryPressure",
        "MemoryPressure",
        "the kubelet is evicting pods to reclaim memory and admits no new BestEffort pods.",
      ),
      condition(
        p,
        "NodeDiskPressure",
        "DiskPressure",
        "the kubelet is deleting images and evicting pods to reclaim disk space, and admits no new pods.",
      ),
      condition(
        p,
        "NodePidPressure",
        "PIDPressure",
        "the node is running out of process IDs; the kubelet evicts pods and admits no new ones.",
      ),
      alert(p, {
        name: "NodeFilesystemFillingUp",
        severity: "warning",
        expr: `max by (${FILESYSTEM}) (${freeRatio} < ${L.filesystemFillingFreeRatio} and predict_linear(node_filesystem_avail_bytes{${NODE_FILESYSTEMS}}[6h], ${L.filesystemPredictHours} * 3600) < 0)`,
        for: "1h",
        summary: "Filesystem {{ $labels.mountpoint }} of node {{ $labels.node }} will be full within a day",
        description:
          "filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) of node {{ $labels.node }} has {{ $value | humanizePercentage }} free and, at the last 6 hours' rate, will be full within 24 hours.",
      }),
      alert(p, {
        name: "NodeFilesystemAlmostFull",
        severity: "warning",
        expr: `max by (${FILESYSTEM}) (${freeRatio}) < ${L.filesystemFreeRatio}`,
        for: "30m",
        summary: "Filesystem {{ $labels.mountpoint }} of node {{ $labels.node }} is almost full",
        description:
          "filesystem {{ $labels.mountpoint }} ({{ $labels.device }}) of node {{ $labels.node }} has had only {{ $value | humanizePercentage }} free for 30 minutes (threshold 15 %; the kubelet evicts pods below 10 %).",
      }),
      alert(p, {
        name: "NodeClockSkew",
        severity: "warning",
        expr: `max by (${NODE}) ((node_timex_offset_seconds > ${L.clockOffsetSeconds} and deriv(node_timex_offset_seconds[5m]) >= 0) or (node_timex_offset_seconds < -${L.clockOffsetSeconds} and deriv(node_timex_offset_seconds[5m]) <= 0))`,
        for: "10m",
        summary: "Clock of node {{ $labels.node }} is off",
        description:
          "the clock of node {{ $labels.node }} has been {{ $value | humanizeDuration }} off its time source for 10 minutes and is not converging (threshold 50 ms): TLS, tokens and logs depend on it.",
      }),
      alert(p, {
        name: "NodeClockNotSynchronising",
        severity: "warning",
        expr: `max by (${NODE}) (min_over_time(node_timex_sync_status[5m]) == 0 and node_timex_maxerror_seconds >= 16)`,
        for: "10m",
        summary: "Clock of node {{ $labels.node }} is not synchronising",
        description:
          "the clock of node {{ $labels.node }} has not been synchronised for 10 minutes (kernel sync status 0, maximum error at 16 s): chronyd or the Amazon Time Sync Service is unreachable.",
      }),
      alert(p, {
        name: "NodeMemoryHighUtilisation",
        severity: "warning",
        expr: `max by (${NODE}) (node:memory_utilisation:ratio) > ${L.memoryUsedRatio}`,
        for: "15m",
        summary: "Node {{ $labels.node }} is running out of memory",
        description:
          "node {{ $labels.node }} has used {{ $value | humanizePercentage }} of its memory for 15 minutes (threshold 90 %): the kernel's OOM killer and the kubelet's evictions are next.",
      }),
      alert(p, {
        name: "NodePodsNearCapacity",
        severity: "info",
        expr: `max by (${NODE}) (label_replace(kubelet_running_pods, "node", "$1", "instance", "(.+)")) / on (${NODE}) max by (${NODE}) (kube_node_status_allocatable{resource="pods"}) > ${L.podsRatio}`,
        for: "15m",
        summary: "Node {{ $labels.node }} is running out of pod slots",
        description:
          "node {{ $labels.node }} has run {{ $value | humanizePercentage }} of the pods it may hold for 15 minutes (threshold 95 %; on EKS the VPC CNI's IP addresses per instance type set the maximum).",
      }),
      alert(p, {
        name: "NodeConntrackNearLimit",
        severity: "warning",
        expr: `max by (${NODE}) (node_nf_conntrack_entries / node_nf_conntrack_entries_limit) > ${L.conntrackRatio}`,
        for: "15m",
        summary: "Connection tracking table of node {{ $labels.node }} is filling",
        description:
          "the connection tracking table of node {{ $labels.node }} has been {{ $value | humanizePercentage }} full for 15 minutes (threshold 75 %): when full, the kernel drops new connections.",
      }),
    ],
  };
}
