/**
 * Each environment ships only the rules and dashboard panels its collector can answer, and its collector
 * sends AMP exactly what they read: an alert on a series the collector never writes pages forever, a panel
 * on a metric the allow-list drops stays "No data", and a metric kept that nothing reads is paid for
 * nothing. Checked on the synthesized stacks of both collectors, with the Prometheus grammar's parser
 * (monitoring/promql.ts), down to the `job` a selector names.
 */
import { parse } from "yaml";
import type { EnvironmentConfig } from "../../config/environment";
import type { CollectorType } from "../../lib/catalogue";
import { RULER_SERIES, rawMetricsRead, type ShippedExpression } from "../../monitoring/allow-list";
import { type DashboardModel, dashboardQueries } from "../../monitoring/dashboards";
import { jobsOf, metricsCollectedBy } from "../../monitoring/metrics";
import { selectedMetrics } from "../../monitoring/promql";
import type { RuleFile } from "../../monitoring/rules";
import { exampleEnv, resourcesOf, type SynthesizedEnvironment, synthEnvironment } from "../helpers";

/** Every PromQL expression an environment ships to AMP, read back from its synthesized stacks. */
function shippedExpressions({ json }: SynthesizedEnvironment): {
  expressions: ShippedExpression[];
  recorded: string[];
} {
  // The shared rules (the workspace's stack) and the collector's own (the cluster's stack).
  const files = [json["cluster-monitoring"], json.cluster]
    .flatMap((stack) => Object.values(resourcesOf(stack, "aws_prometheus_rule_group_namespace")))
    .map((ns) => ({ name: ns.name as string, file: parse(ns.data as string) as RuleFile }));
  const rules = files.flatMap(({ name, file }) =>
    file.groups.flatMap((g) =>
      g.rules.map((r) => ({ where: `${name}: ${r.alert ?? r.record}`, expr: r.expr })),
    ),
  );
  const recorded = files.flatMap(({ file }) =>
    file.groups.flatMap((g) => g.rules.flatMap((r) => (r.record ? [r.record] : []))),
  );
  // grafana.com imports arrive at apply time (a Terraform expression): metrics.extra covers them.
  const shipped = Object.values(resourcesOf(json["grafana-config"], "grafana_dashboard")).filter(
    (d) => !(d.config_json as string).startsWith("${"),
  );
  // Panels and variables querying AMP (through the `datasource` variable), as Grafana reads the text.
  const panels = shipped.flatMap((d) =>
    dashboardQueries(JSON.parse((d.config_json as string).replaceAll("$${", "${")) as DashboardModel).map(
      ({ where, expr }) => ({ where, expr }),
    ),
  );
  return { expressions: [...rules, ...panels], recorded };
}

/** The `keep` regexes on `__name__` the collector applies to what it sends, one per place it is applied. */
function keepRegexes({ json }: SynthesizedEnvironment, type: CollectorType): string[] {
  type Relabel = { source_labels?: string[]; action?: string; regex?: string };
  const keeps = (rules: Relabel[] | undefined) =>
    (rules ?? [])
      .filter((r) => r.action === "keep" && r.source_labels?.join() === "__name__")
      .map((r) => r.regex as string);
  if (type === "prometheus") {
    const release = Object.values(resourcesOf(json.cluster, "helm_release"))[0];
    const values = parse((release.values as string[])[0]) as {
      server: { remoteWrite: { write_relabel_configs?: Relabel[] }[] };
    };
    return values.server.remoteWrite.flatMap((w) => keeps(w.write_relabel_configs));
  }
  const scraper = Object.values(resourcesOf(json.cluster, "aws_prometheus_scraper"))[0];
  const config = parse(scraper.scrape_configuration as string) as {
    scrape_configs: { job_name: string; metric_relabel_configs?: Relabel[] }[];
  };
  // Every job filters: one keep per job, all the same.
  return config.scrape_configs.flatMap((job) => {
    const k = keeps(job.metric_relabel_configs);
    return k.length ? k : [`(job ${job.job_name} has no keep)`];
  });
}

/** The exact names and the extra patterns of a keep regex (`a|b|(?:pattern)`). */
function splitKeep(regex: string): { names: string[]; patterns: string[] } {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of regex) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "|" && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return {
    names: parts.filter((p) => !p.startsWith("(?:")),
    patterns: parts.filter((p) => p.startsWith("(?:")).map((p) => p.slice(3, -1)),
  };
}

/** `job` values a selector requires, e.g. `up{job="prometheus"}` → prometheus. */
const requiredJobs = (expr: string) => [...expr.matchAll(/\bjob\s*=\s*"([^"]+)"/g)].map((m) => m[1]);

/** The example with one cluster (its first), running this collector. */
const withCollector = (name: string, type: CollectorType) =>
  exampleEnv(name, (e) => {
    e.clusters.splice(1);
    delete e.grafana.dashboards;
    if (e.clusters[0].collector?.type === type) return;
    e.clusters[0].collector =
      type === "managed"
        ? { type: "managed", subnetIds: e.network.endpointSubnetIds!.slice(0, 2) }
        : { type: "prometheus" };
    delete e.grafana.dashboards;
  });

describe.each([
  ["dev", "prometheus"],
  ["staging", "managed"],
  ["dev", "managed"],
  ["staging", "prometheus"],
  ["prod", "prometheus"],
] as const)("%s with the %s collector", (name, type) => {
  const env: EnvironmentConfig = withCollector(name, type);
  const synthesized = synthEnvironment(env);
  const { expressions, recorded } = shippedExpressions(synthesized);
  const known = new Set([...metricsCollectedBy(type), ...recorded, ...RULER_SERIES]);

  it("ships rules and panels that read only metrics its collector writes or its rules record", () => {
    expect(expressions.length).toBeGreaterThan(10);
    const unanswerable = expressions.flatMap(({ where, expr }) =>
      selectedMetrics(expr)
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

  it("alerts when its own collector goes silent, for its cluster only", () => {
    const silent = expressions.find((e) => e.where.endsWith("CollectorSilent"));
    expect(silent?.expr).toBe(
      `absent(up{job="${requiredJobs(silent!.expr)[0]}", cluster="${env.clusters[0].name}"})`,
    );
    expect(jobsOf(type)).toContain(requiredJobs(silent!.expr)[0]);
  });

  it("sends AMP every metric a shipped expression reads (no panel left without data)", () => {
    const regexes = keepRegexes(synthesized, type);
    expect(regexes.length).toBeGreaterThan(0);
    expect(new Set(regexes).size).toBe(1);
    const kept = new Set(splitKeep(regexes[0]).names);
    const dropped = expressions.flatMap(({ where, expr }) =>
      selectedMetrics(expr)
        .filter(
          (m) => !recorded.includes(m) && !(RULER_SERIES as readonly string[]).includes(m) && !kept.has(m),
        )
        .map((m) => `${where}: ${m}`),
    );
    expect(dropped).toEqual([]);
  });

  it("keeps nothing that no shipped expression reads, besides metrics.extra", () => {
    const { names, patterns } = splitKeep(keepRegexes(synthesized, type)[0]);
    expect(names).toEqual(rawMetricsRead(expressions, recorded));
    expect(patterns).toEqual(env.metrics.extra);
  });
});

describe("with metrics.sendAll", () => {
  it.each(["prometheus", "managed"] as const)(
    "the %s collector sends everything: no keep anywhere",
    (type) => {
      const env = exampleEnv("staging", (e) => {
        e.clusters[0].collector =
          type === "managed"
            ? { type: "managed", subnetIds: e.network.endpointSubnetIds!.slice(0, 2) }
            : { type: "prometheus" };
        delete e.grafana.dashboards;
        e.metrics = { sendAll: true };
      });
      const regexes = keepRegexes(synthEnvironment(env), type);
      expect(regexes.every((r) => r.startsWith("(job "))).toBe(true);
      if (type === "prometheus") expect(regexes).toEqual([]);
    },
  );
});

describe("the checks themselves", () => {
  it("catch what the managed collector shipped before: an alert on the in-cluster server's own job", () => {
    expect(
      requiredJobs('absent(up{job="prometheus"})').filter((j) => !jobsOf("managed").includes(j)),
    ).toEqual(["prometheus"]);
    expect(metricsCollectedBy("managed").has("prometheus_remote_storage_samples_total")).toBe(false);
  });

  it("split a keep regex into the names and the extra patterns", () => {
    expect(splitKeep("up|node_cpu_seconds_total|(?:myapp_(a|b)_.*)")).toEqual({
      names: ["up", "node_cpu_seconds_total"],
      patterns: ["myapp_(a|b)_.*"],
    });
  });
});
