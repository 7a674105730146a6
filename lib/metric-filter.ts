/** What an environment's collector sends to AMP, from its config: the stacks and `npm run cost` share it. */
import { derivedAllowList, type MetricFilter } from "../monitoring/allow-list";
import type { EnvironmentConfig } from "./config/schema";

/** The allow-list (what the environment's shipped rules and dashboards read, plus `metrics.extra`), or everything. */
export function metricFilterOf(env: EnvironmentConfig): MetricFilter {
  if (env.metrics.sendAll) return { sendAll: true };
  return {
    sendAll: false,
    names: derivedAllowList(env.collector.type, env.grafana.dashboards, env.alerting.thresholds),
    extra: env.metrics.extra,
  };
}
