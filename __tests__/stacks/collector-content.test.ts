/**
 * Each environment ships only the rules and dashboard panels its collector can answer: an alert on a series
 * the collector never writes pages forever, and a panel on one stays "No data". Checked on the synthesized
 * stacks of both collectors, down to the `job` a selector names.
 */
import { parse } from "yaml";
import type { EnvironmentConfig } from "../../lib/config/schema";
import type { CollectorType } from "../../monitoring/collectors";
import { jobsOf, metricsCollectedBy } from "../../monitoring/metrics";
import type { RuleFile } from "../../monitoring/rules";
import { metricNames } from "../fixtures/promql";
import { exampleEnv, resourcesOf, synthEnvironment } from "../helpers";

/** Every PromQL expression an environment ships: rule expressions, then dashboard targets. */
function shippedExpressions(env: EnvironmentConfig): { where: string; expr: string }[] {
  const { json } = synthEnvironment(env);
  const rules = Object.values(
    resourcesOf(json["cluster-monitoring"], "aws_prometheus_rule_group_namespace"),
  ).flatMap((ns) =>
    (parse(ns.data as string) as RuleFile).groups.flatMap((g) =>
      g.rules.map((r) => ({ where: `${ns.name}: ${r.alert ?? r.record}`, expr: r.expr, record: r.record })),
    ),
  );
  type Panel = { title: string; targets?: { expr: string }[] };
  // grafana.com imports arrive at apply time (a Terraform expression): docs/grafana-as-code.md covers them.
  const shipped = Object.values(resourcesOf(json["grafana-config"], "grafana_dashboard")).filter(
    (d) => !(d.config_json as string).startsWith("${"),
  );
  const panels = shipped.flatMap((d) => {
    const model = JSON.parse(d.config_json as string) as { title: string; panels: Panel[] };
    return model.panels.flatMap((p) =>
      (p.targets ?? []).map((t) => ({ where: `${model.title}: ${p.title}`, expr: t.expr })),
    );
  });
  return [...rules, ...panels];
}

/** The series an environment's rules record. */
function recorded(env: EnvironmentConfig): Set<string> {
  const { json } = synthEnvironment(env);
  return new Set(
    Object.values(resourcesOf(json["cluster-monitoring"], "aws_prometheus_rule_group_namespace")).flatMap(
      (ns) =>
        (parse(ns.data as string) as RuleFile).groups.flatMap((g) =>
          g.rules.flatMap((r) => (r.record ? [r.record] : [])),
        ),
    ),
  );
}

/** `job` values a selector requires, e.g. `up{job="prometheus"}` → prometheus. */
const requiredJobs = (expr: string) => [...expr.matchAll(/\bjob\s*=\s*"([^"]+)"/g)].map((m) => m[1]);

const withCollector = (name: string, type: CollectorType) =>
  exampleEnv(name, (e) => {
    if (e.collector?.type === type) return;
    e.collector =
      type === "managed"
        ? { type: "managed", subnetIds: e.network.endpointSubnetIds.slice(0, 2) }
        : { type: "prometheus" };
    delete e.grafana.dashboards;
  });

describe.each([
  ["dev", "prometheus"],
  ["staging", "managed"],
  ["dev", "managed"],
  ["staging", "prometheus"],
] as const)("%s with the %s collector", (name, type) => {
  const env = withCollector(name, type);
  const expressions = shippedExpressions(env);
  const known = new Set([...metricsCollectedBy(type), ...recorded(env)]);

  it("ships rules and panels that read only metrics its collector writes or its rules record", () => {
    expect(expressions.length).toBeGreaterThan(10);
    const unanswerable = expressions.flatMap(({ where, expr }) =>
      metricNames(expr)
        .filter((m) => !known.has(m))
        .map((m) => `${where}: ${m}`),
    );
    expect(unanswerable).toEqual([]);
  });

  it("selects only jobs its collector scrapes", () => {
    const jobs = jobsOf(type);
    const foreign = expressions.flatMap(({ where, expr }) =>
      requiredJobs(expr)
        .filter((j) => !jobs.includes(j))
        .map((j) => `${where}: job="${j}"`),
    );
    expect(foreign).toEqual([]);
  });

  it("alerts when its own collector goes silent", () => {
    const silent = expressions.find((e) => e.where.endsWith("CollectorSilent"));
    expect(silent?.expr).toMatch(/^absent\(up\{job="[^"]+"\}\)$/);
    expect(jobsOf(type)).toContain(requiredJobs(silent!.expr)[0]);
  });
});

describe("the check itself", () => {
  it("catches what the managed collector shipped before: an alert on the in-cluster server's own job", () => {
    expect(
      requiredJobs('absent(up{job="prometheus"})').filter((j) => !jobsOf("managed").includes(j)),
    ).toEqual(["prometheus"]);
    expect(metricsCollectedBy("managed").has("prometheus_remote_storage_samples_total")).toBe(false);
  });
});
