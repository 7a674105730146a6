import type { EnvironmentInput } from "../../config/environment";
import { type ClusterEstimate, type Estimate, estimate, NOTIFICATIONS_PER_MONTH } from "../../cost/estimate";
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

  it("say AWS Chatbot adds nothing, on AWS's own page", () => {
    expect(PRICES.chatbot.notifications).toMatchObject({ usd: 0, confidence: "primary" });
    expect(PRICES.chatbot.notifications.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/chatbot\//);
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
    // 2 API servers, kube-scheduler and kube-controller-manager through each, 3 per node, kube-state-metrics.
    expect(pop.target).toBe(3 * 2 + 9 + 1);
    expect(
      population(
        { nodes: 3, cpusPerNode: 4, pods: 10, containersPerPod: 1, persistentVolumeClaims: 0 },
        "prometheus",
      ).target,
    ).toBe(17);
  });
});

describe("estimate", () => {
  const ingestionOf = (lines: { items: ClusterEstimate["items"] }) =>
    lines.items.find((i) => i.item === "AMP ingestion (tiered)")!;
  const envItem = (e: Estimate, item: string) => e.environmentItems.find((i) => i.item === item);
  const cluster = (e: Estimate, name: string) => e.clusters.find((c) => c.name === name)!;
  /** A cluster in the environment's VPC, with the in-cluster Prometheus. */
  const extraCluster = (name: string, id: string, sizing = { nodes: 6, cpusPerNode: 4, pods: 120 }) => ({
    name,
    id,
    collector: { type: "prometheus" as const, persistentVolumeSize: "16Gi" },
    ebsCsi: { addonVersion: "v1.38.1-eksbuild.1" },
    sizing,
  });

  it.each(environments.map((e) => e.name))(
    "%s: each cluster's lines add up to its subtotal, the subtotals and the environment's lines to the total",
    (name) => {
      const e = estimate(exampleEnv(name), PRICES, NOW);
      expect(e.clusters.map((c) => c.name)).toEqual(exampleEnv(name).clusters.map((c) => c.name));
      for (const column of ["allowList", "sendAll"] as const) {
        for (const c of e.clusters)
          expect(c.subtotal[column]).toBeCloseTo(
            c.items.reduce((s, i) => s + i[column], 0),
            6,
          );
        expect(e.environmentSubtotal[column]).toBeCloseTo(
          e.environmentItems.reduce((s, i) => s + i[column], 0),
          6,
        );
        expect(e.total[column]).toBeCloseTo(
          e.clusters.reduce((s, c) => s + c.subtotal[column], 0) + e.environmentSubtotal[column],
          6,
        );
        expect(e.samplesPerSecond[column]).toBeCloseTo(
          e.clusters.reduce((s, c) => s + c.samplesPerSecond[column], 0),
          6,
        );
        // Ingestion is tiered once, over every cluster's samples.
        expect(e.clusters.reduce((s, c) => s + ingestionOf(c)[column], 0)).toBeCloseTo(
          tieredCost(e.samplesPerSecond[column] * SECONDS_PER_MONTH, tiers),
          6,
        );
      }
      for (const c of e.clusters) {
        expect(c.series.allowList).toBeLessThan(c.series.sendAll);
        expect(c.keptNames).toBeLessThan(c.exposedNames);
      }
      expect(e.total.allowList).toBeLessThan(e.total.sendAll);
      expect(e.warnings).toEqual([]);
    },
  );

  it("costs each of staging's clusters on its own lines: the managed collector's hours and samples for blue, the server's volume and remote-write data for green", () => {
    const e = estimate(exampleEnv("staging"), PRICES, NOW);
    expect(e.clusters.map((c) => [c.name, c.collector, c.stack])).toEqual([
      ["staging-eks", "managed", "staging-cluster-staging-eks"],
      ["staging-eks-green", "prometheus", "staging-cluster-green"],
    ]);
    const items = (c: ClusterEstimate) => c.items.map((i) => i.item);
    expect(items(e.clusters[0])).toEqual([
      "AMP ingestion (tiered)",
      "AMP storage (90 d retention, steady state)",
      "AMP managed collector (hours)",
      "AMP managed collector (samples collected)",
    ]);
    expect(items(e.clusters[1])).toEqual([
      "AMP ingestion (tiered)",
      "AMP storage (90 d retention, steady state)",
      "Interface endpoint data (remote write)",
      "Prometheus server volume (EBS gp3)",
    ]);
    expect(e.clusters[1].items.find((i) => i.item.startsWith("Prometheus server volume"))).toMatchObject({
      quantity: "16Gi",
      allowList: 16 * 0.08,
    });
    // What the clusters share is costed once, in the environment's lines.
    expect(e.environmentItems.map((i) => i.item)).toEqual([
      "AMP queries (rules every 60s, dashboards 40 h/month)",
      "AMG active users",
      "Interface endpoints (hours, vpc-0b2c3d4e5f6a78901)",
      "Interface endpoints (hours, vpc-0d4e5f6a7b8c90123)",
      "KMS key (alert topics)",
      "CloudWatch Logs (AMP errors, 30 d retention)",
      "KMS key (AMP log group)",
      "SNS email notifications",
      "SNS HTTPS and Chatbot deliveries",
      "CloudWatch GetMetricData (cost dashboard)",
    ]);
    expect(envItem(e, "AMG active users")?.allowList).toBe(2 * 9 + 3 * 5);
    for (const c of e.clusters)
      expect(c.items.map((i) => i.item)).not.toContain(expect.stringMatching(/AMG|KMS|SNS|queries/));
  });

  it("costs a cluster's lines as they would be alone, below the first ingestion tier", () => {
    // Staging with 100 pods a cluster: its two clusters' samples stay below the first tier's 2 billion.
    const belowTier = (x: EnvironmentInput) => {
      for (const c of x.clusters) c.sizing = { ...c.sizing, pods: 100 };
    };
    const both = estimate(exampleEnv("staging", belowTier), PRICES, NOW);
    const blueAlone = estimate(
      exampleEnv("staging", (x) => {
        belowTier(x);
        x.clusters = x.clusters.slice(0, 1);
      }),
      PRICES,
      NOW,
    );
    expect(both.samplesPerSecond.allowList * SECONDS_PER_MONTH).toBeLessThan(2e9);
    const allowList = (c: ClusterEstimate) =>
      c.items.map((i) => [i.item, i.quantity, i.allowList.toFixed(9)]);
    expect(allowList(cluster(both, "staging-eks"))).toEqual(allowList(blueAlone.clusters[0]));
    expect(both.total.allowList).toBeCloseTo(
      blueAlone.total.allowList +
        cluster(both, "staging-eks-green").subtotal.allowList +
        (both.environmentSubtotal.allowList - blueAlone.environmentSubtotal.allowList),
      6,
    );
  });

  it("adding a cluster in a new VPC changes its own lines, that VPC's endpoints and the queries, nothing else", () => {
    const before = estimate(
      exampleEnv("staging", (x) => {
        x.clusters = x.clusters.slice(0, 1);
      }),
      PRICES,
      NOW,
    );
    const after = estimate(exampleEnv("staging"), PRICES, NOW);
    expect(after.clusters.length - before.clusters.length).toBe(1);
    const byItem = (items: Estimate["environmentItems"]) =>
      Object.fromEntries(items.map((i) => [i.item, [i.quantity, i.allowList, i.sendAll]]));
    const was = byItem(before.environmentItems);
    const is = byItem(after.environmentItems);
    const changed = Object.keys(is).filter((k) => JSON.stringify(was[k]) !== JSON.stringify(is[k]));
    expect(changed).toEqual([
      "AMP queries (rules every 60s, dashboards 40 h/month)",
      "Interface endpoints (hours, vpc-0d4e5f6a7b8c90123)",
    ]);
    expect(Object.keys(was).filter((k) => !(k in is))).toEqual([]);
    expect(is["Interface endpoints (hours, vpc-0d4e5f6a7b8c90123)"]).toEqual([
      "1 x 2 AZ x 730 h",
      14.6,
      14.6,
    ]);
  });

  it("adding a cluster in a VPC the environment already uses adds no endpoint", () => {
    const e = estimate(
      exampleEnv("staging", (x) => {
        x.clusters.push(extraCluster("staging-eks-canary", "canary"));
      }),
      PRICES,
      NOW,
    );
    expect(e.clusters.map((c) => c.name)).toContain("staging-eks-canary");
    expect(
      e.environmentItems.filter((i) => i.item.startsWith("Interface endpoints")).map((i) => i.item),
    ).toEqual([
      "Interface endpoints (hours, vpc-0b2c3d4e5f6a78901)",
      "Interface endpoints (hours, vpc-0d4e5f6a7b8c90123)",
    ]);
  });

  it("tiers the environment's samples once and gives each cluster its share, and says so", () => {
    // Two clusters of about 1.5B samples a month each: alone each would pay the first tier only.
    const big = { nodes: 30, cpusPerNode: 8, pods: 300 };
    const e = estimate(
      exampleEnv("dev", (x) => {
        x.clusters.push(extraCluster("dev-eks-b", "b", big));
        x.clusters[0].sizing = big;
      }),
      PRICES,
      NOW,
    );
    const samples = e.clusters.map((c) => c.samplesPerSecond.allowList * SECONDS_PER_MONTH);
    const total = samples[0] + samples[1];
    expect(samples[0]).toBeLessThan(2e9);
    expect(total).toBeGreaterThan(2e9);
    const tiered = tieredCost(total, tiers);
    expect(tiered).toBeLessThan(tieredCost(samples[0], tiers) + tieredCost(samples[1], tiers));
    e.clusters.forEach((c, i) => {
      expect(ingestionOf(c).allowList).toBeCloseTo((tiered * samples[i]) / total, 6);
    });
    expect(e.assumptions.join("\n")).toMatch(
      /AMP ingestion is tiered per account and month: the environment's \S+ samples .* go through the tiers once, .* each cluster's line is its share in proportion to its samples/,
    );
  });

  it("reads every cluster's series in the shared rules and the fleet overview, the selected cluster's in the other dashboards", () => {
    const withTwin = (dashboards?: string[]) => (x: EnvironmentInput) => {
      const twin = structuredClone(x.clusters[0]) as EnvironmentInput["clusters"][number];
      x.clusters.push({ ...twin, name: "dev-eks-twin", id: "twin" });
      if (dashboards) x.grafana = { ...x.grafana, dashboards };
    };
    const queries = (e: Estimate) =>
      e.environmentItems.find((i) => i.item.startsWith("AMP queries"))!.allowList;
    const one = estimate(exampleEnv("dev"), PRICES, NOW);
    const two = estimate(exampleEnv("dev", withTwin()), PRICES, NOW);
    // The rules and the fleet overview read both clusters; a cluster's dashboard one of them.
    expect(queries(two)).toBeGreaterThan(queries(one));
    expect(queries(two)).toBeLessThan(2 * queries(one));
    expect(two.clusters[1].subtotal.allowList).toBeCloseTo(two.clusters[0].subtotal.allowList, 6);
    const fleetOnly = (x: EnvironmentInput) => {
      x.grafana = { ...x.grafana, dashboards: ["fleet.json"] };
    };
    expect(queries(estimate(exampleEnv("dev", withTwin(["fleet.json"])), PRICES, NOW))).toBeCloseTo(
      2 * queries(estimate(exampleEnv("dev", fleetOnly), PRICES, NOW)),
      6,
    );
    const podOnly = (x: EnvironmentInput) => {
      x.grafana = { ...x.grafana, dashboards: ["pod.json"] };
    };
    const rulesOnly = (x: EnvironmentInput) => {
      x.grafana = { ...x.grafana, dashboards: [] };
    };
    // The pod dashboard's share does not grow with a second cluster: only the rules' does.
    const pod = (e: Estimate) => queries(e);
    const podOne = pod(estimate(exampleEnv("dev", podOnly), PRICES, NOW));
    const podTwo = pod(estimate(exampleEnv("dev", withTwin(["pod.json"])), PRICES, NOW));
    const rulesOne = queries(estimate(exampleEnv("dev", rulesOnly), PRICES, NOW));
    const rulesTwo = queries(estimate(exampleEnv("dev", withTwin([])), PRICES, NOW));
    expect(rulesTwo).toBeCloseTo(2 * rulesOne, 6);
    expect(podTwo - rulesTwo).toBeCloseTo(podOne - rulesOne, 6);
    expect(podOne - rulesOne).toBeGreaterThan(0);
  });

  it("names each cluster and its sizing in its assumptions", () => {
    const e = estimate(exampleEnv("staging"), PRICES, NOW);
    expect(cluster(e, "staging-eks-green").assumptions).toEqual(
      expect.arrayContaining([
        "staging-eks-green: 6 nodes x 4 CPUs, 120 pods x 1.5 containers, 4 volume claims, 2 API servers, 26 scrape targets (clusters[1].sizing in environments/staging.ts)",
        "staging-eks-green: scrape interval 1m, samples/s = series / 60",
      ]),
    );
    for (const c of e.clusters) for (const a of c.assumptions) expect(a.startsWith(`${c.name}: `)).toBe(true);
  });

  it("bills AMP's error log (ingestion, storage for its retention) and its key, unless logging is off or the key given", () => {
    const logItems = (edit?: (e: any) => void) =>
      estimate(exampleEnv("dev", edit), PRICES, NOW).environmentItems.filter((i) =>
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

  it("counts alert mails and HTTPS and Chatbot deliveries by severity, billing only what passes SNS's free tiers", () => {
    const sns = (edit: (e: any) => void) =>
      estimate(exampleEnv("dev", edit), PRICES, NOW).environmentItems.filter((i) => i.item.startsWith("SNS"));
    // The flat emails hear every severity: 10 + 60 + 30 notifications each.
    expect(sns((e) => (e.alerting = { emails: ["a@example.com", "b@example.com"] }))).toEqual([
      { item: "SNS email notifications", quantity: "200 / month", allowList: 0, sendAll: 0 },
    ]);
    const routed = sns(
      (e) =>
        (e.alerting = {
          routes: {
            critical: {
              emails: ["a@example.com"],
              https: [{ name: "pd", ssmParameter: "/pd" }],
              slack: [{ workspaceId: "T0EXAMPLE1", channelId: "C0ONCALL01" }],
            },
            warning: { slack: [{ workspaceId: "T0EXAMPLE1", channelId: "C0ONCALL01" }] },
          },
        }),
    );
    expect(routed.map((i) => [i.item, i.quantity, i.allowList])).toEqual([
      ["SNS email notifications", `${NOTIFICATIONS_PER_MONTH.critical} / month`, 0],
      [
        "SNS HTTPS and Chatbot deliveries",
        `${2 * NOTIFICATIONS_PER_MONTH.critical + NOTIFICATIONS_PER_MONTH.warning} / month`,
        0,
      ],
    ]);
    // Over the free tiers: 2,000 addresses on critical = 20,000 mails, 19,000 billed at $2 per 100,000.
    const many = Array.from({ length: 2000 }, (_, i) => `a${i}@example.com`);
    const [mail] = sns((e) => (e.alerting = { routes: { critical: { emails: many } } }));
    expect(mail.allowList).toBeCloseTo((19_000 / 100_000) * 2, 6);
  });

  it("bills endpoint hours per VPC: none for a reused aps-workspaces endpoint (saying who pays), the control plane's where asked", () => {
    const hours = (e: Estimate) =>
      e.environmentItems
        .filter((i) => i.item.startsWith("Interface endpoints"))
        .map((i) => [i.item, i.quantity]);
    expect(hours(estimate(exampleEnv("prod"), PRICES, NOW))).toEqual([
      ["Interface endpoints (hours, vpc-0c3d4e5f6a7b89012)", "2 x 3 AZ x 730 h"],
    ]);
    const reused = (controlPlaneEndpoint: boolean) =>
      estimate(
        exampleEnv("prod", (e) => {
          e.network.ampEndpoint = { existingId: "vpce-0a1b2c3d4e5f60009" };
          e.network.controlPlaneEndpoint = controlPlaneEndpoint;
        }),
        PRICES,
        NOW,
      );
    expect(hours(reused(false))).toEqual([]);
    expect(hours(reused(true))).toEqual([
      ["Interface endpoints (hours, vpc-0c3d4e5f6a7b89012)", "1 x 3 AZ x 730 h"],
    ]);
    expect(reused(false).assumptions).toContainEqual(
      expect.stringMatching(
        /aps-workspaces endpoint of vpc-0c3d4e5f6a7b89012 is reused \(vpce-0a1b2c3d4e5f60009\): its hours and the data it processes \(prod-eks\) are billed to the account that owns it/,
      ),
    );
    // Staging's green cluster reuses an endpoint of its own VPC, and asks for the control plane's there.
    const green = estimate(
      exampleEnv("staging", (x) => {
        x.clusters[1].network = {
          ...x.clusters[1].network!,
          ampEndpoint: { existingId: "vpce-0d4e5f6a7b8c90009" },
          controlPlaneEndpoint: true,
        };
      }),
      PRICES,
      NOW,
    );
    expect(hours(green)).toEqual([
      ["Interface endpoints (hours, vpc-0b2c3d4e5f6a78901)", "1 x 3 AZ x 730 h"],
      ["Interface endpoints (hours, vpc-0d4e5f6a7b8c90123)", "1 x 2 AZ x 730 h"],
    ]);
    expect(green.assumptions.join("\n")).toContain(
      "aps-workspaces endpoint of vpc-0d4e5f6a7b8c90123 is reused (vpce-0d4e5f6a7b8c90009): its hours and the data it processes (staging-eks-green)",
    );
  });

  it("bills the budget alarms once per environment", () => {
    expect(envItem(estimate(exampleEnv("prod"), PRICES, NOW), "CloudWatch budget alarms")?.quantity).toBe(
      "2 alarm",
    );
    expect(envItem(estimate(exampleEnv("dev"), PRICES, NOW), "CloudWatch budget alarms")).toBeUndefined();
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

  it("lets a cluster's measured active-series count replace the model for its selected column only", () => {
    const model = estimate(exampleEnv("staging"), PRICES, NOW);
    const e = estimate(
      exampleEnv("staging", (x) => {
        x.clusters[1].sizing = { ...x.clusters[1].sizing, activeSeries: 50_000 };
      }),
      PRICES,
      NOW,
    );
    expect(cluster(e, "staging-eks-green").series.allowList).toBe(50_000);
    expect(cluster(e, "staging-eks-green").series.sendAll).toBeGreaterThan(50_000);
    expect(cluster(e, "staging-eks").series).toEqual(cluster(model, "staging-eks").series);
    expect(e.series.allowList).toBe(50_000 + cluster(model, "staging-eks").series.allowList);
    expect(cluster(e, "staging-eks-green").assumptions.join("\n")).toContain(
      "clusters[1].sizing.activeSeries = 50000",
    );
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
    // Once for the environment, though both clusters' collectors send it.
    expect(e.warnings.filter((w) => w.includes('"myapp_.*" not counted'))).toHaveLength(1);
    // The advice names where a measured count goes now: each cluster's sizing.
    expect(e.warnings.join("\n")).toContain("measure and set clusters[].sizing.activeSeries");
  });

  it("counts the chart's default jobs for sendAll, per cluster and collector", () => {
    const env = exampleEnv("staging");
    const e = estimate(env, PRICES, NOW);
    env.clusters.forEach((c, i) => {
      const pop = population(c.sizing, c.collector.type);
      expect(e.clusters[i].series.sendAll).toBe(
        COLLECTOR_SOURCES[c.collector.type].reduce((s, j) => s + seriesOf(JOB_SERIES[j], pop), 0),
      );
    });
  });
});
