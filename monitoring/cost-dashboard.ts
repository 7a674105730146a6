/**
 * The "Monitoring cost" dashboard (dashboards/monitoring-cost.json): AMP's usage metrics in CloudWatch
 * (AWS/Usage `ResourceCount`, `Resource` IngestionRate and ActiveSeries, `ResourceId` the workspace) through
 * a CloudWatch data source, and the monthly ingestion cost the current rate projects to. The file holds
 * placeholders: the tiered cost expression and the prices' date are filled in at synth from cost/prices.ts,
 * the workspace id at apply time from the cluster-monitoring stack's state.
 */
import type { Tier } from "../cost/prices";
import { SECONDS_PER_MONTH } from "../cost/prices";

/** File name of the dashboard in dashboards/. */
export const COST_DASHBOARD = "monitoring-cost.json";

/** uid of the CloudWatch data source the dashboard queries. */
export const CLOUDWATCH_DATASOURCE_UID = "cloudwatch-usage";

/** Replaced by the AMP workspace id when the dashboard is written (a Terraform expression). */
export const WORKSPACE_ID_PLACEHOLDER = "__AMP_WORKSPACE_ID__";
const COST_PLACEHOLDER = "__PROJECTED_INGESTION_COST__";
const AS_OF_PLACEHOLDER = "__PRICES_AS_OF__";

/**
 * CloudWatch metric math for the monthly ingestion cost of a rate `rateId` (samples/s): samples per month,
 * priced tier by tier with nested IFs (CloudWatch's metric math has no other piecewise function).
 */
export function projectedCostExpression(rateId: string, tiers: readonly Tier[]): string {
  const samples = `(${rateId} * ${SECONDS_PER_MONTH})`;
  const build = (i: number, start: number, before: number): string => {
    const t = tiers[i];
    const inTier = `(${samples} - ${start}) * ${t.usd} / ${t.per}`;
    const here = before > 0 ? `${round(before)} + ${inTier}` : inTier;
    if (t.upTo === undefined || i === tiers.length - 1) return here;
    const full = before + ((t.upTo - start) * t.usd) / t.per;
    return `IF(${samples} <= ${t.upTo}, ${here}, ${build(i + 1, t.upTo, full)})`;
  };
  return build(0, 0, 0);
}

const round = (n: number) => Number(n.toFixed(6));

/** The dashboard JSON with the prices filled in (the workspace id placeholder stays for Terraform). */
export function costDashboardJson(json: string, tiers: readonly Tier[], asOf: string): string {
  return json
    .replaceAll(COST_PLACEHOLDER, projectedCostExpression("rate", tiers))
    .replaceAll(AS_OF_PLACEHOLDER, asOf);
}
