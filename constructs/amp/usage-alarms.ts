import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { SECONDS_PER_MONTH } from "../../cost/prices";
import type { MessageFormat, Severity } from "./alert-manager-config";
import type { AmpAlerting } from "./alerting";
import type { IAmpWorkspace } from "./workspace";

/** AMP's usage metric of a workspace in CloudWatch (AWS/Usage, free of charge). */
export function ampUsageMetric(
  workspaceId: string,
  resource: "IngestionRate" | "ActiveSeries",
  period: number,
) {
  return {
    namespace: "AWS/Usage",
    metricName: "ResourceCount",
    dimensions: {
      Service: "Prometheus",
      Type: "Resource",
      Class: "None",
      Resource: resource,
      ResourceId: workspaceId,
    },
    period,
    stat: "Average",
  };
}

/** 1234567 -> "1,234,567" (not toLocaleString, which loads ICU's locale data: docs/performance.md). */
function withThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export interface AmpUsageAlarmsProps {
  /** The workspace watched. */
  readonly workspace: IAmpWorkspace;
  /** Where the alarms notify (its topic policies and key are extended for CloudWatch). */
  readonly alerting: AmpAlerting;
  /** Whose topics the alarms notify. @default "critical": `eksmon-<env>-alerts`, the topic 0.2.0's alarms notified */
  readonly severity?: Severity;
  /**
   * Which of the severity's topics. @default ["text"]: mail only, so the people who heard of the budget
   * before still do, and no pager or chat channel is woken for money
   */
  readonly formats?: readonly MessageFormat[];
  /** Start of every alarm name, e.g. `eksmon-prod-`: the topic accepts alarms whose names start with it. */
  readonly alarmNamePrefix: string;
  /** Samples per month the ingestion may reach. */
  readonly monthlySamples: number;
  /** What the budget is, for the alarm's description (e.g. "$500 of ingestion (cost/prices.ts, 2026-11-25)"). */
  readonly budgetText: string;
  /** Also alarm when active series exceed this. @default no active-series alarm */
  readonly activeSeries?: number;
}

/**
 * The ingestion budget of an AMP workspace as CloudWatch alarms on AMP's usage metrics, so they work
 * whichever collector writes: the projected month (the last hour's average IngestionRate, in samples/s,
 * times the seconds of a month) above the budget's samples; optionally active series above a number.
 * Both notify the environment's critical mail topic (or the topics given) when they fire and when they clear.
 */
export class AmpUsageAlarms extends Construct {
  /** The projected-month alarm. */
  readonly ingestion: CloudwatchMetricAlarm;
  /** The active-series alarm, when asked for. */
  readonly activeSeries?: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: AmpUsageAlarmsProps) {
    super(scope, id);
    if (!(props.monthlySamples > 0)) throw new Error("AmpUsageAlarms: monthlySamples must be positive");
    const topic = props.alerting.grantCloudWatchAlarms(
      props.alarmNamePrefix,
      props.severity ?? "critical",
      props.formats ?? ["text"],
    );
    const workspace = props.workspace;
    this.ingestion = new CloudwatchMetricAlarm(this, "ingestion-budget", {
      alarmName: `${props.alarmNamePrefix}amp-ingestion-budget`,
      alarmDescription: `AMP workspace ${workspace.alias}: at the last hour's ingestion rate this month would ingest more than ${withThousands(Math.round(props.monthlySamples))} samples, the budget of ${props.budgetText}. See the Monitoring cost dashboard and docs/cost.md.`,
      comparisonOperator: "GreaterThanThreshold",
      threshold: Math.round(props.monthlySamples),
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No data is no ingestion: not over budget (the CollectorSilent alert covers a silent collector).
      treatMissingData: "notBreaching",
      actionsEnabled: true,
      alarmActions: topic,
      okActions: topic,
      metricQuery: [
        {
          id: "rate",
          returnData: false,
          metric: ampUsageMetric(workspace.workspaceId, "IngestionRate", 3600),
        },
        {
          id: "projected",
          expression: `rate * ${SECONDS_PER_MONTH}`,
          label: "Samples this month at the current rate",
          returnData: true,
        },
      ],
    });
    if (props.activeSeries !== undefined)
      this.activeSeries = new CloudwatchMetricAlarm(this, "active-series", {
        alarmName: `${props.alarmNamePrefix}amp-active-series`,
        alarmDescription: `AMP workspace ${workspace.alias} holds more than ${withThousands(props.activeSeries)} active series (metrics.budget.activeSeries): a label is probably exploding. See the Monitoring cost dashboard and docs/cost.md.`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: props.activeSeries,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "notBreaching",
        actionsEnabled: true,
        alarmActions: topic,
        okActions: topic,
        metricQuery: [
          {
            id: "series",
            returnData: true,
            metric: ampUsageMetric(workspace.workspaceId, "ActiveSeries", 300),
          },
        ],
      });
  }
}
