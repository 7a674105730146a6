/**
 * Alerts on persistent volumes: space and inodes of mounted claims (the kubelet's volume stats, which exist
 * only while a pod mounts the claim) and volumes the cluster failed to bind or reclaim (kube-state-metrics).
 */
import { alert, minutes, num, type RuleGroup, type RuleParams } from "./types";

const PVC = "cluster, namespace, persistentvolumeclaim";
const USED = "persistentvolumeclaim:kubelet_volume_stats:used_ratio";

/** Fixed thresholds (named in the runbooks). */
export const VOLUME_LIMITS = {
  /** PersistentVolumePredictedFull: predicted full within this many days, from the last 6 hours' trend ... */
  predictDays: 4,
  /** ... and already used above this share. */
  predictUsedRatio: 0.5,
  /** PersistentVolumeInodesAlmostFull: inodes used above this share. */
  inodesUsedRatio: 0.95,
} as const;

export function volumeAlerts(p: RuleParams): RuleGroup {
  const t = p.thresholds;
  const L = VOLUME_LIMITS;
  const filling = (severity: "warning" | "critical", percent: number) =>
    alert(p, {
      name: "PersistentVolumeFillingUp",
      severity,
      expr: `${USED} > ${num(percent / 100)}`,
      for: minutes(t.forMinutes),
      summary: "Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is filling up",
      description: `volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full (${severity} above ${percent} %).`,
    });
  return {
    name: "eksmon-volumes",
    rules: [
      filling("warning", t.persistentVolumeUsedPercent),
      filling("critical", t.persistentVolumeCriticalPercent),
      alert(p, {
        name: "PersistentVolumePredictedFull",
        severity: "warning",
        expr: `${USED} > ${L.predictUsedRatio} and on (${PVC}) max by (${PVC}) (predict_linear(kubelet_volume_stats_used_bytes[6h], ${L.predictDays} * 86400) - kubelet_volume_stats_capacity_bytes) > 0`,
        for: "1h",
        summary:
          "Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will be full within 4 days",
        description:
          "volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full and, at the last 6 hours' rate, will be full within 4 days.",
      }),
      alert(p, {
        name: "PersistentVolumeInodesAlmostFull",
        severity: "warning",
        expr: `max by (${PVC}) (kubelet_volume_stats_inodes_used / kubelet_volume_stats_inodes) > ${L.inodesUsedRatio}`,
        for: "15m",
        summary:
          "Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is running out of inodes",
        description:
          "volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has used {{ $value | humanizePercentage }} of its inodes for 15 minutes (threshold 95 %): new files fail with free space left.",
      }),
      alert(p, {
        name: "PersistentVolumeErrors",
        severity: "warning",
        expr: 'max by (cluster, persistentvolume, phase) (kube_persistentvolume_status_phase{phase=~"Failed|Pending"}) == 1',
        for: "5m",
        summary: "Persistent volume {{ $labels.persistentvolume }} is {{ $labels.phase }}",
        description:
          "persistent volume {{ $labels.persistentvolume }} has been in phase {{ $labels.phase }} for 5 minutes: its reclaim failed (Failed) or it cannot be provisioned or bound (Pending).",
      }),
    ],
  };
}
