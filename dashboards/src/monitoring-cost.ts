/**
 * Monitoring cost: what the environment's AMP workspace ingests and holds (AMP's usage metrics in CloudWatch,
 * every cluster together: they have no cluster dimension), the monthly ingestion cost that projects to, and
 * the selected cluster's share of it (its collector's own series). The text holds placeholders filled at
 * synth (monitoring/cost-dashboard.ts): the tiered cost expression and the prices' date, and at apply time
 * the workspace id.
 */

import {
  MetricEditorMode,
  MetricQueryType,
  MetricsQueryBuilder,
  QueryMode,
} from "@grafana/grafana-foundation-sdk/cloudwatch";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import {
  BigValueColorMode,
  BigValueGraphMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from "@grafana/grafana-foundation-sdk/common";
import type { Panel } from "@grafana/grafana-foundation-sdk/dashboard";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import { samplesSent } from "./fleet";
import type { DashboardSpec } from "./lib";
import { m } from "./promql";

/** uid of the CloudWatch data source (monitoring/cost-dashboard.ts CLOUDWATCH_DATASOURCE_UID). */
const CLOUDWATCH = { type: "cloudwatch", uid: "cloudwatch-usage" };
export const WORKSPACE_ID_PLACEHOLDER = "__AMP_WORKSPACE_ID__";
export const COST_PLACEHOLDER = "__PROJECTED_INGESTION_COST__";
export const AS_OF_PLACEHOLDER = "__PRICES_AS_OF__";
const WORKSPACE_WIDE =
  "Workspace-wide: every cluster of the environment together (AMP's usage metrics have no cluster dimension).";

/** One of AMP's usage metrics for the workspace (AWS/Usage ResourceCount, by Resource). */
function usage(resource: "IngestionRate" | "ActiveSeries", id: string, hide: boolean) {
  return new MetricsQueryBuilder()
    .datasource(CLOUDWATCH)
    .refId("A")
    .queryMode(QueryMode.Metrics)
    .metricQueryType(MetricQueryType.Search)
    .metricEditorMode(MetricEditorMode.Builder)
    .namespace("AWS/Usage")
    .metricName("ResourceCount")
    .region("default")
    .statistic("Average")
    .period("300")
    .matchExact(true)
    .dimensions({
      Service: "Prometheus",
      Type: "Resource",
      Class: "None",
      Resource: resource,
      ResourceId: WORKSPACE_ID_PLACEHOLDER,
    })
    .id(id)
    .expression("")
    .label("")
    .hide(hide);
}

/** The monthly cost metric math over the ingestion rate `rate` (filled in at synth). */
const projectedCost = () =>
  new MetricsQueryBuilder()
    .datasource(CLOUDWATCH)
    .refId("B")
    .queryMode(QueryMode.Metrics)
    .metricQueryType(MetricQueryType.Search)
    .metricEditorMode(MetricEditorMode.Code)
    .expression(COST_PLACEHOLDER)
    .id("cost")
    .label("USD per month")
    .region("default")
    .period("300")
    .hide(false);

type Target = cog.Builder<cog.Dataquery>;

function stat(title: string, description: string, unit: string, targets: Target[]): cog.Builder<Panel> {
  return new StatPanel()
    .title(title)
    .description(`${description} ${WORKSPACE_WIDE}`)
    .datasource(CLOUDWATCH)
    .unit(unit)
    .targets(targets)
    .colorMode(BigValueColorMode.Value)
    .graphMode(BigValueGraphMode.Area)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
    .span(8)
    .height(5);
}

function timeseries(title: string, description: string, unit: string, targets: Target[], w: number) {
  return new TimeseriesPanel()
    .title(title)
    .description(`${description} ${WORKSPACE_WIDE}`)
    .datasource(CLOUDWATCH)
    .unit(unit)
    .targets(targets)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi))
    .span(w)
    .height(8);
}

export const monitoringCost: DashboardSpec = {
  uid: "eksmon-monitoring-cost",
  title: "Monitoring cost",
  description:
    "What this environment's AMP workspace ingests and holds, from the usage metrics AMP publishes to CloudWatch (AWS/Usage, free of charge), the monthly ingestion cost that rate projects to at the prices in cost/prices.ts, and what the selected cluster's collector sends. The budget alarm watches the same numbers.",
  tags: ["cost", "amp"],
  scope: [],
  from: "now-24h",
  refresh: "5m",
  rawRows: [
    {
      title: "AMP workspace (every cluster)",
      panels: [
        stat(
          "Projected monthly ingestion cost",
          `The ingestion cost of a month at the last 5 minutes' rate, at the tiered prices of cost/prices.ts (as of ${AS_OF_PLACEHOLDER}; the account-wide free tier not subtracted).`,
          "currencyUSD",
          [usage("IngestionRate", "rate", true), projectedCost()],
        ),
        stat("Samples ingested per second", "AMP's IngestionRate usage metric for this workspace.", "short", [
          usage("IngestionRate", "rate", false),
        ]),
        stat(
          "Active series",
          "AMP's ActiveSeries usage metric for this workspace: series that received a sample recently.",
          "short",
          [usage("ActiveSeries", "series", false)],
        ),
        timeseries(
          "Projected monthly ingestion cost over time",
          "Each point: the month's ingestion cost if the rate of that moment held all month.",
          "currencyUSD",
          [usage("IngestionRate", "rate", true), projectedCost()],
          24,
        ),
        timeseries(
          "Samples ingested per second",
          "Ingestion rate: what the collectors send after the allow-list (metrics.sendAll sends everything).",
          "short",
          [usage("IngestionRate", "rate", false)],
          12,
        ),
        timeseries(
          "Active series",
          "Active series: a jump means a new label value exploding cardinality (see metrics.labelSetLimits).",
          "short",
          [usage("ActiveSeries", "series", false)],
          12,
        ),
      ],
    },
  ],
  rows: [
    {
      title: "The selected cluster",
      panels: [
        {
          kind: "stat",
          title: "Samples the cluster sends per second",
          description:
            "What the selected cluster's collector sends AMP per second, after the allow-list: its part of the workspace's ingestion above.",
          unit: "short",
          w: 8,
          queries: samplesSent("cluster"),
        },
        {
          kind: "stat",
          title: "Samples the cluster sends per month",
          description:
            "The cluster's samples per second held for a month (30.44 days): AMP prices ingestion per sample, tiered on the account's monthly total.",
          unit: "short",
          w: 8,
          queries: samplesSent("cluster").map((q) => ({ ...q, expr: `(${q.expr}) * 2629746` })),
        },
        {
          kind: "stat",
          title: "Scrape targets",
          description: "Targets the cluster's collector scrapes: each brings its series and 5 of its own.",
          unit: "short",
          w: 8,
          queries: [{ expr: `count(max by (job, instance) (up{${m()}}))` }],
        },
        {
          kind: "timeseries",
          title: "Samples sent per second",
          description: "What the selected cluster's collector sends AMP per second, over time.",
          unit: "short",
          queries: samplesSent("cluster"),
        },
        {
          kind: "timeseries",
          title: "Samples scraped per job",
          description:
            "Samples each job brings per scrape, before the allow-list: where the series come from, and what metrics.sendAll would send.",
          unit: "short",
          queries: [{ expr: `sum by (job) (scrape_samples_scraped{${m()}})`, legend: "{{job}}" }],
        },
      ],
    },
  ],
};
