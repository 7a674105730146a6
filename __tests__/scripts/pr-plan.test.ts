/** `pr-plan.ts render` reads the cost files the PR workflow writes (`npm run cost -- --all --json`, before and after). */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { estimate } from "../../cost/estimate";
import { PRICES } from "../../cost/prices";
import { summarize } from "../../scripts/lib/cost-report";
import { exampleEnv } from "../helpers";

const NOW = new Date("2026-12-01T00:00:00Z");

describe("pr-plan.ts render: the cost section", () => {
  const dir = mkdtempSync(join(tmpdir(), "eksmon-pr-plan-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };
  const render = (before: string, after: string) =>
    spawnSync(
      process.execPath,
      [
        "-r",
        "esbuild-register",
        "scripts/pr-plan.ts",
        "render",
        "--reports",
        join(dir, "no-reports"),
        "--cost-before",
        before,
        "--cost-after",
        after,
      ],
      { cwd: join(__dirname, "..", ".."), encoding: "utf8" },
    );
  const blueOnly = summarize(
    estimate(
      exampleEnv("staging", (x) => {
        x.clusters = x.clusters.slice(0, 1);
      }),
      PRICES,
      NOW,
    ),
  );
  const both = summarize(estimate(exampleEnv("staging"), PRICES, NOW));

  it("names the cluster a change adds", () => {
    const r = render(write("before.json", [blueOnly]), write("after.json", [both]));
    expect(r.status).toBe(0);
    // With green, staging passes AMP's 2 billion samples a month: blue's ingestion share gets cheaper.
    expect(r.stdout).toMatch(
      /\| staging \| \$\d+\.\d\d \| \$\d+\.\d\d \| \+\$\d+\.\d\d \| 773 \| cluster staging-eks −\$\d+\.\d\d; cluster staging-eks-green \(new, prometheus\)/,
    );
    expect(r.stdout).toContain("| staging | cluster staging-eks-green (new, prometheus) |");
  });

  it("takes a base's summary from before estimates per cluster, and treats a malformed one as no estimate", () => {
    const old = write("old.json", [{ environment: "staging", monthlyUsd: 191.94, samplesPerSecond: 249 }]);
    const r = render(old, write("after2.json", [both]));
    expect(r.stdout).toContain("| staging | $191.94 |");
    expect(r.stdout).toContain("n/a (no per-cluster estimate on the base)");
    const junk = render(
      write("junk.json", [{ environment: "staging", monthlyUsd: "lots" }]),
      join(dir, "after2.json"),
    );
    expect(junk.status).toBe(0);
    expect(junk.stdout).toContain("| staging | n/a |");
    expect(junk.stdout).toContain("could not be estimated");
  });
});
