/**
 * The monthly cost of an environment's monitoring, per line item, with the allow-list and with `sendAll`
 * side by side: `npm run cost -- <env>` prints it, the PR comment compares it before and after a change.
 * Inputs are the environment's config (collector, scrape interval, retention, endpoints, budget) and its
 * declared `sizing`; prices come from cost/prices.ts and series counts from cost/series-model.ts. Every
 * assumption the numbers rest on is returned with them.
 */
import type { EnvironmentConfig } from "../config/environment";
import { durationSeconds } from "../lib/duration";
import {
  dashboardExpressions,
  type MetricFilter,
  metricFilterOf,
  ruleExpressions,
} from "../monitoring/allow-list";
import { COST_DASHBOARD } from "../monitoring/cost-dashboard";
import { loadDashboard } from "../monitoring/dashboards";
import { COLLECTOR_SOURCES } from "../monitoring/metrics";
import { selectorsOf } from "../monitoring/promql";
import { ruleClustersOf, ruleFilesFor, ruleParamsOf } from "../monitoring/rules";
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
/** Series a selector of a recorded name reads (recording rules aggregate to few series). */
const RECORDED_SERIES = 10;
/** Alert notifications per email address and month, an assumption (SNS email's free tier is 1,000). */
const NOTIFICATIONS_PER_ADDRESS = 100;
/**
 * AMP's error log per month, an assumption: it holds only failed rule evaluations and alert manager
 * delivery errors, nothing while all is well; one rule failing every minute writes about 45 MB a month.
 */
export const AMP_ERROR_LOG_GB_PER_MONTH = 0.05;

/** One row of the estimate. */
export interface LineItem {
  readonly item: string;
  /** What is billed, in the allow-list column's terms. */
  readonly quantity: string;
  readonly allowList: number;
  readonly sendAll: number;
}

export interface Estimate {
  readonly environment: string;
  readonly region: string;
  readonly collector: string;
  /** Which column the environment's config selects. */
  readonly selected: "allowList" | "sendAll";
  readonly keptNames: number;
  readonly exposedNames: number;
  readonly series: { readonly allowList: number; readonly sendAll: number };
  readonly samplesPerSecond: { readonly allowList: number; readonly sendAll: number };
  readonly items: readonly LineItem[];
  readonly total: { readonly allowList: number; readonly sendAll: number };
  readonly assumptions: readonly string[];
  readonly warnings: readonly string[];
}

const cost = (quantity: number, price: Price) => (quantity / price.per) * price.usd;

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

/** Samples AMP processes per month answering the rules and the dashboards' refreshes. */
function querySamplesPerMonth(
  env: EnvironmentConfig,
  pop: Record<Unit, number>,
  intervalSeconds: number,
): number {
  const seriesOfMetric = (metric: string) => {
    const entry = KEPT_METRIC_SERIES[metric];
    if (entry) return seriesOf(entry, pop);
    // A recorded name at the `cluster:` level aggregates `by (cluster)`: one series (this estimate's cluster).
    return metric.startsWith("cluster:") ? 1 : RECORDED_SERIES;
  };
  // Scraped series have a sample per scrape interval, recorded ones one per rule evaluation.
  const spacing = (metric: string) =>
    KEPT_METRIC_SERIES[metric] ? intervalSeconds : RULE_EVALUATION_SECONDS;
  // A rule evaluation (instant query) reads the samples of each selector's range, or the latest one.
  const instant = (expr: string) =>
    selectorsOf(expr).reduce(
      (sum, s) => sum + seriesOfMetric(s.metric) * Math.max(1, (s.rangeSeconds ?? 0) / spacing(s.metric)),
      0,
    );
  // A panel's range query reads every sample of its series in the time range, at least once.
  const range = (expr: string, seconds: number) =>
    selectorsOf(expr).reduce((sum, s) => sum + seriesOfMetric(s.metric) * (seconds / intervalSeconds), 0);
  const rules = ruleExpressions(ruleFilesFor(ruleClustersOf(env), ruleParamsOf(env))).expressions;
  const evaluations = SECONDS_PER_MONTH / RULE_EVALUATION_SECONDS;
  let total = rules.reduce((sum, e) => sum + instant(e.expr) * evaluations, 0);
  for (const file of env.grafana.dashboards) {
    const { model } = loadDashboard(file);
    const refresh = durationSeconds(String(model.refresh ?? "1m")) || 60;
    const from = String((model.time as { from?: string } | undefined)?.from ?? "now-6h").replace(/^now-/, "");
    const seconds = durationSeconds(from) || 6 * 3600;
    const refreshes = (env.sizing.dashboardHoursPerMonth * 3600) / refresh;
    for (const e of dashboardExpressions(model)) total += range(e.expr, seconds) * refreshes;
  }
  return total;
}

/** The estimate of one environment. */
export function estimate(env: EnvironmentConfig, prices: Prices = PRICES, now: Date = new Date()): Estimate {
  const collector = env.collector.type;
  const pop = population(env.sizing, collector);
  const intervalSeconds = durationSeconds(env.collector.scrapeInterval);
  const filter = metricFilterOf(env);
  const derived = filter.sendAll
    ? metricFilterOf({ ...env, metrics: { ...env.metrics, sendAll: false, extra: [] } })
    : filter;
  if (derived.sendAll) throw new Error("unreachable: a derived filter is an allow-list");
  const kept = keptSeries(derived, pop);
  const sources = COLLECTOR_SOURCES[collector];
  const modelAll = sources.reduce((sum, s) => sum + seriesOf(JOB_SERIES[s], pop), 0);
  const exposedNames = sources.reduce((sum, s) => sum + JOB_SERIES[s].names.count, 0);
  const selected = filter.sendAll ? "sendAll" : "allowList";
  const assumptions: string[] = [];
  const warnings: string[] = [];

  let series = { allowList: kept.series, sendAll: modelAll };
  const measured = env.sizing.activeSeries;
  if (measured !== undefined) {
    const ratio = kept.series / modelAll;
    series =
      selected === "sendAll"
        ? { allowList: Math.round(measured * ratio), sendAll: measured }
        : { allowList: measured, sendAll: Math.round(measured / ratio) };
    assumptions.push(
      `measured active series (sizing.activeSeries = ${measured}) replace the model for the ${selected === "sendAll" ? "sendAll" : "allow-list"} column; the other column keeps the model's ratio (${(ratio * 100).toFixed(1)}%)`,
    );
  }
  const sps = { allowList: series.allowList / intervalSeconds, sendAll: series.sendAll / intervalSeconds };
  const samples = { allowList: sps.allowList * SECONDS_PER_MONTH, sendAll: sps.sendAll * SECONDS_PER_MONTH };
  const both = (f: (column: "allowList" | "sendAll") => number) => ({
    allowList: f("allowList"),
    sendAll: f("sendAll"),
  });
  const items: LineItem[] = [];
  const add = (item: string, quantity: string, values: { allowList: number; sendAll: number }) =>
    items.push({ item, quantity, ...values });

  add(
    "AMP ingestion (tiered)",
    `${fmt(samples.allowList)} samples`,
    both((c) => tieredCost(samples[c], prices.amp.ingestion)),
  );
  const retentionSeconds = env.amp.retentionDays * 86_400;
  const storedGb = (c: "allowList" | "sendAll") =>
    (sps[c] * retentionSeconds * STORED_BYTES_PER_SAMPLE) / 2 ** 30;
  add(
    `AMP storage (${env.amp.retentionDays} d retention, steady state)`,
    `${storedGb("allowList").toFixed(1)} GB`,
    both((c) => cost(storedGb(c), prices.amp.storage)),
  );
  const qsp = querySamplesPerMonth(env, pop, intervalSeconds);
  add(
    `AMP queries (rules every ${RULE_EVALUATION_SECONDS}s, dashboards ${env.sizing.dashboardHoursPerMonth} h/month)`,
    `${fmt(qsp)} query samples`,
    both(() => cost(qsp, prices.amp.querySamples)),
  );
  if (collector === "managed") {
    add(
      "AMP managed collector (hours)",
      `${HOURS_PER_MONTH} h`,
      both(() => cost(HOURS_PER_MONTH, prices.amp.collectorHours)),
    );
    // The collector collects every sample it scrapes; the allow-list drops them after collection.
    const collected = (modelAll / intervalSeconds) * SECONDS_PER_MONTH;
    add(
      "AMP managed collector (samples collected)",
      `${fmt(collected)} samples`,
      both(() => cost(collected, prices.amp.collectorSamples)),
    );
    assumptions.push(
      "the managed collector is billed on every sample it scrapes, before metric_relabel_configs drop what AMP does not receive (unconfirmed: the pricing page does not say)",
    );
  }
  const editors = Math.max(1, env.sizing.grafanaEditors);
  add(
    "AMG active users",
    `${editors} editor, ${env.sizing.grafanaViewers} viewer`,
    both(() => editors * prices.grafana.editor.usd + env.sizing.grafanaViewers * prices.grafana.viewer.usd),
  );
  // A reused aps-workspaces endpoint (network.ampEndpoint { existingId }) is billed to whoever created it.
  const { ampEndpoint } = env.network;
  const reused = ampEndpoint === "create" ? undefined : ampEndpoint.existingId;
  const endpoints = (reused ? 0 : 1) + (env.network.controlPlaneEndpoint ? 1 : 0);
  const azs = env.network.endpointSubnetIds?.length ?? 0;
  if (endpoints > 0)
    add(
      "Interface endpoints (hours)",
      `${endpoints} x ${azs} AZ x ${HOURS_PER_MONTH} h`,
      both(() => cost(endpoints * azs * HOURS_PER_MONTH, prices.privateLink.endpointHours)),
    );
  if (reused)
    assumptions.push(
      `the aps-workspaces endpoint is reused (${reused}): its hours and the data it processes are billed to the account that owns it, counted here as if it were this one`,
    );
  if (collector === "prometheus") {
    const gb = (c: "allowList" | "sendAll") => (samples[c] * WIRE_BYTES_PER_SAMPLE) / 2 ** 30;
    add(
      "Interface endpoint data (remote write)",
      `${gb("allowList").toFixed(1)} GB`,
      both((c) => cost(gb(c), prices.privateLink.data)),
    );
    const volume = Number.parseFloat(env.collector.persistentVolumeSize);
    add(
      "Prometheus server volume (EBS gp3)",
      `${env.collector.persistentVolumeSize}`,
      both(() => cost(volume, prices.ebs.gp3)),
    );
  }
  add(
    "KMS key (alert topic)",
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
  const emails = env.alerting.emails.length * NOTIFICATIONS_PER_ADDRESS;
  add(
    "SNS email notifications",
    `${emails} / month`,
    both(() => cost(Math.max(0, emails - 1000), prices.sns.email)),
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

  const total = {
    allowList: items.reduce((s, i) => s + i.allowList, 0),
    sendAll: items.reduce((s, i) => s + i.sendAll, 0),
  };

  assumptions.push(
    `cluster: ${env.sizing.nodes} nodes x ${env.sizing.cpusPerNode} CPUs, ${env.sizing.pods} pods x ${env.sizing.containersPerPod} containers, ${env.sizing.persistentVolumeClaims} volume claims, ${pop.apiServer} API servers, ${pop.target} scrape targets (sizing in environments/${env.name}.ts)`,
    `scrape interval ${env.collector.scrapeInterval}: samples/s = series / ${intervalSeconds}`,
    "series per metric and per job: cost/series-model.ts (each with its source and confidence); sendAll counts the chart's default jobs, not application pods annotated for scraping",
    `storage: ${STORED_BYTES_PER_SAMPLE} bytes per sample, after the retention period has filled (month one costs less)`,
    ...(collector === "prometheus"
      ? [`remote write: ${WIRE_BYTES_PER_SAMPLE} bytes per sample through the endpoint`]
      : []),
    `prices: cost/prices.ts as of ${prices.asOf} (${prices.regions.join(", ")}); ${prices.amp.freeTier}`,
    `SNS: ${NOTIFICATIONS_PER_ADDRESS} alert mails per address and month`,
    ...(env.amp.logging.enabled
      ? [
          `AMP error log: ${AMP_ERROR_LOG_GB_PER_MONTH * 1000} MB a month (failed rule evaluations and alert deliveries only; one rule failing every minute writes about 45 MB)`,
        ]
      : []),
  );
  if (kept.unmodelled.length > 0 && !filter.sendAll)
    warnings.push(
      `metrics.extra ${kept.unmodelled.map((p) => JSON.stringify(p)).join(", ")} not counted (the model has no series count for them): measure and set sizing.activeSeries`,
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
    collector,
    selected,
    keptNames: derived.names.length + (filter.sendAll ? 0 : filter.extra.length),
    exposedNames,
    series,
    samplesPerSecond: sps,
    items,
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
