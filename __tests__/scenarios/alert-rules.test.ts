/**
 * Every alert rule of either collector, evaluated by `promtool test rules` against series in the
 * exporters' real label sets (__tests__/fixtures/alerts/): it fires when it should, with the labels and
 * annotations (summary, description, runbook_url) the page will carry; it stays quiet on healthy series;
 * and it clears when the series recover. The rule files under test are generated for two clusters, so a
 * per-cluster rule is seen paging for one and not the other. An alert rule without all three cases fails
 * here, as does a case for a rule no collector ships.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { ruleFileYaml } from "../../constructs/amp/rules";
import { COLLECTOR_TYPES } from "../../lib/catalogue";
import { durationSeconds } from "../../lib/duration";
import { selectedMetrics } from "../../monitoring/promql";
import {
  type PrometheusRule,
  type RuleFile,
  type RuleParams,
  ruleFilesFor,
  rulesOf,
  type Severity,
} from "../../monitoring/rules";
import { type AlertCases, alertCases, BLUE, type ExpectedAlert, GREEN, type Mode } from "../fixtures/alerts";
import { TEST_RULE_PARAMS } from "../helpers";
import { findTool } from "../tools";

/** The rule files under test: a budget of 100 samples/s, and two clusters (each with its collector's files). */
const PARAMS: RuleParams = { ...TEST_RULE_PARAMS, ingestionBudgetSamplesPerSecond: 100 };
const clustersOf = (mode: Mode) => [
  { name: BLUE, id: "blue", collector: mode },
  { name: GREEN, id: "green", collector: mode },
];

const promtool = findTool("promtool", "PROMTOOL");
if (!promtool)
  process.stdout.write(
    "alert-rules.test: promtool test rules skipped: no promtool in PROMTOOL, PATH or ~/.cache/eksmon/promtool (scripts/install-promtool.sh installs it)\n",
  );

const KINDS = ["fires", "quiet", "clears"] as const;
const keyOf = (alert: string, severity: string) => `${alert} (${severity})`;

/** The alert rules of rule files, by `alert (severity)`. */
function alertRulesByKey(files: Record<string, RuleFile>): Map<string, PrometheusRule[]> {
  const out = new Map<string, PrometheusRule[]>();
  for (const rule of rulesOf(files).filter((r) => r.alert)) {
    const key = keyOf(rule.alert as string, rule.labels?.severity ?? "");
    out.set(key, [...(out.get(key) ?? []), rule]);
  }
  return out;
}

/** The raw metrics an expression reads, through the recording rules of `files`. */
function rawMetricsOf(expr: string, files: Record<string, RuleFile>, seen = new Set<string>()): Set<string> {
  const recorded = new Map(rulesOf(files).flatMap((r) => (r.record ? [[r.record, r.expr] as const] : [])));
  const out = new Set<string>();
  for (const metric of selectedMetrics(expr)) {
    const source = recorded.get(metric);
    if (source === undefined) out.add(metric);
    else if (!seen.has(metric)) {
      seen.add(metric);
      for (const m of rawMetricsOf(source, files, seen)) out.add(m);
    }
  }
  return out;
}

/**
 * The rule files reduced to what one alert needs: its rules, and the recording rules they read (through
 * other recording rules), each in its shipped group and file, in the shipped order.
 */
function rulesNeededBy(files: Record<string, RuleFile>, alert: string): Record<string, RuleFile> {
  const recorded = new Map(rulesOf(files).flatMap((r) => (r.record ? [[r.record, r.expr] as const] : [])));
  const needed = new Set<string>();
  const visit = (expr: string) => {
    for (const metric of selectedMetrics(expr))
      if (recorded.has(metric) && !needed.has(metric)) {
        needed.add(metric);
        visit(recorded.get(metric) as string);
      }
  };
  for (const rule of rulesOf(files)) if (rule.alert === alert) visit(rule.expr);
  const keep = (r: PrometheusRule) => r.alert === alert || (r.record !== undefined && needed.has(r.record));
  return Object.fromEntries(
    Object.entries(files)
      .map(([name, file]) => {
        const groups = file.groups
          .map((g) => ({ ...g, rules: g.rules.filter(keep) }))
          .filter((g) => g.rules.length > 0);
        return [name, { groups }] as const;
      })
      .filter(([, file]) => file.groups.length > 0),
  );
}

/**
 * A template of the rule's annotations as Prometheus renders it for `labels` (the alert's series labels)
 * and a `$value` rendering to `value`. Only `{{ $labels.x }}` and `{{ $value ... }}` are used by the rules;
 * anything else fails here, so a template the test cannot check is never shipped.
 */
function render(template: string, labels: Record<string, string>, value: string | undefined): string {
  return template.replace(/\{\{\s*(.*?)\s*\}\}/g, (whole, inner: string) => {
    const label = /^\$labels\.([a-zA-Z_]\w*)$/.exec(inner);
    if (label) {
      if (!(label[1] in labels)) throw new Error(`${whole}: the expected alert has no label ${label[1]}`);
      return labels[label[1]];
    }
    if (/^\$value\b/.test(inner)) {
      if (value === undefined) throw new Error(`${whole}: the expected alert gives no value`);
      return value;
    }
    throw new Error(`${whole}: a template the tests cannot render`);
  });
}

/** promtool's expectation of one alert. */
function expected(
  rules: Map<string, PrometheusRule[]>,
  alert: string,
  caseSeverity: Severity,
  e: ExpectedAlert,
): { exp_labels: Record<string, string>; exp_annotations: Record<string, string> } {
  const severity = e.severity ?? caseSeverity;
  const rule = (rules.get(keyOf(alert, severity)) ?? []).find(
    (r) => r.labels?.cluster === undefined || r.labels.cluster === e.labels.cluster,
  );
  if (!rule) throw new Error(`no ${keyOf(alert, severity)} rule for cluster ${e.labels.cluster}`);
  const annotations = Object.fromEntries(
    Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, render(v, e.labels, e.value)]),
  );
  return { exp_labels: { ...rule.labels, ...e.labels }, exp_annotations: annotations };
}

/** The promtool test groups of one alert rule's cases, named `<alert> (<severity>) <kind>`. */
function testGroups(rules: Map<string, PrometheusRule[]>, c: AlertCases) {
  const base = (kind: string) => ({
    name: `${keyOf(c.alert, c.severity)} ${kind}`,
    interval: c.interval ?? "1m",
    ...(c.start !== undefined ? { start_timestamp: String(c.start) } : {}),
  });
  const test = (at: string, alerts: readonly ExpectedAlert[] = []) => ({
    eval_time: at,
    alertname: c.alert,
    exp_alerts: alerts.map((a) => expected(rules, c.alert, c.severity, a)),
  });
  return [
    { ...base("fires"), input_series: c.fires.input, alert_rule_test: [test(c.fires.at, c.fires.alerts)] },
    { ...base("quiet"), input_series: c.quiet.input, alert_rule_test: [test(c.quiet.at, c.quiet.others)] },
    {
      ...base("clears"),
      input_series: c.clears.input,
      alert_rule_test: [
        test(c.clears.firing.at, c.clears.firing.alerts),
        test(c.clears.clearedAt, c.clears.remaining),
      ],
    },
  ];
}

/** Names of the failed test groups in promtool's JUnit report, with their messages. */
function failuresOf(junit: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of junit.matchAll(/<testcase name="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g))
    if (m[2].includes("<failure")) out.set(m[1].replace(/&#39;/g, "'").replace(/&amp;/g, "&"), m[2]);
  return out;
}

describe.each(COLLECTOR_TYPES.map((mode) => [mode] as const))("the %s collector's alerts", (mode: Mode) => {
  const files = ruleFilesFor(clustersOf(mode), PARAMS);
  const rules = alertRulesByKey(files);
  const cases = alertCases(mode);
  const caseKeys = cases.map((c) => keyOf(c.alert, c.severity));

  it("have a firing, a quiet and a clearing case for every alert rule, and no case for a rule not shipped", () => {
    expect([...rules.keys()].filter((k) => !caseKeys.includes(k))).toEqual([]);
    expect(caseKeys.filter((k) => !rules.has(k))).toEqual([]);
    expect(caseKeys.filter((k, i) => caseKeys.indexOf(k) !== i)).toEqual([]);
    for (const c of cases)
      for (const kind of KINDS)
        expect({ key: keyOf(c.alert, c.severity), kind, has: !!c[kind] }).toMatchObject({ has: true });
  });

  it.each(cases.map((c) => [keyOf(c.alert, c.severity), c] as const))(
    "%s: cases in the shape the checks need",
    (_key, c) => {
      const inputs = [...c.fires.input, ...c.quiet.input, ...c.clears.input];
      // Every series as AMP holds it: with the cluster its collector labels it with.
      expect(inputs.filter((i) => !/[{,]\s*cluster="[^"]+"/.test(i.series)).map((i) => i.series)).toEqual([]);
      // The firing alerts include this severity and name their cluster.
      for (const alerts of [c.fires.alerts, c.clears.firing.alerts]) {
        expect(alerts.some((a) => (a.severity ?? c.severity) === c.severity)).toBe(true);
        expect(alerts.filter((a) => !a.labels.cluster)).toEqual([]);
      }
      for (const others of [c.quiet.others ?? [], c.clears.remaining ?? []])
        expect(others.filter((a) => (a.severity ?? c.severity) === c.severity)).toEqual([]);
      expect(durationSeconds(c.clears.clearedAt)).toBeGreaterThan(durationSeconds(c.clears.firing.at));
      // Quiet on healthy series of what the alert reads, not on no series at all.
      const read = new Set(
        (rules.get(keyOf(c.alert, c.severity)) ?? []).flatMap((r) => [...rawMetricsOf(r.expr, files)]),
      );
      const present = c.quiet.input.map((i) => i.series.slice(0, i.series.indexOf("{")));
      if (!c.quiet.absentWhenHealthy) expect(present.filter((m) => read.has(m)).length).toBeGreaterThan(0);
    },
  );

  const runPromtool = promtool ? it : it.skip;
  describe("under promtool test rules", () => {
    let failures: Map<string, string> | undefined;
    let output = "";
    beforeAll(() => {
      if (!promtool) return;
      const dir = mkdtempSync(join(tmpdir(), `alert-rules-${mode}-`));
      try {
        // One test file per alert, loading the shipped rules it needs (its own, and the recording rules
        // it reads): promtool evaluates every loaded rule at every step of every case.
        const testFiles = [...new Set(cases.map((c) => c.alert))].map((alert) => {
          const ruleFiles = Object.entries(rulesNeededBy(files, alert)).map(([name, file]) => {
            const path = join(dir, `${alert}-${name}.yaml`);
            writeFileSync(path, ruleFileYaml(file));
            return path;
          });
          const path = join(dir, `${alert}.test.yaml`);
          const tests = cases.filter((c) => c.alert === alert).flatMap((c) => testGroups(rules, c));
          // Recording rules first: AMP evaluates each namespace on its own, so an alert may read a recorded
          // value a minute old; the tests fix the order to expect exact values.
          // (promtool sorts the groups it is not told about first: every group is listed.)
          const groups = Object.values(rulesNeededBy(files, alert)).flatMap((f) => f.groups);
          const order = [
            ...new Set(
              [
                ...groups.filter((g) => g.rules.some((r) => r.record)),
                ...groups.filter((g) => !g.rules.some((r) => r.record)),
              ].map((g) => g.name),
            ),
          ];
          writeFileSync(
            path,
            stringify(
              { rule_files: ruleFiles, evaluation_interval: "1m", group_eval_order: order, tests },
              { lineWidth: 0 },
            ),
          );
          return path;
        });
        const junit = join(dir, "junit.xml");
        const run = spawnSync(promtool, ["test", "rules", `--junit=${junit}`, ...testFiles], {
          encoding: "utf8",
        });
        output = `${run.stdout}${run.stderr}`;
        failures = failuresOf(readFileSync(junit, "utf8"));
        if (run.status !== 0 && failures.size === 0) failures.set("(promtool)", output);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 600_000);

    runPromtool.each(
      cases.flatMap((c) => KINDS.map((kind) => [`${keyOf(c.alert, c.severity)} ${kind}`] as const)),
    )("%s", (name) => {
      expect(failures?.get("(promtool)") ?? "").toBe("");
      expect(failures?.get(name) ?? "").toBe("");
    });

    runPromtool("promtool ran every case", () => {
      expect(output).toMatch(/SUCCESS|FAILED/);
    });
  });
});
