/**
 * The dashboards this project ships as JSON files in `dashboards/`, and what every one of them relies on:
 * the AMP data source's uid. Adding a dashboard: see docs/grafana-as-code.md.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT } from "../lib/naming";
import { projectRoot } from "../lib/paths";
import type { CollectorType } from "./collectors";

/** Folder of the dashboard files, at the repository root. */
export const DASHBOARD_DIR = join(projectRoot(), "dashboards");

/** uid of the AMP data source in every workspace: dashboards refer to it literally. */
export const AMP_DATASOURCE_UID = "amp-prometheus";

/** uid of the project's folder in every workspace. */
export const FOLDER_UID = PROJECT;

/**
 * The dashboards shipped in dashboards/, and the collector whose own metrics a dashboard shows (none: any
 * collector answers it). An environment gets, unless its config lists others, every dashboard its collector
 * can answer: never panels that stay empty.
 */
export const SHIPPED_DASHBOARDS: Readonly<Record<string, { readonly collector?: CollectorType }>> = {
  "eks-control-plane.json": {},
  "cluster-capacity.json": {},
  "prometheus-collector.json": { collector: "prometheus" },
  "managed-collector.json": { collector: "managed" },
  // AMP's usage metrics in CloudWatch: any collector (it reads no PromQL).
  "monitoring-cost.json": {},
};

/** The shipped dashboards that show this collector's own health. */
export function collectorDashboards(collector: CollectorType): string[] {
  return Object.entries(SHIPPED_DASHBOARDS)
    .filter(([, d]) => d.collector === collector)
    .map(([file]) => file);
}

/** The shipped dashboards an environment with this collector gets by default. */
export function dashboardsFor(collector: CollectorType): string[] {
  return Object.entries(SHIPPED_DASHBOARDS)
    .filter(([, d]) => d.collector === undefined || d.collector === collector)
    .map(([file]) => file);
}

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
