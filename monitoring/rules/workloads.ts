/**
 * Alerts on workloads, from kube-state-metrics (v2.20.0, as the charts ship it): pods, containers,
 * Deployments, StatefulSets, DaemonSets, Jobs and HorizontalPodAutoscalers. Every expression aggregates to
 * the object's own labels (`max by (cluster, namespace, <kind>)`): the exporter's target labels (instance,
 * pod of kube-state-metrics, chart labels) change when it restarts and would otherwise restart `for`.
 */
import { alert, type RuleGroup, type RuleParams } from "./types";

const POD = "cluster, namespace, pod";
const CONTAINER = "cluster, namespace, pod, container";
const DEPLOYMENT = "cluster, namespace, deployment";
const STATEFULSET = "cluster, namespace, statefulset";
const DAEMONSET = "cluster, namespace, daemonset";
const JOB = "cluster, namespace, job_name";
const HPA = "cluster, namespace, horizontalpodautoscaler";

/** `max by (<labels>) (<metric>)`. */
const max = (labels: string, expr: string) => `max by (${labels}) (${expr})`;

/** Seconds a Job may stay active before JobNotCompleted. */
export const JOB_MAX_ACTIVE_SECONDS = 12 * 3600;
/** How long after an OOM kill ContainerOomKilled stays firing (and how late it may notice one). */
export const OOM_WINDOW_SECONDS = 600;

export function workloadAlerts(p: RuleParams): RuleGroup {
  const hpa = (metric: string) => max(HPA, `kube_horizontalpodautoscaler_${metric}`);
  return {
    name: "eksmon-workloads",
    rules: [
      alert(p, {
        name: "PodCrashLooping",
        severity: "warning",
        // The waiting series exists only while the container waits; max_over_time bridges its restarts.
        expr: `${max(CONTAINER, 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m])')} >= 1`,
        for: "15m",
        summary:
          "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} is crash looping",
        description:
          "container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 15 minutes: it starts, exits and is restarted with a growing delay.",
      }),
      alert(p, {
        name: "PodNotReady",
        severity: "warning",
        expr: `${max(POD, 'kube_pod_status_phase{phase=~"Pending|Unknown"}')} > 0`,
        for: "15m",
        summary: "Pod {{ $labels.namespace }}/{{ $labels.pod }} has not been running for 15 minutes",
        description:
          "pod {{ $labels.namespace }}/{{ $labels.pod }} has been Pending or Unknown for 15 minutes: not scheduled (no node fits, no capacity, no IP), waiting for a volume or an image, or its node stopped reporting.",
      }),
      alert(p, {
        name: "ContainerWaiting",
        severity: "warning",
        expr: `${max(CONTAINER, 'kube_pod_container_status_waiting_reason{reason!="CrashLoopBackOff"}')} >= 1`,
        for: "30m",
        summary:
          "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been waiting for 30 minutes",
        description:
          "container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been waiting to start for 30 minutes (ImagePullBackOff, CreateContainerConfigError, ContainerCreating ...).",
      }),
      alert(p, {
        name: "ContainerOomKilled",
        severity: "info",
        expr: `${max(CONTAINER, 'kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}')} and on (${CONTAINER}) ${max(CONTAINER, `time() - kube_pod_container_status_last_terminated_timestamp < ${OOM_WINDOW_SECONDS}`)}`,
        summary:
          "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} was killed out of memory",
        description:
          "container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} was OOM-killed in the last 10 minutes: it used more memory than its limit (or the node ran out) and was restarted.",
      }),
      alert(p, {
        name: "DeploymentReplicasMismatch",
        severity: "warning",
        expr: `(${max(DEPLOYMENT, "kube_deployment_spec_replicas")} - ${max(DEPLOYMENT, "kube_deployment_status_replicas_available")}) > 0 and on (${DEPLOYMENT}) ${max(DEPLOYMENT, "changes(kube_deployment_status_replicas_updated[10m])")} == 0`,
        for: "15m",
        summary: "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} is missing replicas",
        description:
          "deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had {{ $value }} fewer available replicas than it wants for 15 minutes, and no rollout is making progress.",
      }),
      alert(p, {
        name: "DeploymentRolloutStuck",
        severity: "warning",
        expr: `${max(DEPLOYMENT, 'kube_deployment_status_condition{condition="Progressing", status="false"}')} == 1`,
        for: "15m",
        summary: "Rollout of deployment {{ $labels.namespace }}/{{ $labels.deployment }} is stuck",
        description:
          "the rollout of deployment {{ $labels.namespace }}/{{ $labels.deployment }} exceeded its progress deadline (condition Progressing=False) 15 minutes ago: its new pods do not become available.",
      }),
      alert(p, {
        name: "StatefulSetReplicasMismatch",
        severity: "warning",
        expr: `(${max(STATEFULSET, "kube_statefulset_replicas")} - ${max(STATEFULSET, "kube_statefulset_status_replicas_ready")}) > 0 and on (${STATEFULSET}) ${max(STATEFULSET, "changes(kube_statefulset_status_replicas_updated[10m])")} == 0`,
        for: "15m",
        summary: "StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} is missing replicas",
        description:
          "statefulset {{ $labels.namespace }}/{{ $labels.statefulset }} has had {{ $value }} fewer ready replicas than it wants for 15 minutes, and no update is making progress.",
      }),
      alert(p, {
        name: "DaemonSetRolloutStuck",
        severity: "warning",
        expr: `((${max(DAEMONSET, "kube_daemonset_status_desired_number_scheduled")} - ${max(DAEMONSET, "kube_daemonset_status_number_available")}) > 0 or (${max(DAEMONSET, "kube_daemonset_status_desired_number_scheduled")} - ${max(DAEMONSET, "kube_daemonset_status_updated_number_scheduled")}) > 0) and on (${DAEMONSET}) ${max(DAEMONSET, "changes(kube_daemonset_status_updated_number_scheduled[5m])")} == 0`,
        for: "15m",
        summary: "DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} is not running everywhere",
        description:
          "daemonset {{ $labels.namespace }}/{{ $labels.daemonset }} has had {{ $value }} nodes without an available, up-to-date pod for 15 minutes, and its rollout is not progressing.",
      }),
      alert(p, {
        name: "JobFailed",
        severity: "warning",
        expr: `${max(JOB, 'kube_job_failed{condition="true"}')} == 1`,
        for: "5m",
        summary: "Job {{ $labels.namespace }}/{{ $labels.job_name }} failed",
        description:
          "job {{ $labels.namespace }}/{{ $labels.job_name }} failed (condition Failed=True: backoff limit or deadline reached). The alert stays until the Job is deleted.",
      }),
      alert(p, {
        name: "JobNotCompleted",
        severity: "warning",
        expr: `(time() - ${max(JOB, "kube_job_status_start_time")}) > ${JOB_MAX_ACTIVE_SECONDS} and on (${JOB}) ${max(JOB, "kube_job_status_active")} > 0`,
        summary: "Job {{ $labels.namespace }}/{{ $labels.job_name }} has run for more than 12 hours",
        description:
          "job {{ $labels.namespace }}/{{ $labels.job_name }} started {{ $value | humanizeDuration }} ago and still has active pods (threshold 12 hours).",
      }),
      alert(p, {
        name: "HpaMaxedOut",
        severity: "warning",
        expr: `${hpa("status_current_replicas")} >= ${hpa("spec_max_replicas")} and on (${HPA}) ${hpa("spec_max_replicas")} > ${hpa("spec_min_replicas")}`,
        for: "15m",
        summary:
          "HorizontalPodAutoscaler {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum for 15 minutes",
        description:
          "horizontalpodautoscaler {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run {{ $value }} replicas, its maximum, for 15 minutes: it cannot scale out further.",
      }),
      alert(p, {
        name: "HpaReplicasMismatch",
        severity: "warning",
        expr: `${hpa("status_desired_replicas")} != ${hpa("status_current_replicas")} and on (${HPA}) ${hpa("status_current_replicas")} > ${hpa("spec_min_replicas")} and on (${HPA}) ${hpa("status_current_replicas")} < ${hpa("spec_max_replicas")} and on (${HPA}) ${max(HPA, "changes(kube_horizontalpodautoscaler_status_current_replicas[15m])")} == 0`,
        for: "15m",
        summary:
          "HorizontalPodAutoscaler {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} cannot reach its desired replicas",
        description:
          "horizontalpodautoscaler {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has wanted {{ $value }} replicas for 15 minutes without its workload reaching them.",
      }),
    ],
  };
}
