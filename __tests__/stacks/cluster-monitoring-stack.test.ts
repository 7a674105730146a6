import { exampleEnv, onlyResource, resourcesOf, type StackJson, synthEnvironment } from "../helpers";

describe("ClusterMonitoringStack", () => {
  it.each(["dev", "staging", "prod"])("%s matches the reviewed snapshot", (name) => {
    expect(synthEnvironment(exampleEnv(name)).raw["cluster-monitoring"]).toMatchSnapshot();
  });

  it("protects the AMP workspace in prod only", () => {
    for (const [name, expected] of [
      ["prod", true],
      ["dev", false],
    ] as const) {
      const stack = synthEnvironment(exampleEnv(name)).json["cluster-monitoring"];
      expect(onlyResource(stack, "aws_prometheus_workspace").lifecycle).toMatchObject({
        prevent_destroy: expected,
      });
    }
  });

  it("holds nothing of a cluster: no Kubernetes, Helm or IAM resource, and the same document whatever the clusters", () => {
    const { json, raw } = synthEnvironment(exampleEnv("staging"));
    const types = Object.keys(json["cluster-monitoring"].resource ?? {});
    expect(types.filter((t) => /^(kubernetes|helm|aws_eks)_/.test(t))).toEqual([]);
    // Its one role is the alert channels' (AWS Chatbot), no cluster's.
    const roles = Object.values(json["cluster-monitoring"].resource?.aws_iam_role ?? {}).map((r) => r.name);
    expect(roles).toEqual(["eksmon-staging-alerts-chatbot"]);
    const one = synthEnvironment(exampleEnv("staging", (e) => e.clusters.splice(1)));
    expect(one.raw["cluster-monitoring"]).toEqual(raw["cluster-monitoring"]);
  });

  it("forgets every address 0.2 gave its one cluster's resources, never destroying them", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"] as StackJson & {
      removed?: { from: string; lifecycle: unknown }[];
    };
    const forgotten = stack.removed!.map((r) => r.from);
    for (const block of stack.removed!) expect(block.lifecycle).toEqual({ destroy: false });
    expect(forgotten).toEqual(
      expect.arrayContaining([
        "helm_release.prometheus_release_1BA974E1",
        "kubernetes_namespace_v1.prometheus_namespace_33B5E166",
        "aws_iam_role.prometheus-irsa_role_4B3424C1",
        "aws_eks_addon.ebs-csi_addon_24CC4AD8",
        "aws_prometheus_scraper.scraper_FECB5F39",
        "kubernetes_role_v1.plan-readers_releases-prometheus_namespace_33B5E166_BDB8B6EE",
      ]),
    );
    // The providers of forgotten Kubernetes and Helm resources are declared, with no connection.
    expect(stack.provider?.kubernetes).toEqual([{}]);
    expect(stack.provider?.helm).toEqual([{}]);
  });

  it("routes alerts only once every topic policy lets AMP publish", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    const route = onlyResource(stack, "aws_prometheus_alert_manager_definition") as { depends_on: string[] };
    const policies = Object.keys(resourcesOf(stack, "aws_sns_topic_policy"));
    expect(policies).toHaveLength(3); // critical, warning, info
    expect([...route.depends_on].sort()).toEqual(policies.map((id) => `aws_sns_topic_policy.${id}`).sort());
  });

  it("routes by the environment's alerting config: mail for each severity, PagerDuty from SSM, Slack (prod)", () => {
    const stack = synthEnvironment(exampleEnv("prod")).json["cluster-monitoring"];
    const topics = Object.fromEntries(
      Object.entries(resourcesOf(stack, "aws_sns_topic")).map(([id, t]) => [
        `\${aws_sns_topic.${id}.arn}`,
        t.name,
      ]),
    );
    const subscriptions = Object.values(resourcesOf(stack, "aws_sns_topic_subscription")).map((s) => [
      topics[s.topic_arn as string],
      s.protocol,
      String(s.endpoint).replace(/\$\{data\.aws_ssm_parameter\.[\w-]+\.value\}/, "<ssm>"),
    ]);
    expect(subscriptions.sort()).toEqual(
      [
        ["eksmon-prod-alerts", "email", "platform-oncall@example.com"],
        ["eksmon-prod-alerts", "email", "platform-team@example.com"],
        ["eksmon-prod-alerts-critical-events", "https", "<ssm>"],
        ["eksmon-prod-alerts-info", "email", "platform-team@example.com"],
        ["eksmon-prod-alerts-warning", "email", "platform-team@example.com"],
      ].sort(),
    );
    expect(Object.values(stack.data?.aws_ssm_parameter ?? {}).map((d: any) => d.name)).toEqual([
      "/eksmon/prod/pagerduty-url",
    ]);
    const slack = Object.values(resourcesOf(stack, "aws_chatbot_slack_channel_configuration"));
    expect(
      slack.map((c) => [c.slack_channel_id, (c.sns_topic_arns as string[]).map((t) => topics[t])]),
    ).toEqual([
      ["C0ONCALL01", ["eksmon-prod-alerts-critical-chat"]],
      ["C0PLATFRM1", ["eksmon-prod-alerts-warning-chat"]],
    ]);
    // prod's region serves the Chatbot API: no second provider.
    expect(stack.provider?.aws).toHaveLength(1);
    expect(slack.every((c) => c.provider === undefined)).toBe(true);
  });

  it("makes Chatbot channels through a provider in a Chatbot API region when the environment's has none (staging)", () => {
    const stack = synthEnvironment(exampleEnv("staging")).json["cluster-monitoring"];
    const chatbot = (stack.provider?.aws ?? []).find((p: Record<string, unknown>) => p.alias === "chatbot");
    expect(chatbot).toMatchObject({ region: "us-east-2", allowed_account_ids: ["222222222222"] });
    expect(onlyResource(stack, "aws_chatbot_teams_channel_configuration").provider).toBe("aws.chatbot");
    // dev has no chat channel: no provider, no role.
    const dev = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    expect(dev.provider?.aws).toHaveLength(1);
    expect(Object.keys(resourcesOf(dev, "aws_iam_role")).some((id) => id.includes("chatbot"))).toBe(false);
  });

  it("publishes each severity's mail topic for Grafana, and the one key", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"] as StackJson & {
      output: Record<string, { value: string }>;
    };
    const topic = (name: string) =>
      `\${aws_sns_topic.${Object.entries(resourcesOf(stack, "aws_sns_topic")).find(([, t]) => t.name === name)?.[0]}.arn}`;
    expect(stack.output.alert_topic_arn.value).toBe(topic("eksmon-dev-alerts"));
    expect(stack.output.alert_warning_topic_arn.value).toBe(topic("eksmon-dev-alerts-warning"));
    expect(stack.output.alert_info_topic_arn.value).toBe(topic("eksmon-dev-alerts-info"));
    expect(stack.output.alert_topic_key_arn.value).toMatch(/^\$\{aws_kms_key\.alerting_key_\w+\.arn\}$/);
  });

  it("removing metrics.labelSetLimits writes the default bucket without a limit, which clears AMP's", () => {
    const limitsOf = (name: string, edit?: (e: any) => void) =>
      (
        onlyResource(
          synthEnvironment(exampleEnv(name, edit)).json["cluster-monitoring"],
          "aws_prometheus_workspace_configuration",
        ) as any
      ).limits_per_label_set;
    expect(limitsOf("prod").length).toBeGreaterThan(1); // the prod example sets limits
    expect(limitsOf("prod", (e) => delete e.metrics.labelSetLimits)).toEqual([
      { label_set: {}, limits: [{ max_series: 0 }] },
    ]);
  });

  it("logs AMP's rule and alert manager errors by default, protects the created key in prod, and can be turned off", () => {
    const dev = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    expect(onlyResource(dev, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/vendedlogs/prometheus/eksmon-dev-amp",
      retention_in_days: 30,
    });
    expect((onlyResource(dev, "aws_prometheus_workspace") as any).logging_configuration).toEqual({
      log_group_arn:
        "arn:aws:logs:us-east-1:111111111111:log-group:/aws/vendedlogs/prometheus/eksmon-dev-amp:*",
    });
    expect(onlyResource(dev, "aws_cloudwatch_log_resource_policy").policy_name).toBe("eksmon-dev-amp-logs");
    const prod = synthEnvironment(exampleEnv("prod")).json["cluster-monitoring"];
    const logsKey = Object.values(resourcesOf(prod, "aws_kms_key")).find((k) =>
      String(k.description).includes("log group"),
    );
    expect(logsKey?.lifecycle).toEqual({ prevent_destroy: true });
    const off = synthEnvironment(exampleEnv("dev", (e) => (e.amp.logging = { enabled: false }))).json[
      "cluster-monitoring"
    ];
    for (const type of ["aws_cloudwatch_log_group", "aws_cloudwatch_log_resource_policy"])
      expect(resourcesOf(off, type)).toEqual({});
    expect(Object.keys(resourcesOf(off, "aws_kms_key"))).toHaveLength(1); // the alert topic's
    expect((onlyResource(off, "aws_prometheus_workspace") as any).logging_configuration).toBeUndefined();
  });
});
