/**
 * `npm run dashboards`: renders the dashboards (TypeScript in dashboards/src/, Grafana's typed builders) to
 * the JSON files in dashboards/ that the stacks publish, and removes JSON files no dashboard renders any more.
 * `npm run dashboards -- --check` writes nothing and fails, naming the files, when they differ from what the
 * sources render (CI and __tests__/scripts/dashboards.test.ts hold the committed JSON to the sources).
 * The JSON is generated ahead rather than at synth: loading the builders would cost synth its time budget
 * (docs/performance.md).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { validateEnvironments } from "../config/validate";
import { renderAll } from "../dashboards/src";
import { environments } from "../environments";
import { COLLECTOR_TYPES, SHIPPED_DASHBOARDS } from "../lib/catalogue";
import { projectRoot } from "../lib/paths";
import { ruleExpressions } from "../monitoring/allow-list";
import { DASHBOARD_DIR, type DashboardModel, dashboardQueries, panelsOf } from "../monitoring/dashboards";
import { parseSelectors, selectorKey } from "../monitoring/promql";
import { ruleFilesOfCollector, ruleParamsOf } from "../monitoring/rules";

/**
 * The selectors of every query of the rendered dashboards and of every rule the example environments ship (for
 * each collector type), read by monitoring/promql.ts selectorsOf, so that synth parses none of them.
 */
export const SELECTORS_FILE = join(projectRoot(), "monitoring", "dashboard-selectors.json");

/**
 * The text of SELECTORS_FILE: each query's `selectorKey` and its selectors. Rules are keyed the same way, so
 * another environment's thresholds and cluster names find them too; a rule only another configuration ships is
 * parsed at synth (and cached for the process).
 */
export function selectorsText(rendered: Record<string, string>): string {
  const panels = Object.values(rendered).flatMap((text) =>
    dashboardQueries(JSON.parse(text) as DashboardModel).map((q) => q.expr),
  );
  const rules = validateEnvironments(environments).flatMap((env) =>
    COLLECTOR_TYPES.flatMap((collector) =>
      ruleExpressions(ruleFilesOfCollector(collector, ruleParamsOf(env))).expressions.map((e) => e.expr),
    ),
  );
  const byKey = new Map<string, string>();
  for (const expr of [...panels, ...rules])
    if (!byKey.has(selectorKey(expr))) byKey.set(selectorKey(expr), expr);
  const entries = [...byKey.keys()].sort().map((key) => [key, parseSelectors(byKey.get(key) as string)]);
  return `${JSON.stringify(Object.fromEntries(entries), null, 1)}\n`;
}

/** The page listing the dashboards, and the markers of the table this script writes in it. */
export const DASHBOARD_DOC = join(projectRoot(), "docs", "grafana-as-code.md");
const BEGIN = "<!-- dashboards:begin (written by npm run dashboards) -->";
const END = "<!-- dashboards:end -->";

/** The markdown table of the dashboards: title and uid, who gets it, its variables, its panels by row. */
export function dashboardTable(rendered: Record<string, string>): string {
  const rows = Object.entries(rendered).map(([file, text]) => {
    const model = JSON.parse(text) as DashboardModel;
    const collector = SHIPPED_DASHBOARDS[file]?.collector;
    const variables = ((model.templating as { list: { name: string }[] }).list ?? []).map(
      (v) => `\`${v.name}\``,
    );
    const sections: string[] = [];
    let current: string[] = [];
    for (const p of panelsOf(model) as { type?: string; title?: string }[]) {
      if (p.type === "row") {
        if (current.length) sections.push(current.join("; "));
        current = [`**${p.title}**: `];
        continue;
      }
      current.push(p.title ?? "");
    }
    if (current.length) sections.push(current.join("; "));
    const panels = panelsOf(model).filter((p) => (p as { type?: string }).type !== "row").length;
    const panelText = sections.map((x) => x.replace(": ; ", ": ")).join("<br>");
    return `| ${model.title} (\`${model.uid}\`) | ${collector ? `collector \`${collector}\`` : "all"} | ${variables.join(", ")} | ${panels}: ${panelText} |`;
  });
  return [
    "| dashboard (uid) | environments | variables | panels |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** The page with the table replaced by the one of these dashboards. */
export function withTable(doc: string, rendered: Record<string, string>): string {
  const from = doc.indexOf(BEGIN);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${DASHBOARD_DOC} has no ${BEGIN} ... ${END} section`);
  return `${doc.slice(0, from + BEGIN.length)}\n${dashboardTable(rendered)}\n${doc.slice(to)}`;
}

/**
 * Files whose committed text differs from the render (the page's table included), missing ones, and JSON
 * files no source renders.
 */
export function staleDashboards(
  dir: string = DASHBOARD_DIR,
  docFile: string = DASHBOARD_DOC,
): {
  rendered: Record<string, string>;
  differ: string[];
  extra: string[];
  doc: string;
  selectors: string;
} {
  const rendered = renderAll();
  const docText = readFileSync(docFile, "utf8");
  const doc = withTable(docText, rendered);
  const present = readdirSync(dir).filter((f) => f.endsWith(".json"));
  const read = (f: string) => {
    try {
      return readFileSync(join(dir, f), "utf8");
    } catch {
      return undefined;
    }
  };
  const differ = Object.keys(rendered).filter((f) => read(f) !== rendered[f]);
  if (doc !== docText) differ.push("docs/grafana-as-code.md (its dashboard table)");
  const selectors = selectorsText(rendered);
  const selectorsNow = existsSync(SELECTORS_FILE) ? readFileSync(SELECTORS_FILE, "utf8") : "";
  if (selectors !== selectorsNow) differ.push("monitoring/dashboard-selectors.json");
  const extra = present.filter((f) => !(f in rendered));
  return { rendered, differ, extra, doc, selectors };
}

function main(argv: string[]): number {
  const check = argv.includes("--check");
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    process.stderr.write(
      `dashboards: unknown argument ${unknown[0]} (usage: npm run dashboards [-- --check])\n`,
    );
    return 2;
  }
  const { rendered, differ, extra, doc, selectors } = staleDashboards();
  if (check) {
    if (differ.length === 0 && extra.length === 0) return 0;
    process.stderr.write(
      `dashboards/ is not what dashboards/src/ renders: ${[...differ, ...extra.map((f) => `${f} (no source)`)].join(", ")}. Run npm run dashboards and commit the result.\n`,
    );
    return 1;
  }
  for (const f of differ.filter((x) => x in rendered)) writeFileSync(join(DASHBOARD_DIR, f), rendered[f]);
  writeFileSync(DASHBOARD_DOC, doc);
  writeFileSync(SELECTORS_FILE, selectors);
  for (const f of extra) rmSync(join(DASHBOARD_DIR, f));
  process.stdout.write(
    `dashboards: ${Object.keys(rendered).length} rendered, ${differ.length} written, ${extra.length} removed\n`,
  );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
