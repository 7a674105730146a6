/**
 * Rules about the collection itself: scrape targets and AMP's ingestion (every collector), and each
 * cluster's collector's own health, in a rule file of that cluster: every selector reads its `cluster`
 * label, so one silent or failing cluster pages and the others stay quiet. A collector whose samples stop
 * reaching AMP cannot report it: its silence is seen as the absence of its own series (`absent()` keeps the
 * `cluster` it matches). The exporters' absences are not reported while the collector is silent (it would
 * only repeat the same page).
 */
import type { CollectorType } from "../../lib/catalogue";
import { RECORDING_INTERVAL } from "./recording";
import { alert, minutes, num, type RuleFile, type RuleGroup, type RuleParams } from "./types";

/** Samples per second each cluster's collector sends AMP (every collector records it, by its own means). */
export const INGESTED = "cluster:amp_ingested_samples:rate10m";

/** The series Prometheus adds per target and scrape (up, scrape_duration_seconds, ...: never relabelled). */
const REPORT_SERIES_PER_SCRAPE = 5;

/** The `up` series of a collector's own job: always there while it works, whatever the cluster runs. */
export const OWN_JOB: Readonly<Record<CollectorType, string>> = {
  // The in-cluster server scrapes itself; its samples reach AMP only through its remote write.
  prometheus: "prometheus",
  // The managed collector has no job of its own: the API server's endpoints always exist.
  managed: "kubernetes-api-servers",
};

/** `absent(up{job="<own job>", cluster="<name>"})`: the collector of that cluster sends nothing. */
export function collectorSilence(collector: CollectorType, cluster: string): string {
  return `absent(up{job="${OWN_JOB[collector]}", ${ofCluster(cluster)}})`;
}

/** The label matcher of one cluster's series, `cluster="<name>"`. */
export function ofCluster(cluster: string): string {
  return `cluster=${JSON.stringify(cluster)}`;
}

/** Alerts on scrape targets and AMP's ingestion, for every collector. */
export function scrapeAlerts(p: RuleParams): RuleGroup[] {
  const t = p.thresholds;
  const groups: RuleGroup[] = [
    {
      name: "eksmon-targets",
      rules: [
        alert(p, {
          name: "TargetDown",
          severity: "warning",
          expr: "min by (cluster, job, namespace, service, instance) (up) == 0",
          for: minutes(t.forMinutes),
          summary: "Scrape target {{ $labels.instance }} of job {{ $labels.job }} is down",
          description: `scrape target {{ $labels.instance }} of job {{ $labels.job }} has not answered its scrapes for ${t.forMinutes} minutes: the panels and alerts reading it go blind.`,
        }),
      ],
    },
  ];
  const budget = p.ingestionBudgetSamplesPerSecond;
  if (budget !== undefined) {
    const limit = budget * (t.ingestionBudgetPercent / 100);
    groups.push({
      name: "eksmon-ingestion",
      rules: [
        alert(p, {
          name: "AmpIngestionNearBudget",
          severity: "warning",
          // Every cluster of the environment fires, each with its share: the budget is the workspace's.
          expr: `avg_over_time(${INGESTED}[1h]) and on () (sum(avg_over_time(${INGESTED}[1h])) > ${num(limit)})`,
          for: "15m",
          summary: "AMP ingestion is on course to pass its monthly budget",
          description: `this cluster sends AMP {{ $value | humanize }} samples/s, and the environment's clusters together have sent more than ${t.ingestionBudgetPercent} % of the ${num(budget)} samples/s the monthly ingestion budget allows (metrics.budget) for the last hour.`,
        }),
      ],
    });
  }
  return groups;
}

/** The exporters' absences in one cluster while its collector still sends. */
function exporterAbsences(p: RuleParams, collector: CollectorType, cluster: string) {
  const unlessSilent = `unless on (cluster) ${collectorSilence(collector, cluster)}`;
  const pending = minutes(p.thresholds.forMinutes);
  return [
    alert(p, {
      name: "KubeStateMetricsAbsent",
      severity: "warning",
      expr: `absent(kube_node_info{${ofCluster(cluster)}}) ${unlessSilent}`,
      for: pending,
      labels: { cluster },
      summary: "No kube-state-metrics series arrive",
      description: `AMP has received no kube-state-metrics series for ${p.thresholds.forMinutes} minutes while the collector still sends: every workload, node-condition and volume-phase alert is blind.`,
    }),
    alert(p, {
      name: "NodeExporterAbsent",
      severity: "warning",
      expr: `absent(node_memory_MemTotal_bytes{${ofCluster(cluster)}}) ${unlessSilent}`,
      for: pending,
      labels: { cluster },
      summary: "No node-exporter series arrive",
      description: `AMP has received no node-exporter series for ${p.thresholds.forMinutes} minutes while the collector still sends: node filesystem, memory, clock and conntrack alerts are blind.`,
    }),
    alert(p, {
      name: "KubeletMetricsAbsent",
      severity: "warning",
      expr: `(absent(up{job="kubernetes-nodes", ${ofCluster(cluster)}}) or absent(up{job="kubernetes-nodes-cadvisor", ${ofCluster(cluster)}})) ${unlessSilent}`,
      for: pending,
      labels: { cluster },
      summary: "No series of scrape job {{ $labels.job }} arrive",
      description: `AMP has received no series of the kubelets' scrape job {{ $labels.job }} for ${p.thresholds.forMinutes} minutes while the collector still sends: volume and container panels and alerts are blind.`,
    }),
  ];
}

/** CollectorSilent for one cluster. */
function silent(p: RuleParams, collector: CollectorType, cluster: string, why: string) {
  return alert(p, {
    name: "CollectorSilent",
    severity: "critical",
    expr: collectorSilence(collector, cluster),
    for: minutes(p.thresholds.forMinutes),
    labels: { cluster },
    summary: `No samples from the ${collector === "prometheus" ? "in-cluster Prometheus" : "AMP managed collector"} reach AMP`,
    description: `AMP has received no \`up\` sample of job {{ $labels.job }} for ${p.thresholds.forMinutes} minutes: ${why}`,
  });
}

/** The in-cluster Prometheus server's rules for one cluster: what it sends, its silence, its remote write and its own storage. */
export function prometheusCollectorRules(p: RuleParams, cluster: string): RuleFile {
  const t = p.thresholds;
  const pending = minutes(t.forMinutes);
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
          {
            record: INGESTED,
            expr: `sum by (cluster) (rate(prometheus_remote_storage_samples_total{${c}}[10m]))`,
          },
        ],
      },
      {
        name: "eksmon-collector",
        rules: [
          silent(
            p,
            "prometheus",
            cluster,
            "its remote write fails completely (IRSA role, SigV4 region, VPC endpoint) or the server is down.",
          ),
          ...exporterAbsences(p, "prometheus", cluster),
          alert(p, {
            name: "RemoteWriteBehind",
            severity: "warning",
            expr: `remote_write:lag_seconds{${c}} > ${t.remoteWriteLagSeconds}`,
            for: pending,
            summary: "Remote write {{ $labels.remote_name }} to AMP is falling behind",
            description: `remote write {{ $labels.remote_name }} has been {{ $value | humanizeDuration }} behind the newest sample for ${t.forMinutes} minutes (threshold ${t.remoteWriteLagSeconds} s): samples reach AMP late and the server's WAL grows.`,
          }),
          alert(p, {
            name: "RemoteWriteFailing",
            severity: "critical",
            expr: `remote_write:samples_failed:ratio_rate5m{${c}} * 100 > ${t.remoteWriteFailedPercent}`,
            for: pending,
            summary: "Remote write to AMP drops samples",
            description: `{{ $value | printf "%.2f" }} % of samples have failed to reach AMP for ${t.forMinutes} minutes (threshold ${t.remoteWriteFailedPercent} %): they are lost.`,
          }),
          alert(p, {
            name: "RemoteWriteShardsMaxedOut",
            severity: "warning",
            expr: `max by (cluster, remote_name) (max_over_time(prometheus_remote_storage_shards_desired{${c}}[5m])) > max by (cluster, remote_name) (max_over_time(prometheus_remote_storage_shards_max{${c}}[5m]))`,
            for: "15m",
            summary: "Remote write {{ $labels.remote_name }} needs more shards than it may use",
            description:
              "remote write {{ $labels.remote_name }} has wanted {{ $value }} shards for 15 minutes, more than collector.queueConfig.maxShards allows: it cannot keep up and will fall behind.",
          }),
          alert(p, {
            name: "CollectorConfigReloadFailed",
            severity: "warning",
            expr: `max by (cluster) (prometheus_config_last_reload_successful{job="prometheus", ${c}}) == 0`,
            for: "10m",
            summary: "The in-cluster Prometheus refuses its new configuration",
            description:
              "the Prometheus server has failed to load its configuration for 10 minutes: it keeps scraping with the previous one, and the last change (collector.extraScrapeConfigs, chart values) is not in effect.",
          }),
          alert(p, {
            name: "CollectorWalErrors",
            severity: "warning",
            expr: `sum by (cluster) (increase(prometheus_tsdb_wal_corruptions_total{${c}}[30m])) + sum by (cluster) (increase(prometheus_tsdb_wal_writes_failed_total{${c}}[30m])) > 0`,
            summary: "The in-cluster Prometheus cannot write its WAL",
            description:
              "the Prometheus server found {{ $value | humanize }} WAL corruptions or failed WAL writes in the last 30 minutes: samples not yet sent to AMP may be lost (volume full or failing).",
          }),
        ],
      },
    ],
  };
}

/** The AMP managed collector's rules for one cluster: it writes no series of its own, so it is watched through its jobs' `up`. */
export function managedCollectorRules(p: RuleParams, cluster: string): RuleFile {
  const c = ofCluster(cluster);
  return {
    groups: [
      {
        name: "eksmon-managed-ingestion",
        interval: RECORDING_INTERVAL,
        rules: [
          {
            // What each scrape sends: the samples its relabelling keeps, plus the report series.
            record: INGESTED,
            expr: `(sum by (cluster) (sum_over_time(scrape_samples_post_metric_relabeling{${c}}[10m])) + ${REPORT_SERIES_PER_SCRAPE} * sum by (cluster) (count_over_time(up{${c}}[10m]))) / 600`,
          },
        ],
      },
      {
        name: "eksmon-collector",
        rules: [
          silent(
            p,
            "managed",
            cluster,
            "the scraper is not ACTIVE, or lost its EKS access entry, its RBAC or its network path to the cluster (docs/collectors.md).",
          ),
          ...exporterAbsences(p, "managed", cluster),
        ],
      },
    ],
  };
}
