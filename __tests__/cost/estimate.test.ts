import { estimate } from "../../cost/estimate";
import { PRICES, priceAgeDays, SECONDS_PER_MONTH, tieredCost, unitsForBudget } from "../../cost/prices";
import { JOB_SERIES, KEPT_METRIC_SERIES, population, seriesOf } from "../../cost/series-model";
import { environments } from "../../environments";
import { COLLECTOR_TYPES, dashboardsFor } from "../../lib/catalogue";
import { derivedAllowList } from "../../monitoring/allow-list";
import { COLLECTOR_SOURCES, SCRAPED_METRICS } from "../../monitoring/metrics";
import { exampleEnv, exampleRuleParams } from "../helpers";

const tiers = PRICES.amp.ingestion;
const NOW = new Date("2026-12-01T00:00:00Z");

describe("prices", () => {
  it("price tiered ingestion tier by tier: 2B at $0.90/10M, then $0.35/10M", () => {
    expect(tieredCost(10_000_000, tiers)).toBeCloseTo(0.9);
    expect(tieredCost(2_000_000_000, tiers)).toBeCloseTo(180);
    expect(tieredCost(3_000_000_000, tiers)).toBeCloseTo(180 + 35);
    expect(tieredCost(260_000_000_000, tiers)).toBeCloseTo(180 + 8680 + 160);
  });

  it("turn a budget back into samples (the alarm's threshold)", () => {
    for (const usd of [1, 180, 250, 9000])
      expect(tieredCost(unitsForBudget(usd, tiers), tiers)).toBeCloseTo(usd, 6);
    expect(unitsForBudget(250, tiers)).toBe(4_000_000_000);
  });

  it("say where every number comes from, dated", () => {
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const prices = [
      ...tiers,
      ...Object.values(PRICES.amp).filter((p) => typeof p === "object" && !Array.isArray(p)),
      ...Object.values(PRICES.grafana),
      ...Object.values(PRICES.privateLink),
      ...Object.values(PRICES.kms),
      ...Object.values(PRICES.sns),
      ...Object.values(PRICES.cloudWatch),
      ...Object.values(PRICES.ebs),
    ] as { source: string; confidence: string; usd: number }[];
    for (const p of prices) {
      expect(p.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
      expect(["primary", "secondary", "unconfirmed"]).toContain(p.confidence);
      expect(p.usd).toBeGreaterThan(0);
    }
  });

  it("age in days from asOf", () => {
    expect(priceAgeDays("2026-11-25", NOW)).toBe(6);
  });
});

describe("the series model", () => {
  it.each(COLLECTOR_TYPES)("counts every metric the %s collector's allow-list keeps", (collector) => {
    const list = derivedAllowList(collector, dashboardsFor(collector), exampleRuleParams("dev"));
    expect(list.filter((m) => !KEPT_METRIC_SERIES[m])).toEqual([]);
  });

  it("counts every metric the catalogue says a job writes, and every job", () => {
    const catalogued = Object.values(SCRAPED_METRICS).flat();
    expect(catalogued.filter((m) => !KEPT_METRIC_SERIES[m])).toEqual([]);
    expect(Object.keys(SCRAPED_METRICS).filter((s) => !JOB_SERIES[s])).toEqual([]);
  });

  it("says where each number comes from", () => {
    for (const entry of [...Object.values(KEPT_METRIC_SERIES), ...Object.values(JOB_SERIES)]) {
      expect(entry.source.length).toBeGreaterThan(10);
      expect(["source", "measured", "assumption"]).toContain(entry.confidence);
    }
  });

  it("grows with the cluster: node_cpu_seconds_total is 8 series per CPU", () => {
    const pop = population(
      { nodes: 3, cpusPerNode: 4, pods: 10, containersPerPod: 1, persistentVolumeClaims: 0 },
      "managed",
    );
    expect(seriesOf(KEPT_METRIC_SERIES.node_cpu_seconds_total, pop)).toBe(96);
    expect(pop.target).toBe(2 + 9 + 1);
    expect(
      population(
        { nodes: 3, cpusPerNode: 4, pods: 10, containersPerPod: 1, persistentVolumeClaims: 0 },
        "prometheus",
      ).target,
    ).toBe(13);
  });
});

describe("estimate", () => {
  it.each(environments.map((e) => e.name))(
    "%s: the allow-list costs less than sendAll, and the totals add up",
    (name) => {
      const e = estimate(exampleEnv(name), PRICES, NOW);
      expect(e.series.allowList).toBeLessThan(e.series.sendAll);
      expect(e.total.allowList).toBeLessThan(e.total.sendAll);
      expect(e.total.allowList).toBeCloseTo(e.items.reduce((s, i) => s + i.allowList, 0));
      expect(e.keptNames).toBeLessThan(e.exposedNames);
      const ingestion = e.items.find((i) => i.item.startsWith("AMP ingestion"))!;
      expect(ingestion.allowList).toBeCloseTo(
        tieredCost(e.samplesPerSecond.allowList * SECONDS_PER_MONTH, tiers),
      );
      expect(e.warnings).toEqual([]);
    },
  );

  it("bills the managed collector's hours and samples, and the in-cluster server's volume and endpoint data", () => {
    const items = (name: string) => estimate(exampleEnv(name), PRICES, NOW).items.map((i) => i.item);
    expect(items("staging")).toEqual(
      expect.arrayContaining(["AMP managed collector (hours)", "AMP managed collector (samples collected)"]),
    );
    expect(items("staging")).not.toContain("Prometheus server volume (EBS gp3)");
    expect(items("dev")).toEqual(
      expect.arrayContaining([
        "Prometheus server volume (EBS gp3)",
        "Interface endpoint data (remote write)",
      ]),
    );
    expect(items("prod")).toContain("CloudWatch budget alarms");
    expect(items("dev")).not.toContain("CloudWatch budget alarms");
  });

  it("bills AMP's error log (ingestion, storage for its retention) and its key, unless logging is off or the key given", () => {
    const logItems = (edit?: (e: any) => void) =>
      estimate(exampleEnv("dev", edit), PRICES, NOW).items.filter((i) =>
        /AMP (errors|log group)/.test(i.item),
      );
    const [log, key] = logItems();
    expect(log.item).toBe("CloudWatch Logs (AMP errors, 30 d retention)");
    // 50 MB ingested at $0.50/GB, plus 30 days of it stored at $0.03/GB-month
    const stored = (0.05 * 30) / (730 / 24);
    expect(log.allowList).toBeCloseTo(0.05 * 0.5 + stored * 0.03, 6);
    expect(key).toMatchObject({ item: "KMS key (AMP log group)", allowList: 1 });
    const longer = logItems((e) => (e.amp.logging = { retentionDays: 365 }))[0];
    expect(longer.allowList).toBeGreaterThan(log.allowList);
    const given = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(logItems((e) => (e.amp.logging = { kmsKeyArn: given })).map((i) => i.item)).toEqual([log.item]);
    expect(logItems((e) => (e.amp.logging = { enabled: false }))).toEqual([]);
  });

  it("bills no endpoint hours for a reused aps-workspaces endpoint, and says who pays for it", () => {
    const reused = (controlPlaneEndpoint: boolean) =>
      estimate(
        exampleEnv("prod", (e) => {
          e.network.ampEndpoint = { existingId: "vpce-0a1b2c3d4e5f60009" };
          e.network.controlPlaneEndpoint = controlPlaneEndpoint;
        }),
        PRICES,
        NOW,
      );
    expect(reused(false).items.map((i) => i.item)).not.toContain("Interface endpoints (hours)");
    expect(reused(true).items.find((i) => i.item === "Interface endpoints (hours)")?.quantity).toBe(
      "1 x 3 AZ x 730 h",
    );
    expect(
      estimate(exampleEnv("prod"), PRICES, NOW).items.find((i) => i.item === "Interface endpoints (hours)")
        ?.quantity,
    ).toBe("2 x 3 AZ x 730 h");
    expect(reused(false).assumptions).toContainEqual(
      expect.stringMatching(
        /aps-workspaces endpoint is reused \(vpce-0a1b2c3d4e5f60009\): its hours and the data it processes are billed to the account that owns it/,
      ),
    );
  });

  it("marks the column the environment selects, and sendAll changes it", () => {
    expect(estimate(exampleEnv("staging"), PRICES, NOW).selected).toBe("allowList");
    expect(
      estimate(
        exampleEnv("staging", (e) => {
          e.metrics = { sendAll: true };
        }),
        PRICES,
        NOW,
      ).selected,
    ).toBe("sendAll");
  });

  it("lets a measured active-series count replace the model for the selected column", () => {
    const e = estimate(
      exampleEnv("staging", (x) => {
        x.sizing = { ...x.sizing, activeSeries: 50_000 };
      }),
      PRICES,
      NOW,
    );
    expect(e.series.allowList).toBe(50_000);
    expect(e.series.sendAll).toBeGreaterThan(50_000);
    expect(e.assumptions.join("\n")).toContain("sizing.activeSeries = 50000");
  });

  it("warns about an old price file, a region the prices do not cover and extra patterns it cannot count", () => {
    const later = new Date("2028-01-01T00:00:00Z");
    const e = estimate(
      exampleEnv("staging", (x) => {
        x.region = "eu-west-1";
        x.accountId = "222222222222";
        x.metrics = { extra: ["myapp_.*"] };
      }),
      PRICES,
      later,
    );
    expect(e.warnings.join("\n")).toMatch(/days old/);
    expect(e.warnings.join("\n")).toContain("eu-west-1 may differ");
    expect(e.warnings.join("\n")).toContain('"myapp_.*" not counted');
  });

  it("counts the chart's default jobs for sendAll, per collector", () => {
    const e = estimate(exampleEnv("staging"), PRICES, NOW);
    const pop = population(exampleEnv("staging").sizing, "managed");
    expect(e.series.sendAll).toBe(
      COLLECTOR_SOURCES.managed.reduce((s, j) => s + seriesOf(JOB_SERIES[j], pop), 0),
    );
  });
});
