/**
 * Rendering of `npm run cost` (a text table per environment) and of the PR comment's cost section
 * (before and after a change, per environment). Pure functions: unit-tested in
 * __tests__/scripts/lib/cost-report.test.ts.
 */
import { type Estimate, fmt } from "../../cost/estimate";

const usd = (n: number) => `$${n.toFixed(2)}`;

function table(rows: string[][], rightAligned: number[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The text `npm run cost -- <env>` prints: line items, totals, series and samples, assumptions, warnings. */
export function renderEstimate(e: Estimate): string {
  const mark = (column: "allowList" | "sendAll") => (e.selected === column ? " *" : "");
  const rows = [
    [
      "item",
      "quantity (allow-list)",
      `allow-list $/month${mark("allowList")}`,
      `sendAll $/month${mark("sendAll")}`,
    ],
    ...e.items.map((i) => [i.item, i.quantity, usd(i.allowList), usd(i.sendAll)]),
    ["total", "", usd(e.total.allowList), usd(e.total.sendAll)],
  ];
  return [
    `${e.environment} (${e.region}, ${e.collector} collector): estimated monthly cost`,
    "",
    table(rows, [2, 3]),
    "",
    `* what environments/${e.environment}.ts selects (metrics.sendAll: ${e.selected === "sendAll"})`,
    `metric names sent: ${e.keptNames} with the allow-list, about ${e.exposedNames} with sendAll (what the collector's default jobs expose)`,
    `active series: ${fmt(e.series.allowList)} with the allow-list, ${fmt(e.series.sendAll)} with sendAll`,
    `samples/s: ${fmt(e.samplesPerSecond.allowList)} with the allow-list, ${fmt(e.samplesPerSecond.sendAll)} with sendAll`,
    "",
    "Assumptions:",
    ...e.assumptions.map((a) => `  - ${a}`),
    ...(e.warnings.length ? ["", "Warnings:", ...e.warnings.map((w) => `  ! ${w}`)] : []),
  ].join("\n");
}

/** What the PR comment needs of an estimate: the total of the environment's selected column. */
export interface CostSummary {
  readonly environment: string;
  readonly monthlyUsd: number;
  readonly samplesPerSecond: number;
}

/** The summary of an estimate (the column the environment selects). */
export function summarize(e: Estimate): CostSummary {
  return {
    environment: e.environment,
    monthlyUsd: Number(e.total[e.selected].toFixed(2)),
    samplesPerSecond: Math.round(e.samplesPerSecond[e.selected]),
  };
}

const signed = (n: number) => `${n > 0 ? "+" : n < 0 ? "−" : "±"}$${Math.abs(n).toFixed(2)}`;

/**
 * The PR comment's cost section: per environment, the estimate on the base branch and with the change,
 * and the difference. `before` is undefined when the base could not be estimated (e.g. it predates
 * `npm run cost`); an environment missing on one side is new or removed.
 */
export function renderCostDelta(
  before: readonly CostSummary[] | undefined,
  after: readonly CostSummary[],
): string {
  const head = ["### Estimated monthly cost (`npm run cost`)", ""];
  const names = [
    ...new Set([...(before ?? []).map((c) => c.environment), ...after.map((c) => c.environment)]),
  ];
  const rows = ["| environment | before | after | difference | samples/s after |", "|---|--:|--:|--:|--:|"];
  for (const name of names) {
    const b = before?.find((c) => c.environment === name);
    const a = after.find((c) => c.environment === name);
    const beforeText = before === undefined ? "n/a" : b ? `$${b.monthlyUsd.toFixed(2)}` : "(new)";
    const afterText = a ? `$${a.monthlyUsd.toFixed(2)}` : "(removed)";
    const diff =
      b && a
        ? signed(a.monthlyUsd - b.monthlyUsd)
        : a && before !== undefined
          ? signed(a.monthlyUsd)
          : b && !a
            ? signed(-b.monthlyUsd)
            : "n/a";
    rows.push(`| ${name} | ${beforeText} | ${afterText} | ${diff} | ${a ? fmt(a.samplesPerSecond) : ""} |`);
  }
  const note =
    before === undefined
      ? "The base branch could not be estimated (it predates `npm run cost`, or its estimate failed)."
      : "Model, sizes and prices: cost/ and each environment's `sizing`; run `npm run cost -- <env>` for the line items.";
  return [...head, ...rows, "", note, ""].join("\n");
}
