/**
 * The dashboards this project ships as JSON files in `dashboards/`, and what every one of them relies on:
 * the AMP data source's uid. Adding a dashboard: see docs/grafana-as-code.md.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT } from "../lib/naming";
import { projectRoot } from "../lib/paths";

/** Folder of the dashboard files, at the repository root. */
export const DASHBOARD_DIR = join(projectRoot(), "dashboards");

/** uid of the AMP data source in every workspace: dashboards refer to it literally. */
export const AMP_DATASOURCE_UID = "amp-prometheus";

/** uid of the project's folder in every workspace. */
export const FOLDER_UID = PROJECT;

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
  const text = readFileSync(join(DASHBOARD_DIR, file), "utf8");
  let model: DashboardModel;
  try {
    model = JSON.parse(text);
  } catch (error) {
    throw new Error(`dashboards/${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof model.uid !== "string" || typeof model.title !== "string" || !Array.isArray(model.panels))
    throw new Error(`dashboards/${file} is not a dashboard (expected "uid", "title" and "panels")`);
  return { text, model };
}
