/**
 * The monthly cost of an environment's monitoring, per line item, with the allow-list and with `sendAll`
 * side by side: `npm run cost -- <env>` prints it, the PR comment compares it before and after a change.
 * Each cluster has its own lines (what its series and its collector cost) and subtotal; what the clusters
 * share (Grafana, the interface endpoints of each VPC, the alert topic, AMP's log, the budget alarms, the
 * queries) is costed once for the environment; the total is their sum. Inputs are the environment's config
 * (clusters, collectors, scrape intervals, retention, networks, budget) and the declared `sizing` (each
 * cluster's, and Grafana's use); prices come from cost/prices.ts and series counts from cost/series-model.ts.
 * Every assumption the numbers rest on is returned with them.
 */
import { ALERT_SEVERITIES, type AlertSeverity, alertRoutesOf } from "../config/alerting";
import type { ClusterConfig, EnvironmentConfig, NetworkConfig } from "../config/environment";
import { type CollectorType, SHIPPED_DASHBOARDS } from "../lib/catalogue";
import { durationSeconds } from "../lib/duration";
import {
  dashboardExpressions,
  type MetricFilter,
  metricFilterOf,
  ruleExpressions,
} from "../monitoring/allow-list";
import { COST_DASHBOARD } from "../monitoring/cost-dashboard";
import { selectsEveryCluster, shippedDashboardFor } from "../monitoring/dashboards";
import { COLLECTOR_SOURCES } from "../monitoring/metrics";
import { selectorsOf } from "../monitoring/promql";
import { COLLECTOR_RULE_FILES, commonRuleFiles, type RuleFile, ruleParamsOf } from "../monitoring/rules";
import { stackNameOf } from "../stacks/graph";
import {
  HOURS_PER_MONTH,
  PRICES,
  type Price,
  type Prices,
  priceAgeDays,
  SECONDS_PER_MONTH,
  tieredCost,
} from "./prices";
import { JOB_SERIES, KEPT_METRIC_SERIES, population, seriesOf, type Unit } from "./series-model";

/** Bytes AMP stores per sample (its pricing page: "typically 1 or 2 bytes", plus metadata). */
export const STORED_BYTES_PER_SAMPLE = 2;
/** Bytes a sample takes on the wire in remote write (snappy-compressed protobuf), an assumption. */
export const WIRE_BYTES_PER_SAMPLE = 4;
/** How often AMP evaluates the shipped rule groups (their interval, and AMP's default for alert groups). */
export const RULE_EVALUATION_SECONDS = 60;
/** Series a selector of a recorded name reads in one cluster (recording rules aggregate to few series). */
const RECORDED_SERIES = 10;
/**
 * Alert notifications (one per alert group, its repeats and its resolution) per severity and month, an
 * assumption: 100 in all, so an address hearing every severity gets 100 mails (SNS email's free tier is 1,000).
 */
export const NOTIFICATIONS_PER_MONTH: Record<AlertSeverity, number> = { critical: 10, warning: 60, info: 30 };
/**
 * AMP's error log per month, an assumption: it holds only failed rule evaluations and alert manager
 * delivery errors, nothing while all is well; one rule failing every minute writes about 45 MB a month.
 */
export const AMP_ERROR_LOG_GB_PER_MONTH = 0.05;

/** The two columns of every estimate: with the metric allow-list, and with `metrics.sendAll`. */
export type Column = "allowList" | "sendAll";
export type Columns = { readonly [C in Column]: number };

/** One row of the estimate. */
export interface LineItem {
  readonly item: string;
  /** What is billed, in the allow-list column's terms. */
  readonly quantity: string;
  readonly allowList: number;
  readonly sendAll: number;
}

/** One cluster's part of the estimate: what its series and its collector cost. */
export interface ClusterEstimate {
  /** The EKS cluster's name (the `cluster` label of its series). */
  readonly name: string;
  /** Its stack, `<env>-cluster-<id or name>`. */
  readonly stack: string;
  readonly collector: CollectorType;
  /** Metric names its collector sends with the allow-list. */
  readonly keptNames: number;
  /** Metric names its collector's default jobs expose (what sendAll sends). */
  readonly exposedNames: number;
  readonly series: Columns;
  readonly samplesPerSecond: Columns;
  /** Its lines: AMP ingestion (its share of the tiered total) and storage, its collector, its volume, its remote-write data. */
  readonly items: readonly LineItem[];
  readonly subtotal: Columns;
  /** What its numbers rest on, each naming the cluster. */
  readonly assumptions: readonly string[];
}

export interface Estimate {
  readonly environment: string;
  readonly region: string;
  /** Which column the environment's config selects. */
  readonly selected: Column;
  /** Each cluster's lines and subtotal, in the order of `clusters`. */
  readonly clusters: readonly ClusterEstimate[];
  /** The environment's lines, once: what its clusters share. */
  readonly environmentItems: readonly LineItem[];
  readonly environmentSubtotal: Columns;
  /** Sums over the clusters. */
  readonly series: Columns;
  readonly samplesPerSecond: Columns;
  /** The clusters' subtotals plus the environment's. */
  readonly total: Columns;
  /** What the environment's numbers rest on (each cluster's are with it). */
  readonly assumptions: readonly string[];
  readonly warnings: readonly string[];
}

const cost = (quantity: number, price: Price) => (quantity / price.per) * price.usd;
const both = (f: (column: Column) => number): Columns => ({
  allowList: f("allowList"),
  sendAll: f("sendAll"),
});
const sum = (rows: readonly Columns[]): Columns => both((c) => rows.reduce((s, r) => s + r[c], 0));

/** Series a filter keeps, by the model; extra patterns the model cannot count are returned apart. */
function keptSeries(filter: Extract<MetricFilter, { sendAll: false }>, pop: Record<Unit, number>) {
  let series = 0;
  const unmodelled: string[] = [];
  for (const name of filter.names) {
    const entry = KEPT_METRIC_SERIES[name];
    if (!entry)
      throw new Error(`cost/series-model.ts has no series count for ${name} (add it to KEPT_METRIC_SERIES)`);
    series += seriesOf(entry, pop);
  }
  for (const p of filter.extra) {
    const entry = KEPT_METRIC_SERIES[p];
    if (entry && !filter.names.includes(p)) series += seriesOf(entry, pop);
    else if (!entry) unmodelled.push(p);
  }
  return { series, unmodelled };
}

/** What the query model needs of a cluster. */
interface QueriedCluster {
  readonly cluster: ClusterConfig;
  readonly pop: Record<Unit, number>;
  readonly intervalSeconds: number;
  /** Names its collector sends with the allow-list (what AMP holds of it for the queries to read). */
  readonly sends: ReadonlySet<string>;
}

/**
 * Samples AMP processes per month answering the rules and the dashboards' refreshes. A selector reads the
 * series of every cluster in its scope that sends the metric: the shared rules and the dashboards (which
 * filter on no cluster) read every cluster's, a collector's rules (`cluster="<name>"`) their own cluster's.
 */
function querySamplesPerMonth(env: EnvironmentConfig, clusters: readonly QueriedCluster[]): number {
  // Series of a metric in one cluster, and the samples of it in `seconds` (at least the latest one).
  const samplesOf = (metric: string, c: QueriedCluster, seconds: number, atLeastOne: boolean) => {
    const entry = KEPT_METRIC_SERIES[metric];
    // A recorded name at the `cluster:` level aggregates `by (cluster)`: one series per cluster.
    const series = entry
      ? c.sends.has(metric)
        ? seriesOf(entry, c.pop)
        : 0
      : metric.startsWith("cluster:")
        ? 1
        : RECORDED_SERIES;
    // Scraped series have a sample per scrape interval, recorded ones one per rule evaluation.
    const perSeries = seconds / (entry ? c.intervalSeconds : RULE_EVALUATION_SECONDS);
    return series * (atLeastOne ? Math.max(1, perSeries) : perSeries);
  };
  // A rule evaluation (instant query) reads the samples of each selector's range, or the latest one.
  const instant = (expr: string, scope: readonly QueriedCluster[]) =>
    selectorsOf(expr).reduce(
      (total, s) => total + scope.reduce((t, c) => t + samplesOf(s.metric, c, s.rangeSeconds ?? 0, true), 0),
      0,
    );
  // A panel's range query reads every sample of its series in the time range.
  const range = (expr: string, seconds: number) =>
    selectorsOf(expr).reduce(
      (total, s) => total + clusters.reduce((t, c) => t + samplesOf(s.metric, c, seconds, false), 0),
      0,
    );
  const evaluations = SECONDS_PER_MONTH / RULE_EVALUATION_SECONDS;
  const params = ruleParamsOf(env);
  const scoped: [Record<string, RuleFile>, readonly QueriedCluster[]][] = [
    [commonRuleFiles(params), clusters],
    ...clusters.map((c): [Record<string, RuleFile>, readonly QueriedCluster[]] => [
      COLLECTOR_RULE_FILES[c.cluster.collector.type](params, c.cluster),
      [c],
    ]),
  ];
  let total = 0;
  for (const [files, scope] of scoped)
    for (const e of ruleExpressions(files).expressions) total += instant(e.expr, scope) * evaluations;
  // One dashboard open at a time: the hours are spread over the environment's dashboards. A dashboard about
  // one cluster reads the selected cluster's series (an average cluster of those its collector answers); the
  // fleet overview, whose cluster variable selects them all, every cluster's.
  const share = 1 / Math.max(1, env.grafana.dashboards.length);
  const types = [...new Set(clusters.map((c) => c.cluster.collector.type))];
  for (const file of env.grafana.dashboards) {
    const { model } = shippedDashboardFor(file, types);
    const owner = SHIPPED_DASHBOARDS[file]?.collector;
    const answering = clusters.filter(
      (c) => owner === undefined || c.cluster.collector.type === owner,
    ).length;
    const scope = selectsEveryCluster(model) ? 1 : 1 / Math.max(1, answering);
    const refresh = durationSeconds(String(model.refresh ?? "1m")) || 60;
    const from = String((model.time as { from?: string } | undefined)?.from ?? "now-6h").replace(/^now-/, "");
    const seconds = durationSeconds(from) || 6 * 3600;
    const refreshes = (env.sizing.dashboardHoursPerMonth * 3600 * share) / refresh;
    for (const e of dashboardExpressions(model)) total += range(e.expr, seconds) * refreshes * scope;
  }
  return total;
}

/**
 * The VPCs whose endpoints the network stack creates or reuses, as it walks them: the environment's
 * `network` first, then each cluster's own, once per VPC id (clusters sharing a VPC share its endpoints).
 */
function endpointVpcs(env: EnvironmentConfig): { network: NetworkConfig; clusters: string[] }[] {
  const vpcs = new Map<string, { network: NetworkConfig; clusters: string[] }>();
  vpcs.set(env.network.vpcId, { network: env.network, clusters: [] });
  for (const cluster of env.clusters) {
    const known = vpcs.get(cluster.network.vpcId);
    if (known) known.clusters.push(cluster.name);
    else vpcs.set(cluster.network.vpcId, { network: cluster.network, clusters: [cluster.name] });
  }
  return [...vpcs.values()];
}

/** The estimate of one environment. */
export function estimate(env: EnvironmentConfig, prices: Prices = PRICES, now: Date = new Date()): Estimate {
  const selected: Column = env.metrics.sendAll ? "sendAll" : "allowList";
  // The allow-list a collector type sends (under sendAll: what it would send without metrics.extra).
  const listOf = (collector: CollectorType) => {
    const metrics = env.metrics.sendAll ? { ...env.metrics, sendAll: false, extra: [] } : env.metrics;
    const list = metricFilterOf({ ...env, metrics }, collector);
    if (list.sendAll) throw new Error("unreachable: a filter without sendAll is an allow-list");
    return list;
  };
  const unmodelled = new Set<string>();

  // Each cluster's series and samples, before pricing (ingestion is tiered over all of them).
  const parts = env.clusters.map((cluster, index) => {
    const collector = cluster.collector.type;
    const sizing = cluster.sizing;
    const pop = population(sizing, collector);
    const intervalSeconds = durationSeconds(cluster.collector.scrapeInterval);
    const list = listOf(collector);
    const kept = keptSeries(list, pop);
    for (const p of kept.unmodelled) unmodelled.add(p);
    const sources = COLLECTOR_SOURCES[collector];
    const modelAll = sources.reduce((s, job) => s + seriesOf(JOB_SERIES[job], pop), 0);
    const assumptions: string[] = [
      `${cluster.name}: ${sizing.nodes} nodes x ${sizing.cpusPerNode} CPUs, ${sizing.pods} pods x ${sizing.containersPerPod} containers, ${sizing.persistentVolumeClaims} volume claims, ${pop.apiServer} API servers, ${pop.target} scrape targets (clusters[${index}].sizing in environments/${env.name}.ts)`,
      `${cluster.name}: scrape interval ${cluster.collector.scrapeInterval}, samples/s = series / ${intervalSeconds}`,
    ];
    let series: Columns = { allowList: kept.series, sendAll: modelAll };
    const measured = sizing.activeSeries;
    if (measured !== undefined) {
      const ratio = kept.series / modelAll;
      series =
        selected === "sendAll"
          ? { allowList: Math.round(measured * ratio), sendAll: measured }
          : { allowList: measured, sendAll: Math.round(measured / ratio) };
      assumptions.push(
        `${cluster.name}: measured active series (clusters[${index}].sizing.activeSeries = ${measured}) replace the model for the ${selected === "sendAll" ? "sendAll" : "allow-list"} column; the other column keeps the model's ratio (${(ratio * 100).toFixed(1)}%)`,
      );
    }
    const sps = both((c) => series[c] / intervalSeconds);
    return {
      cluster,
      collector,
      pop,
      intervalSeconds,
      list,
      keptNames: list.names.length + list.extra.length,
      exposedNames: sources.reduce((s, job) => s + JOB_SERIES[job].names.count, 0),
      modelAll,
      series,
      sps,
      samples: both((c) => sps[c] * SECONDS_PER_MONTH),
      assumptions,
    };
  });

  // AMP prices ingestion in tiers of the account's monthly samples: the environment's total goes through
  // the tiers once, and each cluster carries its share of that cost in proportion to its samples.
  const samples = sum(parts.map((p) => p.samples));
  const ingestion = both((c) => tieredCost(samples[c], prices.amp.ingestion));
  const shareOf = (part: Columns, c: Column) => (samples[c] > 0 ? part[c] / samples[c] : 0);
  const retentionSeconds = env.amp.retentionDays * 86_400;

  const clusters: ClusterEstimate[] = parts.map((p) => {
    const items: LineItem[] = [];
    const add = (item: string, quantity: string, values: Columns) =>
      items.push({ item, quantity, ...values });
    add(
      "AMP ingestion (tiered)",
      `${fmt(p.samples.allowList)} samples`,
      both((c) => ingestion[c] * shareOf(p.samples, c)),
    );
    const storedGb = (c: Column) => (p.sps[c] * retentionSeconds * STORED_BYTES_PER_SAMPLE) / 2 ** 30;
    add(
      `AMP storage (${env.amp.retentionDays} d retention, steady state)`,
      `${storedGb("allowList").toFixed(1)} GB`,
      both((c) => cost(storedGb(c), prices.amp.storage)),
    );
    if (p.cluster.collector.type === "managed") {
      add(
        "AMP managed collector (hours)",
        `${HOURS_PER_MONTH} h`,
        both(() => cost(HOURS_PER_MONTH, prices.amp.collectorHours)),
      );
      // The collector collects every sample it scrapes; the allow-list drops them after collection.
      const collected = (p.modelAll / p.intervalSeconds) * SECONDS_PER_MONTH;
      add(
        "AMP managed collector (samples collected)",
        `${fmt(collected)} samples`,
        both(() => cost(collected, prices.amp.collectorSamples)),
      );
    } else {
      const gb = (c: Column) => (p.samples[c] * WIRE_BYTES_PER_SAMPLE) / 2 ** 30;
      add(
        "Interface endpoint data (remote write)",
        `${gb("allowList").toFixed(1)} GB`,
        both((c) => cost(gb(c), prices.privateLink.data)),
      );
      const volume = Number.parseFloat(p.cluster.collector.persistentVolumeSize);
      add(
        "Prometheus server volume (EBS gp3)",
        `${volume}Gi`,
        both(() => cost(volume, prices.ebs.gp3)),
      );
    }
    return {
      name: p.cluster.name,
      stack: stackNameOf(env.name, "cluster", p.cluster.key),
      collector: p.collector,
      keptNames: p.keptNames,
      exposedNames: p.exposedNames,
      series: p.series,
      samplesPerSecond: p.sps,
      items,
      subtotal: sum(items),
      assumptions: p.assumptions,
    };
  });

  const items: LineItem[] = [];
  const add = (item: string, quantity: string, values: Columns) => items.push({ item, quantity, ...values });
  const assumptions: string[] = [];
  const qsp = querySamplesPerMonth(
    env,
    parts.map((p) => ({
      cluster: p.cluster,
      pop: p.pop,
      intervalSeconds: p.intervalSeconds,
      sends: new Set([...p.list.names, ...p.list.extra]),
    })),
  );
  add(
    `AMP queries (rules every ${RULE_EVALUATION_SECONDS}s, dashboards ${env.sizing.dashboardHoursPerMonth} h/month)`,
    `${fmt(qsp)} query samples`,
    both(() => cost(qsp, prices.amp.querySamples)),
  );
  const editors = Math.max(1, env.sizing.grafanaEditors);
  add(
    "AMG active users",
    `${editors} editor, ${env.sizing.grafanaViewers} viewer`,
    both(() => editors * prices.grafana.editor.usd + env.sizing.grafanaViewers * prices.grafana.viewer.usd),
  );
  // One endpoint set per VPC; a reused aps-workspaces endpoint (ampEndpoint { existingId }) is billed to
  // whoever created it.
  for (const { network, clusters: inVpc } of endpointVpcs(env)) {
    const reused = network.ampEndpoint === "create" ? undefined : network.ampEndpoint.existingId;
    const endpoints = (reused ? 0 : 1) + (network.controlPlaneEndpoint ? 1 : 0);
    const azs = network.endpointSubnetIds?.length ?? 0;
    if (endpoints > 0)
      add(
        `Interface endpoints (hours, ${network.vpcId})`,
        `${endpoints} x ${azs} AZ x ${HOURS_PER_MONTH} h`,
        both(() => cost(endpoints * azs * HOURS_PER_MONTH, prices.privateLink.endpointHours)),
      );
    if (reused)
      assumptions.push(
        `the aps-workspaces endpoint of ${network.vpcId} is reused (${reused}): its hours and the data it processes${inVpc.length ? ` (${inVpc.join(", ")})` : ""} are billed to the account that owns it, counted here as if it were this one`,
      );
  }
  add(
    "KMS key (alert topics)",
    "1 key",
    both(() => cost(1, prices.kms.key)),
  );
  const logging = env.amp.logging;
  if (logging.enabled) {
    // Steady state: retentionDays worth of the monthly volume is stored.
    const storedGb = (AMP_ERROR_LOG_GB_PER_MONTH * logging.retentionDays) / (HOURS_PER_MONTH / 24);
    add(
      `CloudWatch Logs (AMP errors, ${logging.retentionDays} d retention)`,
      `${AMP_ERROR_LOG_GB_PER_MONTH * 1000} MB / month`,
      both(
        () =>
          cost(AMP_ERROR_LOG_GB_PER_MONTH, prices.cloudWatch.vendedLogs) +
          cost(storedGb, prices.cloudWatch.logStorage),
      ),
    );
    if (!logging.kmsKeyArn)
      add(
        "KMS key (AMP log group)",
        "1 key",
        both(() => cost(1, prices.kms.key)),
      );
  }
  // Each notification is published once per topic of its severity (mail, and chat or HTTPS when subscribed)
  // and delivered once per subscription; publishes stay far under SNS's free million.
  const routes = alertRoutesOf(env.alerting);
  const perSeverity = (count: (s: AlertSeverity) => number) =>
    ALERT_SEVERITIES.reduce((sum, s) => sum + NOTIFICATIONS_PER_MONTH[s] * count(s), 0);
  const emails = perSeverity((s) => routes[s].emails.length);
  add(
    "SNS email notifications",
    `${emails} / month`,
    both(() => cost(Math.max(0, emails - 1000), prices.sns.email)),
  );
  const pushed = perSeverity((s) => routes[s].https.length + routes[s].slack.length + routes[s].teams.length);
  if (pushed > 0)
    add(
      "SNS HTTPS and Chatbot deliveries",
      `${pushed} / month`,
      both(
        () =>
          cost(Math.max(0, pushed - 100_000), prices.sns.https) + cost(pushed, prices.chatbot.notifications),
      ),
    );

  const alarms = env.metrics.budget ? 1 + (env.metrics.budget.activeSeries ? 1 : 0) : 0;
  if (alarms > 0)
    add(
      "CloudWatch budget alarms",
      `${alarms} alarm`,
      both(() => cost(alarms, prices.cloudWatch.alarm)),
    );
  if (env.grafana.dashboards.includes(COST_DASHBOARD)) {
    const requests = ((env.sizing.dashboardHoursPerMonth * 3600) / 300) * 2;
    add(
      "CloudWatch GetMetricData (cost dashboard)",
      `${fmt(requests)} metrics`,
      both(() => cost(requests, prices.cloudWatch.getMetricData)),
    );
  }
  const environmentSubtotal = sum(items);
  const total = sum([...clusters.map((c) => c.subtotal), environmentSubtotal]);

  const collectors = new Set(parts.map((p) => p.collector));
  assumptions.push(
    clusters.length > 1
      ? `AMP ingestion is tiered per account and month: the environment's ${fmt(samples.allowList)} samples (allow-list; ${fmt(samples.sendAll)} with sendAll) go through the tiers once, $${ingestion.allowList.toFixed(2)} ($${ingestion.sendAll.toFixed(2)}), and each cluster's line is its share in proportion to its samples; other workspaces of the account would reach the cheaper tiers sooner (not counted)`
      : "AMP ingestion is tiered per account and month: this workspace's samples go through the tiers alone; other workspaces of the account would reach the cheaper tiers sooner (not counted)",
    "series per metric and per job: cost/series-model.ts (each with its source and confidence); sendAll counts the chart's default jobs, not application pods annotated for scraping",
    `storage: ${STORED_BYTES_PER_SAMPLE} bytes per sample, after the retention period has filled (month one costs less)`,
    `queries: the shared rules and the fleet overview read every cluster's series, the other dashboards the selected cluster's (one dashboard open at a time), each collector's rules their own cluster's`,
    ...(collectors.has("managed")
      ? [
          "the managed collector is billed on every sample it scrapes, before metric_relabel_configs drop what AMP does not receive (unconfirmed: the pricing page does not say)",
        ]
      : []),
    ...(collectors.has("prometheus")
      ? [`remote write: ${WIRE_BYTES_PER_SAMPLE} bytes per sample through the cluster's VPC endpoint`]
      : []),
    `prices: cost/prices.ts as of ${prices.asOf} (${prices.regions.join(", ")}); ${prices.amp.freeTier}`,
    `SNS: alert notifications per month by severity, critical ${NOTIFICATIONS_PER_MONTH.critical}, warning ${NOTIFICATIONS_PER_MONTH.warning}, info ${NOTIFICATIONS_PER_MONTH.info}, each delivered to every subscriber of its severity${pushed > 0 ? "; AWS Chatbot adds no charge (its deliveries are SNS HTTPS notifications)" : ""}`,
    ...(env.amp.logging.enabled
      ? [
          `AMP error log: ${AMP_ERROR_LOG_GB_PER_MONTH * 1000} MB a month (failed rule evaluations and alert deliveries only; one rule failing every minute writes about 45 MB)`,
        ]
      : []),
  );
  const warnings: string[] = [];
  if (unmodelled.size > 0)
    warnings.push(
      `metrics.extra ${[...unmodelled].map((p) => JSON.stringify(p)).join(", ")} not counted (the model has no series count for them): measure and set clusters[].sizing.activeSeries`,
    );
  if (!(prices.regions as readonly string[]).includes(env.region))
    warnings.push(`prices are those of ${prices.regions.join(", ")}; ${env.region} may differ`);
  const age = priceAgeDays(prices.asOf, now);
  if (age > 365)
    warnings.push(
      `cost/prices.ts is ${age} days old (as of ${prices.asOf}): check the prices and update asOf`,
    );

  return {
    environment: env.name,
    region: env.region,
    selected,
    clusters,
    environmentItems: items,
    environmentSubtotal,
    series: sum(clusters.map((c) => c.series)),
    samplesPerSecond: sum(clusters.map((c) => c.samplesPerSecond)),
    total,
    assumptions,
    warnings,
  };
}

/** A number with a k/M/B suffix. */
export function fmt(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(n % 1 === 0 ? 0 : 1);
}
