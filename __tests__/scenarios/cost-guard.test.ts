/**
 * What bounds an environment's monitoring cost after deploy, on the synthesized stacks: the ingestion
 * budget's CloudWatch alarms on AMP's usage metrics (both collectors), the encrypted alert topic letting
 * exactly those alarms publish, the workspace's label-set limits, and the cost dashboard with its
 * CloudWatch data source and the least read permissions on Grafana's role.
 */
import { PRICES, unitsForBudget } from "../../cost/prices";
import type { PolicyStatement } from "../../lib/iam";
import { projectedCostExpression } from "../../monitoring/cost-dashboard";
import { exampleEnv, onlyResource, resourceAt, resourcesOf, synthEnvironment } from "../helpers";

const statements = (doc: unknown) =>
  (JSON.parse(doc as string) as { Statement: PolicyStatement[] }).Statement;

describe.each(["prometheus", "managed"] as const)("an ingestion budget with the %s collector", (type) => {
  const env = exampleEnv("staging", (e) => {
    if (type === "prometheus") {
      e.clusters[0].collector = { type: "prometheus" };
      delete e.grafana.dashboards;
    }
    e.metrics = { budget: { monthlyIngestionUsd: 250, activeSeries: 100_000 } };
  });
  const monitoring = synthEnvironment(env).json["cluster-monitoring"];
  const alarms = Object.values(resourcesOf(monitoring, "aws_cloudwatch_metric_alarm"));
  const byName = (name: string) => alarms.find((a) => a.alarm_name === name)!;

  it("alarms when the last hour's ingestion rate would exceed the budget's samples this month", () => {
    const alarm = byName("eksmon-staging-amp-ingestion-budget");
    expect(alarm).toMatchObject({
      comparison_operator: "GreaterThanThreshold",
      threshold: unitsForBudget(250, PRICES.amp.ingestion),
      treat_missing_data: "notBreaching",
      actions_enabled: true,
    });
    const [rate, projected] = alarm.metric_query as Record<string, unknown>[];
    expect(rate).toEqual({
      id: "rate",
      return_data: false,
      metric: {
        namespace: "AWS/Usage",
        metric_name: "ResourceCount",
        period: 3600,
        stat: "Average",
        dimensions: {
          Service: "Prometheus",
          Type: "Resource",
          Class: "None",
          Resource: "IngestionRate",
          ResourceId: expect.stringMatching(/^\$\{aws_prometheus_workspace\.[\w-]+\.id\}$/),
        },
      },
    });
    expect(projected).toMatchObject({ id: "projected", expression: "rate * 2628000", return_data: true });
    expect(alarm.alarm_description).toContain("$250 of AMP ingestion");
  });

  it("alarms on active series above the budget's number", () => {
    const alarm = byName("eksmon-staging-amp-active-series");
    expect(alarm.threshold).toBe(100_000);
    expect(JSON.stringify(alarm.metric_query)).toContain('"Resource":"ActiveSeries"');
  });

  it("notifies the critical mail topic, which lets only this environment's alarms publish and use its key", () => {
    const topics = Object.entries(resourcesOf(monitoring, "aws_sns_topic"));
    const ref = (name: string) => `\${aws_sns_topic.${topics.find(([, t]) => t.name === name)?.[0]}.arn}`;
    for (const a of alarms) {
      expect(a.alarm_actions).toEqual([ref("eksmon-staging-alerts")]);
      expect(a.ok_actions).toEqual([ref("eksmon-staging-alerts")]);
    }
    const condition = {
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:222222222222:alarm:eksmon-staging-*" },
      StringEquals: { "aws:SourceAccount": "222222222222" },
    };
    const policies = Object.values(resourcesOf(monitoring, "aws_sns_topic_policy"));
    const publish = statements(
      resourceAt(monitoring, "aws_sns_topic_policy", "alerting_topic-policy").policy,
    ).find((s) => s.Sid === "CloudWatchAlarmsPublish");
    expect(publish).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Condition: condition,
    });
    // No other topic (the warning Teams channel's included) is open to CloudWatch.
    expect(policies.filter((p) => String(p.policy).includes("cloudwatch"))).toHaveLength(1);
    const key = statements(resourceAt(monitoring, "aws_kms_key", "alerting_key").policy).find(
      (s) => s.Sid === "CloudWatchAlarmsEncryptCriticalMessages",
    );
    expect(key).toMatchObject({
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Condition: {
        ArnLike: condition.ArnLike,
        StringEquals: {
          ...condition.StringEquals,
          "kms:EncryptionContext:aws:sns:topicArn":
            "arn:aws:sns:us-east-1:222222222222:eksmon-staging-alerts",
        },
      },
    });
  });
});

describe("without a budget", () => {
  const monitoring = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];

  it("has no alarm, and CloudWatch gets nothing on the topic or its key", () => {
    expect(resourcesOf(monitoring, "aws_cloudwatch_metric_alarm")).toEqual({});
    for (const p of Object.values(resourcesOf(monitoring, "aws_sns_topic_policy")))
      expect(p.policy).not.toContain("cloudwatch");
    expect(resourceAt(monitoring, "aws_kms_key", "alerting_key").policy).not.toContain("cloudwatch");
  });

  it("sets no label-set limit unless configured: the default bucket without one (which clears earlier limits)", () => {
    expect(onlyResource(monitoring, "aws_prometheus_workspace_configuration").limits_per_label_set).toEqual([
      { label_set: {}, limits: [{ max_series: 0 }] },
    ]);
  });
});

describe("label-set limits", () => {
  it("go on the workspace configuration, the default bucket included", () => {
    const monitoring = synthEnvironment(exampleEnv("prod")).json["cluster-monitoring"];
    const limits = onlyResource(monitoring, "aws_prometheus_workspace_configuration")
      .limits_per_label_set as {
      label_set: Record<string, string>;
      limits: { max_series: number }[];
    }[];
    expect(limits).toContainEqual({
      label_set: { __name__: "apiserver_request_duration_seconds_bucket" },
      limits: [{ max_series: 60_000 }],
    });
    expect(limits).toContainEqual({ label_set: {}, limits: [{ max_series: 300_000 }] });
  });
});

describe("the cost dashboard", () => {
  const { json } = synthEnvironment(exampleEnv("staging"));
  const config = json["grafana-config"];
  const dashboard = Object.values(resourcesOf(config, "grafana_dashboard")).find((d) =>
    String(d.config_json).includes('"uid":"eksmon-monitoring-cost"'),
  )!;

  it("queries the workspace's own usage metrics (its id read from state) and prices them at cost/prices.ts", () => {
    const text = String(dashboard.config_json);
    expect(text).toContain(
      '"ResourceId":"${data.terraform_remote_state.cluster-monitoring-state.outputs.amp_workspace_id}"',
    );
    expect(text).not.toContain("__AMP_WORKSPACE_ID__");
    expect(text).not.toContain("__PROJECTED_INGESTION_COST__");
    expect(text).toContain(
      JSON.stringify(projectedCostExpression("rate", PRICES.amp.ingestion)).slice(1, -1),
    );
    expect(text).toContain(`as of ${PRICES.asOf}`);
  });

  it("has a CloudWatch data source signed with the workspace role, in the environment's region", () => {
    const cw = Object.values(resourcesOf(config, "grafana_data_source")).find(
      (d) => d.type === "cloudwatch",
    )!;
    expect(cw).toMatchObject({ uid: "cloudwatch-usage", access_mode: "proxy" });
    expect(JSON.parse(cw.json_data_encoded as string)).toEqual({
      authType: "ec2_iam_role",
      defaultRegion: "us-east-1",
    });
  });

  it("gives the Grafana role CloudWatch read, the only actions it needs, and lists CLOUDWATCH on the workspace", () => {
    const grafana = json.grafana;
    const read = statements(onlyResource(grafana, "aws_iam_role_policy").policy).find(
      (s) => s.Sid === "ReadCloudWatchMetrics",
    );
    expect(read).toEqual({
      Sid: "ReadCloudWatchMetrics",
      Effect: "Allow",
      Action: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"],
      Resource: "*",
    });
    expect(onlyResource(grafana, "aws_grafana_workspace").data_sources).toEqual(["PROMETHEUS", "CLOUDWATCH"]);
  });

  it("is left out with its data source and permissions when an environment does not list it", () => {
    const env = exampleEnv("staging", (e) => {
      e.grafana.dashboards = ["cluster-capacity.json"];
    });
    const s = synthEnvironment(env).json;
    expect(Object.values(resourcesOf(s["grafana-config"], "grafana_data_source")).map((d) => d.type)).toEqual(
      ["prometheus"],
    );
    expect(onlyResource(s.grafana, "aws_iam_role_policy").policy).not.toContain("cloudwatch");
    expect(onlyResource(s.grafana, "aws_grafana_workspace").data_sources).toEqual(["PROMETHEUS"]);
  });
});

describe("the projected-cost expression", () => {
  it("is CloudWatch metric math pricing each tier of cost/prices.ts", () => {
    expect(projectedCostExpression("rate", PRICES.amp.ingestion)).toBe(
      "IF((rate * 2628000) <= 2000000000, ((rate * 2628000) - 0) * 0.9 / 10000000, IF((rate * 2628000) <= 250000000000, 180 + ((rate * 2628000) - 2000000000) * 0.35 / 10000000, 8860 + ((rate * 2628000) - 250000000000) * 0.16 / 10000000))",
    );
  });
});
