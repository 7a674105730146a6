import { ChatbotSlackChannelConfiguration } from "@cdktf/provider-aws/lib/chatbot-slack-channel-configuration";
import { ChatbotTeamsChannelConfiguration } from "@cdktf/provider-aws/lib/chatbot-teams-channel-configuration";
import { DataAwsSecretsmanagerSecretVersion } from "@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PrometheusAlertManagerDefinition } from "@cdktf/provider-aws/lib/prometheus-alert-manager-definition";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { type AwsTarget, arn } from "../../lib/aws";
import { type PolicyStatement, policyDocument } from "../../lib/iam";
import { escapeTerraformTemplate } from "../../lib/terraform";
import { Role } from "../iam/role";
import {
  alertManagerDefinition,
  FORMATS,
  type MessageFormat,
  repeatIntervalProblem,
  SEVERITIES,
  type Severity,
} from "./alert-manager-config";
import type { IAmpWorkspace } from "./workspace";

/** An HTTPS receiver (PagerDuty, Opsgenie) whose URL, key included, is read at plan and never written in code. */
export interface HttpsEndpoint {
  /** Name, unique within its severity (`[a-z0-9-]`): the address of its subscription, e.g. "pagerduty". */
  readonly name: string;
  /**
   * Where the URL is read at plan, by name: an SSM parameter (a SecureString, decrypted) or a Secrets
   * Manager secret (its current string). The URL ends up in the state (the subscription's endpoint).
   */
  readonly url: { readonly ssmParameter: string } | { readonly secretsManagerSecret: string };
  /**
   * The receiver confirms SNS's subscription by itself (PagerDuty, Opsgenie do): the apply waits for the
   * confirmation and fails when it does not come. @default true
   */
  readonly autoConfirms?: boolean;
}

/** A Slack channel reached through AWS Chatbot (its workspace authorized once in the Chatbot console). */
export interface SlackChannel {
  /** Slack workspace (team) id, e.g. T0123ABCDE. */
  readonly workspaceId: string;
  /** Channel id, e.g. C0123ABCDE (private channels need the Amazon Q app invited). */
  readonly channelId: string;
}

/** A Microsoft Teams channel reached through AWS Chatbot (its team authorized once in the Chatbot console). */
export interface TeamsChannel {
  /** Microsoft Entra tenant id (a UUID). */
  readonly tenantId: string;
  /** Team id (a UUID). */
  readonly teamId: string;
  /** Channel id, e.g. 19:0123abcd...@thread.tacv2. */
  readonly channelId: string;
}

/** Who hears about one severity's alerts, and how often while they fire. */
export interface AlertRoute {
  /** Email addresses (each confirms SNS's subscription mail once). @default none */
  readonly emails?: readonly string[];
  /** HTTPS receivers (CloudWatch-alarm JSON, docs/alerting.md). @default none */
  readonly https?: readonly HttpsEndpoint[];
  /** Slack channels through AWS Chatbot. @default none */
  readonly slack?: readonly SlackChannel[];
  /** Microsoft Teams channels through AWS Chatbot. @default none */
  readonly teams?: readonly TeamsChannel[];
  /** How often a group still firing is notified again: an Alertmanager duration of 5m to 5d. */
  readonly repeatInterval: string;
}

export interface AmpAlertingProps {
  /** The AMP workspace whose alert manager publishes (and the only one allowed to: aws:SourceArn). */
  readonly workspace: IAmpWorkspace;
  /**
   * Name of the critical topic, of the key's alias, and the start of every other name: topics
   * `<topicName>-warning`, `<topicName>-info`, `<topicName>-<severity>-chat` and `-events`, the Chatbot
   * role `<topicName>-chatbot`, channel configurations `<topicName>-slack-<channel>` and `-teams-<channel>`.
   */
  readonly topicName: string;
  /** Environment name (lower-case letters and digits), written into every message. */
  readonly environment: string;
  /** Where each severity's alerts go. Alerts without a known severity follow critical's route. */
  readonly routes: Readonly<Record<Severity, AlertRoute>>;
  /** Account (aws:SourceAccount, key administrators), region (the alert manager's SigV4 region) and partition. */
  readonly target: AwsTarget;
  /** Refuse plans that destroy the topics' key (scheduling its deletion would break the alert path). */
  readonly preventDestroy: boolean;
  /**
   * AWS provider the Chatbot channel configurations are created with: its region must serve the Chatbot
   * API (four regions do: CHATBOT_API_REGIONS in config/alerting.ts). @default the stack's default provider,
   * whose region must then serve it
   */
  readonly chatbotProvider?: TerraformProvider;
}

export interface AlertTopicProps {
  /** Topic name. */
  readonly name: string;
  /** Display name (the sender's name in mails). */
  readonly displayName: string;
  /** ARN of the KMS key encrypting the topic. */
  readonly keyArn: string;
  /** ARN of the AMP workspace whose alert manager may publish. */
  readonly workspaceArn: string;
  /** Account, region and partition of the topic. */
  readonly target: AwsTarget;
  /** What the topic is, in plan-time error messages, e.g. "dev critical alerts". */
  readonly description: string;
  /** Email addresses subscribed. @default none */
  readonly emails?: readonly string[];
  /** HTTPS receivers subscribed. @default none */
  readonly https?: readonly HttpsEndpoint[];
}

const HTTPS_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The HCL expression true when `value` (an HCL reference) is an https:// URL without spaces. */
export function httpsUrlCheck(value: string): string {
  return `can(regex("^https://[^[:space:]]+$", ${value}))`;
}

/**
 * One standard SNS topic of the alert path, encrypted with the alerting key, with a policy that lets only one
 * AMP workspace's alert manager publish (and CloudWatch alarms once granted), nothing over plain HTTP, and
 * its email and HTTPS subscriptions. Its resources are `<id>/topic`, `<id>/topic-policy`, `<id>/email-<address>`,
 * `<id>/https-<name>` (and the URL's data source `<id>/https-<name>-url`).
 */
export class AlertTopic extends Construct {
  /** The topic. */
  readonly topic: SnsTopic;
  /** ARN of the topic (a reference). */
  readonly topicArn: string;
  /** ARN of the topic, written out from its name (for key policies, which the topic refers to). */
  readonly literalArn: string;
  /** The topic's policy. */
  readonly policy: SnsTopicPolicy;
  private readonly statements: PolicyStatement[];

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const names = (props.https ?? []).map((e) => e.name);
    for (const name of names)
      if (!HTTPS_NAME.test(name))
        throw new Error(`AlertTopic ${props.name}: HTTPS endpoint name "${name}" is not [a-z0-9-] (1-63)`);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length)
      throw new Error(`AlertTopic ${props.name}: HTTPS endpoint "${twice[0]}" is listed twice`);

    this.literalArn = arn(props.target, "sns", props.name);
    this.topic = new SnsTopic(this, "topic", {
      name: props.name,
      displayName: props.displayName,
      kmsMasterKeyId: props.keyArn,
    });
    this.topicArn = this.topic.arn;
    this.statements = [
      {
        Sid: "AmpAlertManagerOfThisWorkspacePublishes",
        Effect: "Allow",
        Principal: { Service: "aps.amazonaws.com" },
        Action: ["sns:Publish", "sns:GetTopicAttributes"],
        Resource: this.topic.arn,
        Condition: {
          ArnEquals: { "aws:SourceArn": props.workspaceArn },
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
    this.policy = new SnsTopicPolicy(this, "topic-policy", {
      arn: this.topic.arn,
      policy: policyDocument(...this.statements),
    });
    for (const email of props.emails ?? [])
      new SnsTopicSubscription(this, `email-${email}`, {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
      });
    for (const endpoint of props.https ?? [])
      new SnsTopicSubscription(this, `https-${endpoint.name}`, {
        topicArn: this.topic.arn,
        protocol: "https",
        endpoint: this.readUrl(endpoint, props.description),
        endpointAutoConfirms: endpoint.autoConfirms ?? true,
        // PagerDuty and Opsgenie confirm within seconds; SNS retries the confirmation request meanwhile.
        confirmationTimeoutInMinutes: 5,
      });
  }

  /**
   * The endpoint's URL, read at plan from where the configuration names it. The value is sensitive for
   * Terraform (plans print "(sensitive value)") and refused unless it is an https:// URL.
   */
  private readUrl(endpoint: HttpsEndpoint, description: string): string {
    const id = `https-${endpoint.name}-url`;
    const where = `${description}, HTTPS endpoint "${endpoint.name}"`;
    const expected =
      "(expected the receiver's integration URL, e.g. https://events.pagerduty.com/integration/<key>/enqueue)";
    if ("ssmParameter" in endpoint.url) {
      const name = endpoint.url.ssmParameter;
      return new DataAwsSsmParameter(this, id, {
        name,
        withDecryption: true,
        lifecycle: {
          postcondition: [
            {
              condition: `\${${httpsUrlCheck("self.value")}}`,
              errorMessage: `${where}: SSM parameter "${name}" does not hold an https:// URL ${expected}`,
            },
          ],
        },
      }).value;
    }
    const secret = endpoint.url.secretsManagerSecret;
    return new DataAwsSecretsmanagerSecretVersion(this, id, {
      secretId: secret,
      lifecycle: {
        postcondition: [
          {
            condition: `\${${httpsUrlCheck("self.secret_string")}}`,
            errorMessage: `${where}: Secrets Manager secret "${secret}" does not hold an https:// URL ${expected}`,
          },
        ],
      },
    }).secretString;
  }

  /** Adds a statement to the topic policy, before the deny of plain HTTP. */
  addToResourcePolicy(statement: PolicyStatement): void {
    this.statements.splice(this.statements.length - 1, 0, statement);
    this.policy.policy = policyDocument(...this.statements);
  }
}

/** The construct id of a severity's topic of a format: critical's text topic keeps 0.2.0's addresses. */
function topicId(severity: Severity, format: MessageFormat): string {
  if (format !== "text") return `${severity}-${format}`;
  // "Default" is left out of logical ids: alerting/topic, alerting/topic-policy, alerting/email-<address>.
  return severity === "critical" ? "Default" : severity;
}

/** A Chatbot channel of any kind, keyed, with the chat topics routed to it. */
interface ChatChannel {
  readonly kind: "slack" | "teams";
  readonly slug: string;
  readonly slack?: SlackChannel;
  readonly teams?: TeamsChannel;
  readonly topicArns: string[];
}

/**
 * Where AMP alerts go (docs/alerting.md): the alert manager routes them by `severity` (critical, warning,
 * info; anything else as critical) to that severity's topics, one per message format: text for email (always
 * there; critical's is the topic 0.2.0 had), CloudWatch-alarm JSON for HTTPS receivers, Chatbot JSON for
 * Slack and Teams channels (each made only when the severity has such subscribers). One customer-managed KMS
 * key encrypts them all (the AWS-managed `alias/aws/sns` key cannot grant `aps.amazonaws.com`).
 */
export class AmpAlerting extends Construct {
  /** The critical text topic (0.2.0's only topic). */
  readonly topic: SnsTopic;
  /** ARN of the critical text topic (Grafana-managed alerts may publish to it too). */
  readonly topicArn: string;
  /** ARN of each severity's text topic (Grafana-managed alerts may publish to them). */
  readonly topicArns: Readonly<Record<Severity, string>>;
  /** Every topic, by severity and format (text always; chat and events when subscribed). */
  readonly topics: Readonly<Record<Severity, Readonly<Partial<Record<MessageFormat, AlertTopic>>>>>;
  /** The key encrypting every topic. */
  readonly key: KmsKey;
  /** ARN of that key (publishers need kms:GenerateDataKey* on it). */
  readonly keyArn: string;
  /** The alert manager definition. */
  readonly alertManager: PrometheusAlertManagerDefinition;
  /** The critical text topic's policy. */
  readonly topicPolicy: SnsTopicPolicy;
  /** The role Chatbot's channel configurations name (no permissions), when there is a channel. */
  readonly chatbotRole?: Role;

  private readonly keyStatements: PolicyStatement[];
  private readonly target: AwsTarget;

  constructor(scope: Construct, id: string, props: AmpAlertingProps) {
    super(scope, id);
    this.target = props.target;
    const { topicName, routes } = props;
    for (const severity of SEVERITIES) {
      const problem = repeatIntervalProblem(routes[severity].repeatInterval);
      if (problem) throw new Error(`AmpAlerting: the ${severity} route's repeatInterval ${problem}`);
    }
    const names: Record<MessageFormat, (s: Severity) => string> = {
      text: (s) => (s === "critical" ? topicName : `${topicName}-${s}`),
      chat: (s) => `${topicName}-${s}-chat`,
      events: (s) => `${topicName}-${s}-events`,
    };
    const chats = (s: Severity) => (routes[s].slack?.length ?? 0) + (routes[s].teams?.length ?? 0) > 0;
    const wanted = (s: Severity, format: MessageFormat) =>
      format === "text" || (format === "chat" ? chats(s) : (routes[s].https?.length ?? 0) > 0);
    const literal = (s: Severity, format: MessageFormat) => arn(props.target, "sns", names[format](s));
    const published = SEVERITIES.flatMap((s) =>
      (["text", "chat", "events"] as const).filter((f) => wanted(s, f)).map((f) => literal(s, f)),
    );

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
          // SNS always encrypts with its topic as context: the key serves the alert topics only. (Their
          // ARNs are written out, not referenced: the topics refer to this key.)
          StringEquals: {
            "kms:EncryptionContext:aws:sns:topicArn": published.length === 1 ? published[0] : published,
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
      description: `Encrypts the SNS topics of AMP alerts (${topicName}, ${topicName}-*)`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy: props.preventDestroy },
      policy: policyDocument(...this.keyStatements),
    });
    this.keyArn = this.key.arn;
    new KmsAlias(this, "key-alias", { name: `alias/${topicName}`, targetKeyId: this.key.keyId });

    const topics = {} as Record<Severity, Partial<Record<MessageFormat, AlertTopic>>>;
    for (const severity of SEVERITIES) {
      const route = routes[severity];
      const make = (format: MessageFormat, extra: Pick<AlertTopicProps, "emails" | "https">) =>
        new AlertTopic(this, topicId(severity, format), {
          name: names[format](severity),
          displayName: `${props.environment} ${severity} alerts`,
          keyArn: this.key.arn,
          workspaceArn: props.workspace.arn,
          target: props.target,
          description: `${props.environment} ${severity} alerts`,
          ...extra,
        });
      topics[severity] = {
        text: make("text", { emails: route.emails }),
        ...(wanted(severity, "chat") ? { chat: make("chat", {}) } : {}),
        ...(wanted(severity, "events") ? { events: make("events", { https: route.https }) } : {}),
      };
    }
    this.topics = topics;
    const critical = topics.critical.text as AlertTopic;
    this.topic = critical.topic;
    this.topicArn = critical.topicArn;
    this.topicPolicy = critical.policy;
    this.topicArns = {
      critical: critical.topicArn,
      warning: (topics.warning.text as AlertTopic).topicArn,
      info: (topics.info.text as AlertTopic).topicArn,
    };

    const channels = this.chatChannels(props);
    if (channels.length > 0) this.chatbotRole = this.chatbot(props, channels);

    const all = SEVERITIES.flatMap((s) => Object.values(topics[s]) as AlertTopic[]);
    // Every topic policy after every topic (not only its own): the loopback deploy holds all topics to
    // complete before any policy starts (MONITORING_ORDER in scripts/e2e.ts); the cost is seconds, once.
    for (const t of all)
      t.policy.dependsOn = all
        .filter((o) => o !== t)
        .map((o) => `${o.topic.terraformResourceType}.${o.topic.friendlyUniqueId}`);
    const receiverOf = (s: Severity) => ({
      topics: {
        text: literal(s, "text"),
        ...(topics[s].chat ? { chat: literal(s, "chat") } : {}),
        ...(topics[s].events ? { events: literal(s, "events") } : {}),
      },
      repeatInterval: routes[s].repeatInterval,
    });
    this.alertManager = new PrometheusAlertManagerDefinition(this, "alert-manager", {
      workspaceId: props.workspace.workspaceId,
      // Topic ARNs written out: the definition is literal text, readable in plans and checked by amtool.
      definition: escapeTerraformTemplate(
        alertManagerDefinition({
          environment: props.environment,
          region: props.target.region,
          receivers: {
            critical: receiverOf("critical"),
            warning: receiverOf("warning"),
            info: receiverOf("info"),
          },
        }),
      ),
      // Alerts are published as soon as the route exists: wait for every topic and the policy that allows it.
      dependsOn: all.map((t) => t.policy),
    });
  }

  /** The Chatbot channels of every route, one per channel, with the chat topics of the severities naming it. */
  private chatChannels(props: AmpAlertingProps): ChatChannel[] {
    const byKey = new Map<string, ChatChannel>();
    const slug = (id: string) => id.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
    for (const severity of SEVERITIES) {
      const topic = this.topics[severity].chat;
      if (!topic) continue;
      const add = (key: string, channel: Omit<ChatChannel, "topicArns">) => {
        const existing = byKey.get(key) ?? { ...channel, topicArns: [] };
        existing.topicArns.push(topic.topicArn);
        byKey.set(key, existing);
      };
      for (const s of props.routes[severity].slack ?? [])
        add(`slack:${s.workspaceId}/${s.channelId}`, { kind: "slack", slug: slug(s.channelId), slack: s });
      for (const t of props.routes[severity].teams ?? [])
        add(`teams:${t.tenantId}/${t.teamId}/${t.channelId}`, {
          kind: "teams",
          slug: slug(t.channelId),
          teams: t,
        });
    }
    const channels = [...byKey.values()];
    const slugs = channels.map((c) => `${c.kind}-${c.slug}`);
    const twice = slugs.find((s, i) => slugs.indexOf(s) !== i);
    if (twice)
      throw new Error(
        `AmpAlerting: two chat channels share the configuration name ${props.topicName}-${twice}`,
      );
    for (const s of slugs)
      if (`${props.topicName}-${s}`.length > 128)
        throw new Error(
          `AmpAlerting: Chatbot configuration name ${props.topicName}-${s} is over 128 characters`,
        );
    return channels;
  }

  /**
   * The channel configurations and the role they name. Chatbot requires a role; it gets no permission
   * (notifications need none), and the channels' guardrail is AWSDenyAll, so nobody runs AWS commands from
   * them (Chatbot's default guardrail would be AdministratorAccess).
   */
  private chatbot(props: AmpAlertingProps, channels: readonly ChatChannel[]): Role {
    const { accountId, partition } = props.target;
    const role = new Role(this, "chatbot", {
      roleName: `${props.topicName}-chatbot`,
      description: `AWS Chatbot channels of ${props.topicName} (notifications only: no permissions)`,
      trust: [
        {
          Sid: "ChatbotChannelsOfThisAccount",
          Effect: "Allow",
          Principal: { Service: "chatbot.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnLike: { "aws:SourceArn": `arn:${partition}:chatbot::${accountId}:chat-configuration/*` },
          },
        },
      ],
    });
    const common = {
      iamRoleArn: role.roleArn,
      guardrailPolicyArns: [`arn:${partition}:iam::aws:policy/AWSDenyAll`],
      loggingLevel: "ERROR",
      userAuthorizationRequired: true,
      provider: props.chatbotProvider,
    };
    for (const channel of channels) {
      const id = `${channel.kind}-${channel.slug}`;
      const configurationName = `${props.topicName}-${id}`;
      if (channel.slack)
        new ChatbotSlackChannelConfiguration(this, id, {
          ...common,
          configurationName,
          slackTeamId: channel.slack.workspaceId,
          slackChannelId: channel.slack.channelId,
          snsTopicArns: channel.topicArns,
        });
      else if (channel.teams)
        new ChatbotTeamsChannelConfiguration(this, id, {
          ...common,
          configurationName,
          tenantId: channel.teams.tenantId,
          teamId: channel.teams.teamId,
          channelId: channel.teams.channelId,
          snsTopicArns: channel.topicArns,
        });
    }
    return role;
  }

  /**
   * Lets CloudWatch alarms of this account and region whose names start with `alarmNamePrefix` notify the
   * topics of `severity` in `formats` that exist (any format suits them: SNS mails CloudWatch alarms as text,
   * Chatbot renders them, and CloudWatch-alarm JSON is what the HTTPS receivers read): `sns:Publish` in those
   * topics' policies and the key use SNS needs to encrypt their messages, conditioned on the alarm's ARN and
   * account (CloudWatch passes both to SNS and KMS). Returns the topic ARNs, for the alarms' actions.
   */
  grantCloudWatchAlarms(
    alarmNamePrefix: string,
    severity: Severity,
    formats: readonly MessageFormat[] = FORMATS,
  ): string[] {
    const condition = {
      ArnLike: { "aws:SourceArn": arn(this.target, "cloudwatch", `alarm:${alarmNamePrefix}*`) },
      StringEquals: { "aws:SourceAccount": this.target.accountId },
    };
    const topics = formats.flatMap((f) => this.topics[severity][f] ?? []);
    for (const topic of topics)
      topic.addToResourcePolicy({
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topic.topicArn,
        Condition: condition,
      });
    const literals = topics.map((t) => t.literalArn);
    this.keyStatements.push({
      Sid: `CloudWatchAlarmsEncrypt${severity[0].toUpperCase()}${severity.slice(1)}Messages`,
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      // In a key policy, "*" is this key.
      Resource: "*",
      Condition: {
        ...condition,
        StringEquals: {
          ...condition.StringEquals,
          "kms:EncryptionContext:aws:sns:topicArn": literals.length === 1 ? literals[0] : literals,
        },
      },
    });
    this.key.policy = policyDocument(...this.keyStatements);
    return topics.map((t) => t.topicArn);
  }
}
