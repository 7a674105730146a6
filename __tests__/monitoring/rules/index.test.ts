/**
 * The rule files as AMP receives them: Prometheus's rule-file shape, metrics their collector writes, every
 * rule keeping `cluster`, every alert labelled and annotated for the page it becomes, thresholds from the
 * environment, one collector-silence alert per cluster, and `promtool check rules` when promtool is here.
 * What each alert does on series is __tests__/scenarios/alert-rules.test.ts's.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parser } from "@prometheus-io/lezer-promql";
import { parse } from "yaml";
import { SEVERITIES as ROUTED_SEVERITIES } from "../../../constructs/amp/alert-manager-config";
import { ruleFileYaml } from "../../../constructs/amp/rules";
import { SECONDS_PER_MONTH } from "../../../cost/prices";
import { COLLECTOR_TYPES } from "../../../lib/catalogue";
import { metricsCollectedBy } from "../../../monitoring/metrics";
import { selectedMetrics } from "../../../monitoring/promql";
import {
  alertNamesOf,
  alertRules,
  COLLECTOR_RULE_FILES,
  type PrometheusRule,
  prometheusCollectorRules,
  type RuleParams,
  recordedNamesOf,
  ruleClustersOf,
  ruleFilesFor,
  ruleFilesOfCollector,
  ruleParamsOf,
  rulesOf,
  runbookBaseUrl,
} from "../../../monitoring/rules";
import { exampleEnv, exampleRuleParams, TEST_RULE_PARAMS } from "../../helpers";
import { findTool } from "../../tools";

const params = exampleRuleParams("dev");
/** Every rule file either collector ships, with the collector that ships it. */
const files = COLLECTOR_TYPES.flatMap((collector) =>
  Object.entries(ruleFilesOfCollector(collector, params)).map(
    ([name, file]) => [`${collector}: ${name}`, collector, file] as const,
  ),
);
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const promtool = findTool("promtool", "PROMTOOL");
const NO_PROMTOOL =
  "skipped: no promtool in PROMTOOL, PATH or ~/.cache/eksmon/promtool; scripts/install-promtool.sh installs it";
const withPromtool = promtool ? it : it.skip;
if (!promtool) process.stdout.write(`rules/index.test: promtool check ${NO_PROMTOOL}\n`);

/**
 * Where an expression can lose the `cluster` label: an aggregation `by` labels without it (or `without`
 * it), a match `on` labels without it (or `ignoring` it). `and on ()` against a whole-environment total
 * is the one deliberate exception (AmpIngestionNearBudget compares each cluster with the sum of all).
 */
function clusterLosses(expr: string): string[] {
  const tree = parser.parse(expr);
  const out: string[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.name === "AggregateExpr" && !cursor.node.getChild("AggregateModifier")) {
      // A bare aggregation keeps no label: only the whole-environment total may be one.
      if (!/\band on \(\) \($/.test(expr.slice(0, cursor.from)))
        out.push(`${expr.slice(cursor.from, cursor.to).split("(")[0]}(...) without by`);
      continue;
    }
    if (cursor.name !== "AggregateModifier" && cursor.name !== "MatchingModifierClause") continue;
    const text = expr.slice(cursor.from, cursor.to);
    const labels = (/\(([^)]*)\)/.exec(text)?.[1] ?? "").split(",").map((l) => l.trim());
    const keyword = text.split(/[\s(]/)[0];
    const keeps =
      keyword === "by" || keyword === "on" ? labels.includes("cluster") : !labels.includes("cluster");
    const wholeEnvironment =
      keyword === "on" &&
      labels.join("") === "" &&
      /^and\b/.test(expr.slice(cursor.from - 4, cursor.from).trim());
    if (!keeps && !wholeEnvironment) out.push(text);
  } while (cursor.next());
  return out;
}

describe.each(files)("the %s rule file", (_name, collector, file) => {
  const parsed = parse(ruleFileYaml(file)) as { groups: Record<string, unknown>[] };

  it("parses back from YAML into Prometheus's rule-file shape", () => {
    expect(Object.keys(parsed)).toEqual(["groups"]);
    const groupNames = parsed.groups.map((g) => g.name);
    expect(new Set(groupNames).size).toBe(groupNames.length);
    for (const group of parsed.groups) {
      expect(Object.keys(group).every((k) => ["name", "interval", "rules"].includes(k))).toBe(true);
      if (group.interval !== undefined) expect(group.interval).toMatch(DURATION);
      const rules = group.rules as Record<string, unknown>[];
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        // exactly one of record / alert, an expression, and only the fields each kind allows
        expect("record" in rule !== "alert" in rule).toBe(true);
        expect(typeof rule.expr).toBe("string");
        const allowed =
          "record" in rule ? ["record", "expr", "labels"] : ["alert", "expr", "for", "labels", "annotations"];
        expect(Object.keys(rule).filter((k) => !allowed.includes(k))).toEqual([]);
        if ("record" in rule) expect(rule.record).toMatch(METRIC_NAME);
        if ("for" in rule) expect(rule.for).toMatch(DURATION);
      }
    }
  });

  it("only reads metrics its collector scrapes or a recording rule shipped with it produces", () => {
    const known = new Set([
      ...metricsCollectedBy(collector),
      ...recordedNamesOf(ruleFilesOfCollector(collector, params)),
    ]);
    const unknown = parsed.groups
      .flatMap((g) => g.rules as { expr: string }[])
      .flatMap((r) => selectedMetrics(r.expr))
      .filter((m) => !known.has(m));
    expect(unknown).toEqual([]);
  });

  it("keeps the cluster label through every aggregation and match", () => {
    const losses = file.groups
      .flatMap((g) => g.rules)
      .flatMap((r) => clusterLosses(r.expr).map((l) => `${r.record ?? r.alert}: ${l}`));
    expect(losses).toEqual([]);
  });

  withPromtool(`passes \`promtool check rules\`${promtool ? "" : ` (${NO_PROMTOOL})`}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "rules-"));
    const path = join(dir, "rules.yaml");
    writeFileSync(path, ruleFileYaml(file));
    expect(() => execFileSync(promtool!, ["check", "rules", path], { encoding: "utf8" })).not.toThrow();
  });
});

describe("the cluster check itself", () => {
  it("sees an aggregation or a match that drops cluster, and lets one that keeps it pass", () => {
    expect(clusterLosses("sum by (namespace) (x)")).toEqual(["by (namespace)"]);
    expect(clusterLosses("sum(rate(x[5m]))")).toEqual(["sum(...) without by"]);
    expect(clusterLosses("a / on () b")).toEqual(["on ()"]);
    expect(clusterLosses("a / on (pod) b")).toEqual(["on (pod)"]);
    expect(clusterLosses("a / ignoring (cluster) b")).toEqual(["ignoring (cluster)"]);
    expect(clusterLosses("sum without (cluster) (x)")).toEqual(["without (cluster)"]);
    expect(clusterLosses("sum by (cluster, pod) (x) / on (cluster, pod) max by (cluster, pod) (y)")).toEqual(
      [],
    );
    expect(clusterLosses("a and on () (sum(b) > 1)")).toEqual([]);
  });
});

describe("alert rules", () => {
  const common = [
    "PodCrashLooping",
    "PodNotReady",
    "ContainerWaiting",
    "ContainerOomKilled",
    "DeploymentReplicasMismatch",
    "DeploymentRolloutStuck",
    "StatefulSetReplicasMismatch",
    "DaemonSetRolloutStuck",
    "JobFailed",
    "JobNotCompleted",
    "HpaMaxedOut",
    "HpaReplicasMismatch",
    "NodeNotReady",
    "NodeMemoryPressure",
    "NodeDiskPressure",
    "NodePidPressure",
    "NodeFilesystemFillingUp",
    "NodeFilesystemAlmostFull",
    "NodeClockSkew",
    "NodeClockNotSynchronising",
    "NodeMemoryHighUtilisation",
    "NodePodsNearCapacity",
    "NodeConntrackNearLimit",
    "PersistentVolumeFillingUp",
    "PersistentVolumePredictedFull",
    "PersistentVolumeInodesAlmostFull",
    "PersistentVolumeErrors",
    "ApiServerErrorBudgetBurn",
    "ApiServerLatencyBudgetBurn",
    "ApiServerErrors",
    "ApiServerLatencyHigh",
    "ApiServerClientCertificateExpiration",
    "ApiServerTerminatedRequests",
    "TargetDown",
  ];
  const everyCollector = [
    "CollectorSilent",
    "KubeStateMetricsAbsent",
    "NodeExporterAbsent",
    "KubeletMetricsAbsent",
  ];
  const prometheusOnly = [
    "RemoteWriteBehind",
    "RemoteWriteFailing",
    "RemoteWriteShardsMaxedOut",
    "CollectorConfigReloadFailed",
    "CollectorWalErrors",
  ];

  it("are the shared set, each collector's own, and the budget's when there is one", () => {
    expect(alertNamesOf(ruleFilesOfCollector("prometheus", params)).sort()).toEqual(
      [...common, ...everyCollector, ...prometheusOnly].sort(),
    );
    expect(alertNamesOf(ruleFilesOfCollector("managed", params)).sort()).toEqual(
      [...common, ...everyCollector].sort(),
    );
    const withBudget = exampleRuleParams("prod");
    expect(withBudget.ingestionBudgetSamplesPerSecond).toBeGreaterThan(0);
    expect(alertNamesOf(ruleFilesOfCollector("prometheus", withBudget))).toContain("AmpIngestionNearBudget");
  });

  it("take their thresholds and pending time from the environment", () => {
    const t = {
      remoteWriteLagSeconds: 123,
      remoteWriteFailedPercent: 2.5,
      apiServerErrorPercent: 7,
      apiServerLatencyP99Seconds: 0.75,
      persistentVolumeUsedPercent: 91,
      persistentVolumeCriticalPercent: 98.5,
      apiServerAvailabilitySloPercent: 99.5,
      apiServerLatencySloPercent: 99.9,
      ingestionBudgetPercent: 50,
      forMinutes: 3,
    };
    const p: RuleParams = { ...TEST_RULE_PARAMS, thresholds: t, ingestionBudgetSamplesPerSecond: 1000 };
    const rules = [
      ...rulesOf({ a: alertRules(p) }),
      ...rulesOf({ b: prometheusCollectorRules(p, "eks-test") }),
    ];
    const one = (name: string, severity?: string) =>
      rules.find((r) => r.alert === name && (!severity || r.labels?.severity === severity)) as PrometheusRule;
    expect(one("RemoteWriteBehind").expr).toBe('remote_write:lag_seconds{cluster="eks-test"} > 123');
    expect(one("RemoteWriteFailing").expr).toBe(
      'remote_write:samples_failed:ratio_rate5m{cluster="eks-test"} * 100 > 2.5',
    );
    expect(one("ApiServerErrors").expr).toBe("apiserver:request_errors:ratio_rate5m * 100 > 7");
    expect(one("ApiServerLatencyHigh").expr).toBe("verb:apiserver_request_duration_seconds:p99_5m > 0.75");
    expect(one("PersistentVolumeFillingUp", "warning").expr).toBe(
      "persistentvolumeclaim:kubelet_volume_stats:used_ratio > 0.91",
    );
    expect(one("PersistentVolumeFillingUp", "critical").expr).toBe(
      "persistentvolumeclaim:kubelet_volume_stats:used_ratio > 0.985",
    );
    // 0.5 % of budget: 14.4 and 6 times it (page), 3 and 1 times it (ticket).
    expect(one("ApiServerErrorBudgetBurn", "critical").expr).toBe(
      "(cluster:apiserver_request_errors:ratio_rate1h > 0.072 and cluster:apiserver_request_errors:ratio_rate5m > 0.072) or (cluster:apiserver_request_errors:ratio_rate6h > 0.03 and cluster:apiserver_request_errors:ratio_rate30m > 0.03)",
    );
    expect(one("ApiServerLatencyBudgetBurn", "warning").expr).toBe(
      "(cluster:apiserver_request_slow:ratio_rate1d > 0.003 and cluster:apiserver_request_slow:ratio_rate2h > 0.003) or (cluster:apiserver_request_slow:ratio_rate3d > 0.001 and cluster:apiserver_request_slow:ratio_rate6h > 0.001)",
    );
    expect(one("AmpIngestionNearBudget").expr).toContain("> 500)");
    for (const name of [
      "RemoteWriteBehind",
      "ApiServerErrors",
      "NodeNotReady",
      "PersistentVolumeFillingUp",
      "TargetDown",
    ])
      expect(one(name).for).toBe("3m");
  });

  it.each(COLLECTOR_TYPES)(
    "of the %s collector carry severity, environment and a runbook, and name where",
    (collector) => {
      const alerts = rulesOf(ruleFilesOfCollector(collector, params)).filter((r) => r.alert);
      expect(alerts.length).toBeGreaterThan(30);
      for (const rule of alerts) {
        const name = rule.alert as string;
        expect({
          name,
          // One the alert manager routes (constructs/amp/alert-manager-config.ts), so it reaches its topics.
          severity: (ROUTED_SEVERITIES as readonly string[]).includes(rule.labels?.severity ?? ""),
        }).toEqual({
          name,
          severity: true,
        });
        expect(rule.labels?.environment).toBe("dev");
        expect(rule.annotations?.runbook_url).toBe(
          `https://github.com/example-org/eksmon/blob/main/docs/runbooks/${name}.md`,
        );
        for (const text of [rule.annotations?.summary, rule.annotations?.description])
          expect({ name, text }).toEqual({
            name,
            text: expect.stringMatching(/dev.*\{\{ \$labels\.cluster \}\}|\{\{ \$labels\.cluster \}\}.*dev/),
          });
      }
    },
  );

  it("use every severity the alert manager routes: critical pages, warning and info have routes of their own", () => {
    const used = new Set(
      COLLECTOR_TYPES.flatMap((c) => rulesOf(ruleFilesOfCollector(c, params)).map((r) => r.labels?.severity)),
    );
    expect([...ROUTED_SEVERITIES].filter((s) => !used.has(s))).toEqual([]);
  });

  it("of a cluster's collector read that cluster's series only, in a namespace of their own", () => {
    const clusters = [
      { name: "blue-eks", id: "blue", collector: "prometheus" as const },
      { name: "green-eks", id: "green", collector: "managed" as const },
    ];
    const files = ruleFilesFor(clusters, TEST_RULE_PARAMS);
    expect(Object.keys(files).sort()).toEqual([
      "eksmon-alerts",
      "eksmon-blue-prometheus-collector",
      "eksmon-green-managed-collector",
      "eksmon-recording-rules",
    ]);
    for (const c of clusters) {
      const rules = rulesOf(COLLECTOR_RULE_FILES[c.collector](TEST_RULE_PARAMS, c));
      // Every selector of every rule names the cluster.
      const unscoped = rules.flatMap((r) =>
        [...r.expr.matchAll(/\b([a-z_:]+)(\{[^}]*\})?(\[[^\]]+\])?/g)]
          .filter(
            (m) => selectedMetrics(r.expr).includes(m[1]) && !(m[2] ?? "").includes(`cluster="${c.name}"`),
          )
          .map((m) => `${r.record ?? r.alert}: ${m[0]}`),
      );
      expect(unscoped).toEqual([]);
      for (const name of [
        "CollectorSilent",
        "KubeStateMetricsAbsent",
        "NodeExporterAbsent",
        "KubeletMetricsAbsent",
      ])
        expect(rules.filter((r) => r.alert === name).map((r) => r.labels?.cluster)).toEqual([c.name]);
    }
    expect(Object.keys(COLLECTOR_RULE_FILES.prometheus(TEST_RULE_PARAMS, { name: "dev-eks" }))).toEqual([
      "eksmon-prometheus-collector",
    ]);
  });
});

describe("rule parameters of an environment", () => {
  it("link runbooks to the repository's docs on GitHub, a given base, or the folder's path", () => {
    expect(runbookBaseUrl(undefined, "example-org/eksmon")).toBe(
      "https://github.com/example-org/eksmon/blob/main/docs/runbooks/",
    );
    expect(runbookBaseUrl("https://wiki.example.com/runbooks", "example-org/eksmon")).toBe(
      "https://wiki.example.com/runbooks/",
    );
    expect(runbookBaseUrl(undefined, undefined)).toBe("docs/runbooks/");
    expect(exampleRuleParams("prod").runbookBaseUrl).toBe(
      "https://github.com/example-org/eksmon/blob/main/docs/runbooks/",
    );
  });

  it("are the environment's name, its thresholds, its budget in samples per second, and its cluster", () => {
    const env = exampleEnv("prod");
    const p = ruleParamsOf(env);
    expect(p.environment).toBe("prod");
    expect(ruleClustersOf(env)).toEqual(
      env.clusters.map((c) => ({ name: c.name, collector: c.collector.type, ...(c.id ? { id: c.id } : {}) })),
    );
    expect(p.thresholds).toBe(env.alerting.thresholds);
    // $250 a month: 2B samples at $0.90/10M ($180), 2B more at $0.35/10M ($70), spread over the month.
    expect(p.ingestionBudgetSamplesPerSecond).toBeCloseTo(4_000_000_000 / SECONDS_PER_MONTH, 6);
    expect(ruleParamsOf(exampleEnv("dev")).ingestionBudgetSamplesPerSecond).toBeUndefined();
  });
});
