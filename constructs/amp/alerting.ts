import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PrometheusAlertManagerDefinition } from "@cdktf/provider-aws/lib/prometheus-alert-manager-definition";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { type AwsTarget, arn } from "../../lib/aws";
import { type PolicyStatement, policyDocument } from "../../lib/iam";
import { escapeTerraformTemplate } from "../../lib/terraform";
import type { IAmpWorkspace } from "./workspace";

export interface AmpAlertingProps {
  /** The AMP workspace whose alert manager publishes (and the only one allowed to: aws:SourceArn). */
  readonly workspace: IAmpWorkspace;
  /** Name of the SNS topic, also used for the KMS alias. */
  readonly topicName: string;
  /** Email addresses subscribed to the topic (each must confirm by mail). */
  readonly emails: string[];
  /** Text at the start of every notification subject, e.g. the environment. */
  readonly subjectPrefix: string;
  /** Account (aws:SourceAccount, key administrators), region (the alert manager's SigV4 region) and partition. */
  readonly target: AwsTarget;
  /** Refuse plans that destroy the topic's key (scheduling its deletion would break the alert path). */
  readonly preventDestroy: boolean;
}

const TOPIC_ARN_PLACEHOLDER = "__TOPIC_ARN__";

/** Alert manager route: one receiver, alerts grouped per alert name and severity. */
export function alertManagerDefinition(topicArn: string, region: string, subjectPrefix: string): string {
  const config = {
    route: {
      receiver: "sns",
      group_by: ["alertname", "severity"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
    },
    receivers: [
      {
        name: "sns",
        sns_configs: [
          {
            topic_arn: topicArn,
            sigv4: { region },
            // SNS subjects are limited to 100 characters: keep it short and let the message carry the details.
            subject: `[{{ .Status | toUpper }}] ${subjectPrefix}: {{ .GroupLabels.alertname }}`,
            attributes: { severity: "{{ .GroupLabels.severity }}" },
          },
        ],
      },
    ],
  };
  return stringify({ alertmanager_config: stringify(config, { lineWidth: 0 }) }, { lineWidth: 0 });
}

/**
 * Where AMP alerts go: a standard SNS topic encrypted with its own customer-managed KMS key (the AWS-managed
 * `alias/aws/sns` key cannot grant `aps.amazonaws.com`), a topic policy that lets only this workspace's
 * alert manager publish, email subscriptions, and the alert manager definition routing to the topic.
 */
export class AmpAlerting extends Construct {
  /** The topic. */
  readonly topic: SnsTopic;
  /** ARN of the topic (Grafana-managed alerts may publish to it too). */
  readonly topicArn: string;
  /** The key encrypting the topic. */
  readonly key: KmsKey;
  /** ARN of that key (publishers need kms:GenerateDataKey* on it). */
  readonly keyArn: string;
  /** The alert manager definition. */
  readonly alertManager: PrometheusAlertManagerDefinition;

  /** The topic's policy. */
  readonly topicPolicy: SnsTopicPolicy;
  private readonly keyStatements: PolicyStatement[];
  private readonly topicStatements: PolicyStatement[];
  private readonly target: AwsTarget;

  constructor(scope: Construct, id: string, props: AmpAlertingProps) {
    super(scope, id);
    this.target = props.target;
    this.keyStatements = [
      {
        Sid: "AccountAdministersKeyThroughIam",
        Effect: "Allow",
        Principal: { AWS: arn(props.target, "iam", "root", { region: "" }) },
        Action: "kms:*",
        // In a key policy, "*" is this key.
        Resource: "*",
      },
      {
        Sid: "AmpAlertManagerEncryptsMessages",
        Effect: "Allow",
        Principal: { Service: "aps.amazonaws.com" },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        // In a key policy, "*" is this key.
        Resource: "*",
        Condition: {
          // SNS always encrypts with its topic as context: the key serves this topic only. (The topic's
          // ARN is written out, not referenced: the topic refers to this key.)
          StringEquals: {
            "kms:EncryptionContext:aws:sns:topicArn": arn(props.target, "sns", props.topicName),
          },
          // Confused-deputy guard: when AMP passes its source on to KMS (through SNS), it must be this
          // account's workspace. IfExists, because AWS documents no such keys on this call (some services,
          // e.g. EventBridge, send none), and a missing key must not silently drop every alert.
          StringEqualsIfExists: { "aws:SourceAccount": props.target.accountId },
          ArnEqualsIfExists: { "aws:SourceArn": props.workspace.arn },
        },
      },
    ];
    this.key = new KmsKey(this, "key", {
      description: `Encrypts SNS topic ${props.topicName} (AMP alerts)`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy: props.preventDestroy },
      policy: policyDocument(...this.keyStatements),
    });
    this.keyArn = this.key.arn;
    new KmsAlias(this, "key-alias", { name: `alias/${props.topicName}`, targetKeyId: this.key.keyId });

    this.topic = new SnsTopic(this, "topic", {
      name: props.topicName,
      displayName: props.subjectPrefix,
      kmsMasterKeyId: this.key.arn,
    });
    this.topicArn = this.topic.arn;
    this.topicStatements = [
      {
        Sid: "AmpAlertManagerOfThisWorkspacePublishes",
        Effect: "Allow",
        Principal: { Service: "aps.amazonaws.com" },
        Action: ["sns:Publish", "sns:GetTopicAttributes"],
        Resource: this.topic.arn,
        Condition: {
          ArnEquals: { "aws:SourceArn": props.workspace.arn },
          StringEquals: { "aws:SourceAccount": props.target.accountId },
        },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: this.topic.arn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ];
    this.topicPolicy = new SnsTopicPolicy(this, "topic-policy", {
      arn: this.topic.arn,
      policy: policyDocument(...this.topicStatements),
    });
    for (const email of props.emails) {
      new SnsTopicSubscription(this, `email-${email}`, {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
      });
    }
    this.alertManager = new PrometheusAlertManagerDefinition(this, "alert-manager", {
      workspaceId: props.workspace.workspaceId,
      // Escape the literal text only, then put the topic ARN (a Terraform reference) in.
      definition: escapeTerraformTemplate(
        alertManagerDefinition(TOPIC_ARN_PLACEHOLDER, props.target.region, props.subjectPrefix),
      ).replace(TOPIC_ARN_PLACEHOLDER, this.topic.arn),
      // Alerts are published as soon as the route exists: wait for the topic policy that allows it.
      dependsOn: [this.topicPolicy],
    });
  }

  /**
   * Lets CloudWatch alarms of this account and region whose names start with `alarmNamePrefix` notify the
   * topic: `sns:Publish` in the topic policy and the key use SNS needs to encrypt their messages, both
   * conditioned on the alarm's ARN and account (CloudWatch passes both to SNS and KMS).
   */
  grantCloudWatchAlarms(alarmNamePrefix: string): void {
    const condition = {
      ArnLike: { "aws:SourceArn": arn(this.target, "cloudwatch", `alarm:${alarmNamePrefix}*`) },
      StringEquals: { "aws:SourceAccount": this.target.accountId },
    };
    this.topicStatements.splice(this.topicStatements.length - 1, 0, {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: this.topic.arn,
      Condition: condition,
    });
    this.keyStatements.push({
      Sid: "CloudWatchAlarmsEncryptMessages",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      // In a key policy, "*" is this key.
      Resource: "*",
      Condition: condition,
    });
    this.topicPolicy.policy = policyDocument(...this.topicStatements);
    this.key.policy = policyDocument(...this.keyStatements);
  }
}
