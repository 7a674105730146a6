/**
 * Recording rules every collector answers: the dashboards read these names, and the alerts read the API
 * server's objectives from them. Every rule aggregates `by (cluster, ...)`, so one environment's clusters
 * stay apart. The names of the first version (`code_verb:apiserver_request_total:rate5m` ...) are kept:
 * dashboards read them.
 */
import type { RuleFile } from "./types";

export const RECORDING_INTERVAL = "1m";

/**
 * The API server's request rate and duration buckets per cluster, verb (and code, or scope and bound):
 * every API server rule reads these two instead of the raw series, so AMP reads the raw ones once a minute,
 * not once per rule (its rule evaluations are billed by the samples they read).
 */
const REQUESTS = "code_verb:apiserver_request_total:rate5m";
const BUCKETS = "cluster_verb_scope_le:apiserver_request_duration_seconds_bucket:rate5m";

/** Requests the API server's objectives count: long-running WATCH and CONNECT requests are not "answered". */
const SLI_VERBS = 'verb!~"WATCH|CONNECT"';

/**
 * A `le` matcher for a bucket bound written as an integer: Prometheus 3 stores `le="1"` as `le="1.0"` (its
 * 3.0 migration guide, "le and quantile label values"); other agents store the text exposed; both match.
 */
export function le(bound: number): string {
  return `le=~"${bound}(\\\\.0)?"`;
}

/**
 * Requests answered in time, per cluster (the kubernetes-mixin's thresholds): reads of one object within 1 s,
 * of a namespace within 5 s, of the cluster within 30 s; writes within 1 s. `or` keeps every part (they
 * differ in `scope`, `le` or `verb`), so a part with no request does not empty the sum.
 */
const FAST_REQUESTS =
  "sum by (cluster) (" +
  [
    `${BUCKETS}{verb=~"GET|LIST", scope=~"resource|", ${le(1)}}`,
    `${BUCKETS}{verb=~"GET|LIST", scope="namespace", ${le(5)}}`,
    `${BUCKETS}{verb=~"GET|LIST", scope="cluster", ${le(30)}}`,
    `${BUCKETS}{verb=~"POST|PUT|PATCH|DELETE|APPLY", ${le(1)}}`,
  ].join(" or ") +
  ")";

/** Requests the latency objective counts (reads and writes; WATCH and CONNECT hold the connection open). */
const LATENCY_REQUESTS = `sum by (cluster) (${BUCKETS}{verb=~"GET|LIST|POST|PUT|PATCH|DELETE|APPLY", le="+Inf"})`;

/** The windows of the multi-window, multi-burn-rate alerts (SRE workbook, chapter 5), 5m aside. */
export const BURN_WINDOWS = ["30m", "1h", "2h", "6h", "1d", "3d"] as const;
export type BurnWindow = "5m" | (typeof BURN_WINDOWS)[number];

/**
 * A bad-event ratio over every window: the 5m ratio from the recorded rates, the longer ones as the sum of
 * the 5m rates over the window divided by the same for all requests (both recorded every minute, so the
 * weights cancel). Reading two series per cluster over 3 days costs AMP far less than `rate(...[3d])` over
 * every API server series.
 */
function ratios(name: string, bad: string, all: string) {
  return [
    { record: `cluster:${name}:ratio_rate5m`, expr: `${bad} / ${all}` },
    ...BURN_WINDOWS.map((w) => ({
      record: `cluster:${name}:ratio_rate${w}`,
      expr: `sum_over_time(${bad}[${w}]) / sum_over_time(${all}[${w}])`,
    })),
  ];
}

/** Recording rules every collector answers: the dashboards read these names, so AMP computes them once. */
export function recordingRules(): RuleFile {
  return {
    groups: [
      {
        // One group: its rules run in order, each reading what the ones before recorded at the same time.
        name: "eksmon-apiserver",
        interval: RECORDING_INTERVAL,
        rules: [
          {
            record: REQUESTS,
            expr: "sum by (cluster, code, verb) (rate(apiserver_request_total[5m]))",
          },
          {
            record: BUCKETS,
            expr: `sum by (cluster, verb, scope, le) (rate(apiserver_request_duration_seconds_bucket{${SLI_VERBS}}[5m]))`,
          },
          {
            record: "apiserver:request_errors:ratio_rate5m",
            expr: `sum by (cluster) (${REQUESTS}{code=~"5.."}) / sum by (cluster) (${REQUESTS})`,
          },
          {
            record: "verb:apiserver_request_duration_seconds:p99_5m",
            expr: `histogram_quantile(0.99, sum by (cluster, verb, le) (${BUCKETS}))`,
          },
          // The objectives' events per cluster, then their ratios over each burn-rate window.
          {
            record: "cluster:apiserver_requests:rate5m",
            expr: `sum by (cluster) (${REQUESTS}{${SLI_VERBS}})`,
          },
          {
            // No 5xx at all leaves no series to sum: 0 then, not nothing.
            record: "cluster:apiserver_request_errors:rate5m",
            expr: `sum by (cluster) (${REQUESTS}{${SLI_VERBS}, code=~"5.."}) or 0 * sum by (cluster) (${REQUESTS}{${SLI_VERBS}})`,
          },
          {
            record: "cluster:apiserver_request_latency_sli:rate5m",
            expr: LATENCY_REQUESTS,
          },
          {
            // No request answered in time leaves no series to sum: all are slow then.
            record: "cluster:apiserver_request_slow:rate5m",
            expr: `${LATENCY_REQUESTS} - (${FAST_REQUESTS} or 0 * ${LATENCY_REQUESTS})`,
          },
          ...ratios(
            "apiserver_request_errors",
            "cluster:apiserver_request_errors:rate5m",
            "cluster:apiserver_requests:rate5m",
          ),
          ...ratios(
            "apiserver_request_slow",
            "cluster:apiserver_request_slow:rate5m",
            "cluster:apiserver_request_latency_sli:rate5m",
          ),
        ],
      },
      {
        name: "eksmon-capacity",
        interval: RECORDING_INTERVAL,
        rules: [
          {
            record: "node:cpu_utilisation:ratio_rate5m",
            expr: '1 - avg by (cluster, node, instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
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
