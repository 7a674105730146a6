import { renderCostDelta } from "../../../scripts/lib/cost-report";
import type { EnvironmentPlanReport } from "../../../scripts/lib/plan";
import {
  COMMENT_LIMIT,
  COMMENT_MARKER,
  changedEnvironments,
  hasFailures,
  renderComment,
  truncate,
} from "../../../scripts/lib/pr-comment";

const ENVS = ["dev", "staging", "prod"];

describe("changedEnvironments", () => {
  it("plans only the environment whose file changed", () => {
    expect(changedEnvironments(["environments/staging.ts", "docs/delivery.md"], ENVS)).toEqual(["staging"]);
  });

  it("plans every environment when shared code, dependencies or the environment list change", () => {
    for (const file of [
      "lib/backend.ts",
      "stacks/grafana-stack.ts",
      "constructs/x.ts",
      "main.ts",
      "package-lock.json",
      "environments/index.ts",
      "cdktf.json",
    ])
      expect(changedEnvironments([file], ENVS)).toEqual(ENVS);
  });

  it("plans nothing for docs, tests, CI, scripts and the loopback deploy test", () => {
    expect(
      changedEnvironments(
        [
          "README.md",
          "__tests__/a.test.ts",
          ".github/workflows/pr.yml",
          "scripts/stacks.ts",
          "e2e/main.ts",
          "e2e/install-moto.sh",
        ],
        ENVS,
      ),
    ).toEqual([]);
  });

  it("plans everything for a file of an environment that is not listed (it may be shared)", () => {
    expect(changedEnvironments(["environments/common.ts"], ENVS)).toEqual(ENVS);
  });
});

const report: EnvironmentPlanReport = {
  environment: "dev",
  stacks: [
    {
      stack: "dev-network",
      status: "changes",
      counts: { add: 3, change: 0, destroy: 0 },
      output: "Plan: 3 to add, 0 to change, 0 to destroy.",
    },
    {
      stack: "dev-cluster-monitoring",
      status: "upstream-missing",
      upstream: ["dev-network"],
      output: "Error: Unable to find remote state",
    },
    { stack: "dev-grafana", status: "error", output: "Error: boom ```x```" },
    {
      stack: "dev-grafana-token",
      status: "skipped",
      reason:
        "its state holds the Grafana service-account token (ADMIN), which pull-request plans may not read",
      output: "",
    },
  ],
};

describe("renderComment", () => {
  const md = renderComment([report], {
    expected: ["dev", "prod"],
    sha: "0123456789abcdef",
    runUrl: "https://ci/run/1",
  });

  it("starts with the marker the workflow updates the comment by", () => {
    expect(md.startsWith(COMMENT_MARKER)).toBe(true);
  });

  it("has a collapsible block per stack with its summary line", () => {
    expect(md).toContain("<summary>🟡 <code>dev-network: +3 ~0 -0</code></summary>");
    expect(md).toContain(
      "<summary>⏳ <code>dev-cluster-monitoring: upstream not applied yet (dev-network)</code></summary>",
    );
    expect(md).toContain("<summary>❌ <code>dev-grafana: error</code></summary>");
    expect(md.match(/<details>/g)).toHaveLength(4);
  });

  it("says why a stack was not planned, and shows no plan for it", () => {
    expect(md).toContain(
      "<summary>⏭️ <code>dev-grafana-token: skipped (its state holds the Grafana service-account token (ADMIN), which pull-request plans may not read)</code></summary>",
    );
    expect(md).toContain(
      "Not planned here: its state holds the Grafana service-account token (ADMIN), which pull-request plans may not read. It is planned and applied by the deploy pipeline only",
    );
    const block = md.slice(md.indexOf("dev-grafana-token: skipped"));
    expect(block.slice(0, block.indexOf("</details>"))).not.toContain("```");
  });

  it("keeps plan output from closing its code block", () => {
    expect(md).not.toContain("```x```");
  });

  it("says so when an expected environment has no report", () => {
    expect(md).toContain("### prod\n\n❌ No plan report");
  });

  it("stays under GitHub's comment limit with huge plans", () => {
    const huge: EnvironmentPlanReport = {
      environment: "dev",
      stacks: report.stacks.map((s) => ({ ...s, output: "x".repeat(200_000) })),
    };
    expect(renderComment([huge], { expected: ["dev"] }).length).toBeLessThan(COMMENT_LIMIT);
  });

  it("keeps the end of long output, where the plan summary is", () => {
    expect(truncate(`${"a".repeat(100)}Plan: 1 to add`, 20)).toMatch(/characters cut.*\n.*Plan: 1 to add$/);
  });

  it("says when no environment is affected", () => {
    expect(renderComment([], { expected: [] })).toContain("No environment is affected by this change.");
  });
});

describe("hasFailures", () => {
  it("fails on a real error or a missing report, not on upstream-missing or a skipped stack", () => {
    expect(hasFailures([report], ["dev"])).toBe(true);
    const ok = { ...report, stacks: [...report.stacks.slice(0, 2), report.stacks[3]] };
    expect(hasFailures([ok], ["dev"])).toBe(false);
    expect(hasFailures([ok], ["dev", "prod"])).toBe(true);
  });
});

describe("the cost section", () => {
  const cost = renderCostDelta(
    [{ environment: "dev", monthlyUsd: 80, samplesPerSecond: 231 }],
    [{ environment: "dev", monthlyUsd: 90.5, samplesPerSecond: 260 }],
  );

  it("comes before the plans, with before, after and the difference", () => {
    const md = renderComment([report], { expected: ["dev"], cost });
    expect(md).toContain("| dev | $80.00 | $90.50 | +$10.50 | 260 |");
    expect(md.indexOf("Estimated monthly cost")).toBeLessThan(md.indexOf("### dev"));
  });

  it("shows even when no environment is planned", () => {
    expect(renderComment([], { expected: [], cost })).toContain("Estimated monthly cost");
  });

  it("names the cluster whose cost changed, before the plans", () => {
    const part = (monthlyUsd: number) => ({ monthlyUsd, lines: { "AMP ingestion (tiered)": monthlyUsd } });
    const cluster = (name: string, monthlyUsd: number) => ({
      name,
      collector: "prometheus",
      samplesPerSecond: 100,
      ...part(monthlyUsd),
    });
    const md = renderComment([report], {
      expected: ["dev"],
      cost: renderCostDelta(
        [
          {
            environment: "dev",
            monthlyUsd: 80,
            samplesPerSecond: 200,
            clusters: [cluster("dev-eks", 50)],
            shared: part(30),
          },
        ],
        [
          {
            environment: "dev",
            monthlyUsd: 90,
            samplesPerSecond: 200,
            clusters: [cluster("dev-eks", 60)],
            shared: part(30),
          },
        ],
      ),
    });
    expect(md).toContain("| dev | $80.00 | $90.00 | +$10.00 | 200 | cluster dev-eks +$10.00 |");
    expect(md).toContain("| dev | cluster dev-eks | $50.00 | $60.00 | +$10.00 | AMP ingestion (tiered) |");
    expect(md.indexOf("cluster dev-eks")).toBeLessThan(md.indexOf("### dev"));
  });
});
