/**
 * AmpAlerting: the encrypted SNS topic AMP's alert manager publishes to, who may publish (only this
 * workspace's alert manager, and CloudWatch alarms once granted), and the alert manager's route.
 */
import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { AmpAlerting, type AmpAlertingProps, alertManagerDefinition } from "../../../constructs/amp/alerting";
import { AmpWorkspace } from "../../../constructs/amp/workspace";
import type { PolicyStatement } from "../../../lib/iam";
import { onlyResource, resourcesOf, type StackJson, TEST_TARGET } from "../../helpers";

const WORKSPACE_ARN = "arn:aws:aps:eu-central-1:123456789012:workspace/ws-test";
const TOPIC_ARN = "arn:aws:sns:eu-central-1:123456789012:eksmon-test-alerts";

function build(props: Partial<Omit<AmpAlertingProps, "workspace">> = {}, grant?: string) {
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
    emails: ["oncall@example.com", "lead@example.com"],
    subjectPrefix: "eksmon test",
    target: TEST_TARGET,
    preventDestroy: true,
    ...props,
  });
  if (grant) alerting.grantCloudWatchAlarms(grant);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

const statements = (policy: unknown) => JSON.parse(policy as string).Statement as PolicyStatement[];
const bySid = (list: PolicyStatement[], sid: string) => list.find((s) => s.Sid === sid);

describe("AmpAlerting", () => {
  const json = build();
  const topicPolicy = statements(onlyResource(json, "aws_sns_topic_policy").policy);
  const keyPolicy = statements(onlyResource(json, "aws_kms_key").policy);

  it("encrypts a standard topic with its own rotating key, protected from destroy when asked", () => {
    const topic = onlyResource(json, "aws_sns_topic");
    expect(topic).toMatchObject({ name: "eksmon-test-alerts", display_name: "eksmon test" });
    expect(topic).not.toHaveProperty("fifo_topic");
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    expect(onlyResource(json, "aws_kms_key")).toMatchObject({
      enable_key_rotation: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, "aws_kms_alias").name).toBe("alias/eksmon-test-alerts");
    const unprotected = build({ preventDestroy: false });
    expect(onlyResource(unprotected, "aws_kms_key").lifecycle).toEqual({ prevent_destroy: false });
  });

  it("lets only this workspace's alert manager, of this account, publish; nothing over plain HTTP", () => {
    const allows = topicPolicy.filter((s) => s.Effect === "Allow");
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: "aps.amazonaws.com" },
      Action: ["sns:Publish", "sns:GetTopicAttributes"],
      Condition: {
        ArnEquals: { "aws:SourceArn": WORKSPACE_ARN },
        StringEquals: { "aws:SourceAccount": TEST_TARGET.accountId },
      },
    });
    expect(bySid(topicPolicy, "DenyInsecureTransport")).toMatchObject({
      Effect: "Deny",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("lets AMP use the key only for this topic's messages, from this account's workspace", () => {
    const amp = keyPolicy.find((s) => JSON.stringify(s.Principal).includes("aps.amazonaws.com"));
    expect(amp?.Action).toEqual(["kms:GenerateDataKey*", "kms:Decrypt"]);
    expect(amp?.Condition).toEqual({
      StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": TOPIC_ARN },
      StringEqualsIfExists: { "aws:SourceAccount": TEST_TARGET.accountId },
      ArnEqualsIfExists: { "aws:SourceArn": WORKSPACE_ARN },
    });
    // The account administers the key through IAM; no other principal gets anything.
    expect(keyPolicy.map((s) => JSON.stringify(s.Principal)).sort()).toEqual(
      [
        JSON.stringify({ AWS: "arn:aws:iam::123456789012:root" }),
        JSON.stringify({ Service: "aps.amazonaws.com" }),
      ].sort(),
    );
  });

  it("subscribes each email address, and nothing when there is none", () => {
    const subscriptions = Object.values(resourcesOf(json, "aws_sns_topic_subscription"));
    expect(subscriptions.map((s) => [s.protocol, s.endpoint]).sort()).toEqual([
      ["email", "lead@example.com"],
      ["email", "oncall@example.com"],
    ]);
    expect(resourcesOf(build({ emails: [] }), "aws_sns_topic_subscription")).toEqual({});
  });

  it("routes the workspace's alerts to the topic, SigV4-signed in the region, once the topic policy exists", () => {
    const definition = onlyResource(json, "aws_prometheus_alert_manager_definition");
    expect(definition.workspace_id).toBe("ws-test");
    expect(definition.depends_on).toEqual([expect.stringMatching(/^aws_sns_topic_policy\./)]);
    const config = parse(parse(definition.definition as string).alertmanager_config);
    const sns = config.receivers[0].sns_configs[0];
    expect(config.route.receiver).toBe(config.receivers[0].name);
    expect(sns.topic_arn).toMatch(/^\$\{aws_sns_topic\..+\.arn\}$/);
    expect(sns.sigv4).toEqual({ region: TEST_TARGET.region });
    expect(sns.subject).toContain("eksmon test");
  });

  it("keeps alert manager templates literal for Terraform, and the subject short", () => {
    const text = alertManagerDefinition(TOPIC_ARN, "eu-central-1", "prod");
    const sns = parse(parse(text).alertmanager_config).receivers[0].sns_configs[0];
    expect(sns.subject).toBe("[{{ .Status | toUpper }}] prod: {{ .GroupLabels.alertname }}");
    expect(sns.topic_arn).toBe(TOPIC_ARN);
    const definition = onlyResource(json, "aws_prometheus_alert_manager_definition").definition as string;
    expect(definition).not.toMatch(/(^|[^$])\$\{(?!aws_sns_topic\.)/);
  });

  describe("grantCloudWatchAlarms", () => {
    const granted = build({}, "eksmon-test-");
    const topic = statements(onlyResource(granted, "aws_sns_topic_policy").policy);
    const key = statements(onlyResource(granted, "aws_kms_key").policy);
    const condition = {
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:eksmon-test-*" },
      StringEquals: { "aws:SourceAccount": TEST_TARGET.accountId },
    };

    it("lets alarms whose names start with the prefix publish, in this account and region only", () => {
      expect(bySid(topic, "CloudWatchAlarmsPublish")).toMatchObject({
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Condition: condition,
      });
      expect(bySid(key, "CloudWatchAlarmsEncryptMessages")).toMatchObject({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Condition: condition,
      });
    });

    it("keeps the deny of plain HTTP last, and grants CloudWatch nothing until asked", () => {
      expect(topic.at(-1)?.Sid).toBe("DenyInsecureTransport");
      expect(JSON.stringify(topicPolicy)).not.toContain("cloudwatch");
      expect(JSON.stringify(keyPolicy)).not.toContain("cloudwatch");
    });
  });
});
