/**
 * The shapes of the rules this project ships (Prometheus rule files, one per AMP rule group namespace), the
 * parameters every rule-file function takes, and the one way an alert is written (`alert()`), which gives
 * every alert its `severity` and `environment` labels and its `summary`, `description` and `runbook_url`.
 */
import type { AlertSeverity } from "../../config/alerting";

/** One Prometheus rule (recording or alerting), as in a rule file. */
export interface PrometheusRule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** A rule group. */
export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: PrometheusRule[];
}

/** A Prometheus rule file (`groups:`), one per AMP rule group namespace. */
export interface RuleFile {
  readonly groups: RuleGroup[];
}

/** The thresholds an environment tunes (`alerting.thresholds`); every other threshold is named in its runbook. */
export interface AlertThresholds {
  /** RemoteWriteBehind: newest sample not yet sent is older than this, in seconds. */
  readonly remoteWriteLagSeconds: number;
  /** RemoteWriteFailing: failed samples above this percentage of all samples. */
  readonly remoteWriteFailedPercent: number;
  /** ApiServerErrors: 5xx responses above this percentage of requests. */
  readonly apiServerErrorPercent: number;
  /** ApiServerLatencyHigh: p99 request latency of a verb above this many seconds. */
  readonly apiServerLatencyP99Seconds: number;
  /** PersistentVolumeFillingUp (warning): a volume claim used above this percentage. */
  readonly persistentVolumeUsedPercent: number;
  /** PersistentVolumeFillingUp (critical): a volume claim used above this percentage. */
  readonly persistentVolumeCriticalPercent: number;
  /** ApiServerErrorBudgetBurn: the availability objective, percent of requests answered without 5xx over 30 days. */
  readonly apiServerAvailabilitySloPercent: number;
  /** ApiServerLatencyBudgetBurn: the latency objective, percent of requests answered in time over 30 days. */
  readonly apiServerLatencySloPercent: number;
  /** AmpIngestionNearBudget: the projected month above this percentage of `metrics.budget.monthlyIngestionUsd`. */
  readonly ingestionBudgetPercent: number;
  /** How long a condition must hold before the alerts that use it fire, in minutes. */
  readonly forMinutes: number;
}

/**
 * What every rule-file function takes: plain values, never the configuration object, so a caller with several
 * clusters or another configuration layout builds them in one place (`ruleParamsOf` today). The rules of
 * one cluster's collector also take that cluster (`RuleCluster`).
 */
export interface RuleParams {
  /** The environment: the `environment` label of every alert, and named in every message. */
  readonly environment: string;
  readonly thresholds: AlertThresholds;
  /**
   * Where the runbooks are, ending in `/`: every alert's `runbook_url` is this plus `<AlertName>.md`
   * (the pages of docs/runbooks/).
   */
  readonly runbookBaseUrl: string;
  /** Samples per second the ingestion budget allows (the month's budget spread evenly). @default no AmpIngestionNearBudget alert */
  readonly ingestionBudgetSamplesPerSecond?: number;
}

/** A cluster whose collector ships rules: its name (the `cluster` label of its series) and its key. */
export interface RuleCluster {
  /** The EKS cluster's name: the value of the `cluster` label its collector adds to every series. */
  readonly name: string;
  /** Short key of the cluster in names (`eksmon-<id>-<type>-collector`). @default none: the names of a one-cluster environment */
  readonly id?: string;
}

/** The severities the alert manager routes (config/alerting.ts): an alert's `severity` label is one of them. */
export type Severity = AlertSeverity;

/** An alert as written in the rule modules: the text names the object; `alert()` adds where it is. */
export interface AlertSpec {
  /** The alert's name, also the name of its runbook (docs/runbooks/<name>.md). */
  readonly name: string;
  readonly severity: Severity;
  readonly expr: string;
  /** How long the expression must hold. @default fires at the first evaluation that returns it */
  readonly for?: string;
  /** One line: what is wrong with which object (`{{ $labels.x }}`), without the environment and cluster. */
  readonly summary: string;
  /**
   * What happened, with the numbers, written to follow "In <where>, ": the object by its labels, and the
   * threshold. `{{ $value }}` (with one formatting function at most) may appear once.
   */
  readonly description: string;
  /**
   * Labels the rule sets besides severity and environment: `cluster` on a rule generated per cluster (the
   * value its expression gives anyway; it names the cluster in the ruler's list of rules). @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** `{{ $labels.cluster }}` as Prometheus templates write it. */
export const CLUSTER = "{{ $labels.cluster }}";

/** Prometheus's rule for a duration in a rule file, e.g. `15m`. */
export function minutes(n: number): string {
  return `${n}m`;
}

/**
 * The alerting rule of a spec: `severity` and `environment` labels (the `cluster` label comes from the
 * expression, which keeps it), the summary prefixed with `<environment>/<cluster>`, the description with
 * where it happened, and `runbook_url` pointing to docs/runbooks/<name>.md under `runbookBaseUrl`.
 */
export function alert(p: RuleParams, spec: AlertSpec): PrometheusRule {
  return {
    alert: spec.name,
    expr: spec.expr,
    ...(spec.for ? { for: spec.for } : {}),
    labels: { severity: spec.severity, environment: p.environment, ...spec.labels },
    annotations: {
      summary: `[${p.environment}/${CLUSTER}] ${spec.summary}`,
      description: `In cluster ${CLUSTER} of environment ${p.environment}, ${spec.description}`,
      runbook_url: `${p.runbookBaseUrl}${spec.name}.md`,
    },
  };
}

/** A number as PromQL reads it, without binary floating-point noise (14.4 * 0.01 -> 0.144). */
export function num(n: number): string {
  return String(Number(n.toPrecision(10)));
}
