/**
 * Every alert links a runbook this project ships (docs/runbooks/<AlertName>.md) and every runbook is an
 * alert's: what it means, how to check (PromQL that parses and reads metrics that exist, and commands), how
 * to fix, and its thresholds, tunable or fixed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parser } from "@prometheus-io/lezer-promql";
import { COLLECTOR_TYPES } from "../../lib/catalogue";
import { metricsCollectedBy } from "../../monitoring/metrics";
import { alertNamesOf, RUNBOOKS_DIR, recordedNamesOf, ruleFilesOfCollector } from "../../monitoring/rules";
import { exampleRuleParams } from "../helpers";

const root = join(__dirname, "..", "..");
const dir = join(root, RUNBOOKS_DIR);
const pages = readdirSync(dir).filter((f) => f.endsWith(".md"));
/** Every alert either collector ships, with a budget (the budget's alert included). */
const params = { ...exampleRuleParams("dev"), ingestionBudgetSamplesPerSecond: 1000 };
const filesOf = COLLECTOR_TYPES.map((c) => ruleFilesOfCollector(c, params));
const alerts = [...new Set(filesOf.flatMap(alertNamesOf))].sort();
const known = new Set([
  ...COLLECTOR_TYPES.flatMap((c) => [...metricsCollectedBy(c)]),
  ...filesOf.flatMap(recordedNamesOf),
]);
const read = (page: string) => readFileSync(join(dir, page), "utf8");

/** The fenced blocks of a language in a page. */
const blocks = (text: string, lang: string) =>
  [...text.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].map((m) => m[1]);

/**
 * The expressions of a PromQL block: one per line starting at the margin, with its indented or
 * closing-bracket continuation lines; `#` lines are comments.
 */
function expressionsOf(block: string): string[] {
  const out: string[] = [];
  for (const line of block.split("\n")) {
    if (!line.trim() || line.startsWith("#")) continue;
    if (out.length > 0 && /^(\s|\))/.test(line)) out[out.length - 1] += `\n${line}`;
    else out.push(line);
  }
  return out;
}

/** Parse errors and metric names of an expression (selectors without a name are allowed in runbooks). */
function check(expr: string): { errors: number; metrics: string[] } {
  const tree = parser.parse(expr);
  let errors = 0;
  const metrics: string[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) errors++;
    if (cursor.name === "VectorSelector") {
      const id = cursor.node.getChild("Identifier");
      if (id) metrics.push(expr.slice(id.from, id.to));
    }
  } while (cursor.next());
  return { errors, metrics };
}

describe("docs/runbooks/", () => {
  it("has a page for every alert, and no page for an alert no collector ships", () => {
    expect(alerts.length).toBeGreaterThanOrEqual(30);
    expect(alerts.filter((a) => !pages.includes(`${a}.md`))).toEqual([]);
    expect(pages.filter((p) => !alerts.includes(p.replace(/\.md$/, "")))).toEqual([]);
  });

  it.each(pages)("%s: says what it means, how to check, how to fix, and its thresholds", (page) => {
    const text = read(page);
    expect(text.startsWith(`# ${page.replace(/\.md$/, "")}\n`)).toBe(true);
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(["What it means", "How to check", "How to fix", "Thresholds"]);
    expect(blocks(text, "promql").length).toBeGreaterThan(0);
    expect(blocks(text, "sh").join("\n")).toMatch(/\b(kubectl|aws|npm|promtool)\b/);
  });

  it.each(pages)("%s: its PromQL parses and reads metrics that are collected or recorded", (page) => {
    const expressions = blocks(read(page), "promql").flatMap(expressionsOf);
    expect(expressions.length).toBeGreaterThan(0);
    for (const expr of expressions) {
      const { errors, metrics } = check(expr);
      expect({ expr, errors }).toEqual({ expr, errors: 0 });
      expect({ expr, unknown: metrics.filter((m) => !known.has(m)) }).toEqual({ expr, unknown: [] });
    }
  });

  it("names every tunable threshold where it applies", () => {
    const all = pages.map(read).join("\n");
    for (const field of Object.keys(params.thresholds))
      expect({ field, named: all.includes(field) }).toEqual({ field, named: true });
  });

  it("the checks see a broken page: no expression, a typo, an unknown metric", () => {
    expect(expressionsOf("# only a comment\n")).toEqual([]);
    expect(check("sum by (node (up)").errors).toBeGreaterThan(0);
    expect(check('rate(no_such_metric_total{cluster="<cluster>"}[5m])').metrics).toEqual([
      "no_such_metric_total",
    ]);
    expect(expressionsOf("max by (a) (\n  x\n)\ny")).toEqual(["max by (a) (\n  x\n)", "y"]);
  });
});
