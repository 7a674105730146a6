/**
 * The Prometheus rules this project ships to the AMP ruler, generated per environment: recording rules the
 * dashboards and alerts read (recording.ts), alerts every collector answers (workloads.ts, nodes.ts,
 * volumes.ts, apiserver.ts and the scrape part of collectors.ts), and each collector's own rules
 * (collectors.ts), so no environment evaluates a rule about a collector it does not run.
 *
 * Every rule keeps the `cluster` label (the external label each cluster's collector adds); every alert
 * carries `severity`, `environment`, a summary and description naming both and the object, and a
 * `runbook_url` to docs/runbooks/<AlertName>.md. The functions take plain parameters (`RuleParams`);
 * `ruleParamsOf` builds them from an environment's configuration.
 *
 * Adding an alert: docs/grafana-as-code.md ("Adding an alert"): the rule, its runbook, its promtool cases.
 */
import type { EnvironmentConfig } from "../../config/environment";
import { PRICES, SECONDS_PER_MONTH, unitsForBudget } from "../../cost/prices";
import type { CollectorType } from "../../lib/catalogue";
import { apiServerAlerts } from "./apiserver";
import { managedCollectorRules, prometheusCollectorRules, scrapeAlerts } from "./collectors";
import { nodeAlerts } from "./nodes";
import { recordingRules } from "./recording";
import type { PrometheusRule, RuleCluster, RuleFile, RuleParams } from "./types";
import { volumeAlerts } from "./volumes";
import { workloadAlerts } from "./workloads";

export { managedCollectorRules, prometheusCollectorRules } from "./collectors";
export { recordingRules } from "./recording";
export type {
  AlertThresholds,
  PrometheusRule,
  RuleCluster,
  RuleFile,
  RuleGroup,
  RuleParams,
  Severity,
} from "./types";

/** The runbooks' folder in this repository (every alert's page is `<AlertName>.md` in it). */
export const RUNBOOKS_DIR = "docs/runbooks/";

/**
 * Where runbook links point: `alerting.runbookBaseUrl`; else the repository's docs on GitHub when the
 * environment deploys from GitHub (`github.repository`), on its default branch `main`; else the folder's path
 * in this repository (`docs/runbooks/`), which names the page but is no link.
 */
export function runbookBaseUrl(explicit: string | undefined, githubRepository: string | undefined): string {
  if (explicit) return explicit.endsWith("/") ? explicit : `${explicit}/`;
  if (githubRepository) return `https://github.com/${githubRepository}/blob/main/${RUNBOOKS_DIR}`;
  return RUNBOOKS_DIR;
}

/** The rule parameters of an environment. */
export function ruleParamsOf(env: EnvironmentConfig): RuleParams {
  const budget = env.metrics.budget;
  return {
    environment: env.name,
    thresholds: env.alerting.thresholds,
    runbookBaseUrl: runbookBaseUrl(env.alerting.runbookBaseUrl, env.github?.repository),
    ...(budget
      ? {
          ingestionBudgetSamplesPerSecond:
            unitsForBudget(budget.monthlyIngestionUsd, PRICES.amp.ingestion) / SECONDS_PER_MONTH,
        }
      : {}),
  };
}

/** The clusters of an environment, each with its collector: the name is its `cluster` label, the id its key in names. */
export function ruleClustersOf(env: EnvironmentConfig): CollectorCluster[] {
  return env.clusters.map((c) => ({
    name: c.name,
    collector: c.collector.type,
    ...(c.id !== undefined ? { id: c.id } : {}),
  }));
}

/** The alerts every collector answers, routed by the AMP alert manager. */
export function alertRules(p: RuleParams): RuleFile {
  return {
    groups: [workloadAlerts(p), nodeAlerts(p), volumeAlerts(p), apiServerAlerts(p), ...scrapeAlerts(p)],
  };
}

/** The rule files every environment ships once, by AMP rule group namespace. */
export function commonRuleFiles(p: RuleParams): Record<string, RuleFile> {
  return { "eksmon-recording-rules": recordingRules(), "eksmon-alerts": alertRules(p) };
}

/** A cluster and the collector that runs for it. */
export interface CollectorCluster extends RuleCluster {
  readonly collector: CollectorType;
}

/** `eksmon-<type>-collector`, or `eksmon-<id>-<type>-collector` for a cluster with a key (namespaces are the workspace's). */
export function collectorNamespace(type: CollectorType, cluster: RuleCluster): string {
  return cluster.id ? `eksmon-${cluster.id}-${type}-collector` : `eksmon-${type}-collector`;
}

/**
 * The rule files a cluster's collector ships (its construct creates them), by AMP rule group namespace: every
 * rule in them reads that cluster's series only.
 */
export const COLLECTOR_RULE_FILES: Readonly<
  Record<CollectorType, (p: RuleParams, cluster: RuleCluster) => Record<string, RuleFile>>
> = {
  prometheus: (p, c) => ({ [collectorNamespace("prometheus", c)]: prometheusCollectorRules(p, c.name) }),
  managed: (p, c) => ({ [collectorNamespace("managed", c)]: managedCollectorRules(p, c.name) }),
};

/** Every rule file an environment whose clusters run these collectors ships. */
export function ruleFilesFor(clusters: readonly CollectorCluster[], p: RuleParams): Record<string, RuleFile> {
  return Object.assign(commonRuleFiles(p), ...clusters.map((c) => COLLECTOR_RULE_FILES[c.collector](p, c)));
}

/**
 * The rule files of one collector type for a cluster standing for all of its type: what the metrics read
 * depend on (never on the cluster's name), for the allow-list and the checks.
 */
export function ruleFilesOfCollector(collector: CollectorType, p: RuleParams): Record<string, RuleFile> {
  return ruleFilesFor([{ name: "any", collector }], p);
}

/** The rules of rule files, flattened. */
export function rulesOf(files: Record<string, RuleFile>): PrometheusRule[] {
  return Object.values(files).flatMap((f) => f.groups.flatMap((g) => g.rules));
}

/** Names of the alerts in rule files (each once). */
export function alertNamesOf(files: Record<string, RuleFile>): string[] {
  return [...new Set(rulesOf(files).flatMap((r) => (r.alert ? [r.alert] : [])))];
}

/** Names the recording rules in rule files produce. */
export function recordedNamesOf(files: Record<string, RuleFile>): string[] {
  return rulesOf(files).flatMap((r) => (r.record ? [r.record] : []));
}
