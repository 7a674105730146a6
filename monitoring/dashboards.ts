/**
 * The dashboards this project ships as JSON files in `dashboards/` (rendered from the TypeScript in
 * `dashboards/src/` by `npm run dashboards`), and what the stacks, the allow-list and the tests read of them:
 * the PromQL of their panels and variables, and the queries meant for one collector type only. Adding a
 * dashboard: see docs/grafana-as-code.md.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { CollectorType } from "../lib/catalogue";
import { PROJECT } from "../lib/naming";
import { projectRoot } from "../lib/paths";

/** Folder of the dashboard files, at the repository root. */
export const DASHBOARD_DIR = join(projectRoot(), "dashboards");

/** uid of the AMP data source in every workspace: the dashboards' `datasource` variable defaults to it. */
export const AMP_DATASOURCE_UID = "amp-prometheus";

/** What panels and variables name as their data source: the `datasource` variable (a Prometheus one). */
export const DATASOURCE_VARIABLE = `\${datasource}`;

/** uid of the project's folder in every workspace. */
export const FOLDER_UID = PROJECT;

/**
 * The field of a panel query (a target) meant for one collector type only: the stacks drop the query in
 * environments that do not run that collector, and remove the field (dashboards/src/lib.ts writes it).
 */
export const COLLECTOR_FIELD = "eksmonCollector";

/** The dashboard files present in dashboards/, sorted. */
export function availableDashboards(): string[] {
  // Read once per process: validation asks for every dashboard an environment lists.
  available ??= readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort();
  return [...available];
}

let available: string[] | undefined;

/** A dashboard as the file holds it (title, uid, panels ...). */
export interface DashboardModel {
  readonly uid: string;
  readonly title: string;
  readonly panels: Record<string, unknown>[];
  readonly [key: string]: unknown;
}

/** Reads and parses one dashboard file; throws naming the file when it is not a dashboard. */
export function loadDashboard(file: string): { text: string; model: DashboardModel } {
  const known = loaded.get(file);
  if (known) return { text: known.text, model: structuredClone(known.model) };
  const text = readFileSync(join(DASHBOARD_DIR, file), "utf8");
  let model: DashboardModel;
  try {
    model = JSON.parse(text);
  } catch (error) {
    throw new Error(`dashboards/${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof model.uid !== "string" || typeof model.title !== "string" || !Array.isArray(model.panels))
    throw new Error(`dashboards/${file} is not a dashboard (expected "uid", "title" and "panels")`);
  // Every environment reads the same files: parse each once per process, hand out copies.
  loaded.set(file, { text, model });
  return { text, model: structuredClone(model) };
}

const loaded = new Map<string, { text: string; model: DashboardModel }>();

type DataSource = { type?: string; uid?: string } | undefined;
type Target = { expr?: string; datasource?: DataSource; [COLLECTOR_FIELD]?: CollectorType };
type Panel = { id?: number; title?: string; datasource?: DataSource; targets?: Target[]; panels?: Panel[] };
type Variable = { name: string; type: string; datasource?: DataSource; query?: unknown };

/** Whether a data source reference is the AMP data source: the variable, its uid, or the default (none). */
export function isAmpDataSource(ds: DataSource): boolean {
  return ds === undefined || ds.uid === DATASOURCE_VARIABLE || ds.uid === AMP_DATASOURCE_UID;
}

/** Every panel of a dashboard, rows' nested panels included, in order. */
export function panelsOf(model: DashboardModel): Panel[] {
  const out: Panel[] = [];
  const visit = (panels: Panel[]) => {
    for (const p of panels) {
      out.push(p);
      visit(p.panels ?? []);
    }
  };
  visit(model.panels as Panel[]);
  return out;
}

/** One PromQL query a dashboard sends to AMP. */
export interface DashboardQuery {
  /** Where it is, for messages: `dashboard "<title>": <panel title>` or `... variable <name>`. */
  readonly where: string;
  readonly expr: string;
  /** The panel's title, or undefined for a variable's query. */
  readonly panel?: string;
  /** The panel's id (unique in the dashboard), or undefined for a variable's query. */
  readonly panelId?: number;
  /** The variable's name, or undefined for a panel's query. */
  readonly variable?: string;
  /** The collector the query is for only. @default every collector */
  readonly collector?: CollectorType;
}

/**
 * The PromQL of a Grafana Prometheus variable query: the selector of `label_values(<selector>, <label>)`,
 * the expression of `query_result(<expr>)`; undefined for queries that read no series (`label_values(<label>)`,
 * `label_names()`, `metrics(...)`).
 */
export function variableExpr(query: string): string | undefined {
  const q = query.trim();
  const values = /^label_values\(\s*([\s\S]+),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)$/.exec(q);
  if (values) return values[1].trim();
  const result = /^query_result\(([\s\S]+)\)$/.exec(q);
  if (result) return result[1].trim();
  return undefined;
}

/**
 * Every query a dashboard sends to AMP: the targets of its panels whose data source is AMP (the `datasource`
 * variable, the AMP uid, or none: AMP is the default), then its variables' queries. Targets of other data
 * sources (CloudWatch in the cost dashboard) read nothing from AMP.
 */
export function dashboardQueries(model: DashboardModel): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const panel of panelsOf(model))
    for (const target of panel.targets ?? []) {
      const ds = target.datasource ?? panel.datasource;
      if (!target.expr || !isAmpDataSource(ds)) continue;
      const title = panel.title ?? "(untitled panel)";
      out.push({
        where: `dashboard "${model.title}": ${title}`,
        expr: target.expr,
        panel: title,
        ...(panel.id !== undefined ? { panelId: panel.id } : {}),
        ...(target[COLLECTOR_FIELD] ? { collector: target[COLLECTOR_FIELD] } : {}),
      });
    }
  const variables = ((model.templating as { list?: Variable[] } | undefined)?.list ?? []).filter(
    (v) => v.type === "query" && isAmpDataSource(v.datasource),
  );
  for (const v of variables) {
    const text = typeof v.query === "string" ? v.query : (v.query as { query?: string } | undefined)?.query;
    const expr = text ? variableExpr(text) : undefined;
    if (expr) out.push({ where: `dashboard "${model.title}": variable ${v.name}`, expr, variable: v.name });
  }
  return out;
}

/**
 * The dashboard as an environment running these collectors gets it: queries meant for another collector
 * type removed (a panel keeps at least the queries for the collectors present), the collector field gone.
 */
export function forCollectors(model: DashboardModel, collectors: readonly CollectorType[]): DashboardModel {
  const copy = structuredClone(model) as DashboardModel;
  for (const panel of panelsOf(copy)) {
    if (!panel.targets) continue;
    panel.targets = panel.targets
      .filter((t) => t[COLLECTOR_FIELD] === undefined || collectors.includes(t[COLLECTOR_FIELD]))
      .map(({ [COLLECTOR_FIELD]: _collector, ...t }) => t);
  }
  return copy;
}

/**
 * `forCollectors` of a shipped dashboard file, and its JSON text: built once per process for each set of
 * collector types (environments and collector types ask for the same few; synth time, docs/performance.md).
 * Shared: read it, never change it.
 */
export function shippedDashboardFor(
  file: string,
  collectors: readonly CollectorType[],
): { readonly model: DashboardModel; readonly json: string } {
  const key = `${file}|${[...new Set(collectors)].sort().join(",")}`;
  const known = forCollectorsCache.get(key);
  if (known) return known;
  const model = forCollectors(loadDashboard(file).model, collectors);
  let json: string | undefined;
  const built = {
    model,
    get json() {
      json ??= JSON.stringify(model);
      return json;
    },
  };
  forCollectorsCache.set(key, built);
  return built;
}

const forCollectorsCache = new Map<string, { readonly model: DashboardModel; readonly json: string }>();

/** Whether the dashboard's `cluster` variable selects every cluster at once (the fleet overview's "All"). */
export function selectsEveryCluster(model: DashboardModel): boolean {
  const list = (model.templating as { list?: { name: string; includeAll?: boolean }[] } | undefined)?.list;
  return list?.find((v) => v.name === "cluster")?.includeAll === true;
}
