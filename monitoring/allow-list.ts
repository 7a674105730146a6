/**
 * The metric allow-list: what a collector sends to AMP by default. AMP bills every sample ingested and
 * cannot delete a series once written, so each collector sends only the metrics this project's shipped
 * PromQL reads (the rules AMP evaluates and the dashboards' AMP queries), plus what the environment adds
 * in `metrics.extra`. The list is derived from the expressions by parsing them (monitoring/promql.ts),
 * never written by hand: add a panel or a rule and the metric it reads is sent; remove it and the metric
 * stops being sent.
 *
 * Recording rules run inside AMP, so the names they record are not sent by anyone: the raw metrics their
 * expressions read are. The `up`, `scrape_duration_seconds` and `scrape_samples_scraped` series a scraper
 * adds per target are listed like any other metric read (Prometheus' metric relabelling never drops them).
 */
import type { EnvironmentConfig } from "../config/environment";
import { type CollectorType, SHIPPED_DASHBOARDS } from "../lib/catalogue";
import { type DashboardModel, dashboardQueries, shippedDashboardFor } from "./dashboards";
import { selectedMetrics } from "./promql";
import { type RuleFile, type RuleParams, ruleFilesOfCollector, ruleParamsOf, rulesOf } from "./rules";

/** One PromQL expression the project ships, and where it is (for messages). */
export interface ShippedExpression {
  readonly where: string;
  readonly expr: string;
}

/** The expressions of rule files (recording and alerting rules), and the names the recording rules produce. */
export function ruleExpressions(files: Record<string, RuleFile>): {
  expressions: ShippedExpression[];
  recorded: string[];
} {
  const expressions = Object.entries(files).flatMap(([namespace, file]) =>
    file.groups.flatMap((g) =>
      g.rules.map((r) => ({ where: `rules ${namespace}/${g.name}: ${r.record ?? r.alert}`, expr: r.expr })),
    ),
  );
  const recorded = rulesOf(files).flatMap((r) => (r.record ? [r.record] : []));
  return { expressions, recorded };
}

/**
 * The PromQL a dashboard sends to AMP: its panels' AMP queries (rows' nested panels included) and its
 * variables' queries (monitoring/dashboards.ts dashboardQueries). Queries of other data sources (CloudWatch in
 * the cost dashboard) read nothing from AMP.
 */
export function dashboardExpressions(model: DashboardModel): ShippedExpression[] {
  return dashboardQueries(model).map(({ where, expr }) => ({ where, expr }));
}

/** Series AMP's ruler writes itself for alerting rules (Prometheus' rule manager does the same). */
export const RULER_SERIES = ["ALERTS", "ALERTS_FOR_STATE"] as const;

/**
 * The metrics AMP must receive for the expressions to answer: every name they read, less the names the
 * recording rules produce (AMP computes those from the raw metrics their own expressions read) and the
 * series the ruler writes for alerts. Sorted.
 * @throws PromqlError naming an expression that does not parse
 */
export function rawMetricsRead(
  expressions: readonly ShippedExpression[],
  recorded: readonly string[],
): string[] {
  const produced = new Set<string>([...recorded, ...RULER_SERIES]);
  const read = new Set(expressions.flatMap((e) => selectedMetrics(e.expr)));
  return [...read].filter((name) => !produced.has(name)).sort();
}

/** Every expression an environment ships to AMP: its collector's rules and its dashboards' AMP queries. */
export function shippedExpressions(
  collector: CollectorType,
  dashboards: readonly string[],
  rules: RuleParams,
): { expressions: ShippedExpression[]; recorded: string[] } {
  // Metric names do not depend on the cluster's name or id: one cluster stands for every cluster of this collector.
  const shipped = ruleExpressions(ruleFilesOfCollector(collector, rules));
  const panels = dashboards.flatMap((file) =>
    dashboardExpressions(shippedDashboardFor(file, [collector]).model),
  );
  return { expressions: [...shipped.expressions, ...panels], recorded: shipped.recorded };
}

/** The metric names an environment's collector sends by default: what its shipped rules and dashboards read. */
export function derivedAllowList(
  collector: CollectorType,
  dashboards: readonly string[],
  rules: RuleParams,
): string[] {
  // Every cluster of a collector type asks the same question: parsing the PromQL of every rule and panel
  // once per answer, not once per cluster, keeps synth time flat in the number of clusters.
  const key = JSON.stringify([collector, dashboards, rules]);
  const known = derivedAllowLists.get(key);
  if (known) return [...known];
  const { expressions, recorded } = shippedExpressions(collector, dashboards, rules);
  const names = rawMetricsRead(expressions, recorded);
  derivedAllowLists.set(key, names);
  return [...names];
}

const derivedAllowLists = new Map<string, string[]>();

/** What a collector sends to AMP: only the listed names and patterns, or everything it scrapes. */
export type MetricFilter =
  | { readonly sendAll: true }
  | {
      readonly sendAll: false;
      /** Exact metric names (derived from the shipped PromQL). */
      readonly names: readonly string[];
      /** RE2 patterns from `metrics.extra` (anchored, as Prometheus anchors every relabel regex). */
      readonly extra: readonly string[];
    };

/**
 * The `regex` of a `keep` on `__name__`: the names, then each extra pattern in its own group so an
 * alternation inside it cannot swallow its neighbours. Metric names are `[a-zA-Z_:][a-zA-Z0-9_:]*`, which
 * holds no regex metacharacter: each name matches itself only.
 */
export function keepRegex(filter: Extract<MetricFilter, { sendAll: false }>): string {
  return [...filter.names, ...filter.extra.map((p) => `(?:${p})`)].join("|");
}

/** A Prometheus relabel rule keeping only the filter's metrics (for `write_relabel_configs` and `metric_relabel_configs`). */
export function keepRule(filter: Extract<MetricFilter, { sendAll: false }>): Record<string, unknown> {
  return { source_labels: ["__name__"], action: "keep", regex: keepRegex(filter) };
}

/**
 * What a collector of this type sends to AMP in `env`, from its config: the allow-list (what the shipped rules
 * and the environment's dashboards read of its series, plus `metrics.extra`), or everything. It depends on the
 * collector's type only, never on the environment's other clusters: adding one changes no other's filter.
 * The stacks and `npm run cost` share it.
 */
export function metricFilterOf(env: EnvironmentConfig, collector: CollectorType): MetricFilter {
  if (env.metrics.sendAll) return { sendAll: true };
  const dashboards = env.grafana.dashboards.filter((file) => dashboardAnswers(file, collector));
  return {
    sendAll: false,
    names: derivedAllowList(collector, dashboards, ruleParamsOf(env)),
    extra: env.metrics.extra,
  };
}

/** Whether a collector of this type answers a dashboard (one of another collector's health it does not). */
function dashboardAnswers(file: string, collector: CollectorType): boolean {
  const owner = SHIPPED_DASHBOARDS[file]?.collector;
  return owner === undefined || owner === collector;
}
