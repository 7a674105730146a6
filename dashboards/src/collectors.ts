/**
 * The collectors' health, one dashboard per collector type (an environment gets those of the collectors it
 * runs): the in-cluster Prometheus server's remote write, WAL and scrapes, and the AMP managed collector's
 * scrapes as the series it writes show them.
 */
import type { DashboardSpec, PanelSpec } from "./lib";
import { m, R } from "./promql";

/** The in-cluster server's own series (job prometheus). */
const self = (...matchers: string[]) => m('job="prometheus"', ...matchers);

/** Scrape panels both collectors have (the series a scraper writes per target). */
function scrapePanels(collector: string): PanelSpec[] {
  return [
    {
      kind: "timeseries",
      title: "Scrape targets up by job",
      description: "Targets answering their scrape, per job.",
      unit: "short",
      queries: [{ expr: `sum by (job) (up{${m()}})`, legend: "{{job}}" }],
    },
    {
      kind: "timeseries",
      title: "Scrape targets down by job",
      description: "Targets failing their scrape, per job; the TargetDown alert fires when one stays down.",
      unit: "short",
      queries: [{ expr: `sum by (job) (1 - max by (job, instance) (up{${m()}}))`, legend: "{{job}}" }],
    },
    {
      kind: "timeseries",
      title: "Scrape duration by job (slowest target)",
      description: `Longest scrape of each job; a scrape that takes longer than the ${collector}'s timeout is cut off and the target reads as down.`,
      unit: "s",
      queries: [{ expr: `max by (job) (scrape_duration_seconds{${m()}})`, legend: "{{job}}" }],
    },
    {
      kind: "timeseries",
      title: "Samples scraped per job",
      description:
        "Samples each job's targets return per scrape, before the allow-list: what the metrics.sendAll setting would send.",
      unit: "short",
      queries: [{ expr: `sum by (job) (scrape_samples_scraped{${m()}})`, legend: "{{job}}" }],
    },
    {
      kind: "table",
      title: "Scrape targets",
      description: "Every target: up (1) or not, its last scrape's duration and samples.",
      unit: "short",
      w: 24,
      h: 9,
      labels: ["job", "instance"],
      values: ["Up", "Scrape duration", "Samples scraped"],
      units: { "Scrape duration": "s" },
      queries: [
        { expr: `max by (job, instance) (up{${m()}})` },
        { expr: `max by (job, instance) (scrape_duration_seconds{${m()}})` },
        { expr: `max by (job, instance) (scrape_samples_scraped{${m()}})` },
      ],
    },
  ];
}

export const prometheusCollector: DashboardSpec = {
  uid: "eksmon-prometheus-collector",
  title: "Collector: in-cluster Prometheus",
  description:
    "The cluster's in-cluster Prometheus server, which remote-writes to AMP: samples sent, failed and pending, shards, lag, its TSDB and WAL, and its scrape targets.",
  tags: ["collector", "prometheus-collector"],
  scope: [],
  rows: [
    {
      title: "Remote write to AMP",
      panels: [
        {
          kind: "stat",
          title: "Samples sent per second",
          description: "Samples per second remote-written to AMP (after the allow-list): what AMP bills.",
          unit: "short",
          w: 6,
          queries: [{ expr: `sum(rate(prometheus_remote_storage_samples_total{${self()}}${R}))` }],
        },
        {
          kind: "stat",
          title: "Failed share",
          description:
            "Failed samples over all samples sent; the RemoteWriteFailing alert fires above the environment's threshold.",
          unit: "percentunit",
          w: 6,
          thresholds: [[0.01, "red"]],
          queries: [
            {
              expr: `sum(rate(prometheus_remote_storage_samples_failed_total{${self()}}${R})) / (sum(rate(prometheus_remote_storage_samples_total{${self()}}${R})) + sum(rate(prometheus_remote_storage_samples_failed_total{${self()}}${R})))`,
            },
          ],
        },
        {
          kind: "stat",
          title: "Remote-write lag",
          description:
            "Newest sample in the WAL minus newest sample sent; the RemoteWriteBehind alert fires above the environment's threshold.",
          unit: "s",
          w: 6,
          thresholds: [[120, "orange"]],
          queries: [
            {
              expr: `max(max by (remote_name) (prometheus_remote_storage_highest_timestamp_in_seconds{${self()}}) - ignoring (remote_name) group_right () max by (remote_name) (prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${self()}}))`,
            },
          ],
        },
        {
          kind: "stat",
          title: "Series in memory",
          description:
            "Series in the server's TSDB head: what it scrapes (the allow-list filters only what it sends).",
          unit: "short",
          w: 6,
          queries: [{ expr: `max(prometheus_tsdb_head_series{${self()}})` }],
        },
        {
          kind: "timeseries",
          title: "Samples sent, failed, retried",
          description:
            "Samples per second remote-written to AMP, failed (dropped after a non-recoverable error) and retried.",
          unit: "short",
          queries: [
            { expr: `sum(rate(prometheus_remote_storage_samples_total{${self()}}${R}))`, legend: "sent" },
            {
              expr: `sum(rate(prometheus_remote_storage_samples_failed_total{${self()}}${R}))`,
              legend: "failed",
            },
            {
              expr: `sum(rate(prometheus_remote_storage_samples_retried_total{${self()}}${R}))`,
              legend: "retried",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Remote-write lag",
          description: "Newest sample in the WAL minus newest sample sent, per remote-write queue.",
          unit: "s",
          queries: [
            {
              expr: `max by (remote_name) (prometheus_remote_storage_highest_timestamp_in_seconds{${self()}}) - ignoring (remote_name) group_right () max by (remote_name) (prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${self()}})`,
              legend: "{{remote_name}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Samples pending",
          description: "Samples in the shards' queues waiting to be sent.",
          unit: "short",
          queries: [
            {
              expr: `sum by (remote_name) (prometheus_remote_storage_samples_pending{${self()}})`,
              legend: "{{remote_name}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Shards (current, desired, max)",
          description:
            "Remote-write parallelism: desired above max for long means queue_config.maxShards is too low.",
          unit: "short",
          queries: [
            { expr: `sum(prometheus_remote_storage_shards{${self()}})`, legend: "current" },
            { expr: `sum(prometheus_remote_storage_shards_desired{${self()}})`, legend: "desired" },
            { expr: `sum(prometheus_remote_storage_shards_max{${self()}})`, legend: "max" },
          ],
        },
      ],
    },
    {
      title: "TSDB and WAL",
      panels: [
        {
          kind: "timeseries",
          title: "WAL segments (written, read by remote write)",
          description:
            "The segment the TSDB writes and the segment remote write reads: a growing gap means remote write falls behind.",
          unit: "short",
          queries: [
            { expr: `max(prometheus_tsdb_wal_segment_current{${self()}})`, legend: "written" },
            {
              expr: `max by (consumer) (prometheus_wal_watcher_current_segment{${self()}})`,
              legend: "read by {{consumer}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "WAL fsync p99",
          description: "Time to fsync a WAL segment (a slow volume shows here first).",
          unit: "s",
          queries: [
            {
              expr: `max(prometheus_tsdb_wal_fsync_duration_seconds{${self('quantile="0.99"')}})`,
              legend: "p99",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "WAL corruptions and failed writes",
          description: "Should stay at 0: the server's volume or its filesystem is failing otherwise.",
          unit: "short",
          queries: [
            {
              expr: `sum(increase(prometheus_tsdb_wal_corruptions_total{${self()}}[1h]))`,
              legend: "corruptions (1h)",
            },
            {
              expr: `sum(increase(prometheus_tsdb_wal_writes_failed_total{${self()}}[1h]))`,
              legend: "failed writes (1h)",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Samples appended per second",
          description:
            "Samples the server writes to its TSDB per second: everything it scrapes, before the allow-list.",
          unit: "short",
          queries: [
            {
              expr: `sum(rate(prometheus_tsdb_head_samples_appended_total{${self()}}${R}))`,
              legend: "appended",
            },
          ],
        },
      ],
    },
    { title: "Scrapes", panels: scrapePanels("server") },
  ],
};

export const managedCollector: DashboardSpec = {
  uid: "eksmon-managed-collector",
  title: "Collector: AMP managed collector",
  description:
    "The cluster's AMP managed collector (agentless scraper): which targets answer, how long scrapes take, and how many samples each job brings and sends. The collector runs in AWS; its health shows in the series it writes.",
  tags: ["collector", "managed-collector"],
  scope: [],
  rows: [
    {
      title: "What it sends",
      panels: [
        {
          kind: "stat",
          title: "Samples sent per second",
          description:
            "Samples per second the collector sends AMP: those left per scrape after the allow-list's keep, over the last 5 minutes.",
          unit: "short",
          w: 8,
          queries: [{ expr: `sum(sum_over_time(scrape_samples_post_metric_relabeling{${m()}}[5m])) / 300` }],
        },
        {
          kind: "stat",
          title: "Share kept by the allow-list",
          description:
            "Samples sent over samples scraped: what the allow-list (metrics.extra, sendAll) keeps.",
          unit: "percentunit",
          w: 8,
          queries: [
            {
              expr: `sum(scrape_samples_post_metric_relabeling{${m()}}) / sum(scrape_samples_scraped{${m()}})`,
            },
          ],
        },
        {
          kind: "stat",
          title: "Targets down",
          description: "Targets that did not answer their last scrape.",
          unit: "short",
          w: 8,
          thresholds: [[1, "red"]],
          queries: [{ expr: `sum(1 - max by (job, instance) (up{${m()}}))` }],
        },
        {
          kind: "timeseries",
          title: "Samples sent per job",
          description: "Samples each job sends AMP per scrape, after the allow-list.",
          unit: "short",
          w: 24,
          queries: [
            {
              expr: `sum by (job) (scrape_samples_post_metric_relabeling{${m()}})`,
              legend: "{{job}}",
            },
          ],
        },
      ],
    },
    { title: "Scrapes", panels: scrapePanels("collector") },
  ],
};
