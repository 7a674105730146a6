/**
 * How many series each metric brings, as a function of the cluster's size: the model behind
 * `npm run cost`. Every number says where it comes from:
 * - "source": read in the exporter's or Prometheus' source at the version the charts ship (label values
 *   a metric can take, bucket lists);
 * - "measured": counted on a running exporter built from its source at that version (node_exporter 1.12.0
 *   with default collectors, on a 2-CPU Linux host: 532 series, 292 metric names, 17 series per CPU,
 *   about 34 per network interface, 18 per disk, 9 per mounted filesystem);
 * - "assumption": a typical value that depends on the workload; replace the whole model with a measured
 *   count (`sizing.activeSeries`) once the environment runs.
 * Versions: prometheus chart 29.27.0 (Prometheus v3.14.0), node-exporter 1.12.0, kube-state-metrics 2.20.0,
 * Kubernetes API server and kubelet 1.33. "measured on loopback": counted on the API server and
 * kube-controller-manager v1.34.4 the loopback test runs (an empty cluster: a floor for label sets in use).
 * Objects kube-state-metrics reports beyond nodes, pods and claims (workloads, ReplicaSets, namespaces) are
 * modelled per pod or per cluster: about 3 pods per workload, 70% of pods in Deployments, 5 ReplicaSets kept
 * per Deployment (Kubernetes keeps up to revisionHistoryLimit, 10, plus the current one).
 */
import type { CollectorType } from "../lib/catalogue";
import { SCRAPED_METRICS } from "../monitoring/metrics";

export type Unit = "cluster" | "apiServer" | "node" | "cpu" | "pod" | "container" | "pvc" | "target";
export type ModelConfidence = "source" | "measured" | "assumption";

/** `series` series per `per` (per node, per pod ...). */
export interface SeriesTerm {
  readonly per: Unit;
  readonly series: number;
}

/** How many series a metric (or a whole scrape job) brings, and why. */
export interface ModelEntry {
  readonly terms: readonly SeriesTerm[];
  readonly source: string;
  readonly confidence: ModelConfidence;
}

const KSM = "kube-state-metrics v2.20.0 internal/store";
const NE = "node_exporter 1.12.0";
const SCHED = "kube-scheduler v1.33 pkg/scheduler/metrics";

/** Series per metric the shipped dashboards and rules read (what the allow-list keeps). */
export const KEPT_METRIC_SERIES: Readonly<Record<string, ModelEntry>> = {
  up: {
    terms: [{ per: "target", series: 1 }],
    source: "Prometheus: one per scrape target",
    confidence: "source",
  },
  scrape_duration_seconds: {
    terms: [{ per: "target", series: 1 }],
    source: "Prometheus: one per scrape target",
    confidence: "source",
  },
  scrape_samples_scraped: {
    terms: [{ per: "target", series: 1 }],
    source: "Prometheus: one per scrape target",
    confidence: "source",
  },
  apiserver_current_inflight_requests: {
    terms: [{ per: "apiServer", series: 2 }],
    source: "k8s.io/apiserver filters: request_kind mutating, readOnly",
    confidence: "source",
  },
  apiserver_request_total: {
    terms: [{ per: "apiServer", series: 400 }],
    source: "label sets of verb, group, version, resource, subresource, scope, component, code in use",
    confidence: "assumption",
  },
  apiserver_request_duration_seconds_bucket: {
    terms: [{ per: "apiServer", series: 24 * 250 }],
    source: "k8s.io/apiserver endpoints/metrics: 24 buckets (source) x 250 label sets in use (assumption)",
    confidence: "assumption",
  },
  kubelet_volume_stats_used_bytes: {
    terms: [{ per: "pvc", series: 1 }],
    source: "kubelet volume stats: one per mounted claim",
    confidence: "source",
  },
  kubelet_volume_stats_capacity_bytes: {
    terms: [{ per: "pvc", series: 1 }],
    source: "kubelet volume stats: one per mounted claim",
    confidence: "source",
  },
  container_cpu_usage_seconds_total: {
    terms: [
      { per: "container", series: 1 },
      { per: "pod", series: 1 },
      { per: "node", series: 15 },
    ],
    source: "cAdvisor: one per container cgroup, one per pod cgroup, about 15 system cgroups per node",
    confidence: "assumption",
  },
  container_memory_working_set_bytes: {
    terms: [
      { per: "container", series: 1 },
      { per: "pod", series: 1 },
      { per: "node", series: 15 },
    ],
    source: "cAdvisor: one per container cgroup, one per pod cgroup, about 15 system cgroups per node",
    confidence: "assumption",
  },
  // cAdvisor metrics dashboards imported from grafana.com often read (metrics.extra of the dev example).
  container_fs_usage_bytes: {
    terms: [
      { per: "container", series: 1 },
      { per: "node", series: 15 },
    ],
    source: "cAdvisor: one per container and filesystem device, system cgroups per node",
    confidence: "assumption",
  },
  container_fs_limit_bytes: {
    terms: [
      { per: "container", series: 1 },
      { per: "node", series: 15 },
    ],
    source: "cAdvisor: one per container and filesystem device, system cgroups per node",
    confidence: "assumption",
  },
  container_network_receive_bytes_total: {
    terms: [
      { per: "pod", series: 1 },
      { per: "node", series: 2 },
    ],
    source: "cAdvisor: one per pod network namespace and interface, the node's own interfaces",
    confidence: "assumption",
  },
  container_network_transmit_bytes_total: {
    terms: [
      { per: "pod", series: 1 },
      { per: "node", series: 2 },
    ],
    source: "cAdvisor: one per pod network namespace and interface, the node's own interfaces",
    confidence: "assumption",
  },
  machine_cpu_cores: {
    terms: [{ per: "node", series: 1 }],
    source: "cAdvisor: one per node",
    confidence: "source",
  },
  machine_memory_bytes: {
    terms: [{ per: "node", series: 1 }],
    source: "cAdvisor: one per node",
    confidence: "source",
  },
  kube_node_info: { terms: [{ per: "node", series: 1 }], source: `${KSM}/node.go`, confidence: "source" },
  kube_node_status_condition: {
    terms: [{ per: "node", series: 12 }],
    source: `${KSM}/node.go: 3 statuses x 4 conditions (Ready, MemoryPressure, DiskPressure, PIDPressure)`,
    confidence: "source",
  },
  kube_node_status_allocatable: {
    terms: [{ per: "node", series: 6 }],
    source: `${KSM}/node.go: one per resource (cpu, memory, pods, ephemeral-storage, 2 hugepage sizes)`,
    confidence: "assumption",
  },
  kube_pod_status_phase: {
    terms: [{ per: "pod", series: 5 }],
    source: `${KSM}/pod.go: Pending, Running, Succeeded, Failed, Unknown`,
    confidence: "source",
  },
  kube_pod_container_resource_requests: {
    terms: [{ per: "container", series: 2 }],
    source: `${KSM}/pod.go: one per resource requested (cpu and memory)`,
    confidence: "assumption",
  },
  scrape_samples_post_metric_relabeling: {
    terms: [{ per: "target", series: 1 }],
    source: "Prometheus: one per scrape target",
    confidence: "source",
  },
  apiserver_request_terminations_total: {
    terms: [{ per: "apiServer", series: 20 }],
    source:
      "k8s.io/apiserver endpoints/metrics: a label set (verb, group, version, resource, subresource, scope, component, code) only once a request of it was terminated under overload; 20 in use (assumption)",
    confidence: "assumption",
  },
  apiserver_client_certificate_expiration_seconds_bucket: {
    terms: [{ per: "apiServer", series: 15 }],
    source: "k8s.io/apiserver authentication/request/x509: 14 buckets and +Inf, no labels",
    confidence: "source",
  },
  kubelet_volume_stats_inodes: {
    terms: [{ per: "pvc", series: 1 }],
    source: "kubelet volume stats: one per mounted claim",
    confidence: "source",
  },
  kubelet_volume_stats_inodes_used: {
    terms: [{ per: "pvc", series: 1 }],
    source: "kubelet volume stats: one per mounted claim",
    confidence: "source",
  },
  kubelet_running_pods: {
    terms: [{ per: "node", series: 1 }],
    source: "kubelet /metrics: one gauge per kubelet",
    confidence: "source",
  },
  kube_pod_container_status_waiting_reason: {
    terms: [{ per: "container", series: 0.05 }],
    source: `${KSM}/pod.go: one per waiting container (with its reason), none while it runs; 5 % waiting at a time (assumption)`,
    confidence: "assumption",
  },
  kube_pod_container_status_last_terminated_reason: {
    terms: [{ per: "container", series: 0.3 }],
    source: `${KSM}/pod.go: one per container that terminated before (a restart); 30 % of containers (assumption)`,
    confidence: "assumption",
  },
  kube_pod_container_status_last_terminated_timestamp: {
    terms: [{ per: "container", series: 0.3 }],
    source: `${KSM}/pod.go: one per container that terminated before (a restart); 30 % of containers (assumption)`,
    confidence: "assumption",
  },
  ...Object.fromEntries(
    [
      "kube_deployment_spec_replicas",
      "kube_deployment_status_replicas_available",
      "kube_deployment_status_replicas_updated",
    ].map((name) => [
      name,
      {
        terms: [{ per: "pod", series: 0.3 }],
        source: `${KSM}/deployment.go: one per Deployment; a Deployment per 3 pods (assumption)`,
        confidence: "assumption",
      } satisfies ModelEntry,
    ]),
  ),
  kube_deployment_status_condition: {
    terms: [{ per: "pod", series: 0.3 * 6 }],
    source: `${KSM}/deployment.go: 2 conditions (Available, Progressing) x 3 statuses per Deployment; a Deployment per 3 pods (assumption)`,
    confidence: "assumption",
  },
  ...Object.fromEntries(
    [
      "kube_statefulset_replicas",
      "kube_statefulset_status_replicas_ready",
      "kube_statefulset_status_replicas_updated",
    ].map((name) => [
      name,
      {
        terms: [{ per: "cluster", series: 5 }],
        source: `${KSM}/statefulset.go: one per StatefulSet; 5 per cluster (assumption)`,
        confidence: "assumption",
      } satisfies ModelEntry,
    ]),
  ),
  ...Object.fromEntries(
    [
      "kube_daemonset_status_desired_number_scheduled",
      "kube_daemonset_status_number_available",
      "kube_daemonset_status_updated_number_scheduled",
    ].map((name) => [
      name,
      {
        terms: [{ per: "cluster", series: 10 }],
        source: `${KSM}/daemonset.go: one per DaemonSet; 10 per cluster (EKS add-ons aws-node, kube-proxy, ebs-csi-node, eks-pod-identity-agent, node-exporter and workloads') (assumption)`,
        confidence: "assumption",
      } satisfies ModelEntry,
    ]),
  ),
  kube_job_failed: {
    terms: [{ per: "cluster", series: 3 * 2 }],
    source: `${KSM}/job.go: 3 statuses of a Job's Failed condition, only for failed Jobs; 2 kept at a time (assumption)`,
    confidence: "assumption",
  },
  ...Object.fromEntries(
    ["kube_job_status_start_time", "kube_job_status_active"].map((name) => [
      name,
      {
        terms: [{ per: "cluster", series: 20 }],
        source: `${KSM}/job.go: one per Job; 20 Jobs kept by CronJobs' history (assumption)`,
        confidence: "assumption",
      } satisfies ModelEntry,
    ]),
  ),
  ...Object.fromEntries(
    [
      "kube_horizontalpodautoscaler_spec_min_replicas",
      "kube_horizontalpodautoscaler_spec_max_replicas",
      "kube_horizontalpodautoscaler_status_current_replicas",
      "kube_horizontalpodautoscaler_status_desired_replicas",
    ].map((name) => [
      name,
      {
        terms: [{ per: "pod", series: 0.05 }],
        source: `${KSM}/horizontalpodautoscaler.go: one per HorizontalPodAutoscaler; one per 20 pods (assumption)`,
        confidence: "assumption",
      } satisfies ModelEntry,
    ]),
  ),
  kube_persistentvolume_status_phase: {
    terms: [{ per: "pvc", series: 5 }],
    source: `${KSM}/persistentvolume.go: 5 phases per volume, one volume per claim`,
    confidence: "source",
  },
  ...Object.fromEntries(
    ["node_filesystem_avail_bytes", "node_filesystem_size_bytes"].map((name) => [
      name,
      {
        terms: [
          { per: "node", series: 1 },
          { per: "pod", series: 1 },
        ],
        source: `${NE} collector/filesystem: one per mounted filesystem (the root, and each pod's service-account tmpfs, as the job model)`,
        confidence: "measured",
      } satisfies ModelEntry,
    ]),
  ),
  ...Object.fromEntries(
    [
      "node_timex_offset_seconds",
      "node_timex_sync_status",
      "node_timex_maxerror_seconds",
      "node_nf_conntrack_entries",
      "node_nf_conntrack_entries_limit",
    ].map((name) => [
      name,
      {
        terms: [{ per: "node", series: 1 }],
        source: `${NE} timex and conntrack collectors: one per host`,
        confidence: "measured",
      } satisfies ModelEntry,
    ]),
  ),
  node_cpu_seconds_total: {
    terms: [{ per: "cpu", series: 8 }],
    source: `${NE} collector/cpu_linux.go: 8 modes per CPU`,
    confidence: "source",
  },
  node_memory_MemAvailable_bytes: {
    terms: [{ per: "node", series: 1 }],
    source: `${NE} meminfo`,
    confidence: "measured",
  },
  node_memory_MemTotal_bytes: {
    terms: [{ per: "node", series: 1 }],
    source: `${NE} meminfo`,
    confidence: "measured",
  },
  // API server: concurrency, watches, objects.
  apiserver_current_inqueue_requests: {
    terms: [{ per: "apiServer", series: 2 }],
    source: "k8s.io/apiserver filters: request_kind mutating, readOnly (measured on loopback)",
    confidence: "source",
  },
  apiserver_flowcontrol_current_executing_requests: {
    terms: [{ per: "apiServer", series: 12 }],
    source: "one per flow schema and priority level in use (EKS ships about 12 flow schemas)",
    confidence: "assumption",
  },
  apiserver_flowcontrol_dispatched_requests_total: {
    terms: [{ per: "apiServer", series: 12 }],
    source: "one per flow schema and priority level in use (EKS ships about 12 flow schemas)",
    confidence: "assumption",
  },
  apiserver_flowcontrol_rejected_requests_total: {
    terms: [{ per: "apiServer", series: 2 }],
    source: "one per priority level, flow schema and reason that rejected a request (none while healthy)",
    confidence: "assumption",
  },
  apiserver_longrunning_requests: {
    terms: [{ per: "apiServer", series: 60 }],
    source:
      "one per verb, group, version, resource, scope and component watched (31 measured on an empty loopback cluster)",
    confidence: "assumption",
  },
  apiserver_watch_events_total: {
    terms: [{ per: "apiServer", series: 60 }],
    source: "one per group, version and resource watched (29 measured on an empty loopback cluster)",
    confidence: "assumption",
  },
  apiserver_resource_objects: {
    terms: [{ per: "apiServer", series: 70 }],
    source: "one per resource stored (56 measured on loopback v1.34 without CRDs; add the cluster's CRDs)",
    confidence: "assumption",
  },
  apiserver_storage_objects: {
    terms: [{ per: "apiServer", series: 70 }],
    source: "the same count before Kubernetes 1.34 (deprecated there: no samples)",
    confidence: "assumption",
  },
  // Kubelet volume stats of mounted claims.
  ...Object.fromEntries(
    ["available_bytes"].map((n) => [
      `kubelet_volume_stats_${n}`,
      {
        terms: [{ per: "pvc", series: 1 }],
        source: "kubelet volume stats: one per mounted claim",
        confidence: "source",
      } satisfies ModelEntry,
    ]),
  ),
  // cAdvisor CFS counters: only cgroups with a CPU limit have them.
  ...Object.fromEntries(
    ["container_cpu_cfs_periods_total", "container_cpu_cfs_throttled_periods_total"].map((n) => [
      n,
      {
        terms: [
          { per: "container", series: 1 },
          { per: "pod", series: 1 },
        ],
        source: "cAdvisor: one per container and pod cgroup with a CPU limit (counted as if all had one)",
        confidence: "assumption",
      } satisfies ModelEntry,
    ]),
  ),
  // kube-state-metrics: pods and containers.
  kube_node_spec_unschedulable: {
    terms: [{ per: "node", series: 1 }],
    source: `${KSM}/node.go`,
    confidence: "source",
  },
  kube_namespace_status_phase: {
    terms: [{ per: "cluster", series: 40 }],
    source: `${KSM}/namespace.go: Active and Terminating per namespace, 20 namespaces`,
    confidence: "assumption",
  },
  kube_pod_info: { terms: [{ per: "pod", series: 1 }], source: `${KSM}/pod.go`, confidence: "source" },
  kube_pod_owner: {
    terms: [{ per: "pod", series: 1 }],
    source: `${KSM}/pod.go: one per owner`,
    confidence: "source",
  },
  kube_pod_status_ready: {
    terms: [{ per: "pod", series: 3 }],
    source: `${KSM}/pod.go: condition true, false, unknown`,
    confidence: "source",
  },
  kube_pod_container_resource_limits: {
    terms: [{ per: "container", series: 2 }],
    source: `${KSM}/pod.go: one per resource limited (cpu and memory)`,
    confidence: "assumption",
  },
  kube_pod_container_status_ready: {
    terms: [{ per: "container", series: 1 }],
    source: `${KSM}/pod.go`,
    confidence: "source",
  },
  kube_pod_container_status_restarts_total: {
    terms: [{ per: "container", series: 1 }],
    source: `${KSM}/pod.go`,
    confidence: "source",
  },
  // kube-state-metrics: workloads (see the header for the per-pod ratios).
  kube_replicaset_owner: {
    terms: [{ per: "pod", series: 1.2 }],
    source: `${KSM}/replicaset.go: one per ReplicaSet kept (5 per Deployment, 0.23 Deployments per pod)`,
    confidence: "assumption",
  },
  // kube-state-metrics: claims and volumes (one volume per claim).
  kube_persistentvolumeclaim_info: {
    terms: [{ per: "pvc", series: 1 }],
    source: `${KSM}/persistentvolumeclaim.go`,
    confidence: "source",
  },
  kube_persistentvolumeclaim_status_phase: {
    terms: [{ per: "pvc", series: 3 }],
    source: `${KSM}/persistentvolumeclaim.go: Lost, Bound, Pending`,
    confidence: "source",
  },
  kube_persistentvolumeclaim_resource_requests_storage_bytes: {
    terms: [{ per: "pvc", series: 1 }],
    source: `${KSM}/persistentvolumeclaim.go`,
    confidence: "source",
  },
  kube_persistentvolume_info: {
    terms: [{ per: "pvc", series: 1 }],
    source: `${KSM}/persistentvolume.go: one per volume`,
    confidence: "source",
  },
  kube_persistentvolume_capacity_bytes: {
    terms: [{ per: "pvc", series: 1 }],
    source: `${KSM}/persistentvolume.go: one per volume`,
    confidence: "source",
  },
  // node-exporter.
  ...Object.fromEntries(
    ["node_boot_time_seconds", "node_load1", "node_load5", "node_load15"].map((n) => [
      n,
      {
        terms: [{ per: "node", series: 1 }],
        source: `${NE}: one per node`,
        confidence: "measured",
      } satisfies ModelEntry,
    ]),
  ),
  ...Object.fromEntries(
    ["node_disk_read_bytes_total", "node_disk_written_bytes_total", "node_disk_io_time_seconds_total"].map(
      (n) => [
        n,
        {
          terms: [{ per: "node", series: 2 }],
          source: `${NE} diskstats: one per block device (the root EBS volume and its partition)`,
          confidence: "assumption",
        } satisfies ModelEntry,
      ],
    ),
  ),
  ...Object.fromEntries(
    ["node_network_receive_bytes_total", "node_network_transmit_bytes_total"].map((n) => [
      n,
      {
        terms: [
          { per: "node", series: 2 },
          { per: "pod", series: 1 },
        ],
        source: `${NE} netdev: one per interface (eth0, lo, and the VPC CNI's host interface of each pod)`,
        confidence: "measured",
      } satisfies ModelEntry,
    ]),
  ),
  // kube-scheduler through the API server: one target per API server endpoint.
  scheduler_pending_pods: {
    terms: [{ per: "apiServer", series: 4 }],
    source: `${SCHED}: queue active, backoff, unschedulable, gated`,
    confidence: "source",
  },
  scheduler_schedule_attempts_total: {
    terms: [{ per: "apiServer", series: 3 }],
    source: `${SCHED}: result scheduled, unschedulable, error (one profile)`,
    confidence: "source",
  },
  scheduler_scheduling_attempt_duration_seconds_bucket: {
    terms: [{ per: "apiServer", series: 3 * 16 }],
    source: `${SCHED}: 3 results x 16 buckets (exponential from 1 ms, 15, and +Inf)`,
    confidence: "source",
  },
  scheduler_pod_scheduling_sli_duration_seconds_bucket: {
    terms: [{ per: "apiServer", series: 5 * 21 }],
    source: `${SCHED}: 21 buckets (exponential from 10 ms, 20, and +Inf) x about 5 attempts values`,
    confidence: "assumption",
  },
  scheduler_pod_scheduling_attempts_bucket: {
    terms: [{ per: "apiServer", series: 6 }],
    source: `${SCHED}: 6 buckets (1, 2, 4, 8, 16, +Inf)`,
    confidence: "source",
  },
  scheduler_preemption_attempts_total: {
    terms: [{ per: "apiServer", series: 1 }],
    source: `${SCHED}: one counter`,
    confidence: "source",
  },
  scheduler_preemption_victims_bucket: {
    terms: [{ per: "apiServer", series: 11 }],
    source: `${SCHED}: 11 buckets (exponential 1 to 512, +Inf)`,
    confidence: "assumption",
  },
  // Work queues: kube-controller-manager's (50 measured on loopback v1.34) and, the names being shared,
  // the API server's own (25 measured): one target of each per API server endpoint.
  ...Object.fromEntries(
    ["workqueue_depth", "workqueue_adds_total"].map((n) => [
      n,
      {
        terms: [{ per: "apiServer", series: 75 }],
        source:
          "one per work queue: 50 in kube-controller-manager, 25 in the API server (measured on loopback)",
        confidence: "measured",
      } satisfies ModelEntry,
    ]),
  ),
  ...Object.fromEntries(
    ["workqueue_queue_duration_seconds_bucket", "workqueue_work_duration_seconds_bucket"].map((n) => [
      n,
      {
        terms: [{ per: "apiServer", series: 75 * 11 }],
        source:
          "11 buckets per work queue, 75 queues (measured on loopback: 550 in kube-controller-manager, 275 in the API server)",
        confidence: "measured",
      } satisfies ModelEntry,
    ]),
  ),
  cronjob_controller_job_creation_skew_duration_seconds_bucket: {
    terms: [{ per: "apiServer", series: 11 }],
    source: "kube-controller-manager cronjob controller: 11 buckets (measured on loopback)",
    confidence: "measured",
  },
  // The in-cluster server's own metrics (job "prometheus"): one remote-write queue, one TSDB.
  ...Object.fromEntries(
    SCRAPED_METRICS.prometheus
      .filter((name) => name !== "prometheus_tsdb_wal_fsync_duration_seconds") // a summary: below
      .filter((name) => name !== "prometheus_tsdb_head_samples_appended_total") // by type: below
      .map((name) => [
        name,
        {
          terms: [{ per: "cluster", series: 1 }],
          source: "Prometheus v3.14.0: one per remote-write queue (or one per server)",
          confidence: "source",
        } satisfies ModelEntry,
      ]),
  ),
  prometheus_tsdb_wal_fsync_duration_seconds: {
    terms: [{ per: "cluster", series: 3 }],
    source: "Prometheus v3.14.0 tsdb/wlog: a summary with quantiles 0.5, 0.9, 0.99",
    confidence: "source",
  },
  prometheus_tsdb_head_samples_appended_total: {
    terms: [{ per: "cluster", series: 2 }],
    source: "Prometheus v3.14.0 tsdb: type float and histogram",
    confidence: "source",
  },
};

/** A scrape job's (or exporter's) whole output, as sent with `sendAll`, and how many metric names it exposes. */
export interface JobModel extends ModelEntry {
  /** Metric names the job exposes, and how that was counted. */
  readonly names: { readonly count: number; readonly how: string; readonly confidence: ModelConfidence };
}

/** Everything each of the chart's default jobs exposes (keys as in monitoring/metrics.ts SCRAPED_METRICS). */
export const JOB_SERIES: Readonly<Record<string, JobModel>> = {
  prometheus: {
    terms: [{ per: "cluster", series: 1000 }],
    source: "the Prometheus server's own /metrics",
    confidence: "assumption",
    names: { count: 250, how: "typical Prometheus v3 /metrics", confidence: "assumption" },
  },
  "kubernetes-api-servers": {
    terms: [{ per: "apiServer", series: 30_000 }],
    source: "API server /metrics: request, etcd, watch-cache and workqueue histograms",
    confidence: "assumption",
    names: { count: 400, how: "typical Kubernetes 1.33 API server /metrics", confidence: "assumption" },
  },
  "kubernetes-nodes": {
    terms: [
      { per: "node", series: 1500 },
      { per: "pvc", series: 14 },
    ],
    source:
      "kubelet /metrics: runtime, REST client and pod-lifecycle histograms; 14 volume-stats series per claim",
    confidence: "assumption",
    names: { count: 200, how: "typical Kubernetes 1.33 kubelet /metrics", confidence: "assumption" },
  },
  "kubernetes-nodes-cadvisor": {
    terms: [
      { per: "container", series: 60 },
      { per: "pod", series: 60 },
      { per: "node", series: 600 },
    ],
    source: "cAdvisor in the kubelet: about 60 series per cgroup (containers, pods, system slices)",
    confidence: "assumption",
    names: {
      count: 60,
      how: "cAdvisor container_* and machine_* families the kubelet enables",
      confidence: "assumption",
    },
  },
  "kubernetes-service-endpoints/kube-state-metrics": {
    terms: [
      { per: "pod", series: 35 },
      { per: "container", series: 11 },
      { per: "node", series: 30 },
      { per: "cluster", series: 500 },
    ],
    source: `${KSM}: pod.go families of a running pod, node.go, and the cluster's other objects`,
    confidence: "assumption",
    names: {
      count: 281,
      how: `distinct kube_* names in ${KSM}/*.go (includes opt-in families: an upper bound)`,
      confidence: "source",
    },
  },
  "kubernetes-service-endpoints/node-exporter": {
    terms: [
      { per: "node", series: 327 + 2 * 34 + 18 + 9 },
      { per: "cpu", series: 17 },
      // The VPC CNI gives every pod a host-side interface, and kubelet mounts its service-account token:
      // one network device and one tmpfs filesystem per pod on its node.
      { per: "pod", series: 34 + 9 },
    ],
    source: `${NE} default collectors, measured: 327 fixed + 17 per CPU + 34 per interface (eth0, lo, one per pod) + 18 per disk + 9 per filesystem (root, one per pod)`,
    confidence: "measured",
    names: {
      count: 292,
      how: `${NE} default collectors, measured on a 2-CPU Linux host`,
      confidence: "measured",
    },
  },
  "kube-scheduler": {
    terms: [{ per: "apiServer", series: 1500 }],
    source: "kube-scheduler /metrics through the API server: scheduling histograms, REST client, work queues",
    confidence: "assumption",
    names: { count: 200, how: "typical Kubernetes 1.33 kube-scheduler /metrics", confidence: "assumption" },
  },
  "kube-controller-manager": {
    terms: [{ per: "apiServer", series: 2400 }],
    source:
      "kube-controller-manager /metrics through the API server (2,428 series measured on loopback v1.34)",
    confidence: "measured",
    names: { count: 272, how: "kube-controller-manager v1.34.4 on loopback", confidence: "measured" },
  },
  "(every job)": {
    terms: [{ per: "target", series: 5 }],
    source:
      "Prometheus: up, scrape_duration_seconds, scrape_samples_scraped, scrape_samples_post_metric_relabeling, scrape_series_added",
    confidence: "source",
    names: { count: 5, how: "Prometheus' automatically generated series", confidence: "source" },
  },
};

/** The size of the cluster, as the model's units. */
export interface Sizing {
  readonly nodes: number;
  readonly cpusPerNode: number;
  readonly pods: number;
  readonly containersPerPod: number;
  readonly persistentVolumeClaims: number;
}

/** API server instances an EKS control plane exposes through the `kubernetes` endpoints. */
export const EKS_API_SERVERS = 2;

/** How many of each unit a cluster of this size has, for a collector. */
export function population(sizing: Sizing, collector: CollectorType): Record<Unit, number> {
  // Targets: API servers, kube-scheduler and kube-controller-manager through each of them, and per node the
  // kubelet, cAdvisor and node-exporter; kube-state-metrics; the in-cluster server scrapes itself too.
  const targets = 3 * EKS_API_SERVERS + 3 * sizing.nodes + 1 + (collector === "prometheus" ? 1 : 0);
  return {
    cluster: 1,
    apiServer: EKS_API_SERVERS,
    node: sizing.nodes,
    cpu: sizing.nodes * sizing.cpusPerNode,
    pod: sizing.pods,
    container: Math.round(sizing.pods * sizing.containersPerPod),
    pvc: sizing.persistentVolumeClaims,
    target: targets,
  };
}

/** Series of one model entry in a cluster. */
export function seriesOf(entry: ModelEntry, pop: Record<Unit, number>): number {
  return entry.terms.reduce((sum, t) => sum + t.series * pop[t.per], 0);
}
