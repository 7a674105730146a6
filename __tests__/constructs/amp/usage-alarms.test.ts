/**
 * AmpUsageAlarms: the ingestion budget as CloudWatch alarms on AMP's own usage metrics (whichever collector
 * writes), notifying the critical mail topic (or the topics given), which is opened to exactly these alarms.
 */
import { TerraformStack, Testing } from "cdktf";
import { AmpAlerting } from "../../../constructs/amp/alerting";
import {
  AmpUsageAlarms,
  type AmpUsageAlarmsProps,
  ampUsageMetric,
} from "../../../constructs/amp/usage-alarms";
import { AmpWorkspace } from "../../../constructs/amp/workspace";
import { SECONDS_PER_MONTH } from "../../../cost/prices";
import { resourcesOf, type StackJson, TEST_TARGET } from "../../helpers";

type Props = Omit<AmpUsageAlarmsProps, "workspace" | "alerting">;
const base: Props = {
  alarmNamePrefix: "eksmon-test-",
  monthlySamples: 1_234_567_890.4,
  budgetText: "$500 of ingestion",
};

function build(props: Partial<Props> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const workspace = AmpWorkspace.fromAttributes(stack, "amp", {
    workspaceId: "ws-test",
    arn: "arn:aws:aps:eu-central-1:123456789012:workspace/ws-test",
    alias: "test",
    prometheusEndpoint: "https://aps-workspaces.eu-central-1.amazonaws.com/workspaces/ws-test/",
  });
  const alerting = new AmpAlerting(stack, "alerting", {
    workspace,
    topicName: "eksmon-test-alerts",
    environment: "test",
    routes: {
      critical: { repeatInterval: "1h" },
      warning: { repeatInterval: "4h", slack: [{ workspaceId: "T0EXAMPLE1", channelId: "C0PLATFRM1" }] },
      info: { repeatInterval: "1d" },
    },
    target: TEST_TARGET,
    preventDestroy: false,
  });
  new AmpUsageAlarms(stack, "usage", { workspace, alerting, ...base, ...props });
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

/** AMP's usage metric of workspace ws-test as synthesized. */
const usage = (resource: string, period: number) => ({
  namespace: "AWS/Usage",
  metric_name: "ResourceCount",
  dimensions: {
    Service: "Prometheus",
    Type: "Resource",
    Class: "None",
    Resource: resource,
    ResourceId: "ws-test",
  },
  period,
  stat: "Average",
});

const alarms = (json: StackJson) =>
  Object.fromEntries(
    Object.values(resourcesOf(json, "aws_cloudwatch_metric_alarm")).map((a) => [a.alarm_name as string, a]),
  ) as Record<string, Record<string, any>>;

describe("AmpUsageAlarms", () => {
  const json = build();
  const ingestion = alarms(json)["eksmon-test-amp-ingestion-budget"];

  it("alarms when the last hour's ingestion rate, over a month, exceeds the budget's samples", () => {
    expect(ingestion).toMatchObject({
      comparison_operator: "GreaterThanThreshold",
      threshold: 1_234_567_890,
      evaluation_periods: 1,
      treat_missing_data: "notBreaching",
    });
    const [rate, projected] = ingestion.metric_query;
    expect(rate).toMatchObject({ id: "rate", return_data: false });
    expect(rate.metric).toEqual(usage("IngestionRate", 3600));
    expect(projected).toMatchObject({ expression: `rate * ${SECONDS_PER_MONTH}`, return_data: true });
  });

  it("reads AMP's usage metric of this workspace", () => {
    expect(ampUsageMetric("ws-1", "ActiveSeries", 300)).toEqual({
      namespace: "AWS/Usage",
      metricName: "ResourceCount",
      dimensions: {
        Service: "Prometheus",
        Type: "Resource",
        Class: "None",
        Resource: "ActiveSeries",
        ResourceId: "ws-1",
      },
      period: 300,
      stat: "Average",
    });
  });

  /** The reference to the topic named `name`. */
  const topic = (json: StackJson, name: string) => {
    const id = Object.entries(resourcesOf(json, "aws_sns_topic")).find(([, t]) => t.name === name)?.[0];
    return `\${aws_sns_topic.${id}.arn}`;
  };

  it("notifies the critical mail topic (0.2.0's topic) when it fires and when it clears, saying the budget in words", () => {
    const critical = [topic(json, "eksmon-test-alerts")];
    expect(ingestion.alarm_actions).toEqual(critical);
    expect(ingestion.ok_actions).toEqual(critical);
    expect(ingestion.actions_enabled).toBe(true);
    expect(ingestion.alarm_description).toContain("1,234,567,890 samples, the budget of $500 of ingestion");
  });

  it("may notify another severity's topics, several formats", () => {
    const warning = alarms(build({ severity: "warning", formats: ["text", "chat", "events"] }))[
      "eksmon-test-amp-ingestion-budget"
    ];
    // warning has a mail and a chat topic (Slack), no events topic: those that exist.
    expect(warning.alarm_actions).toEqual([
      topic(json, "eksmon-test-alerts-warning"),
      topic(json, "eksmon-test-alerts-warning-chat"),
    ]);
  });

  it("opens that topic to alarms named with its prefix, and no other", () => {
    const policies = Object.values(resourcesOf(json, "aws_sns_topic_policy"));
    const opened = policies.filter((p) => String(p.policy).includes("CloudWatchAlarmsPublish"));
    expect(opened.map((p) => p.arn)).toEqual([topic(json, "eksmon-test-alerts")]);
    const policy = JSON.parse(opened[0].policy as string);
    const cloudwatch = policy.Statement.find((s: { Sid: string }) => s.Sid === "CloudWatchAlarmsPublish");
    expect(cloudwatch.Condition.ArnLike["aws:SourceArn"]).toBe(
      "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:eksmon-test-*",
    );
    for (const alarm of Object.values(alarms(json))) expect(alarm.alarm_name).toMatch(/^eksmon-test-/);
  });

  it("adds the active-series alarm only when given a number, sustained over three periods", () => {
    expect(Object.keys(alarms(json))).toEqual(["eksmon-test-amp-ingestion-budget"]);
    const series = alarms(build({ activeSeries: 250_000 }))["eksmon-test-amp-active-series"];
    expect(series).toMatchObject({
      threshold: 250_000,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      treat_missing_data: "notBreaching",
    });
    expect(series.metric_query[0].metric).toEqual(usage("ActiveSeries", 300));
    expect(series.alarm_description).toContain("250,000 active series");
  });

  it.each([0, -1, Number.NaN])("refuses a budget of %p samples", (monthlySamples) => {
    expect(() => build({ monthlySamples })).toThrow("AmpUsageAlarms: monthlySamples must be positive");
  });
});
