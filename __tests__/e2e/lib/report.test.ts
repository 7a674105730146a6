/** The e2e's closing summary. */
import { phaseTimes, summaryLines } from "../../../e2e/lib/report";

describe("summary", () => {
  it("sums phase times by phase, in first-seen order", () => {
    expect(
      phaseTimes([
        { phase: "init", seconds: 1 },
        { phase: "plan", seconds: 10.04 },
        { phase: "plan", seconds: 2 },
      ]),
    ).toBe("init 1.0s, plan 12.0s");
  });

  it("lists each stack's applied and excluded counts, then the checks and every failure", () => {
    const lines = summaryLines(
      [
        {
          stack: "e2e-grafana",
          applied: 2,
          excluded: 4,
          excludedTypes: ["aws_grafana_workspace (1): no AMG"],
          times: [],
        },
      ],
      [
        { status: "PASS", name: "a" },
        { status: "FAIL", name: "b", detail: "why" },
        { status: "NOT PROVEN", name: "c", detail: "because" },
      ],
    );
    expect(lines).toEqual([
      "",
      "== summary",
      "e2e-grafana: 2 applied, 4 excluded",
      "    excluded aws_grafana_workspace (1): no AMG",
      "checks: 1 passed, 1 failed, 0 skipped, 1 not proven",
      "  FAIL b: why",
    ]);
  });
});
