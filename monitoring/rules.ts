/**
 * The Prometheus rules this project ships to the AMP ruler: recording rules the dashboards read, and a
 * baseline alert set whose thresholds come from the environment (`alerting.thresholds`).
 *
 * Adding a rule: add it to a group below (recording rules: record a name `level:metric:operation` and use it
 * in a dashboard; alerts: `alert`, `expr`, `for`, `labels.severity`, `annotations.summary`). The tests parse
 * the rendered YAML, check every metric is scraped or recorded, and run `promtool check rules` when present.
 */

/** One Prometheus rule (recording or alerting), as in a rule file. */
export interface PrometheusRule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** A rule group. */
export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: PrometheusRule[];
}

/** A Prometheus rule file (`groups:`), one per AMP rule group namespace. */
export interface RuleFile {
  readonly groups: RuleGroup[];
}

/** Thresholds of the baseline alerts. */
export interface AlertThresholds {
  /** RemoteWriteBehind: newest sample not yet sent is older than this, in seconds. */
  readonly remoteWriteLagSeconds: number;
  /** RemoteWriteFailing: failed samples above this percentage of all samples. */
  readonly remoteWriteFailedPercent: number;
  /** ApiServerErrors: 5xx responses above this percentage of requests. */
  readonly apiServerErrorPercent: number;
  /** ApiServerLatencyHigh: p99 request latency of a verb above this many seconds. */
  readonly apiServerLatencyP99Seconds: number;
  /** PersistentVolumeFillingUp: a volume claim used above this percentage. */
  readonly persistentVolumeUsedPercent: number;
  /** How long a condition must hold before an alert fires, in minutes. */
  readonly forMinutes: number;
}

const RECORDING_INTERVAL = "1m";

/** Recording rules: the dashboards read these names, so AMP computes them once instead of per panel. */
export function recordingRules(): RuleFile {
  return {
    groups: [
      {
        name: "eksmon-apiserver",
        interval: RECORDING_INTERVAL,
        rules: [
          {
            record: "code_verb:apiserver_request_total:rate5m",
            expr: "sum by (code, verb) (rate(apiserver_request_total[5m]))",
          },
          {
            record: "apiserver:request_errors:ratio_rate5m",
            expr: 'sum(rate(apiserver_request_total{code=~"5.."}[5m])) / sum(rate(apiserver_request_total[5m]))',
          },
          {
            record: "verb:apiserver_request_duration_seconds:p99_5m",
            expr: 'histogram_quantile(0.99, sum by (verb, le) (rate(apiserver_request_duration_seconds_bucket{verb!~"WATCH|CONNECT"}[5m])))',
          },
        ],
      },
      {
        name: "eksmon-capacity",
        interval: RECORDING_INTERVAL,
        rules: [
          {
            record: "node:cpu_utilisation:ratio_rate5m",
            expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
          },
          {
            record: "node:memory_utilisation:ratio",
            expr: "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes",
          },
          {
            record: "namespace:container_cpu_usage_seconds_total:sum_rate5m",
            expr: 'sum by (namespace) (rate(container_cpu_usage_seconds_total{container!="", image!=""}[5m]))',
          },
          {
            record: "namespace:container_memory_working_set_bytes:sum",
            expr: 'sum by (namespace) (container_memory_working_set_bytes{container!="", image!=""})',
          },
          {
            record: "persistentvolumeclaim:kubelet_volume_stats:used_ratio",
            expr: "max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes)",
          },
        ],
      },
      {
        name: "eksmon-remote-write",
        interval: RECORDING_INTERVAL,
        rules: [
          {
            record: "remote_write:samples_failed:ratio_rate5m",
            expr: "sum(rate(prometheus_remote_storage_samples_failed_total[5m])) / (sum(rate(prometheus_remote_storage_samples_total[5m])) + sum(rate(prometheus_remote_storage_samples_failed_total[5m])))",
          },
          {
            record: "remote_write:lag_seconds",
            expr: "max by (remote_name) (max_over_time(prometheus_remote_storage_highest_timestamp_in_seconds[5m]) - ignoring (remote_name, url) group_right max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds[5m]))",
          },
        ],
      },
    ],
  };
}

/** Names the recording rules produce. */
export function recordedMetricNames(): string[] {
  return recordingRules().groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : [])));
}

/** The baseline alerts, routed by the AMP alert manager to the environment's SNS topic. */
export function alertRules(t: AlertThresholds): RuleFile {
  const pending = `${t.forMinutes}m`;
  return {
    groups: [
      {
        name: "eksmon-collector",
        rules: [
          {
            alert: "CollectorSilent",
            expr: 'absent(up{job="prometheus"})',
            for: pending,
            labels: { severity: "critical" },
            annotations: {
              summary: "No samples from the in-cluster Prometheus reach AMP",
              description:
                "AMP has received no `up` sample of the Prometheus server for {{ $labels.job }} in the last minutes: remote write is failing completely (IRSA role, SigV4 region, VPC endpoint) or the server is down.",
            },
          },
          {
            alert: "RemoteWriteBehind",
            expr: `remote_write:lag_seconds > ${t.remoteWriteLagSeconds}`,
            for: pending,
            labels: { severity: "warning" },
            annotations: {
              summary: "Remote write to AMP is falling behind",
              description:
                "Remote write {{ $labels.remote_name }} is {{ $value | humanizeDuration }} behind the newest sample (threshold " +
                `${t.remoteWriteLagSeconds}s). Check shards (queueConfig.maxShards) and throttling.`,
            },
          },
          {
            alert: "RemoteWriteFailing",
            expr: `remote_write:samples_failed:ratio_rate5m * 100 > ${t.remoteWriteFailedPercent}`,
            for: pending,
            labels: { severity: "critical" },
            annotations: {
              summary: "Remote write to AMP drops samples",
              description: `{{ $value | printf "%.2f" }}% of samples fail to reach AMP (threshold ${t.remoteWriteFailedPercent}%). Look for 4xx/5xx in the server's log.`,
            },
          },
          {
            alert: "TargetDown",
            expr: "up == 0",
            for: pending,
            labels: { severity: "warning" },
            annotations: {
              summary: "A Prometheus scrape target is down",
              description:
                "Target {{ $labels.instance }} of job {{ $labels.job }} has not answered for " +
                pending +
                ".",
            },
          },
        ],
      },
      {
        name: "eksmon-control-plane",
        rules: [
          {
            alert: "ApiServerErrors",
            expr: `apiserver:request_errors:ratio_rate5m * 100 > ${t.apiServerErrorPercent}`,
            for: pending,
            labels: { severity: "critical" },
            annotations: {
              summary: "The Kubernetes API server answers with 5xx errors",
              description: `{{ $value | printf "%.2f" }}% of API requests fail with 5xx (threshold ${t.apiServerErrorPercent}%).`,
            },
          },
          {
            alert: "ApiServerLatencyHigh",
            expr: `verb:apiserver_request_duration_seconds:p99_5m > ${t.apiServerLatencyP99Seconds}`,
            for: pending,
            labels: { severity: "warning" },
            annotations: {
              summary: "Kubernetes API requests are slow",
              description: `p99 latency of {{ $labels.verb }} requests is {{ $value | humanizeDuration }} (threshold ${t.apiServerLatencyP99Seconds}s).`,
            },
          },
        ],
      },
      {
        name: "eksmon-capacity",
        rules: [
          {
            alert: "NodeNotReady",
            expr: 'kube_node_status_condition{condition="Ready", status="true"} == 0',
            for: pending,
            labels: { severity: "critical" },
            annotations: {
              summary: "A node is not ready",
              description: `Node {{ $labels.node }} has not been Ready for ${pending}.`,
            },
          },
          {
            alert: "PersistentVolumeFillingUp",
            expr: `persistentvolumeclaim:kubelet_volume_stats:used_ratio * 100 > ${t.persistentVolumeUsedPercent}`,
            for: pending,
            labels: { severity: "warning" },
            annotations: {
              summary: "A persistent volume is filling up",
              description: `Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | printf "%.0f" }}% full (threshold ${t.persistentVolumeUsedPercent}%).`,
            },
          },
        ],
      },
    ],
  };
}

/** Names of the alerts `alertRules` defines. */
export function alertNames(t: AlertThresholds): string[] {
  return alertRules(t).groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
}
