/**
 * The conventions every dashboard of this project follows, in one place, on top of Grafana's typed builders
 * (@grafana/grafana-foundation-sdk): what a dashboard is made of (its variables, its links to the others, its
 * rows of panels) and what a panel must say (a unit, a description, queries through the `datasource` variable).
 * The dashboard files (`../<name>.ts`) describe panels with these types; `npm run dashboards` renders them to
 * the JSON in `dashboards/`, which the stacks publish. See docs/grafana-as-code.md.
 *
 * Conventions (held by __tests__/dashboards/ and __tests__/scenarios/dashboards-answer.test.ts):
 * - variables `datasource` (the AMP data source by default) and `cluster` on every dashboard, then
 *   `namespace`, `workload`, `pod`, `node` where the dashboard is about one, each query chained on the ones
 *   before it (`label_values(kube_pod_info{cluster="$cluster"}, namespace)`);
 * - every PromQL selector filters on `cluster="$cluster"` (`=~` on the fleet overview, which shows several) and
 *   sits inside an aggregation (`sum by (...)`, `max by (...)`, `count`, `topk`...): no raw cAdvisor or
 *   kube-state-metrics series reaches a browser;
 * - drill-down: tables link cluster -> namespace -> workload -> pod and node <-> pod, carrying the variables
 *   and the time range; every dashboard links to the others (dashboards tagged `eksmon`) with its variables.
 */

import { PanelBuilder as BarGaugePanel } from "@grafana/grafana-foundation-sdk/bargauge";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import {
  BarGaugeDisplayMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  StackingConfigBuilder,
  StackingMode,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizOrientation,
  VizTooltipOptionsBuilder,
} from "@grafana/grafana-foundation-sdk/common";
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  type DataSourceRef,
  DatasourceVariableBuilder,
  type Panel,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type VariableModel,
  VariableRefresh,
  VariableSort,
} from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as GaugePanel } from "@grafana/grafana-foundation-sdk/gauge";
import { DataqueryBuilder, PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TablePanel } from "@grafana/grafana-foundation-sdk/table";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import type { CollectorType } from "../../lib/catalogue";
import { AMP_DATASOURCE_UID, COLLECTOR_FIELD, DATASOURCE_VARIABLE } from "../../monitoring/dashboards";

/** The tag of every dashboard of this project: the dashboard links list the dashboards carrying it. */
export const TAG = "eksmon";
/** Panels query the data source the `datasource` variable selects. */
export const DS: DataSourceRef = { type: "prometheus", uid: DATASOURCE_VARIABLE };
/**
 * The schema version written: Grafana 10.4's (the version the example environments run; AMG offers 10.4
 * and 12.4). The builders write Grafana 12's (42); a newer Grafana migrates a 39 forward on load, an older
 * one would read a 42 as its own without migrating. Nothing used here changed between the two.
 */
export const SCHEMA_VERSION = 39;

/** The label matcher of the selected cluster, for every selector. */
export const C = 'cluster="$cluster"';
/** The selected clusters on the fleet overview (a multi-value variable). */
export const CS = 'cluster=~"$cluster"';

/** The variables a dashboard may be about, in the order they chain. */
export type Scope = "namespace" | "workload" | "pod" | "node";

/**
 * Each variable's query, chained on the ones before it. `workload` lists the namespace's Deployments
 * (through their ReplicaSets), StatefulSets and DaemonSets: `query_result` of both owner metrics, the name
 * taken by the variable's regex.
 */
export const VARIABLE_QUERIES: Readonly<Record<"cluster" | Scope, { query: string; regex?: string }>> = {
  cluster: { query: 'label_values(up{job="kubernetes-api-servers"}, cluster)' },
  namespace: { query: `label_values(kube_pod_info{${C}}, namespace)` },
  workload: {
    query: `query_result(max by (owner_name) (kube_replicaset_owner{${C}, namespace="$namespace", owner_kind="Deployment"}) or max by (owner_name) (kube_pod_owner{${C}, namespace="$namespace", owner_kind=~"StatefulSet|DaemonSet"}))`,
    regex: '/owner_name="([^"]+)"/',
  },
  pod: { query: `label_values(kube_pod_info{${C}, namespace="$namespace"}, pod)` },
  node: { query: `label_values(kube_node_info{${C}}, node)` },
};

/** Pods owned directly by a StatefulSet or DaemonSet, with `workload` and `workload_type`. */
const directlyOwned = (ns: string, workload: string) =>
  `label_replace(label_replace(max by (cluster, namespace, pod, owner_name, owner_kind) (kube_pod_owner{${C}, ${ns}, owner_kind=~"StatefulSet|DaemonSet"${workload ? `, owner_name="${workload}"` : ""}}), "workload", "$1", "owner_name", "(.*)"), "workload_type", "$1", "owner_kind", "(.*)")`;

/** Pods of the ReplicaSets a Deployment owns, with `workload` (the Deployment) and `workload_type`. */
const ofDeployments = (ns: string, workload: string) =>
  `label_replace(label_replace(max by (cluster, namespace, pod, owner_name) (kube_pod_owner{${C}, ${ns}, owner_kind="ReplicaSet"}), "replicaset", "$1", "owner_name", "(.*)") * on (cluster, namespace, replicaset) group_left (workload) label_replace(max by (cluster, namespace, replicaset, owner_name) (kube_replicaset_owner{${C}, ${ns}, owner_kind="Deployment"${workload ? `, owner_name="${workload}"` : ""}}), "workload", "$1", "owner_name", "(.*)"), "workload_type", "Deployment", "", "")`;

/**
 * The workload of every pod of the selected namespace: one series of value 1 per pod, labels cluster,
 * namespace, pod, workload and workload_type (Deployment, StatefulSet, DaemonSet). Join a per-pod
 * aggregation with it: `* on (cluster, namespace, pod) group_left (workload, workload_type) POD_WORKLOAD`.
 */
export const POD_WORKLOAD = `max by (cluster, namespace, pod, workload, workload_type) (${directlyOwned('namespace="$namespace"', "")} or ${ofDeployments('namespace="$namespace"', "")})`;

/**
 * The pods of the selected workload, one series of value 1 per pod (labels cluster, namespace, pod):
 * `* on (cluster, namespace, pod) group_left () WORKLOAD_PODS` keeps a per-pod aggregation's pods of it.
 */
export const WORKLOAD_PODS = `max by (cluster, namespace, pod) (${directlyOwned('namespace="$namespace"', "$workload")} or ${ofDeployments('namespace="$namespace"', "$workload")})`;

/** One query of a panel. */
export interface Query {
  readonly expr: string;
  /** Legend of each series (`{{label}}`). @default the series' labels */
  readonly legend?: string;
  /**
   * Only for environments running this collector: the stacks drop the query elsewhere (its metrics are not
   * collected there, and the allow-list does not keep them). @default every collector
   */
  readonly collector?: CollectorType;
}

/** A link from a table column's cells to another dashboard of the project. */
export interface CellLink {
  /** The column whose cells link. */
  readonly column: string;
  /** uid of the dashboard opened. */
  readonly to: string;
  /** Link text (tooltip). */
  readonly title: string;
  /** Variables set on the target, besides datasource and cluster: name -> value (`${__data.fields.x}`). */
  readonly vars: Readonly<Record<string, string>>;
}

interface PanelBase {
  readonly title: string;
  /** What the panel shows and how to read it: every panel has one. */
  readonly description: string;
  /** Grafana unit id of the values (`bytes`, `percentunit`, `reqps`, `short`, `s` ...). */
  readonly unit: string;
  readonly queries: readonly Query[];
  /** Width in grid columns (24 across). @default 12 (timeseries, table), 6 (stat, gauge) */
  readonly w?: number;
  /** Height in grid rows. @default 8 (timeseries, table), 4 (stat, gauge) */
  readonly h?: number;
  /** Smallest and largest value of the axis or gauge. @default from the data */
  readonly min?: number;
  readonly max?: number;
  /** Decimals shown. @default Grafana's choice */
  readonly decimals?: number;
  /** Colour steps above the base (green): [value, colour]. @default none */
  readonly thresholds?: readonly (readonly [number, string])[];
  /** Links at the panel's corner to other dashboards of the project (variables carried). @default none */
  readonly links?: readonly {
    readonly title: string;
    readonly to: string;
    readonly vars?: Record<string, string>;
  }[];
}

export interface TimeseriesSpec extends PanelBase {
  readonly kind: "timeseries";
  /** Stack the series (parts of a whole). @default false */
  readonly stack?: boolean;
}
export interface StatSpec extends PanelBase {
  readonly kind: "stat" | "gauge";
  /** Show the series' name (its legend) instead of its value, e.g. a pod's phase. @default false */
  readonly showName?: boolean;
}
export interface BarGaugeSpec extends PanelBase {
  readonly kind: "bargauge";
}
export interface TableSpec extends PanelBase {
  readonly kind: "table";
  /**
   * Instant queries, one row per label set, the queries' values side by side: column titles of the values
   * (by query, in order), and the label columns kept, in order.
   */
  readonly values: readonly string[];
  readonly labels: readonly string[];
  /** Units of value columns other than `unit`, by title. @default `unit` for every value */
  readonly units?: Readonly<Record<string, string>>;
  /** Drill-down links of cells. @default none */
  readonly cellLinks?: readonly CellLink[];
}
export type PanelSpec = TimeseriesSpec | StatSpec | BarGaugeSpec | TableSpec;

/** A row of panels. */
export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

/** A dashboard: its identity, the variables it is about and its rows. */
export interface DashboardSpec {
  /** uid, `eksmon-<name>`: links and bookmarks use it. */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** Tags besides `eksmon`. */
  readonly tags: readonly string[];
  /** Variables after datasource and cluster, in chain order. */
  readonly scope: readonly Scope[];
  /** Several clusters at once (the fleet overview): `cluster` is multi-valued, all by default. @default false */
  readonly fleet?: boolean;
  /** Several namespaces at once: `namespace` is multi-valued, all by default (queries use `=~`). @default false */
  readonly namespaces?: boolean;
  /** Variable queries of this dashboard in place of VARIABLE_QUERIES'. @default VARIABLE_QUERIES */
  readonly variableQueries?: Partial<Record<Scope, { readonly query: string; readonly regex?: string }>>;
  readonly rows: readonly RowSpec[];
  /**
   * Time range shown. @default "now-1h" (AMP bills every sample a query reads, and a panel re-reads its
   * whole range at each refresh: cost/estimate.ts)
   */
  readonly from?: string;
  /** Refresh interval. @default "5m" (the same reason; pick 30s in the UI while watching an incident) */
  readonly refresh?: string;
  /** Variables before datasource's (e.g. a CloudWatch data source). @default none */
  readonly extraVariables?: readonly cog.Builder<VariableModel>[];
  /** Rows of panels that are not PromQL (CloudWatch), placed first. @default none */
  readonly rawRows?: readonly { readonly title: string; readonly panels: readonly cog.Builder<Panel>[] }[];
}

/**
 * Grafana's interpolation of `name`: a variable (`namespace`), or in a data link the clicked cell
 * (`__value.raw`) or a field of its row (`__data.fields.namespace`).
 */
export const interpolate = (name: string) => `\${${name}}`;
/** The clicked table cell's value, in a data link. */
export const CELL = interpolate("__value.raw");

/** URL of another dashboard of the project, with the data source, cluster, extra variables and time range. */
export function dashboardUrl(uid: string, vars: Readonly<Record<string, string>> = {}): string {
  const all = { datasource: interpolate("datasource"), cluster: interpolate("cluster"), ...vars };
  const query = Object.entries(all)
    .map(([name, value]) => `var-${name}=${value}`)
    .join("&");
  return `/d/${uid}?${query}&${interpolate("__url_time_range")}`;
}

function variables(spec: DashboardSpec): cog.Builder<VariableModel>[] {
  const datasource = new DatasourceVariableBuilder("datasource")
    .label("Data source")
    .type("prometheus")
    .current({ selected: true, text: AMP_DATASOURCE_UID, value: AMP_DATASOURCE_UID });
  const query = (name: "cluster" | Scope, label: string) => {
    const q = (name !== "cluster" && spec.variableQueries?.[name]) || VARIABLE_QUERIES[name];
    const v = new QueryVariableBuilder(name)
      .label(label)
      .datasource(DS)
      .query(q.query)
      .definition(q.query)
      .refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc);
    return q.regex ? v.regex(q.regex) : v;
  };
  const cluster = query("cluster", "Cluster");
  if (spec.fleet) cluster.multi(true).includeAll(true).allValue(".+");
  const labels: Record<Scope, string> = {
    namespace: "Namespace",
    workload: "Workload",
    pod: "Pod",
    node: "Node",
  };
  return [
    ...(spec.extraVariables ?? []),
    datasource,
    cluster,
    ...spec.scope.map((s) => {
      const v = query(s, labels[s]);
      return s === "namespace" && spec.namespaces ? v.multi(true).includeAll(true).allValue(".+") : v;
    }),
  ];
}

function target(q: Query, refId: string, instant: boolean): cog.Builder<cog.Dataquery> {
  const b = new DataqueryBuilder().expr(q.expr).refId(refId).datasource(DS);
  if (q.legend) b.legendFormat(q.legend);
  if (instant) b.instant().format(PromQueryFormat.Table);
  else b.range();
  // An extra field of the query, read by the stacks: they drop the query where its collector does not run
  // (and remove the field).
  const collector = q.collector;
  return collector ? { build: () => ({ ...b.build(), [COLLECTOR_FIELD]: collector }) } : b;
}

const REF_IDS = "ABCDEFGHIJ";

function thresholds(steps: PanelBase["thresholds"]) {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps([
      { value: null as unknown as number, color: "green" },
      ...(steps ?? []).map(([value, color]) => ({ value, color })),
    ]);
}

type AnyPanel = TimeseriesPanel | StatPanel | GaugePanel | BarGaugePanel | TablePanel;

function common<P extends AnyPanel>(p: P, spec: PanelSpec, instant: boolean): P {
  p.title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(DS)
    .targets(spec.queries.map((q, i) => target(q, REF_IDS[i], instant)))
    .thresholds(thresholds(spec.thresholds));
  if (spec.min !== undefined) p.min(spec.min);
  if (spec.max !== undefined) p.max(spec.max);
  if (spec.decimals !== undefined) p.decimals(spec.decimals);
  if (spec.links?.length)
    p.links(
      spec.links.map((l) =>
        new DashboardLinkBuilder(l.title)
          .type(DashboardLinkType.Link)
          .url(dashboardUrl(l.to, l.vars))
          .keepTime(false)
          .includeVars(false),
      ),
    );
  return p;
}

function panel(spec: PanelSpec): cog.Builder<Panel> {
  const wide = spec.kind === "timeseries" || spec.kind === "table" || spec.kind === "bargauge";
  const w = spec.w ?? (wide ? 12 : 6);
  const h = spec.h ?? (wide ? 8 : 4);
  switch (spec.kind) {
    case "timeseries": {
      const p = common(new TimeseriesPanel(), spec, false)
        .fillOpacity(spec.stack ? 40 : 10)
        .lineWidth(1)
        .legend(
          new VizLegendOptionsBuilder()
            .showLegend(true)
            .displayMode(LegendDisplayMode.List)
            .placement(LegendPlacement.Bottom),
        )
        .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
      if (spec.stack) p.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
      return p.span(w).height(h);
    }
    case "stat":
      return common(new StatPanel(), spec, false)
        .textMode(spec.showName ? BigValueTextMode.Name : BigValueTextMode.Auto)
        .colorMode(BigValueColorMode.Value)
        .graphMode(BigValueGraphMode.Area)
        .reduceOptions(new ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
        .span(w)
        .height(h);
    case "gauge":
      return common(new GaugePanel(), spec, false)
        .reduceOptions(new ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
        .span(w)
        .height(h);
    case "bargauge":
      return common(new BarGaugePanel(), spec, false)
        .displayMode(BarGaugeDisplayMode.Gradient)
        .orientation(VizOrientation.Horizontal)
        .reduceOptions(new ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
        .span(w)
        .height(h);
    case "table": {
      const p = common(new TablePanel(), spec, true);
      // Instant queries in table format: merged on their labels, the label columns in order, one value
      // column per query, titled.
      const rename: Record<string, string> = {};
      const order: Record<string, number> = {};
      spec.labels.forEach((l, i) => {
        order[l] = i;
      });
      spec.values.forEach((title, i) => {
        const column = spec.values.length === 1 ? "Value" : `Value #${REF_IDS[i]}`;
        rename[column] = title;
        order[column] = spec.labels.length + i;
      });
      p.withTransformation({ id: "merge", options: {} }).withTransformation({
        id: "organize",
        options: {
          excludeByName: { Time: true },
          indexByName: order,
          renameByName: rename,
          includeByName: Object.fromEntries(Object.keys(order).map((k) => [k, true])),
        },
      });
      for (const [title, unit] of Object.entries(spec.units ?? {}))
        p.overrideByName(title, [{ id: "unit", value: unit }]);
      for (const link of spec.cellLinks ?? [])
        p.overrideByName(link.column, [
          {
            id: "links",
            value: [{ title: link.title, url: dashboardUrl(link.to, link.vars), targetBlank: false }],
          },
        ]);
      return p.span(w).height(h);
    }
  }
}

/** Renders a dashboard to the JSON model Grafana stores (stable ids, this project's schema version). */
export function renderDashboard(spec: DashboardSpec): Record<string, unknown> {
  const d = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([TAG, ...spec.tags])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .timezone("browser")
    .time({ from: spec.from ?? "now-1h", to: "now" })
    .refresh(spec.refresh ?? "5m")
    .variables(variables(spec))
    .link(
      new DashboardLinkBuilder("EKS monitoring")
        .type(DashboardLinkType.Dashboards)
        .tags([TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true)
        .tooltip("The other dashboards, with this one's variables and time range"),
    );
  for (const row of spec.rawRows ?? []) {
    d.withRow(new RowBuilder(row.title));
    for (const p of row.panels) d.withPanel(p);
  }
  for (const row of spec.rows) {
    d.withRow(new RowBuilder(row.title));
    for (const p of row.panels) d.withPanel(panel(p));
  }
  return finish(d.build() as unknown as Record<string, unknown>);
}

/** Stable panel ids in order, the schema version, and nothing Grafana 10.4 does not know. */
function finish(model: Record<string, unknown>): Record<string, unknown> {
  let id = 0;
  const panels = (model.panels as Record<string, unknown>[]).map((p) => {
    const { id: _ignored, ...rest } = p;
    return { id: ++id, ...rest };
  });
  const links = (model.links as Record<string, unknown>[]).map(({ placement: _p, ...l }) => l);
  const { schemaVersion: _s, panels: _panels, links: _links, annotations: _a, ...rest } = model;
  return {
    ...rest,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    annotations: { list: [] },
    links,
    panels,
  };
}
