import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { estimate } from "../../../cost/estimate";
import { PRICES } from "../../../cost/prices";
import { renderCostDelta, renderEstimate, summarize } from "../../../scripts/lib/cost-report";
import { exampleEnv } from "../../helpers";

const NOW = new Date("2026-12-01T00:00:00Z");

describe("renderEstimate", () => {
  const text = renderEstimate(estimate(exampleEnv("prod"), PRICES, NOW));

  it("prints one row per line item with both columns, the total, and the assumptions under the table", () => {
    expect(text).toMatch(/^prod \(us-west-2, prometheus collector\)/);
    expect(text).toMatch(/AMP ingestion \(tiered\)\s+\S+ samples\s+\$\d+\.\d\d\s+\$\d+\.\d\d/);
    expect(text).toMatch(/\ntotal\s+\$\d+\.\d\d\s+\$\d+\.\d\d\n/);
    expect(text).toContain("allow-list $/month *");
    expect(text.indexOf("Assumptions:")).toBeGreaterThan(text.indexOf("total"));
    expect(text).toContain("cost/prices.ts as of 2026-11-25");
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
    expect(md).toContain("| prod | $400.00 | $400.00 | ±$0.00 | 950 |");
    expect(md).toContain("| qa | (new) | $50.00 | +$50.00 | 100 |");
  });

  it("shows a removed environment and a base that could not be estimated", () => {
    expect(renderCostDelta(before, [after[0]])).toContain("| prod | $400.00 | (removed) | −$400.00 |  |");
    const md = renderCostDelta(undefined, after);
    expect(md).toContain("| dev | n/a | $257.21 | n/a | 1.3k |");
    expect(md).toContain("could not be estimated");
  });

  it("summarizes the column the environment selects", () => {
    const e = estimate(exampleEnv("dev"), PRICES, NOW);
    expect(summarize(e).monthlyUsd).toBeCloseTo(e.total.allowList, 2);
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

  it("prints every environment's summary as JSON for the PR comment", () => {
    const r = run("--all", "--json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).map((s: { environment: string }) => s.environment)).toEqual([
      "dev",
      "staging",
      "prod",
    ]);
  });
});
