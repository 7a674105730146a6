/**
 * Every dashboard this project ships, by the file `npm run dashboards` writes it to in `dashboards/`. Which
 * environments get which: lib/catalogue.ts SHIPPED_DASHBOARDS (a test holds the two lists equal).
 */
import { apiServer } from "./api-server";
import { cluster } from "./cluster";
import { managedCollector, prometheusCollector } from "./collectors";
import { eksControlPlane } from "./eks-control-plane";
import { fleet } from "./fleet";
import { type DashboardSpec, renderDashboard } from "./lib";
import { monitoringCost } from "./monitoring-cost";
import { namespace } from "./namespace";
import { node } from "./node";
import { persistentVolumes } from "./persistent-volumes";
import { pod } from "./pod";
import { workload } from "./workload";

export const DASHBOARD_SPECS: Readonly<Record<string, DashboardSpec>> = {
  "fleet.json": fleet,
  "cluster.json": cluster,
  "namespace.json": namespace,
  "workload.json": workload,
  "pod.json": pod,
  "node.json": node,
  "persistent-volumes.json": persistentVolumes,
  "api-server.json": apiServer,
  "eks-control-plane.json": eksControlPlane,
  "prometheus-collector.json": prometheusCollector,
  "managed-collector.json": managedCollector,
  "monitoring-cost.json": monitoringCost,
};

/** The file text of a dashboard as `npm run dashboards` writes it (2-space JSON, final newline). */
export function dashboardFileText(spec: DashboardSpec): string {
  return `${JSON.stringify(renderDashboard(spec), null, 2)}\n`;
}

/** Every dashboard's file text, by file name. */
export function renderAll(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(DASHBOARD_SPECS).map(([file, spec]) => [file, dashboardFileText(spec)]),
  );
}
