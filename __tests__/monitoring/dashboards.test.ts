import { COLLECTOR_TYPES, type CollectorType, SHIPPED_DASHBOARDS } from "../../lib/catalogue";
import { dashboardExpressions } from "../../monitoring/allow-list";
import {
  CLOUDWATCH_DATASOURCE_UID,
  COST_DASHBOARD,
  WORKSPACE_ID_PLACEHOLDER,
} from "../../monitoring/cost-dashboard";
import {
  AMP_DATASOURCE_UID,
  availableDashboards,
  type DashboardModel,
  loadDashboard,
} from "../../monitoring/dashboards";
import { metricsCollectedBy } from "../../monitoring/metrics";
import { selectedMetrics } from "../../monitoring/promql";
import { recordedNamesOf, ruleFilesOfCollector } from "../../monitoring/rules";
import { exampleRuleParams } from "../helpers";

type Panel = {
  title?: string;
  type?: string;
  datasource?: { type?: string; uid?: string };
  targets?: { expr?: string; datasource?: { type?: string; uid?: string } }[];
  panels?: Panel[];
};

function panelsOf(model: DashboardModel): Panel[] {
  const all: Panel[] = [];
  const walk = (list: Panel[]) => {
    for (const p of list) {
      all.push(p);
      if (p.panels) walk(p.panels); // rows
    }
  };
  walk(model.panels as Panel[]);
  return all;
}

const dashboards = availableDashboards().map((file) => ({ file, ...loadDashboard(file) }));
/** The dashboards that query AMP (all but the cost dashboard, which reads CloudWatch). */
const promDashboards = dashboards.filter((d) => d.file !== COST_DASHBOARD);
/** What a collector answers: the metrics it brings and the recording rules shipped with it. */
const answerable = (collector: CollectorType) =>
  new Set([
    ...metricsCollectedBy(collector),
    ...recordedNamesOf(ruleFilesOfCollector(collector, exampleRuleParams("dev"))),
  ]);
/** The collectors whose environments get a dashboard: its own, or every one for a shared dashboard. */
const collectorsOf = (file: string) => {
  const own = SHIPPED_DASHBOARDS[file]?.collector;
  return own ? [own] : [...COLLECTOR_TYPES];
};

describe("dashboards/", () => {
  it("ships exactly the files SHIPPED_DASHBOARDS lists (a new file must be listed to be the default)", () => {
    expect(Object.keys(SHIPPED_DASHBOARDS).sort()).toEqual(availableDashboards());
  });

  it("gives every dashboard its own stable uid", () => {
    const uids = dashboards.map((d) => d.model.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const uid of uids) expect(uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
  });

  it.each(promDashboards.map((d) => [d.file, d] as const))(
    "%s queries the AMP data source by its uid in every panel and target",
    (_file, d) => {
      const panels = panelsOf(d.model).filter((p) => p.type !== "row");
      expect(panels.length).toBeGreaterThanOrEqual(4);
      for (const p of panels) {
        expect({ panel: p.title, datasource: p.datasource }).toEqual({
          panel: p.title,
          datasource: { type: "prometheus", uid: AMP_DATASOURCE_UID },
        });
        expect(p.targets?.length).toBeGreaterThan(0);
        for (const t of p.targets ?? []) {
          expect({ panel: p.title, datasource: t.datasource }).toEqual({
            panel: p.title,
            datasource: { type: "prometheus", uid: AMP_DATASOURCE_UID },
          });
        }
      }
    },
  );

  it.each(promDashboards.map((d) => [d.file, d] as const))(
    "%s only queries metrics every collector that gets it scrapes or records",
    (file, d) => {
      const targets = panelsOf(d.model).flatMap((p) => p.targets ?? []);
      expect(dashboardExpressions(d.model)).toHaveLength(targets.length);
      const unanswerable: string[] = [];
      for (const collector of collectorsOf(file)) {
        const known = answerable(collector);
        for (const { where, expr } of dashboardExpressions(d.model))
          for (const name of selectedMetrics(expr))
            if (!known.has(name)) unanswerable.push(`${collector}: ${where}: ${name}`);
      }
      expect(unanswerable).toEqual([]);
    },
  );

  it("monitoring-cost.json reads AMP's usage metrics of the workspace from CloudWatch, in every panel", () => {
    const { model } = dashboards.find((d) => d.file === COST_DASHBOARD)!;
    const cloudWatch = { type: "cloudwatch", uid: CLOUDWATCH_DATASOURCE_UID };
    expect(dashboardExpressions(model)).toEqual([]); // no PromQL: nothing for the allow-list
    const panels = panelsOf(model);
    expect(panels.length).toBeGreaterThanOrEqual(4);
    type CwTarget = {
      datasource?: unknown;
      metricName?: string;
      namespace?: string;
      expression?: string;
      dimensions?: Record<string, string>;
    };
    for (const p of panels) {
      expect({ panel: p.title, datasource: p.datasource }).toEqual({
        panel: p.title,
        datasource: cloudWatch,
      });
      for (const t of (p.targets ?? []) as CwTarget[]) {
        expect({ panel: p.title, datasource: t.datasource }).toEqual({
          panel: p.title,
          datasource: cloudWatch,
        });
        if (t.expression) continue; // metric math over the query below
        expect(t).toMatchObject({
          namespace: "AWS/Usage",
          metricName: "ResourceCount",
          dimensions: {
            Service: "Prometheus",
            Type: "Resource",
            Class: "None",
            ResourceId: WORKSPACE_ID_PLACEHOLDER,
          },
        });
        expect(["IngestionRate", "ActiveSeries"]).toContain(t.dimensions?.Resource);
      }
    }
  });

  it("covers what the issue asks: control plane, capacity and collector health", () => {
    const exprs = (file: string) =>
      panelsOf(dashboards.find((d) => d.file === file)!.model)
        .flatMap((p) => p.targets ?? [])
        .map((t) => t.expr)
        .join("\n");
    const controlPlane = exprs("eks-control-plane.json");
    expect(controlPlane).toContain("apiserver_current_inflight_requests");
    expect(controlPlane).toContain("code_verb:apiserver_request_total:rate5m");
    expect(controlPlane).toContain("apiserver:request_errors:ratio_rate5m");
    expect(controlPlane).toContain("verb:apiserver_request_duration_seconds:p99_5m");
    const capacity = exprs("cluster-capacity.json");
    for (const m of [
      "kube_node_info",
      "kube_pod_status_phase",
      "node:cpu_utilisation",
      "node:memory_utilisation",
    ])
      expect(capacity).toContain(m);
    expect(capacity).toContain("persistentvolumeclaim:kubelet_volume_stats:used_ratio");
    const collector = exprs("prometheus-collector.json");
    for (const m of [
      "prometheus_remote_storage_samples_total",
      "prometheus_remote_storage_samples_failed_total",
      "prometheus_remote_storage_samples_pending",
      "prometheus_remote_storage_shards",
      "prometheus_tsdb_wal_segment_current",
    ])
      expect(collector).toContain(m);
  });
});
