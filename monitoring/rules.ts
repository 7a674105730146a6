/**
 * The Prometheus rules this project ships to the AMP ruler: recording rules the dashboards read, and a
 * baseline alert set whose thresholds come from the environment (`alerting.thresholds`). Rules every
 * collector can answer are here as `recordingRules` and `alertRules`; each collector ships its own rules
 * (`prometheusCollectorRules`, `managedCollectorRules`), so no environment evaluates a rule about a
 * collector it does not run.
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

import type { CollectorType } from "../lib/catalogue";

const RECORDING_INTERVAL = "1m";

/** Recording rules every collector answers: the dashboards read these names, so AMP computes them once. */
export function recordingRules(): RuleFile {
  return {
    groups: [
      {
        name: "eksmon-apiserver",
        interval: RECORDING_INTERVAL,
        rules: [
          {
            record: "code_verb:apiserver_request_total:rate5m",
            expr: "sum by (cluster, code, verb) (rate(apiserver_request_total[5m]))",
          },
          {
            record: "apiserver:request_errors:ratio_rate5m",
            expr: 'sum by (cluster) (rate(apiserver_request_total{code=~"5.."}[5m])) / sum by (cluster) (rate(apiserver_request_total[5m]))',
          },
          {
            record: "verb:apiserver_request_duration_seconds:p99_5m",
            expr: 'histogram_quantile(0.99, sum by (cluster, verb, le) (rate(apiserver_request_duration_seconds_bucket{verb!~"WATCH|CONNECT"}[5m])))',
          },
        ],
      },
      {
        name: "eksmon-capacity",
        interval: RECORDING_INTERVAL,
        rules: [
          {
            record: "node:cpu_utilisation:ratio_rate5m",
            expr: '1 - avg by (cluster, instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
          },
          {
            record: "node:memory_utilisation:ratio",
            expr: "1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes",
          },
          {
            record: "namespace:container_cpu_usage_seconds_total:sum_rate5m",
            expr: 'sum by (cluster, namespace) (rate(container_cpu_usage_seconds_total{container!="", image!=""}[5m]))',
          },
          {
            record: "namespace:container_memory_working_set_bytes:sum",
            expr: 'sum by (cluster, namespace) (container_memory_working_set_bytes{container!="", image!=""})',
          },
          {
            record: "persistentvolumeclaim:kubelet_volume_stats:used_ratio",
            expr: "max by (cluster, namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes / kubelet_volume_stats_capacity_bytes)",
          },
        ],
      },
    ],
  };
}

/** The baseline alerts every collector answers, routed by the AMP alert manager to the environment's SNS topic. */
export function alertRules(t: AlertThresholds): RuleFile {
  const pending = `${t.forMinutes}m`;
  return {
    groups: [
      {
        name: "eksmon-targets",
        rules: [
          {
            alert: "TargetDown",
            expr: "up == 0",
            for: pending,
            labels: { severity: "warning" },
            annotations: {
              summary: "A scrape target of {{ $labels.cluster }} is down",
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
              summary: "The Kubernetes API server of {{ $labels.cluster }} answers with 5xx errors",
              description: `{{ $value | printf "%.2f" }}% of API requests fail with 5xx (threshold ${t.apiServerErrorPercent}%).`,
            },
          },
          {
            alert: "ApiServerLatencyHigh",
            expr: `verb:apiserver_request_duration_seconds:p99_5m > ${t.apiServerLatencyP99Seconds}`,
            for: pending,
            labels: { severity: "warning" },
            annotations: {
              summary: "Kubernetes API requests of {{ $labels.cluster }} are slow",
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
              summary: "A node of {{ $labels.cluster }} is not ready",
              description: `Node {{ $labels.node }} has not been Ready for ${pending}.`,
            },
          },
          {
            alert: "PersistentVolumeFillingUp",
            expr: `persistentvolumeclaim:kubelet_volume_stats:used_ratio * 100 > ${t.persistentVolumeUsedPercent}`,
            for: pending,
            labels: { severity: "warning" },
            annotations: {
              summary: "A persistent volume of {{ $labels.cluster }} is filling up",
              description: `Volume claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is {{ $value | printf "%.0f" }}% full (threshold ${t.persistentVolumeUsedPercent}%).`,
            },
          },
        ],
      },
    ],
  };
}

/** A PromQL label matcher selecting one cluster's series (their `cluster` external label). */
function ofCluster(cluster: string): string {
  return `cluster=${JSON.stringify(cluster)}`;
}

/**
 * The in-cluster Prometheus server's rules: remote-write health, and silence of the server itself. Written
 * per cluster (every selector reads its `cluster` label), so one silent cluster pages and the others do not.
 */
export function prometheusCollectorRules(t: AlertThresholds, cluster: string): RuleFile {
  const pending = `${t.forMinutes}m`;
  const c = ofCluster(cluster);
  return {
    groups: [
      {
        name: "eksmon-remote-write",
        interval: RECORDING_INTERVAL,
        rules: [
          {
            record: "remote_write:samples_failed:ratio_rate5m",
            expr: `sum by (cluster) (rate(prometheus_remote_storage_samples_failed_total{${c}}[5m])) / (sum by (cluster) (rate(prometheus_remote_storage_samples_total{${c}}[5m])) + sum by (cluster) (rate(prometheus_remote_storage_samples_failed_total{${c}}[5m])))`,
          },
          {
            record: "remote_write:lag_seconds",
            expr: `max by (cluster, remote_name) (max_over_time(prometheus_remote_storage_highest_timestamp_in_seconds{${c}}[5m]) - ignoring (remote_name, url) group_right max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${c}}[5m]))`,
          },
        ],
      },
      {
        name: "eksmon-collector",
        rules: [
          {
            alert: "CollectorSilent",
            expr: `absent(up{job="prometheus", ${c}})`,
            for: pending,
            labels: { severity: "critical" },
            annotations: {
              summary: `No samples from the in-cluster Prometheus of ${cluster} reach AMP`,
              description: `AMP has received no \`up\` sample of the Prometheus server of cluster ${cluster} in the last minutes: remote write is failing completely (IRSA role, SigV4 region, VPC endpoint) or the server is down.`,
            },
          },
          {
            alert: "RemoteWriteBehind",
            expr: `remote_write:lag_seconds > ${t.remoteWriteLagSeconds}`,
            for: pending,
            labels: { severity: "warning" },
            annotations: {
              summary: "Remote write to AMP is falling behind in {{ $labels.cluster }}",
              description:
                "Remote write {{ $labels.remote_name }} of cluster {{ $labels.cluster }} is {{ $value | humanizeDuration }} behind the newest sample (threshold " +
                `${t.remoteWriteLagSeconds}s). Check shards (queueConfig.maxShards) and throttling.`,
            },
          },
          {
            alert: "RemoteWriteFailing",
            expr: `remote_write:samples_failed:ratio_rate5m * 100 > ${t.remoteWriteFailedPercent}`,
            for: pending,
            labels: { severity: "critical" },
            annotations: {
              summary: "Remote write to AMP drops samples in {{ $labels.cluster }}",
              description: `{{ $value | printf "%.2f" }}% of the samples of cluster {{ $labels.cluster }} fail to reach AMP (threshold ${t.remoteWriteFailedPercent}%). Look for 4xx/5xx in the server's log.`,
            },
          },
        ],
      },
    ],
  };
}

/**
 * The AMP managed collector's rules: it writes no metrics of its own, so its silence shows as missing `up`
 * series of the cluster it scrapes. Written per cluster.
 */
export function managedCollectorRules(t: AlertThresholds, cluster: string): RuleFile {
  const pending = `${t.forMinutes}m`;
  return {
    groups: [
      {
        name: "eksmon-collector",
        rules: [
          {
            alert: "CollectorSilent",
            expr: `absent(up{job="kubernetes-api-servers", ${ofCluster(cluster)}})`,
            for: pending,
            labels: { severity: "critical" },
            annotations: {
              summary: `No samples from the AMP managed collector of ${cluster} reach the workspace`,
              description: `AMP has received no \`up\` sample of the managed collector's kubernetes-api-servers job for cluster ${cluster} in the last minutes: the scraper is not ACTIVE, or lost its EKS access entry, RBAC or network path to the cluster (see docs/collectors.md).`,
            },
          },
        ],
      },
    ],
  };
}

/** The rule files every environment ships, by AMP rule group namespace. */
export function commonRuleFiles(t: AlertThresholds): Record<string, RuleFile> {
  return { "eksmon-recording-rules": recordingRules(), "eksmon-alerts": alertRules(t) };
}

/** A cluster whose collector ships rules: its name (the `cluster` label) and its id, if it has one. */
export interface RuleCluster {
  /** The EKS cluster's name: the value of the `cluster` label on its series. */
  readonly name: string;
  /** Short key of the cluster in names (`clusters[].id`). @default none: the names of a one-cluster environment */
  readonly id?: string;
}

/**
 * The rule files a cluster's collector ships (its construct creates them), by AMP rule group namespace:
 * `eksmon-<type>-collector`, or `eksmon-<id>-<type>-collector` for a cluster with an id (namespaces are the
 * workspace's, so two clusters need two).
 */
export const COLLECTOR_RULE_FILES: Readonly<
  Record<CollectorType, (t: AlertThresholds, cluster: RuleCluster) => Record<string, RuleFile>>
> = {
  prometheus: (t, c) => ({ [collectorNamespace("prometheus", c)]: prometheusCollectorRules(t, c.name) }),
  managed: (t, c) => ({ [collectorNamespace("managed", c)]: managedCollectorRules(t, c.name) }),
};

function collectorNamespace(type: CollectorType, cluster: RuleCluster): string {
  return cluster.id ? `eksmon-${cluster.id}-${type}-collector` : `eksmon-${type}-collector`;
}

/** Every rule file an environment whose clusters run these collectors ships. */
export function ruleFilesFor(
  clusters: readonly (RuleCluster & { readonly collector: CollectorType })[],
  t: AlertThresholds,
): Record<string, RuleFile> {
  return Object.assign(commonRuleFiles(t), ...clusters.map((c) => COLLECTOR_RULE_FILES[c.collector](t, c)));
}

/** The rules of rule files, flattened. */
export function rulesOf(files: Record<string, RuleFile>): PrometheusRule[] {
  return Object.values(files).flatMap((f) => f.groups.flatMap((g) => g.rules));
}

/** Names of the alerts in rule files. */
export function alertNamesOf(files: Record<string, RuleFile>): string[] {
  return rulesOf(files).flatMap((r) => (r.alert ? [r.alert] : []));
}

/** Names the recording rules in rule files produce. */
export function recordedNamesOf(files: Record<string, RuleFile>): string[] {
  return rulesOf(files).flatMap((r) => (r.record ? [r.record] : []));
}
