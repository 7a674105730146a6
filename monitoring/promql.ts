/**
 * What a PromQL expression reads, from the official Prometheus grammar (`@prometheus-io/lezer-promql`, the
 * parser of the Prometheus web UI): the metric names of its selectors. Label matchers, grouping labels
 * (`by`, `without`, `on`, `ignoring`), functions, keywords and numbers are nodes of their own in the
 * syntax tree, so none of them can be mistaken for a metric name.
 *
 * Grafana's built-in interval variables (`$__rate_interval`, `$__interval`, `$__range`, ...) are not
 * PromQL: they are replaced by a duration before parsing, as Grafana does before sending the query.
 * Anything else that does not parse is an error naming the expression, so a dashboard or rule the
 * allow-list cannot read fails the build rather than being dropped silently.
 */
import { parser } from "@prometheus-io/lezer-promql";
import { durationSeconds } from "../lib/duration";
import shippedSelectors from "./dashboard-selectors.json";

/** An expression this project cannot derive metric names from. */
export class PromqlError extends Error {
  constructor(
    readonly expr: string,
    reason: string,
  ) {
    super(`${reason} in PromQL ${JSON.stringify(expr)}`);
    this.name = "PromqlError";
  }
}

/**
 * Grafana's interval variables and what stands in for them while parsing (the value does not change
 * which metrics are read). `$__interval_ms`, `$__range_s` and `$__range_ms` are numbers, the rest durations.
 */
const GRAFANA_VARIABLES: Readonly<Record<string, string>> = {
  __rate_interval: "5m",
  __interval: "1m",
  __range: "1h",
  __interval_ms: "60000",
  __range_s: "3600",
  __range_ms: "3600000",
};

/** Replaces Grafana's interval variables (`$v`, `${v}`, `[[v]]`) by a stand-in value. */
export function withGrafanaVariables(expr: string): string {
  return expr.replace(
    /\$\{(__[a-z_]+)\}|\[\[(__[a-z_]+)\]\]|\$(__[a-z_]+)/g,
    (whole, a?: string, b?: string, c?: string) => GRAFANA_VARIABLES[(a ?? b ?? c) as string] ?? whole,
  );
}

/** The value of a PromQL string literal ("...", '...' or `...`). */
function unquote(literal: string): string {
  const body = literal.slice(1, -1);
  if (literal.startsWith("`")) return body;
  return body.replace(/\\(.)/g, "$1");
}

/** One selector of an expression: the metric, and the range it reads (`x[5m]`: 300) or none (an instant). */
export interface Selector {
  readonly metric: string;
  readonly rangeSeconds?: number;
}

/**
 * The metric names an expression selects, in order of appearance, each once.
 * @throws PromqlError when the expression does not parse, or selects metrics by a regex on `__name__`
 *   (no list of names can be derived from it) or by no name at all.
 */
export function selectedMetrics(expr: string): string[] {
  return [...new Set(selectorsOf(expr).map((s) => s.metric))];
}

/**
 * Every selector of an expression with the range it reads, in order of appearance.
 * @throws PromqlError as `selectedMetrics`
 */
export function selectorsOf(expr: string): Selector[] {
  // Every environment ships the same expressions: parse each once per process. The dashboards' and the
  // example environments' rules were parsed by npm run dashboards: their text is the key, so an edited
  // query or rule is parsed here.
  const key = selectorKey(expr);
  const known = parsedSelectors.get(key) ?? (shippedSelectors as Record<string, Selector[]>)[key];
  if (known) return known;
  const names = parseSelectors(expr);
  parsedSelectors.set(key, names);
  return names;
}

/**
 * What the selectors of an expression depend on: its text less the numbers and the values of `cluster` and
 * `environment` matchers, which the rules of each environment and cluster fill in (thresholds, names) and
 * which select no metric. Each environment's rules then parse once per process, not once per environment.
 */
export function selectorKey(expr: string): string {
  return expr
    .replace(/\b(cluster|environment)\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"/g, '$1$2""')
    .replace(/(?<![\w.])\d+(?:\.\d+)?(?![\w.])/g, "0");
}

/**
 * The selectors of an expression, parsed now (`selectorsOf` without its caches): what `npm run dashboards`
 * writes into monitoring/dashboard-selectors.json for the shipped dashboards and the example environments'
 * rules, so that synth does not parse their ~500 queries again (docs/performance.md).
 * @throws PromqlError as `selectedMetrics`
 */
export function parseSelectors(expr: string): Selector[] {
  const text = withGrafanaVariables(expr);
  const tree = parser.parse(text);
  const names: Selector[] = [];
  const errors: number[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) errors.push(cursor.from);
    if (cursor.name !== "VectorSelector") continue;
    const selector = cursor.node;
    const range =
      selector.parent?.name === "MatrixSelector" ? selector.parent.getChild("DurationExpr") : null;
    const rangeSeconds = range ? durationSeconds(text.slice(range.from, range.to)) : undefined;
    const identifier = selector.getChild("Identifier");
    if (identifier) {
      names.push({ metric: text.slice(identifier.from, identifier.to), rangeSeconds });
      continue;
    }
    // `{__name__="x"}` or, since Prometheus 3, `{"x"}`: the name is a matcher.
    let found: string | undefined;
    const matchers = selector.getChild("LabelMatchers");
    for (let m = matchers?.firstChild; m; m = m.nextSibling) {
      if (m.name === "QuotedLabelName") found = unquote(text.slice(m.from, m.to));
      const label = m.getChild("LabelName") ?? m.getChild("QuotedLabelName");
      if (!label) continue;
      const labelName = text.slice(label.from, label.to).replace(/^"(.*)"$/, "$1");
      if (labelName !== "__name__") continue;
      const op = m.getChild("MatchOp")?.firstChild?.name;
      const value = m.getChild("StringLiteral");
      if (op !== "EqlSingle" || !value)
        throw new PromqlError(expr, "selects metrics by a pattern on __name__ (expected exact names)");
      found = unquote(text.slice(value.from, value.to));
    }
    if (!found) throw new PromqlError(expr, "has a selector without a metric name");
    names.push({ metric: found, rangeSeconds });
  } while (cursor.next());
  if (errors.length > 0) {
    const at = errors[0];
    throw new PromqlError(
      expr,
      `does not parse at character ${at + 1} (near ${JSON.stringify(text.slice(at, at + 20))})`,
    );
  }
  return names;
}

const parsedSelectors = new Map<string, Selector[]>();

/**
 * The selectors of an expression that no aggregation encloses (`sum`, `max`, `count`, `topk` ... with or
 * without `by`): each returns every series it selects as they are, e.g. one per container of the cluster
 * for a cAdvisor metric. Dashboards may not have any (__tests__/monitoring/dashboards.test.ts): their
 * browsers would draw thousands of lines, and AMP would return them at every refresh.
 * @throws PromqlError as `selectedMetrics`
 */
export function unaggregatedSelectors(expr: string): string[] {
  selectorsOf(expr); // the same errors as selectedMetrics for what does not parse
  const text = withGrafanaVariables(expr);
  const out: string[] = [];
  const cursor = parser.parse(text).cursor();
  do {
    if (cursor.name !== "VectorSelector") continue;
    let inside = false;
    for (let n = cursor.node.parent; n && !inside; n = n.parent) inside = n.name === "AggregateExpr";
    if (!inside) out.push(text.slice(cursor.from, cursor.to));
  } while (cursor.next());
  return out;
}

/**
 * The label matchers of every selector of an expression, as written (`cluster="$cluster"`), by selector.
 * @throws PromqlError as `selectedMetrics`
 */
export function selectorMatchers(expr: string): { selector: string; matchers: string[] }[] {
  selectorsOf(expr);
  const text = withGrafanaVariables(expr);
  const out: { selector: string; matchers: string[] }[] = [];
  const cursor = parser.parse(text).cursor();
  do {
    if (cursor.name !== "VectorSelector") continue;
    const node = cursor.node;
    const matchers: string[] = [];
    for (let m = node.getChild("LabelMatchers")?.firstChild; m; m = m.nextSibling)
      if (m.name.endsWith("LabelMatcher")) matchers.push(text.slice(m.from, m.to).replace(/\s+/g, ""));
    out.push({ selector: text.slice(node.from, node.to), matchers });
  } while (cursor.next());
  return out;
}
