/**
 * The conventions every shipped dashboard follows (dashboards/src/lib.ts): variables, units, descriptions,
 * the cluster filter, aggregation, drill-down links, and only metrics the collectors bring.
 */
import { DASHBOARD_SPECS } from "../../dashboards/src";
import { COLLECTOR_TYPES, type CollectorType, dashboardsFor, SHIPPED_DASHBOARDS } from "../../lib/catalogue";
import { RULER_SERIES } from "../../monitoring/allow-list";
import {
  CLOUDWATCH_DATASOURCE_UID,
  COST_DASHBOARD,
  WORKSPACE_ID_PLACEHOLDER,
} from "../../monitoring/cost-dashboard";
import {
  AMP_DATASOURCE_UID,
  availableDashboards,
  COLLECTOR_FIELD,
  DATASOURCE_VARIABLE,
  type DashboardModel,
  dashboardQueries,
  forCollectors,
  loadDashboard,
  panelsOf,
  variableExpr,
} from "../../monitoring/dashboards";
import { metricsCollectedBy } from "../../monitoring/metrics";
import { selectedMetrics, selectorMatchers, unaggregatedSelectors } from "../../monitoring/promql";
import { recordedNamesOf, ruleFilesOfCollector } from "../../monitoring/rules";
import { exampleRuleParams } from "../helpers";

type Link = { title: string; url: string };
type Panel = {
  id?: number;
  title?: string;
  type?: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  targets?: ({ expr?: string; datasource?: { type?: string; uid?: string } } & Record<string, unknown>)[];
  fieldConfig?: {
    defaults?: { unit?: string; links?: Link[] };
    overrides?: { properties: { id: string; value: unknown }[] }[];
  };
  links?: Link[];
};
type Variable = {
  name: string;
  type: string;
  query?: string;
  datasource?: { uid?: string };
  current?: { value?: string };
};

const dashboards = availableDashboards().map((file) => ({ file, ...loadDashboard(file) }));
const visible = (model: DashboardModel) => (panelsOf(model) as Panel[]).filter((p) => p.type !== "row");
const variables = (model: DashboardModel) =>
  ((model.templating as { list: Variable[] }).list ?? []) as Variable[];
const byFile = (file: string) => dashboards.find((d) => d.file === file)!.model;
/** What a collector answers: the metrics it brings, the recording rules shipped with it, the ruler's ALERTS. */
const answerable = (collector: CollectorType) =>
  new Set<string>([
    ...metricsCollectedBy(collector),
    ...recordedNamesOf(ruleFilesOfCollector(collector, exampleRuleParams("dev"))),
    ...RULER_SERIES,
  ]);
/** The collectors whose environments get a dashboard: its own, or every one for a shared dashboard. */
const collectorsOf = (file: string) => {
  const own = SHIPPED_DASHBOARDS[file]?.collector;
  return own ? [own] : [...COLLECTOR_TYPES];
};
/** Every link URL of a dashboard: panel links and table cells' data links. */
const linksOf = (model: DashboardModel) =>
  visible(model).flatMap((p) => [
    ...(p.links ?? []),
    ...(p.fieldConfig?.defaults?.links ?? []),
    ...(p.fieldConfig?.overrides ?? []).flatMap((o) =>
      o.properties.filter((x) => x.id === "links").flatMap((x) => x.value as Link[]),
    ),
  ]);

describe("dashboards/", () => {
  it("ships exactly the files SHIPPED_DASHBOARDS lists, each rendered from dashboards/src/", () => {
    expect(Object.keys(SHIPPED_DASHBOARDS).sort()).toEqual(availableDashboards());
    expect(Object.keys(DASHBOARD_SPECS).sort()).toEqual(availableDashboards());
  });

  it("gives every dashboard its own stable uid, the project's tag and Grafana 10.4's schema", () => {
    const uids = dashboards.map((d) => d.model.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { model } of dashboards) {
      expect(model.uid).toMatch(/^eksmon-[a-z-]{1,33}$/);
      expect(model.tags).toContain("eksmon");
      expect(model.schemaVersion).toBe(39);
      const ids = panelsOf(model).map((p) => (p as Panel).id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it.each(COLLECTOR_TYPES)(
    "gives an environment with the %s collector at least 10 dashboards and 120 panels",
    (collector) => {
      const files = dashboardsFor(collector);
      const panels = files.reduce((n, f) => n + visible(byFile(f)).length, 0);
      expect(files.length).toBeGreaterThanOrEqual(10);
      expect(panels).toBeGreaterThanOrEqual(120);
    },
  );

  describe.each(dashboards.map((d) => [d.file, d.model] as const))("%s", (file, model) => {
    it("has the datasource and cluster variables first, the AMP data source by default", () => {
      const [datasource, cluster] = variables(model);
      expect(datasource).toMatchObject({
        name: "datasource",
        type: "datasource",
        query: "prometheus",
        current: { value: AMP_DATASOURCE_UID },
      });
      expect(cluster).toMatchObject({
        name: "cluster",
        type: "query",
        datasource: { uid: DATASOURCE_VARIABLE },
      });
    });

    it("chains each variable's query on the variables before it", () => {
      const vars = variables(model).filter((v) => v.type === "query");
      vars.forEach((v, i) => {
        expect(variableExpr(v.query ?? "")).toBeDefined();
        for (const before of vars.slice(0, i))
          expect({ variable: v.name, query: v.query, uses: before.name }).toEqual({
            variable: v.name,
            query: expect.stringContaining(`$${before.name}`),
            uses: before.name,
          });
      });
    });

    it("has a description and a unit on every panel, and a title on every row", () => {
      expect(visible(model).length).toBeGreaterThanOrEqual(4);
      for (const p of panelsOf(model) as Panel[]) expect(p.title?.length).toBeGreaterThan(2);
      for (const p of visible(model)) {
        expect({ panel: p.title, described: (p.description ?? "").length > 20 }).toEqual({
          panel: p.title,
          described: true,
        });
        expect({ panel: p.title, unit: typeof p.fieldConfig?.defaults?.unit }).toEqual({
          panel: p.title,
          unit: "string",
        });
      }
    });

    it("queries the data source of the datasource variable, or CloudWatch's by uid (the cost dashboard)", () => {
      for (const p of visible(model)) {
        const cloudWatch = p.datasource?.type === "cloudwatch";
        const expected = cloudWatch
          ? { type: "cloudwatch", uid: CLOUDWATCH_DATASOURCE_UID }
          : { type: "prometheus", uid: DATASOURCE_VARIABLE };
        if (cloudWatch) expect(file).toBe(COST_DASHBOARD);
        expect({ panel: p.title, datasource: p.datasource }).toEqual({
          panel: p.title,
          datasource: expected,
        });
        expect(p.targets?.length).toBeGreaterThan(0);
        for (const t of p.targets ?? [])
          expect({ panel: p.title, datasource: t.datasource }).toEqual({
            panel: p.title,
            datasource: expected,
          });
      }
    });

    it("filters every selector of every query by the selected cluster", () => {
      const cluster = model.uid === "eksmon-fleet" ? 'cluster=~"$cluster"' : 'cluster="$cluster"';
      const unfiltered = dashboardQueries(model)
        .filter((q) => q.variable !== "cluster")
        .flatMap((q) =>
          selectorMatchers(q.expr)
            .filter((s) => !s.matchers.includes(cluster))
            .map((s) => `${q.where}: ${s.selector}`),
        );
      expect(unfiltered).toEqual([]);
    });

    it("aggregates every series a panel reads (no raw cAdvisor or kube-state-metrics series)", () => {
      const raw = dashboardQueries(model)
        .filter((q) => q.panel !== undefined)
        .flatMap((q) => unaggregatedSelectors(q.expr).map((s) => `${q.where}: ${s}`));
      expect(raw).toEqual([]);
    });

    it("only queries metrics every collector that gets it scrapes, records or whose ruler writes", () => {
      const unanswerable: string[] = [];
      for (const collector of collectorsOf(file)) {
        const known = answerable(collector);
        for (const { where, expr } of dashboardQueries(forCollectors(model, [collector])))
          for (const name of selectedMetrics(expr))
            if (!known.has(name)) unanswerable.push(`${collector}: ${where}: ${name}`);
      }
      expect(unanswerable).toEqual([]);
    });

    it("scopes queries to one collector only where every collector has its own", () => {
      for (const p of visible(model)) {
        const scoped = (p.targets ?? []).map((t) => t[COLLECTOR_FIELD]).filter(Boolean);
        if (scoped.length === 0) continue;
        expect(SHIPPED_DASHBOARDS[file]?.collector).toBeUndefined();
        expect({ panel: p.title, collectors: [...new Set(scoped)].sort() }).toEqual({
          panel: p.title,
          collectors: [...COLLECTOR_TYPES].sort(),
        });
        for (const c of COLLECTOR_TYPES) {
          const kept = visible(forCollectors(model, [c])).find((x) => x.id === p.id)!;
          expect(kept.targets?.length).toBeGreaterThan(0);
          expect(kept.targets?.some((t) => COLLECTOR_FIELD in t)).toBe(false);
        }
      }
    });

    it("links to the other dashboards with its variables and time range", () => {
      expect(model.links).toContainEqual(
        expect.objectContaining({ type: "dashboards", tags: ["eksmon"], includeVars: true, keepTime: true }),
      );
      const uids = new Set(dashboards.map((d) => d.model.uid));
      for (const { url } of linksOf(model)) {
        const target = /^\/d\/([\w-]+)\?/.exec(url)?.[1];
        expect({ url, exists: uids.has(target ?? "") }).toEqual({ url, exists: true });
        expect(url).toContain("var-datasource=${datasource}");
        expect(url).toMatch(/var-cluster=\$\{(cluster|__value\.raw)\}/);
        expect(url).toContain("${__url_time_range}");
      }
    });
  });

  it.each([
    ["fleet.json", "eksmon-cluster", ["cluster"]],
    ["cluster.json", "eksmon-namespace", ["namespace"]],
    ["cluster.json", "eksmon-node", ["node"]],
    ["namespace.json", "eksmon-workload", ["namespace", "workload"]],
    ["namespace.json", "eksmon-pod", ["namespace", "pod"]],
    ["workload.json", "eksmon-pod", ["namespace", "pod"]],
    ["workload.json", "eksmon-node", ["node"]],
    ["pod.json", "eksmon-node", ["node"]],
    ["node.json", "eksmon-pod", ["namespace", "pod"]],
    ["persistent-volumes.json", "eksmon-namespace", ["namespace"]],
  ])("drill down: %s links to %s setting %j", (file, to, vars) => {
    const links = linksOf(byFile(file)).filter((l) => l.url.startsWith(`/d/${to}?`));
    expect(links.length).toBeGreaterThan(0);
    for (const v of vars) expect(links.some((l) => l.url.includes(`var-${v}=`))).toBe(true);
  });

  it("the aggregation check catches a raw selector, inside a function or beside an aggregation", () => {
    expect(unaggregatedSelectors('rate(container_cpu_usage_seconds_total{cluster="$cluster"}[5m])')).toEqual([
      'container_cpu_usage_seconds_total{cluster="$cluster"}',
    ]);
    expect(unaggregatedSelectors("sum(a) / b")).toEqual(["b"]);
    expect(unaggregatedSelectors("topk(10, sum by (pod) (rate(a[$__rate_interval])))")).toEqual([]);
  });

  it("monitoring-cost.json reads AMP's usage metrics of the workspace from CloudWatch, saying it is every cluster's", () => {
    const model = byFile(COST_DASHBOARD);
    const cloudWatch = visible(model).filter((p) => p.datasource?.type === "cloudwatch");
    expect(cloudWatch.length).toBeGreaterThanOrEqual(4);
    type CwTarget = {
      metricName?: string;
      namespace?: string;
      expression?: string;
      dimensions?: Record<string, string>;
    };
    for (const p of cloudWatch) {
      expect(p.description).toContain("every cluster of the environment");
      for (const t of (p.targets ?? []) as CwTarget[]) {
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
    // The selected cluster's own share, from its collector's series.
    expect(visible(model).filter((p) => p.datasource?.type === "prometheus").length).toBeGreaterThanOrEqual(
      3,
    );
  });
});
