import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { EnvironmentInput } from "../../../config/environment";
import { estimate } from "../../../cost/estimate";
import { PRICES } from "../../../cost/prices";
import {
  type CostSummary,
  parseCostSummaries,
  renderCostDelta,
  renderEstimate,
  summarize,
} from "../../../scripts/lib/cost-report";
import { exampleEnv } from "../../helpers";

const NOW = new Date("2026-12-01T00:00:00Z");
const usd = (n: number) => `$${n.toFixed(2)}`;

describe("renderEstimate", () => {
  const e = estimate(exampleEnv("staging"), PRICES, NOW);
  const text = renderEstimate(e);
  const lines = text.split("\n");

  it("prints each cluster's section (name, collector, stack, lines, subtotal), then the environment's lines, then the total", () => {
    expect(lines[0]).toBe("staging (us-east-1, 2 clusters): estimated monthly cost");
    const at = (line: string) => {
      const i = lines.indexOf(line);
      expect(i).toBeGreaterThan(0);
      return i;
    };
    const blue = at("cluster staging-eks: managed collector, stack staging-cluster-staging-eks");
    const green = at("cluster staging-eks-green: prometheus collector, stack staging-cluster-green");
    const env = at("environment: shared by its 2 clusters");
    const total = lines.findIndex((l) => l.startsWith("total "));
    expect(blue).toBeLessThan(green);
    expect(green).toBeLessThan(env);
    expect(env).toBeLessThan(total);
    const section = (from: number, to: number) => lines.slice(from + 1, to).filter((l) => l.startsWith("  "));
    const subtotal = (c: { allowList: number; sendAll: number }) =>
      new RegExp(`^  subtotal\\s+\\${usd(c.allowList)}\\s+\\${usd(c.sendAll)}$`);
    const blueLines = section(blue, green);
    expect(blueLines.map((l) => l.trim().split(/\s{2,}/)[0])).toEqual([
      ...e.clusters[0].items.map((i) => i.item),
      "subtotal",
    ]);
    expect(blueLines.at(-1)).toMatch(subtotal(e.clusters[0].subtotal));
    expect(section(green, env).some((l) => l.includes("Prometheus server volume (EBS gp3)"))).toBe(true);
    expect(section(green, env).at(-1)).toMatch(subtotal(e.clusters[1].subtotal));
    const envLines = section(env, total);
    expect(envLines.some((l) => l.includes("Interface endpoints (hours, vpc-0d4e5f6a7b8c90123)"))).toBe(true);
    expect(envLines.at(-1)).toMatch(subtotal(e.environmentSubtotal));
    expect(lines[total]).toMatch(
      new RegExp(`^total\\s+\\${usd(e.total.allowList)}\\s+\\${usd(e.total.sendAll)}$`),
    );
    expect(text).toMatch(/AMP ingestion \(tiered\)\s+\S+ samples\s+\$\d+\.\d\d\s+\$\d+\.\d\d/);
    expect(text).toContain("allow-list $/month *");
  });

  it("prints each cluster's names, series and samples/s, then the assumptions, each cluster's naming it", () => {
    expect(text).toMatch(
      /\nstaging-eks\s+managed\s+100 \/ about 1710\s+23\.2k \/ 113\.5k\s+386\.6 \/ 1\.9k\n/,
    );
    expect(text).toMatch(/\nstaging-eks-green\s+prometheus\s+\d+ \/ about \d+\s/);
    expect(text).toMatch(/\nall\s+46\.4k \/ 228\.1k\s+773\.2 \/ 3\.8k\n/);
    expect(text.indexOf("Assumptions:")).toBeGreaterThan(text.indexOf("\ntotal"));
    expect(text).toContain("cost/prices.ts as of 2026-11-25");
    expect(text).toContain("  - staging-eks-green: 6 nodes x 4 CPUs");
    expect(text).toContain("AMP ingestion is tiered per account and month");
  });

  it("prints a one-cluster environment the same way, without the sum over clusters", () => {
    const dev = renderEstimate(estimate(exampleEnv("dev"), PRICES, NOW));
    expect(dev).toMatch(/^dev \(us-east-1, 1 cluster\)/);
    expect(dev).toContain("\ncluster dev-eks: prometheus collector, stack dev-cluster-dev-eks\n");
    expect(dev).toContain("\nenvironment: shared by its cluster\n");
    expect(dev).not.toMatch(/\nall\s/);
  });
});

describe("summarize", () => {
  it("carries the selected column's total, each cluster's lines and subtotal, and the environment's", () => {
    const e = estimate(exampleEnv("staging"), PRICES, NOW);
    const s = summarize(e);
    expect(s.monthlyUsd).toBeCloseTo(e.total.allowList, 2);
    expect(s.clusters?.map((c) => [c.name, c.collector, c.monthlyUsd])).toEqual([
      ["staging-eks", "managed", Number(e.clusters[0].subtotal.allowList.toFixed(2))],
      ["staging-eks-green", "prometheus", Number(e.clusters[1].subtotal.allowList.toFixed(2))],
    ]);
    expect(s.clusters?.[1].lines["Prometheus server volume (EBS gp3)"]).toBe(1.28);
    expect(s.shared?.lines["Interface endpoints (hours, vpc-0d4e5f6a7b8c90123)"]).toBe(14.6);
    const sendAll = summarize(
      estimate(
        exampleEnv("staging", (x) => (x.metrics = { sendAll: true })),
        PRICES,
        NOW,
      ),
    );
    expect(sendAll.clusters?.[0].monthlyUsd).toBeGreaterThan(s.clusters![0].monthlyUsd);
  });

  it("reads back what --all --json writes, older summaries without clusters too, and refuses anything else", () => {
    const s = [summarize(estimate(exampleEnv("staging"), PRICES, NOW))];
    expect(parseCostSummaries(JSON.parse(JSON.stringify(s)))).toEqual(s);
    const old = [{ environment: "dev", monthlyUsd: 80.31, samplesPerSecond: 231 }];
    expect(parseCostSummaries(old)).toEqual(old);
    expect(parseCostSummaries({ dev: 1 })).toBeUndefined();
    expect(parseCostSummaries([{ environment: "dev", monthlyUsd: "80" }])).toBeUndefined();
    expect(parseCostSummaries([{ ...s[0], clusters: [{ name: "x" }] }])).toBeUndefined();
  });
});

describe("renderCostDelta (the PR comment's cost section)", () => {
  const before = [
    { environment: "dev", monthlyUsd: 80.31, samplesPerSecond: 231 },
    { environment: "prod", monthlyUsd: 400, samplesPerSecond: 950 },
  ];
  const after = [
    { environment: "dev", monthlyUsd: 257.21, samplesPerSecond: 1300 },
    { environment: "prod", monthlyUsd: 400, samplesPerSecond: 950 },
    { environment: "qa", monthlyUsd: 50, samplesPerSecond: 100 },
  ];

  it("shows before, after and the difference per environment", () => {
    const md = renderCostDelta(before, after);
    expect(md).toContain("| dev | $80.31 | $257.21 | +$176.90 | 1.3k |");
    expect(md).toContain("| prod | $400.00 | $400.00 | ±$0.00 | 950 |  |");
    expect(md).toContain("| qa | (new) | $50.00 | +$50.00 | 100 | new environment |");
  });

  it("shows a removed environment and a base that could not be estimated", () => {
    expect(renderCostDelta(before, [after[0]])).toContain(
      "| prod | $400.00 | (removed) | −$400.00 |  | environment removed |",
    );
    const md = renderCostDelta(undefined, after);
    expect(md).toContain("| dev | n/a | $257.21 | n/a | 1.3k |  |");
    expect(md).toContain("could not be estimated");
  });

  it("says a base from before estimates per cluster cannot be broken down", () => {
    const md = renderCostDelta(before, [summarize(estimate(exampleEnv("dev"), PRICES, NOW))]);
    expect(md).toContain(
      "| dev | $80.31 | $104.70 | +$24.39 | 329 | n/a (no per-cluster estimate on the base) |",
    );
    expect(md).toContain("The base predates estimates per cluster");
  });

  // Staging with 100 pods a cluster: below AMP's first ingestion tier (2 billion samples a month) before and
  // after each change, so a change in one cluster leaves the other's ingestion share as it was.
  const summaries = (edit?: (name: string, x: EnvironmentInput) => void) =>
    ["dev", "staging", "prod"].map((name) =>
      summarize(
        estimate(
          exampleEnv(name, (x) => {
            if (name === "staging") for (const c of x.clusters) c.sizing = { ...c.sizing, pods: 100 };
            edit?.(name, x);
          }),
          PRICES,
          NOW,
        ),
      ),
    );
  const current = summaries();

  it("names the cluster whose lines changed, and the lines", () => {
    const smaller = summaries((name, x) => {
      if (name === "staging") x.clusters[1].sizing = { ...x.clusters[1].sizing, nodes: 2, pods: 40 };
    });
    const md = renderCostDelta(current, smaller);
    const row = md.split("\n").find((l) => l.startsWith("| staging | $"))!;
    expect(row).toMatch(/\| cluster staging-eks-green −\$\d+\.\d\d; environment lines −\$0\.\d\d \|$/);
    expect(row).not.toContain("cluster staging-eks ");
    expect(md).toMatch(
      /\| staging \| cluster staging-eks-green \| \$89\.75 \| \$\d+\.\d\d \| −\$\d+\.\d\d \| AMP ingestion \(tiered\), AMP storage \(90 d retention, steady state\), Interface endpoint data \(remote write\) \|/,
    );
    expect(md).toMatch(
      /\| staging \| environment lines \| .* \| AMP queries \(rules every 60s, dashboards 40 h\/month\) \|/,
    );
    expect(md).toContain("| dev | $104.70 | $104.70 | ±$0.00 | 329 |  |");
    expect(md).not.toMatch(/\| (dev|prod) \| (cluster|environment lines)/);
  });

  it("does not name lines that changed by less than a cent", () => {
    const slightly = summaries((name, x) => {
      if (name === "staging") x.clusters[1].sizing = { ...x.clusters[1].sizing, persistentVolumeClaims: 5 };
    });
    const md = renderCostDelta(current, slightly);
    // One more volume claim: the environment's queries grow by less than a cent.
    const row = md.split("\n").find((l) => l.startsWith("| staging | $"))!;
    expect(row).toMatch(/\| cluster staging-eks-green \+\$\d+\.\d\d \|$/);
    expect(md).not.toContain("| staging | environment lines |");
  });

  it("names a cluster added (and the endpoints of its VPC) or removed", () => {
    const blueOnly = summaries((name, x) => {
      if (name === "staging") x.clusters = x.clusters.slice(0, 1);
    });
    const added = renderCostDelta(blueOnly, current);
    const green = current[1].clusters![1].monthlyUsd;
    expect(added).toContain(
      `| staging | cluster staging-eks-green (new, prometheus) |  | ${usd(green)} | +${usd(green)} | all (new cluster) |`,
    );
    expect(added).toMatch(
      /\| staging \| environment lines \| .* \| AMP queries \(rules every 60s, dashboards 40 h\/month\), Interface endpoints \(hours, vpc-0d4e5f6a7b8c90123\) \|/,
    );
    expect(added).toMatch(
      /\| staging \| .* \| cluster staging-eks-green \(new, prometheus\) \+\$\d+\.\d\d; environment lines \+\$\d+\.\d\d \|/,
    );
    const removed = renderCostDelta(current, blueOnly);
    expect(removed).toContain(
      `| staging | cluster staging-eks-green (removed) | ${usd(green)} |  | −${usd(green)} | all (cluster removed) |`,
    );
  });
});

describe("npm run cost", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["-r", "esbuild-register", "scripts/cost.ts", ...args], {
      cwd: join(__dirname, "..", "..", ".."),
      encoding: "utf8",
    });

  it("exits 1 for an unknown environment, listing the known ones, without a stack trace", () => {
    const r = run("nope");
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'unknown environment "nope" (expected one of: dev, staging, prod; see environments/index.ts)\n',
    );
  });

  it("prints every environment's summary as JSON for the PR comment, per cluster", () => {
    const r = run("--all", "--json");
    expect(r.status).toBe(0);
    const parsed = JSON.parse(r.stdout) as CostSummary[];
    expect(parsed.map((s) => s.environment)).toEqual(["dev", "staging", "prod"]);
    expect(parsed[1].clusters?.map((c) => c.name)).toEqual(["staging-eks", "staging-eks-green"]);
    expect(parseCostSummaries(parsed)).toEqual(parsed);
  });

  it("prints one environment's estimate as JSON with its breakdown", () => {
    const r = run("staging", "--json");
    expect(r.status).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.clusters.map((c: { name: string }) => c.name)).toEqual(["staging-eks", "staging-eks-green"]);
    expect(e.environmentItems.length).toBeGreaterThan(0);
  });
});
