/**
 * AmpAlerting and AlertTopic: the encrypted SNS topics AMP's alert manager publishes to (one per severity and
 * message format), who may publish (only this workspace's alert manager, and CloudWatch alarms once granted),
 * the subscriptions (mail, HTTPS from SSM or Secrets Manager), the Chatbot channels and their role, and the
 * alert manager definition that routes to them (its content: alert-manager-config.test.ts).
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import {
  type AlertRoute,
  AlertTopic,
  AmpAlerting,
  type AmpAlertingProps,
  httpsUrlCheck,
} from "../../../constructs/amp/alerting";
import { AmpWorkspace } from "../../../constructs/amp/workspace";
import type { PolicyStatement } from "../../../lib/iam";
import { onlyResource, resourcesOf, type StackJson, TEST_TARGET } from "../../helpers";
import { terraformEval, terraformEvalAvailable } from "../../tools";

const WORKSPACE_ARN = "arn:aws:aps:eu-central-1:123456789012:workspace/ws-test";
const SNS = "arn:aws:sns:eu-central-1:123456789012";
const ROUTE: AlertRoute = { repeatInterval: "4h" };
const QUIET = { critical: ROUTE, warning: ROUTE, info: ROUTE };

type Props = Partial<Omit<AmpAlertingProps, "workspace">>;

function build(props: Props = {}, configure?: (alerting: AmpAlerting, stack: TerraformStack) => void) {
  const stack = new TerraformStack(Testing.app(), "test");
  const workspace = AmpWorkspace.fromAttributes(stack, "amp", {
    workspaceId: "ws-test",
    arn: WORKSPACE_ARN,
    alias: "test",
    prometheusEndpoint: "https://aps-workspaces.eu-central-1.amazonaws.com/workspaces/ws-test/",
  });
  const alerting = new AmpAlerting(stack, "alerting", {
    workspace,
    topicName: "eksmon-test-alerts",
    environment: "test",
    routes: {
      critical: { emails: ["oncall@example.com", "lead@example.com"], repeatInterval: "1h" },
      warning: { emails: ["lead@example.com"], repeatInterval: "4h" },
      info: { repeatInterval: "1d" },
    },
    target: TEST_TARGET,
    preventDestroy: true,
    ...props,
  });
  configure?.(alerting, stack);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

const statements = (policy: unknown) => JSON.parse(policy as string).Statement as PolicyStatement[];
const bySid = (list: PolicyStatement[], sid: string) => list.find((s) => s.Sid === sid);
/** The synthesized resource of `type` whose `name` (or other attribute) is `value`. */
const named = (json: StackJson, type: string, value: string, attribute = "name") => {
  const found = Object.entries(resourcesOf(json, type)).find(([, r]) => r[attribute] === value);
  if (!found) throw new Error(`no ${type} with ${attribute} ${value}`);
  return { id: found[0], ...found[1] } as Record<string, any>;
};
/** The topic policy of the topic named `name`. */
const policyOf = (json: StackJson, name: string) => {
  const topic = named(json, "aws_sns_topic", name);
  const policy = Object.values(resourcesOf(json, "aws_sns_topic_policy")).find(
    (p) => p.arn === `\${aws_sns_topic.${topic.id}.arn}`,
  );
  return statements(policy?.policy);
};

const PAGERDUTY = { critical: { ...ROUTE, https: [{ name: "pagerduty", url: { ssmParameter: "/x/pd" } }] } };
const SLACK = { workspaceId: "T0EXAMPLE1", channelId: "C0ONCALL01" };
const TEAMS = {
  tenantId: "5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
  teamId: "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d",
  channelId: "19:0a1b2c3d4e5f@thread.tacv2",
};

describe("AmpAlerting", () => {
  const json = build();

  it("has one mail topic per severity, critical's keeping 0.2.0's name, all encrypted with one rotating key", () => {
    const topics = Object.values(resourcesOf(json, "aws_sns_topic"));
    expect(topics.map((t) => t.name).sort()).toEqual([
      "eksmon-test-alerts",
      "eksmon-test-alerts-info",
      "eksmon-test-alerts-warning",
    ]);
    const key = Object.keys(resourcesOf(json, "aws_kms_key"));
    expect(key).toHaveLength(1);
    for (const t of topics) {
      expect(t.kms_master_key_id).toBe(`\${aws_kms_key.${key[0]}.arn}`);
      expect(t).not.toHaveProperty("fifo_topic");
    }
    expect(named(json, "aws_sns_topic", "eksmon-test-alerts-warning").display_name).toBe(
      "test warning alerts",
    );
    expect(onlyResource(json, "aws_kms_key")).toMatchObject({
      enable_key_rotation: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, "aws_kms_alias").name).toBe("alias/eksmon-test-alerts");
    expect(onlyResource(build({ preventDestroy: false }), "aws_kms_key").lifecycle).toEqual({
      prevent_destroy: false,
    });
  });

  it("keeps the addresses 0.2.0 gave the topic, its policy, its key and its subscriptions", () => {
    const ids = (type: string) => Object.keys(resourcesOf(json, type));
    expect(ids("aws_sns_topic")).toContain("alerting_topic_C24298B2");
    expect(ids("aws_sns_topic_policy")).toContain("alerting_topic-policy_DAFCD999");
    expect(ids("aws_kms_key")).toEqual(["alerting_key_A3A8366F"]);
    expect(ids("aws_kms_alias")).toEqual(["alerting_key-alias_D6A30834"]);
    expect(ids("aws_prometheus_alert_manager_definition")).toEqual(["alerting_alert-manager_959BA771"]);
    expect(named(json, "aws_sns_topic_subscription", "oncall@example.com", "endpoint").id).toMatch(
      /^alerting_email-oncallexamplecom_/,
    );
  });

  it("lets only this workspace's alert manager, of this account, publish to each topic; nothing over plain HTTP", () => {
    for (const name of ["eksmon-test-alerts", "eksmon-test-alerts-warning", "eksmon-test-alerts-info"]) {
      const policy = policyOf(json, name);
      const allows = policy.filter((s) => s.Effect === "Allow");
      expect(allows).toHaveLength(1);
      expect(allows[0]).toMatchObject({
        Principal: { Service: "aps.amazonaws.com" },
        Action: ["sns:Publish", "sns:GetTopicAttributes"],
        Condition: {
          ArnEquals: { "aws:SourceArn": WORKSPACE_ARN },
          StringEquals: { "aws:SourceAccount": TEST_TARGET.accountId },
        },
      });
      expect(policy.at(-1)).toMatchObject({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    }
  });

  it("lets AMP use the key only for the alert topics' messages, from this account's workspace", () => {
    const key = statements(onlyResource(json, "aws_kms_key").policy);
    const amp = key.find((s) => JSON.stringify(s.Principal).includes("aps.amazonaws.com"));
    expect(amp?.Action).toEqual(["kms:GenerateDataKey*", "kms:Decrypt"]);
    expect(amp?.Condition).toEqual({
      StringEquals: {
        "kms:EncryptionContext:aws:sns:topicArn": [
          `${SNS}:eksmon-test-alerts`,
          `${SNS}:eksmon-test-alerts-warning`,
          `${SNS}:eksmon-test-alerts-info`,
        ],
      },
      StringEqualsIfExists: { "aws:SourceAccount": TEST_TARGET.accountId },
      ArnEqualsIfExists: { "aws:SourceArn": WORKSPACE_ARN },
    });
    // The account administers the key through IAM; no other principal gets anything.
    expect(key.map((s) => JSON.stringify(s.Principal)).sort()).toEqual(
      [
        JSON.stringify({ AWS: "arn:aws:iam::123456789012:root" }),
        JSON.stringify({ Service: "aps.amazonaws.com" }),
      ].sort(),
    );
  });

  it("subscribes each severity's addresses to its mail topic, and nothing where there is none", () => {
    const subscriptions = Object.values(resourcesOf(json, "aws_sns_topic_subscription"));
    const topicName = (ref: unknown) =>
      Object.entries(resourcesOf(json, "aws_sns_topic")).find(
        ([id]) => ref === `\${aws_sns_topic.${id}.arn}`,
      )?.[1].name;
    expect(subscriptions.map((s) => [topicName(s.topic_arn), s.protocol, s.endpoint]).sort()).toEqual([
      ["eksmon-test-alerts", "email", "lead@example.com"],
      ["eksmon-test-alerts", "email", "oncall@example.com"],
      ["eksmon-test-alerts-warning", "email", "lead@example.com"],
    ]);
    expect(resourcesOf(build({ routes: QUIET }), "aws_sns_topic_subscription")).toEqual({});
  });

  it("routes the workspace's alerts to the topics by literal ARN, once every topic policy exists", () => {
    const definition = onlyResource(json, "aws_prometheus_alert_manager_definition");
    expect(definition.workspace_id).toBe("ws-test");
    const policies = Object.keys(resourcesOf(json, "aws_sns_topic_policy")).map(
      (id) => `aws_sns_topic_policy.${id}`,
    );
    expect([...(definition.depends_on as string[])].sort()).toEqual(policies.sort());
    const config = parse(parse(definition.definition as string).alertmanager_config);
    const topicsOf = (receiver: string) =>
      config.receivers
        .find((r: { name: string }) => r.name === receiver)
        .sns_configs.map((c: { topic_arn: string; sigv4: unknown }) => {
          expect(c.sigv4).toEqual({ region: TEST_TARGET.region });
          return c.topic_arn;
        });
    expect(topicsOf("critical")).toEqual([`${SNS}:eksmon-test-alerts`]);
    expect(topicsOf("warning")).toEqual([`${SNS}:eksmon-test-alerts-warning`]);
    expect(topicsOf("info")).toEqual([`${SNS}:eksmon-test-alerts-info`]);
    expect(config.route.repeat_interval).toBe("1h");
    expect(config.route.routes.map((r: { repeat_interval: string }) => r.repeat_interval)).toEqual([
      "1h",
      "4h",
      "1d",
    ]);
  });

  it("writes each topic policy once every topic exists (the loopback deploy checks that order)", () => {
    const topics = Object.keys(resourcesOf(json, "aws_sns_topic")).map((id) => `aws_sns_topic.${id}`);
    for (const policy of Object.values(resourcesOf(json, "aws_sns_topic_policy"))) {
      const own = String(policy.arn).replace(/^\$\{(.*)\.arn\}$/, "$1");
      expect([...(policy.depends_on as string[]), own].sort()).toEqual([...topics].sort());
    }
  });

  it("keeps the definition literal for Terraform (no interpolation)", () => {
    const definition = onlyResource(json, "aws_prometheus_alert_manager_definition").definition as string;
    expect(definition).not.toMatch(/(^|[^$])\$\{/);
    expect(definition).not.toMatch(/(^|[^%])%\{/);
  });

  it("refuses a repeat interval AMP would not honour", () => {
    expect(() => build({ routes: { ...QUIET, info: { repeatInterval: "6d" } } })).toThrow(
      /info route's repeatInterval "6d" is longer than 5 days/,
    );
    expect(() => build({ routes: { ...QUIET, warning: { repeatInterval: "1m" } } })).toThrow(
      /warning route's repeatInterval "1m" is shorter than the group interval/,
    );
  });

  describe("HTTPS receivers", () => {
    const https = build({ routes: { ...QUIET, ...PAGERDUTY } });

    it("get their own events topic, subscribed with the URL read from SSM at plan, decrypted, and checked", () => {
      const topic = named(https, "aws_sns_topic", "eksmon-test-alerts-critical-events");
      const subscription = onlyResource(https, "aws_sns_topic_subscription");
      const [dataId, data] = Object.entries(https.data?.aws_ssm_parameter ?? {})[0] as [string, any];
      expect(data).toMatchObject({ name: "/x/pd", with_decryption: true });
      expect(subscription).toMatchObject({
        topic_arn: `\${aws_sns_topic.${topic.id}.arn}`,
        protocol: "https",
        endpoint: `\${data.aws_ssm_parameter.${dataId}.value}`,
        endpoint_auto_confirms: true,
        confirmation_timeout_in_minutes: 5,
      });
      expect(data.lifecycle.postcondition).toEqual([
        {
          condition: '${can(regex("^https://[^[:space:]]+$", self.value))}',
          error_message: expect.stringContaining(
            'test critical alerts, HTTPS endpoint "pagerduty": SSM parameter "/x/pd" does not hold an https:// URL',
          ),
        },
      ]);
    });

    const withTerraform = terraformEvalAvailable("alerting.test") ? it : it.skip;
    withTerraform("accept an https:// URL only, as Terraform evaluates the check", () => {
      const check = (url: string) => terraformEval(httpsUrlCheck("local.url"), { url });
      expect(check("https://events.pagerduty.com/integration/0123abcd/enqueue")).toBe(true);
      expect(check("https://api.opsgenie.com/v1/json/amazonsns?apiKey=k")).toBe(true);
      for (const bad of [
        "http://events.pagerduty.com/x",
        "events.pagerduty.com",
        "https://a b",
        "",
        "https://",
      ])
        expect([bad, check(bad)]).toEqual([bad, false]);
    });

    it("may read the URL from Secrets Manager instead, and leave confirming to someone", () => {
      const json = build({
        routes: {
          ...QUIET,
          warning: {
            ...ROUTE,
            https: [{ name: "opsgenie", url: { secretsManagerSecret: "eksmon/og" }, autoConfirms: false }],
          },
        },
      });
      const [dataId, data] = Object.entries(json.data?.aws_secretsmanager_secret_version ?? {})[0] as [
        string,
        any,
      ];
      expect(data.secret_id).toBe("eksmon/og");
      expect(data.lifecycle.postcondition[0].condition).toContain("self.secret_string");
      expect(onlyResource(json, "aws_sns_topic_subscription")).toMatchObject({
        endpoint: `\${data.aws_secretsmanager_secret_version.${dataId}.secret_string}`,
        endpoint_auto_confirms: false,
      });
      named(json, "aws_sns_topic", "eksmon-test-alerts-warning-events");
    });

    it("are reached by the alert manager through the events topic, which the key also serves", () => {
      const definition = onlyResource(https, "aws_prometheus_alert_manager_definition").definition as string;
      const config = parse(parse(definition).alertmanager_config);
      const critical = config.receivers.find((r: { name: string }) => r.name === "critical");
      expect(critical.sns_configs.map((c: { topic_arn: string }) => c.topic_arn)).toEqual([
        `${SNS}:eksmon-test-alerts`,
        `${SNS}:eksmon-test-alerts-critical-events`,
      ]);
      expect(critical.sns_configs[1].message).toBe('{{ template "eksmon.events" . }}');
      const key = statements(onlyResource(https, "aws_kms_key").policy);
      expect(JSON.stringify(bySid(key, "AmpAlertManagerEncryptsMessages"))).toContain(
        `${SNS}:eksmon-test-alerts-critical-events`,
      );
    });

    it("refuse a name twice or a name that cannot be an address", () => {
      const twice = { name: "pd", url: { ssmParameter: "/a" } };
      expect(() => build({ routes: { ...QUIET, critical: { ...ROUTE, https: [twice, twice] } } })).toThrow(
        /HTTPS endpoint "pd" is listed twice/,
      );
      expect(() =>
        build({ routes: { ...QUIET, critical: { ...ROUTE, https: [{ ...twice, name: "Pager Duty" }] } } }),
      ).toThrow(/"Pager Duty" is not \[a-z0-9-\]/);
    });
  });

  describe("Chatbot channels", () => {
    const chat = build({
      routes: {
        critical: { ...ROUTE, slack: [SLACK] },
        warning: { ...ROUTE, slack: [SLACK], teams: [TEAMS] },
        info: ROUTE,
      },
    });

    it("get a chat topic per severity, and one configuration per channel reading the topics of its severities", () => {
      const critical = named(chat, "aws_sns_topic", "eksmon-test-alerts-critical-chat");
      const warning = named(chat, "aws_sns_topic", "eksmon-test-alerts-warning-chat");
      expect(() => named(chat, "aws_sns_topic", "eksmon-test-alerts-info-chat")).toThrow();
      const slack = onlyResource(chat, "aws_chatbot_slack_channel_configuration");
      expect(slack).toMatchObject({
        configuration_name: "eksmon-test-alerts-slack-C0ONCALL01",
        slack_team_id: "T0EXAMPLE1",
        slack_channel_id: "C0ONCALL01",
        sns_topic_arns: [`\${aws_sns_topic.${critical.id}.arn}`, `\${aws_sns_topic.${warning.id}.arn}`],
      });
      expect(onlyResource(chat, "aws_chatbot_teams_channel_configuration")).toMatchObject({
        configuration_name: "eksmon-test-alerts-teams-19-0a1b2c3d4e5f-thread-tacv2",
        tenant_id: TEAMS.tenantId,
        team_id: TEAMS.teamId,
        channel_id: TEAMS.channelId,
        sns_topic_arns: [`\${aws_sns_topic.${warning.id}.arn}`],
      });
    });

    it("run nothing from the channel: AWSDenyAll guardrail, user roles required, a role with no permission", () => {
      const role = onlyResource(chat, "aws_iam_role");
      for (const type of [
        "aws_chatbot_slack_channel_configuration",
        "aws_chatbot_teams_channel_configuration",
      ])
        expect(onlyResource(chat, type)).toMatchObject({
          guardrail_policy_arns: ["arn:aws:iam::aws:policy/AWSDenyAll"],
          user_authorization_required: true,
          logging_level: "ERROR",
          iam_role_arn: expect.stringMatching(/^\$\{aws_iam_role\.alerting_chatbot_role_\w+\.arn\}$/),
        });
      expect(role.name).toBe("eksmon-test-alerts-chatbot");
      expect(statements(role.assume_role_policy)).toEqual([
        {
          Sid: "ChatbotChannelsOfThisAccount",
          Effect: "Allow",
          Principal: { Service: "chatbot.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:chatbot::123456789012:chat-configuration/*" },
          },
        },
      ]);
      expect(resourcesOf(chat, "aws_iam_role_policy")).toEqual({});
      expect(resourcesOf(chat, "aws_iam_role_policy_attachment")).toEqual({});
    });

    it("send Chatbot's custom-notification message to the chat topics", () => {
      const config = parse(
        parse(onlyResource(chat, "aws_prometheus_alert_manager_definition").definition as string)
          .alertmanager_config,
      );
      const warning = config.receivers.find((r: { name: string }) => r.name === "warning");
      expect(
        warning.sns_configs.map((c: { topic_arn: string; message: string }) => [c.topic_arn, c.message]),
      ).toEqual([
        [`${SNS}:eksmon-test-alerts-warning`, '{{ template "eksmon.text" . }}'],
        [`${SNS}:eksmon-test-alerts-warning-chat`, '{{ template "eksmon.chat" . }}'],
      ]);
    });

    it("are made with the provider given (a region serving the Chatbot API), else the stack's", () => {
      const json = build({ routes: { ...QUIET, info: { ...ROUTE, slack: [SLACK] } } });
      expect(onlyResource(json, "aws_chatbot_slack_channel_configuration").provider).toBeUndefined();
      const withProvider = (() => {
        const stack = new TerraformStack(Testing.app(), "test");
        const provider = new AwsProvider(stack, "chatbot", { alias: "chatbot", region: "us-east-2" });
        const workspace = AmpWorkspace.fromAttributes(stack, "amp", {
          workspaceId: "ws-test",
          arn: WORKSPACE_ARN,
          alias: "test",
          prometheusEndpoint: "https://aps-workspaces.eu-central-1.amazonaws.com/workspaces/ws-test/",
        });
        new AmpAlerting(stack, "alerting", {
          workspace,
          topicName: "eksmon-test-alerts",
          environment: "test",
          routes: { ...QUIET, info: { ...ROUTE, slack: [SLACK] } },
          target: TEST_TARGET,
          preventDestroy: false,
          chatbotProvider: provider,
        });
        return JSON.parse(Testing.synth(stack)) as StackJson;
      })();
      expect(onlyResource(withProvider, "aws_chatbot_slack_channel_configuration").provider).toBe(
        "aws.chatbot",
      );
      // The role is global: made with the default provider.
      expect(onlyResource(withProvider, "aws_iam_role").provider).toBeUndefined();
    });

    it("are absent, with their role, when no route names a channel", () => {
      expect(resourcesOf(json, "aws_iam_role")).toEqual({});
      expect(resourcesOf(json, "aws_chatbot_slack_channel_configuration")).toEqual({});
    });
  });

  describe("grantCloudWatchAlarms", () => {
    const granted = build(
      { routes: { ...QUIET, warning: { ...ROUTE, slack: [SLACK] } } },
      (alerting, stack) => {
        new TerraformOutput(stack, "arns", {
          value: alerting.grantCloudWatchAlarms("eksmon-test-", "warning"),
        });
      },
    );
    const arns = (granted as { output?: Record<string, { value: unknown }> }).output?.arns.value;
    const condition = {
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:eksmon-test-*" },
      StringEquals: { "aws:SourceAccount": TEST_TARGET.accountId },
    };

    it("lets alarms whose names start with the prefix publish to every topic of the severity, and returns them", () => {
      expect(arns).toEqual([
        `\${aws_sns_topic.${named(granted, "aws_sns_topic", "eksmon-test-alerts-warning").id}.arn}`,
        `\${aws_sns_topic.${named(granted, "aws_sns_topic", "eksmon-test-alerts-warning-chat").id}.arn}`,
      ]);
      for (const name of ["eksmon-test-alerts-warning", "eksmon-test-alerts-warning-chat"])
        expect(bySid(policyOf(granted, name), "CloudWatchAlarmsPublish")).toMatchObject({
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Condition: condition,
        });
    });

    it("lets them use the key for those topics only", () => {
      const key = statements(onlyResource(granted, "aws_kms_key").policy);
      expect(bySid(key, "CloudWatchAlarmsEncryptWarningMessages")).toMatchObject({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Condition: {
          ArnLike: condition.ArnLike,
          StringEquals: {
            "aws:SourceAccount": TEST_TARGET.accountId,
            "kms:EncryptionContext:aws:sns:topicArn": [
              `${SNS}:eksmon-test-alerts-warning`,
              `${SNS}:eksmon-test-alerts-warning-chat`,
            ],
          },
        },
      });
    });

    it("keeps the deny of plain HTTP last, and grants CloudWatch nothing elsewhere or until asked", () => {
      expect(policyOf(granted, "eksmon-test-alerts-warning").at(-1)?.Sid).toBe("DenyInsecureTransport");
      expect(JSON.stringify(policyOf(granted, "eksmon-test-alerts"))).not.toContain("cloudwatch");
      expect(JSON.stringify(policyOf(json, "eksmon-test-alerts-warning"))).not.toContain("cloudwatch");
      expect(onlyResource(json, "aws_kms_key").policy).not.toContain("cloudwatch");
    });
  });
});

describe("AlertTopic", () => {
  it("is one encrypted topic with its policy and subscriptions, usable on its own", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const topic = new AlertTopic(stack, "t", {
      name: "eksmon-test-x",
      displayName: "x",
      keyArn: "arn:aws:kms:eu-central-1:123456789012:key/k",
      workspaceArn: WORKSPACE_ARN,
      target: TEST_TARGET,
      description: "test x",
      emails: ["a@example.com"],
    });
    topic.addToResourcePolicy({
      Sid: "Extra",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topic.topicArn,
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    const json = JSON.parse(Testing.synth(stack)) as StackJson;
    expect(topic.literalArn).toBe(`${SNS}:eksmon-test-x`);
    expect(onlyResource(json, "aws_sns_topic").kms_master_key_id).toBe(
      "arn:aws:kms:eu-central-1:123456789012:key/k",
    );
    expect(statements(onlyResource(json, "aws_sns_topic_policy").policy).map((s) => s.Sid)).toEqual([
      "AmpAlertManagerOfThisWorkspacePublishes",
      "Extra",
      "DenyInsecureTransport",
    ]);
    expect(onlyResource(json, "aws_sns_topic_subscription")).toMatchObject({
      protocol: "email",
      endpoint: "a@example.com",
    });
  });
});
