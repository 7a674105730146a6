/**
 * Evaluates every panel and variable query of the dashboards against series with `promtool test rules`, so a
 * query that returns nothing (a panel that would say "No data") fails:
 * - every query, with the dashboard's variables bound to each binding of the world that the dashboard's
 *   variables range over, must return at least one sample that is not NaN
 *   (`count((q) == (q)) > bool 0` equals 1: NaN never equals itself);
 * - every selector of a query must select a series under at least one binding (a label typo in one branch
 *   of an `or` cannot hide behind the branch that answers).
 * Grafana's interval variables become the durations Grafana would send ($__rate_interval 5m, $__range 1h).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parser } from "@prometheus-io/lezer-promql";
import { stringify } from "yaml";
import { type DashboardModel, dashboardQueries } from "../../../monitoring/dashboards";
import { withGrafanaVariables } from "../../../monitoring/promql";
import { type Binding, EVAL_MINUTES, type Series } from "./world";

/** One check promtool runs: the expression, and what it proves. */
export interface Check {
  readonly expr: string;
  /** e.g. `dashboard "Pod": CPU used (namespace=shop, pod=cart-db-0)` or `... selector kube_pod_info{...}`. */
  readonly what: string;
}

/**
 * The expression with the dashboard's variables bound (`$name`, `${name}`, `[[name]]`) and Grafana's interval
 * variables replaced. Throws when a variable is left that the binding does not set.
 */
export function bind(expr: string, binding: Partial<Binding>): string {
  const bound = withGrafanaVariables(expr).replace(
    /\$\{([A-Za-z_]\w*)\}|\[\[([A-Za-z_]\w*)\]\]|\$([A-Za-z_]\w*)/g,
    (_whole, a?: string, b?: string, c?: string) => {
      const name = (a ?? b ?? c) as keyof Binding;
      const value = binding[name];
      if (value === undefined) throw new Error(`no value for $${name} in ${expr}`);
      return value;
    },
  );
  return bound;
}

/** The text of every vector selector of an expression, without ranges (`x{a="b"}[5m]` gives `x{a="b"}`). */
export function selectorTexts(expr: string): string[] {
  const out: string[] = [];
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.name === "VectorSelector") out.push(expr.slice(cursor.from, cursor.to));
  } while (cursor.next());
  return out;
}

type VariableModel = { name: string; type: string; includeAll?: boolean; allValue?: string };

/**
 * The bindings a dashboard's queries range over: one per distinct value set of the variables it has. A
 * variable that offers "All" (the fleet's clusters, the volumes' namespaces) takes its all-value, the
 * default a user sees.
 */
function bindingsFor(model: DashboardModel, bindings: readonly Binding[]): Partial<Binding>[] {
  const list = ((model.templating as { list?: VariableModel[] } | undefined)?.list ?? []).filter(
    (v) => v.name !== "datasource",
  );
  const seen = new Map<string, Partial<Binding>>();
  for (const b of bindings) {
    const subset = Object.fromEntries(
      list.map((v) => [v.name, v.includeAll && v.allValue ? v.allValue : b[v.name as keyof Binding]]),
    ) as Partial<Binding>;
    seen.set(JSON.stringify(subset), subset);
  }
  return [...seen.values()];
}

/** "count of the non-NaN samples of q, if any": present exactly when q answers. */
const answers = (q: string) => `count((${q}) == (${q}))`;
/** Present (1) when any of the alternatives is present. */
const anyOf = (alternatives: readonly string[]) => `(${[...new Set(alternatives)].join(" or ")}) > bool 0`;

/**
 * The label a variable's values come from: `label_values(<selector>, <label>)`'s label, or the label a
 * `query_result` variable's regex extracts (`/owner_name="([^"]+)"/`).
 */
export function variableLabel(query: string, regex?: string): string | undefined {
  const values = /,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/.exec(query);
  if (query.trim().startsWith("label_values(") && values) return values[1];
  const extracted = regex ? /([A-Za-z_][A-Za-z0-9_]*)="\(/.exec(regex) : null;
  return extracted?.[1];
}

type Variable = {
  name: string;
  type: string;
  query?: unknown;
  regex?: string;
  includeAll?: boolean;
  allValue?: string;
};

/**
 * Checks that each query variable offers the value the bindings give it (so the chain below it has
 * something to select): its expression, kept where the variable's label has that value.
 */
function variableChecks(model: DashboardModel, scopes: readonly Partial<Binding>[]): Check[] {
  const list = ((model.templating as { list?: Variable[] } | undefined)?.list ?? []).filter(
    (v) => v.type === "query",
  );
  return list.flatMap((v) => {
    const query = typeof v.query === "string" ? v.query : ((v.query as { query?: string })?.query ?? "");
    const expr = dashboardQueries({ ...model, panels: [], templating: { list: [v] } })[0]?.expr;
    const label = variableLabel(query, v.regex);
    if (!expr || !label) return [];
    return scopes.map((b) => {
      const value = b[v.name as keyof Binding];
      if (value === undefined)
        throw new Error(`dashboard "${model.title}": no binding for variable ${v.name}`);
      if (v.includeAll && value === v.allValue)
        return {
          expr: `${answers(bind(expr, b))} > bool 0`,
          what: `dashboard "${model.title}": variable ${v.name} offers nothing`,
        };
      return {
        expr: `count((${bind(expr, b)}) and on (${label}) label_replace(vector(1), "${label}", "${value}", "", "")) > bool 0`,
        what: `dashboard "${model.title}": variable ${v.name} does not offer ${value}`,
      };
    });
  });
}

/**
 * The checks of one dashboard (already filtered for the collector):
 * - each panel answers under every binding (at least one of its queries returns a non-NaN sample: a table
 *   may leave a column empty, e.g. a container without a memory limit, never the whole panel);
 * - each query answers under at least one binding, and each of its selectors selects under at least one;
 * - each variable offers the value each binding gives it.
 */
export function checksOf(
  model: DashboardModel,
  bindings: readonly Binding[],
  /**
   * Check each selector too. Off for series real exporters wrote at one quiet moment: some series exist only
   * once something happened (an API request rejected), which the fixture series model. @default true
   */
  selectors = true,
): Check[] {
  const checks: Check[] = [];
  const scopes = bindingsFor(model, bindings);
  const label = (b: Partial<Binding>) =>
    Object.entries(b)
      .filter(([k]) => k !== "cluster")
      .map(([k, v]) => `${k}=${v}`)
      .join(", ");
  const queries = dashboardQueries(model);
  const panels = new Map<string, typeof queries>();
  for (const q of queries) {
    const key = q.panelId !== undefined ? `panel ${q.panelId}` : `variable ${q.variable}`;
    panels.set(key, [...(panels.get(key) ?? []), q]);
  }
  for (const group of panels.values()) {
    const first = group[0];
    const where = `dashboard "${model.title}": ${first.panel ?? `variable ${first.variable}`}`;
    for (const b of scopes)
      checks.push({
        expr: anyOf(group.map((q) => answers(bind(q.expr, b)))),
        what: `${where}${scopes.length > 1 || label(b) ? ` (${label(b)})` : ""} says "No data"`,
      });
    for (const q of group) {
      const text = `${where}: query ${q.expr.length > 80 ? `${q.expr.slice(0, 77)}...` : q.expr}`;
      const bound = scopes.map((b) => bind(q.expr, b));
      if (group.length > 1 || scopes.length > 1)
        checks.push({ expr: anyOf(bound.map(answers)), what: `${text} returns nothing under any binding` });
      const texts = selectors ? selectorTexts(withGrafanaVariables(q.expr)) : [];
      texts.forEach((selector, i) => {
        checks.push({
          expr: anyOf(bound.map((expr) => `count(${selectorTexts(expr)[i]})`)),
          what: `${text}: selector ${selector} selects nothing under any binding`,
        });
      });
    }
  }
  return [...checks, ...variableChecks(model, scopes)];
}

/** A series in promtool's notation: `name{a="b", ...}`. */
export function seriesText(labels: Readonly<Record<string, string>>): string {
  const { __name__: name, ...rest } = labels;
  const pairs = Object.entries(rest)
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `${name}{${pairs.join(", ")}}`;
}

/** The promtool unit-test file evaluating the checks against the series at the end of their span. */
export function promtoolTestFile(series: readonly Series[], checks: readonly Check[]): string {
  return stringify(
    {
      rule_files: [],
      evaluation_interval: "1m",
      tests: [
        {
          interval: "1m",
          input_series: series.map((s) => ({ series: seriesText(s.labels), values: s.values })),
          promql_expr_test: checks.map((c) => ({
            expr: c.expr,
            eval_time: `${EVAL_MINUTES}m`,
            exp_samples: [{ labels: "{}", value: 1 }],
          })),
        },
      ],
    },
    { lineWidth: 0 },
  );
}

/** Runs the checks; returns what failed (empty when every query answers). */
export function evaluate(promtool: string, series: readonly Series[], checks: readonly Check[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), "dashboard-check-"));
  try {
    const file = join(dir, "dashboards.test.yaml");
    writeFileSync(file, promtoolTestFile(series, checks));
    try {
      execFileSync(promtool, ["test", "rules", file], {
        encoding: "utf8",
        stdio: "pipe",
        maxBuffer: 64 * 2 ** 20,
      });
      return [];
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string };
      const output = `${e.stdout ?? ""}\n${e.stderr ?? ""}`;
      const byExpr = new Map(checks.map((c) => [c.expr, c.what]));
      const failed = [...output.matchAll(/expr: ("(?:[^"\\]|\\.)*"), time:/g)].map((m) => {
        const expr = JSON.parse(m[1]) as string;
        return byExpr.get(expr) ?? expr;
      });
      // A failure promtool reports otherwise (a parse error, a bad file) is returned as it said it.
      return failed.length > 0 ? failed : [output.trim()];
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
