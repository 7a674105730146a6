/**
 * Rendering of `npm run cost` (a text table per environment: each cluster's section, the environment's
 * lines, the total) and of the PR comment's cost section (before and after a change, per environment, and
 * which cluster's lines or which environment lines changed). Pure functions: unit-tested in
 * __tests__/scripts/lib/cost-report.test.ts.
 */
import { type Column, type Estimate, fmt, type LineItem } from "../../cost/estimate";

const usd = (n: number) => `$${n.toFixed(2)}`;

/** A table row, or a title line between rows (not aligned, not counted in the widths). */
type Row = readonly string[] | { readonly title: string };

function table(rows: readonly Row[], rightAligned: readonly number[]): string {
  const cells = rows.filter((r): r is readonly string[] => Array.isArray(r));
  const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  return rows
    .map((r) =>
      Array.isArray(r)
        ? r
            .map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
            .join("  ")
            .trimEnd()
        : (r as { title: string }).title,
    )
    .join("\n");
}

const itemRows = (items: readonly LineItem[]) =>
  items.map((i) => [`  ${i.item}`, i.quantity, usd(i.allowList), usd(i.sendAll)]);

/**
 * The text `npm run cost -- <env>` prints: each cluster's lines and subtotal, the environment's lines and
 * subtotal, the total; then series and samples per cluster, the assumptions and the warnings.
 */
export function renderEstimate(e: Estimate): string {
  const mark = (column: Column) => (e.selected === column ? " *" : "");
  const n = e.clusters.length;
  const rows: Row[] = [
    [
      "item",
      "quantity (allow-list)",
      `allow-list $/month${mark("allowList")}`,
      `sendAll $/month${mark("sendAll")}`,
    ],
  ];
  for (const c of e.clusters)
    rows.push(
      { title: "" },
      { title: `cluster ${c.name}: ${c.collector} collector, stack ${c.stack}` },
      ...itemRows(c.items),
      ["  subtotal", "", usd(c.subtotal.allowList), usd(c.subtotal.sendAll)],
    );
  rows.push(
    { title: "" },
    { title: `environment: shared by its ${n === 1 ? "cluster" : `${n} clusters`}` },
    ...itemRows(e.environmentItems),
    ["  subtotal", "", usd(e.environmentSubtotal.allowList), usd(e.environmentSubtotal.sendAll)],
    { title: "" },
    ["total", "", usd(e.total.allowList), usd(e.total.sendAll)],
  );
  const pair = (x: { allowList: number; sendAll: number }) => `${fmt(x.allowList)} / ${fmt(x.sendAll)}`;
  const perCluster: Row[] = [
    ["cluster", "collector", "metric names sent", "active series", "samples/s"],
    ...e.clusters.map((c) => [
      c.name,
      c.collector,
      `${c.keptNames} / about ${c.exposedNames}`,
      pair(c.series),
      pair(c.samplesPerSecond),
    ]),
    ...(n > 1 ? [["all", "", "", pair(e.series), pair(e.samplesPerSecond)]] : []),
  ];
  return [
    `${e.environment} (${e.region}, ${n === 1 ? "1 cluster" : `${n} clusters`}): estimated monthly cost`,
    "",
    table(rows, [2, 3]),
    "",
    `* what environments/${e.environment}.ts selects (metrics.sendAll: ${e.selected === "sendAll"})`,
    "",
    "Sent to AMP, allow-list / sendAll (sendAll: what the collector's default jobs expose):",
    table(perCluster, []),
    "",
    "Assumptions:",
    ...[...e.assumptions, ...e.clusters.flatMap((c) => c.assumptions)].map((a) => `  - ${a}`),
    ...(e.warnings.length ? ["", "Warnings:", ...e.warnings.map((w) => `  ! ${w}`)] : []),
  ].join("\n");
}

/** One part of an environment's cost (a cluster's lines, or the environment's), in the selected column. */
export interface CostPartSummary {
  readonly monthlyUsd: number;
  /** $/month by line item. */
  readonly lines: Readonly<Record<string, number>>;
}

/** One cluster's part. */
export interface ClusterCostSummary extends CostPartSummary {
  /** The cluster's name (the `cluster` label): how the PR comment matches it before and after. */
  readonly name: string;
  readonly collector: string;
  readonly samplesPerSecond: number;
}

/** What the PR comment needs of an estimate: the totals of the environment's selected column, by part. */
export interface CostSummary {
  readonly environment: string;
  readonly monthlyUsd: number;
  readonly samplesPerSecond: number;
  /** Each cluster's part; absent in the summary of a commit from before estimates per cluster. */
  readonly clusters?: readonly ClusterCostSummary[];
  /** The environment's own lines (what the clusters share); absent with `clusters`. */
  readonly shared?: CostPartSummary;
}

const cents = (n: number) => Number(n.toFixed(2));

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);
const isPart = (x: unknown): x is CostPartSummary =>
  isRecord(x) &&
  typeof x.monthlyUsd === "number" &&
  isRecord(x.lines) &&
  Object.values(x.lines).every((v) => typeof v === "number");
const isCluster = (x: unknown): x is ClusterCostSummary =>
  isRecord(x) && isPart(x) && typeof x.name === "string" && typeof x.collector === "string";

/**
 * The summaries in a `npm run cost -- --all --json` output, or undefined when it is not one (the comment then
 * says the base could not be estimated). A summary from before estimates per cluster (no `clusters`) is one.
 */
export function parseCostSummaries(json: unknown): CostSummary[] | undefined {
  if (!Array.isArray(json)) return undefined;
  const valid = json.every(
    (s) =>
      isRecord(s) &&
      typeof s.environment === "string" &&
      typeof s.monthlyUsd === "number" &&
      typeof s.samplesPerSecond === "number" &&
      (s.clusters === undefined || (Array.isArray(s.clusters) && s.clusters.every(isCluster))) &&
      (s.shared === undefined || isPart(s.shared)),
  );
  return valid ? (json as CostSummary[]) : undefined;
}

/** The summary of an estimate (the column the environment selects). */
export function summarize(e: Estimate): CostSummary {
  const lines = (items: readonly LineItem[]) => {
    const out: Record<string, number> = {};
    for (const i of items) out[i.item] = cents((out[i.item] ?? 0) + i[e.selected]);
    return out;
  };
  return {
    environment: e.environment,
    monthlyUsd: cents(e.total[e.selected]),
    samplesPerSecond: Math.round(e.samplesPerSecond[e.selected]),
    clusters: e.clusters.map((c) => ({
      name: c.name,
      collector: c.collector,
      monthlyUsd: cents(c.subtotal[e.selected]),
      samplesPerSecond: Math.round(c.samplesPerSecond[e.selected]),
      lines: lines(c.items),
    })),
    shared: { monthlyUsd: cents(e.environmentSubtotal[e.selected]), lines: lines(e.environmentItems) },
  };
}

const signed = (n: number) => `${n > 0 ? "+" : n < 0 ? "−" : "±"}$${Math.abs(n).toFixed(2)}`;

/** The items whose cost differs between two parts, or that only one of them has. */
function changedLines(before: CostPartSummary, after: CostPartSummary): string[] {
  const items = [...new Set([...Object.keys(before.lines), ...Object.keys(after.lines)])];
  return items.filter((i) => before.lines[i] === undefined || before.lines[i] !== after.lines[i]);
}

/** A part of an environment that changed: a row of the comment's second table. */
interface ChangedPart {
  readonly environment: string;
  readonly part: string;
  readonly before?: number;
  readonly after?: number;
  readonly lines: string;
}

/**
 * The parts of an environment whose lines changed: each cluster (by name) added, removed or with a line
 * that differs, and the environment's lines. Undefined when either side has no breakdown.
 */
function changedParts(b: CostSummary, a: CostSummary): ChangedPart[] | undefined {
  if (!b.clusters || !b.shared || !a.clusters || !a.shared) return undefined;
  const parts: ChangedPart[] = [];
  const environment = a.environment;
  const names = [...new Set([...b.clusters.map((c) => c.name), ...a.clusters.map((c) => c.name)])];
  for (const name of names) {
    const cb = b.clusters.find((c) => c.name === name);
    const ca = a.clusters.find((c) => c.name === name);
    if (cb && ca) {
      const lines = changedLines(cb, ca);
      if (lines.length > 0 || cb.monthlyUsd !== ca.monthlyUsd)
        parts.push({
          environment,
          part: `cluster ${name}`,
          before: cb.monthlyUsd,
          after: ca.monthlyUsd,
          lines: lines.join(", "),
        });
    } else if (ca)
      parts.push({
        environment,
        part: `cluster ${name} (new, ${ca.collector})`,
        after: ca.monthlyUsd,
        lines: "all (new cluster)",
      });
    else if (cb)
      parts.push({
        environment,
        part: `cluster ${name} (removed)`,
        before: cb.monthlyUsd,
        lines: "all (cluster removed)",
      });
  }
  const lines = changedLines(b.shared, a.shared);
  if (lines.length > 0 || b.shared.monthlyUsd !== a.shared.monthlyUsd)
    parts.push({
      environment,
      part: "environment lines",
      before: b.shared.monthlyUsd,
      after: a.shared.monthlyUsd,
      lines: lines.join(", "),
    });
  return parts;
}

/** A table cell's text: `|` would end the cell. */
const cell = (text: string) => text.replace(/\|/g, "\\|");

/**
 * The PR comment's cost section: per environment, the estimate on the base branch and with the change,
 * the difference, and what changed (the clusters whose lines changed, added or removed, and the
 * environment's lines); then a row per changed part with the lines that changed. `before` is undefined when
 * the base could not be estimated (e.g. it predates `npm run cost`); an environment or a cluster missing on
 * one side is new or removed; a base from before estimates per cluster gets no breakdown.
 */
export function renderCostDelta(
  before: readonly CostSummary[] | undefined,
  after: readonly CostSummary[],
): string {
  const head = ["### Estimated monthly cost (`npm run cost`)", ""];
  const names = [
    ...new Set([...(before ?? []).map((c) => c.environment), ...after.map((c) => c.environment)]),
  ];
  const rows = [
    "| environment | before | after | difference | samples/s after | what changed |",
    "|---|--:|--:|--:|--:|---|",
  ];
  const details: ChangedPart[] = [];
  let noBreakdown = false;
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
    let what = "";
    if (b && a) {
      const parts = changedParts(b, a);
      if (parts) {
        details.push(...parts);
        what = parts.map((p) => `${p.part} ${signed((p.after ?? 0) - (p.before ?? 0))}`).join("; ");
      } else if (b.monthlyUsd !== a.monthlyUsd) {
        what = "n/a (no per-cluster estimate on the base)";
        noBreakdown = true;
      }
    } else if (a && before !== undefined) what = "new environment";
    else if (b && !a) what = "environment removed";
    rows.push(
      `| ${name} | ${beforeText} | ${afterText} | ${diff} | ${a ? fmt(a.samplesPerSecond) : ""} | ${cell(what)} |`,
    );
  }
  const money = (n: number | undefined) => (n === undefined ? "" : `$${n.toFixed(2)}`);
  const breakdown =
    details.length === 0
      ? []
      : [
          "",
          "| environment | part | before | after | difference | lines that changed |",
          "|---|---|--:|--:|--:|---|",
          ...details.map(
            (p) =>
              `| ${p.environment} | ${cell(p.part)} | ${money(p.before)} | ${money(p.after)} | ${signed((p.after ?? 0) - (p.before ?? 0))} | ${cell(p.lines)} |`,
          ),
        ];
  const note =
    before === undefined
      ? "The base branch could not be estimated (it predates `npm run cost`, or its estimate failed)."
      : `Model, sizes and prices: cost/, each cluster's \`sizing\` and the environment's; run \`npm run cost -- <env>\` for the line items.${noBreakdown ? " The base predates estimates per cluster: its changes are not broken down." : ""}`;
  return [...head, ...rows, ...breakdown, "", note, ""].join("\n");
}
