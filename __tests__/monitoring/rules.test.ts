import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { ruleFileYaml } from "../../constructs/amp/rules";
import { COLLECTOR_TYPES } from "../../lib/catalogue";
import { metricsCollectedBy } from "../../monitoring/metrics";
import { selectedMetrics } from "../../monitoring/promql";
import {
  type AlertThresholds,
  alertNamesOf,
  alertRules,
  type PrometheusRule,
  prometheusCollectorRules,
  recordedNamesOf,
  ruleFilesFor,
} from "../../monitoring/rules";
import { exampleEnv } from "../helpers";
import { findTool } from "../tools";

const thresholds: AlertThresholds = exampleEnv("dev").alerting.thresholds;
/** Every rule file either collector ships, with the collector that ships it. */
const files = COLLECTOR_TYPES.flatMap((collector) =>
  Object.entries(ruleFilesFor([{ name: "eks", collector }], thresholds)).map(
    ([name, file]) => [`${collector}: ${name}`, collector, file] as const,
  ),
);
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const promtool = findTool("promtool", "PROMTOOL");
const NO_PROMTOOL =
  "skipped: no promtool in PROMTOOL, PATH or ~/.cache/eksmon/promtool; scripts/install-promtool.sh installs it";
const withPromtool = promtool ? it : it.skip;
if (!promtool) process.stdout.write(`prometheus-rules.test: promtool check ${NO_PROMTOOL}\n`);

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
      ...recordedNamesOf(ruleFilesFor([{ name: "eks", collector }], thresholds)),
    ]);
    const unknown = parsed.groups
      .flatMap((g) => g.rules as { expr: string }[])
      .flatMap((r) => selectedMetrics(r.expr))
      .filter((m) => !known.has(m));
    expect(unknown).toEqual([]);
  });

  withPromtool(`passes \`promtool check rules\`${promtool ? "" : ` (${NO_PROMTOOL})`}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "rules-"));
    const path = join(dir, "rules.yaml");
    writeFileSync(path, ruleFileYaml(file));
    expect(() => execFileSync(promtool!, ["check", "rules", path], { encoding: "utf8" })).not.toThrow();
  });
});

describe("alert rules", () => {
  it("are the baseline set, plus each collector's own", () => {
    const common = [
      "ApiServerErrors",
      "ApiServerLatencyHigh",
      "NodeNotReady",
      "PersistentVolumeFillingUp",
      "TargetDown",
    ];
    expect(alertNamesOf(ruleFilesFor([{ name: "eks", collector: "prometheus" }], thresholds)).sort()).toEqual(
      [...common, "CollectorSilent", "RemoteWriteBehind", "RemoteWriteFailing"].sort(),
    );
    expect(alertNamesOf(ruleFilesFor([{ name: "eks", collector: "managed" }], thresholds)).sort()).toEqual(
      [...common, "CollectorSilent"].sort(),
    );
  });

  it("take their thresholds and pending time from the environment", () => {
    const t = {
      remoteWriteLagSeconds: 123,
      remoteWriteFailedPercent: 2.5,
      apiServerErrorPercent: 7,
      apiServerLatencyP99Seconds: 0.75,
      persistentVolumeUsedPercent: 91,
      forMinutes: 3,
    };
    const byName: Record<string, PrometheusRule> = Object.fromEntries(
      [alertRules(t), prometheusCollectorRules(t, "eks")]
        .flatMap((f) => f.groups.flatMap((g) => g.rules))
        .filter((r) => r.alert)
        .map((r) => [r.alert, r] as const),
    );
    expect(byName.RemoteWriteBehind.expr).toBe("remote_write:lag_seconds > 123");
    expect(byName.RemoteWriteFailing.expr).toBe("remote_write:samples_failed:ratio_rate5m * 100 > 2.5");
    expect(byName.ApiServerErrors.expr).toBe("apiserver:request_errors:ratio_rate5m * 100 > 7");
    expect(byName.ApiServerLatencyHigh.expr).toBe("verb:apiserver_request_duration_seconds:p99_5m > 0.75");
    expect(byName.PersistentVolumeFillingUp.expr).toBe(
      "persistentvolumeclaim:kubelet_volume_stats:used_ratio * 100 > 91",
    );
    for (const rule of Object.values(byName)) expect(rule.for).toBe("3m");
  });

  it("every alert has a severity and a summary for the SNS message", () => {
    for (const rule of files.flatMap(([, , f]) => f.groups.flatMap((g) => g.rules)).filter((r) => r.alert)) {
      expect(["warning", "critical"]).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
    }
  });
});
