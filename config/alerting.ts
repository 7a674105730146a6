/**
 * `alerting`: where AMP alerts go and when they fire. Routing (docs/alerting.md): one route per severity
 * (critical, warning, info), each with its email addresses, HTTPS receivers (their URLs read from SSM or
 * Secrets Manager at plan, never written here), Slack and Teams channels (through AWS Chatbot) and repeat
 * interval; `emails` is the shape before routes, kept: its addresses hear every severity.
 */
import * as z from "zod";
import { DURATION_PATTERN, durationSeconds } from "../lib/duration";
import { ALERT_GROUP_INTERVAL_SECONDS, MAX_ALERT_REPEAT_SECONDS } from "../lib/limits";
import { bool, intBetween, listError, numberBetween, pattern, patterns, show, uniqueItems } from "./fields";

/** The severities alerts are routed by (the alert manager's routes: constructs/amp/alert-manager-config.ts). */
export const ALERT_SEVERITIES = ["critical", "warning", "info"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * Regions that serve the AWS Chatbot API (Amazon Q Developer in chat applications; AWS General Reference,
 * "endpoints and quotas"): channel configurations are created through one of them, whatever the region of
 * the SNS topics they read.
 */
export const CHATBOT_API_REGIONS = ["us-east-2", "us-west-2", "eu-west-1", "ap-southeast-1"] as const;

/** How often a still-firing group is notified again, by default. */
export const DEFAULT_REPEAT_INTERVALS: Record<AlertSeverity, string> = {
  critical: "1h",
  warning: "4h",
  info: "1d",
};

const emailList = (what: string) =>
  z
    .array(pattern(patterns.email, "an email address", 'an address such as "oncall@example.com"'), {
      error: listError("email addresses"),
    })
    .superRefine(uniqueItems((e) => e.toLowerCase()))
    .default([])
    .describe(what);

/** A field that is never accepted, with why and what to write instead (not documented: it is refused). */
const refused = (message: string) =>
  z
    .unknown()
    .superRefine((value, ctx) => {
      if (value !== undefined) ctx.addIssue({ code: "custom", message });
    })
    .optional()
    .meta({ moved: true });

const httpsEndpoint = z
  .strictObject({
    name: pattern(
      /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
      "an endpoint name",
      'lower-case letters, digits and "-", e.g. "pagerduty"',
    ).describe("Name of the receiver, unique within the severity (the address of its subscription)."),
    ssmParameter: pattern(
      /^(\/[A-Za-z0-9_.-]+){1,15}$|^[A-Za-z0-9_.-]{1,1011}$/,
      "an SSM parameter name",
      'a parameter name or path such as "/eksmon/prod/pagerduty-url"',
    )
      .optional()
      .describe(
        "Name of the SSM parameter (SecureString) holding the receiver's URL, read at plan. Its value ends up in the state.",
      ),
    secretsManagerSecret: pattern(
      /^[A-Za-z0-9/_+=.@-]{1,512}$|^arn:aws[-a-z]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/,
      "a Secrets Manager secret name or ARN",
      'a secret name such as "eksmon/prod/pagerduty-url", or its ARN',
    )
      .optional()
      .describe(
        "Name or ARN of the Secrets Manager secret (a plain string) holding the URL, read at plan; the plan identities need secretsmanager:GetSecretValue on it.",
      ),
    url: refused(
      "is not accepted: the URL carries the receiver's key, which must not be committed (expected ssmParameter: the name of an SSM SecureString parameter holding the URL, or secretsManagerSecret)",
    ),
    autoConfirms: bool("the receiver confirms SNS's subscription by itself")
      .default(true)
      .describe(
        "The receiver confirms SNS's subscription by itself (PagerDuty and Opsgenie do): the apply waits up to 5 minutes for it.",
      ),
  })
  .superRefine((e, ctx) => {
    const given = [e.ssmParameter, e.secretsManagerSecret].filter((v) => v !== undefined).length;
    if (given !== 1)
      ctx.addIssue({
        code: "custom",
        message: `${given === 0 ? "names no URL" : "names two URLs"} (expected exactly one of ssmParameter or secretsManagerSecret)`,
      });
  });

const slackChannel = z.strictObject({
  workspaceId: pattern(
    /^T[A-Z0-9]{6,20}$/,
    "a Slack workspace id",
    'the workspace (team) id the Chatbot console shows once it is authorized, e.g. "T0123ABCDE"',
  ).describe("Slack workspace (team) id, authorized once in the AWS Chatbot console (docs/alerting.md)."),
  channelId: pattern(
    /^[CG][A-Z0-9]{6,20}$/,
    "a Slack channel id",
    'the id at the end of the channel\'s link, e.g. "C0123ABCDE"',
  ).describe("Slack channel id (the end of the channel's link)."),
});

const uuid = (what: string) =>
  pattern(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    what,
    "a UUID such as 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
  );

const teamsChannel = z.strictObject({
  tenantId: uuid("a Microsoft Entra tenant id").describe("Microsoft Entra tenant id of the team."),
  teamId: uuid("a Microsoft Teams team id").describe(
    "Team id, authorized once in the AWS Chatbot console (docs/alerting.md).",
  ),
  channelId: pattern(
    /^19:[A-Za-z0-9_-]+@thread\.(tacv2|skype)$/,
    "a Microsoft Teams channel id",
    '"19:<id>@thread.tacv2" from the channel\'s link, with %3a and %40 decoded to ":" and "@"',
  ).describe("Channel id, e.g. 19:0123abcd...@thread.tacv2."),
});

const repeatInterval = (severity: AlertSeverity) =>
  pattern(DURATION_PATTERN, "a duration", 'a duration such as "30m", "4h" or "1d"')
    .refine(
      (d) =>
        durationSeconds(d) >= ALERT_GROUP_INTERVAL_SECONDS && durationSeconds(d) <= MAX_ALERT_REPEAT_SECONDS,
      {
        error: (iss) =>
          `${show(iss.input)} is out of range (expected 5m-5d: shorter than the 5m group interval cannot take effect, and AMP caps it at 5 days)`,
      },
    )
    .default(DEFAULT_REPEAT_INTERVALS[severity])
    .describe(`How often a ${severity} alert group still firing is notified again (5m-5d).`);

const route = (severity: AlertSeverity, what: string) =>
  z
    .strictObject({
      emails: emailList(
        `Email addresses subscribed to the ${severity} topic (each confirms a mail from SNS before receiving alerts).`,
      ),
      https: z
        .array(httpsEndpoint, { error: listError("HTTPS endpoints") })
        .superRefine(uniqueItems((e) => e.name))
        .default([])
        .describe(
          `HTTPS receivers of ${severity} alerts, e.g. PagerDuty or Opsgenie's Amazon CloudWatch integration: { name, ssmParameter }.`,
        ),
      slack: z
        .array(slackChannel, { error: listError("Slack channels") })
        .superRefine(uniqueItems((c) => `${c.workspaceId}/${c.channelId}`))
        .default([])
        .describe(
          `Slack channels that receive ${severity} alerts through AWS Chatbot: { workspaceId, channelId }.`,
        ),
      teams: z
        .array(teamsChannel, { error: listError("Microsoft Teams channels") })
        .superRefine(uniqueItems((c) => `${c.tenantId}/${c.teamId}/${c.channelId}`))
        .default([])
        .describe(
          `Microsoft Teams channels that receive ${severity} alerts through AWS Chatbot: { tenantId, teamId, channelId }.`,
        ),
      repeatInterval: repeatInterval(severity),
    })
    .prefault({})
    .describe(what);

export const alertingSchema = z.strictObject({
  emails: emailList(
    "Email addresses subscribed to every severity's topic (critical, warning, info): the shape before `routes`, kept. Per severity: `routes.<severity>.emails`.",
  ),
  routes: z
    .strictObject({
      critical: route(
        "critical",
        "Critical alerts (someone acts now), and alerts without a known severity: they are never dropped.",
      ),
      warning: route(
        "warning",
        "Warnings (act within hours); held back while the critical alert of the same name about the same object fires.",
      ),
      info: route("info", "Informational alerts."),
    })
    .prefault({})
    .describe(
      "Where each severity's alerts go (docs/alerting.md): its own SNS topics, subscribers and repeat interval.",
    ),
  chatbotRegion: z
    .enum(CHATBOT_API_REGIONS, {
      error: (iss) =>
        `${show(iss.input)} does not serve the AWS Chatbot API (expected one of ${CHATBOT_API_REGIONS.map((r) => `"${r}"`).join(", ")})`,
    })
    .optional()
    .describe(
      "Region whose AWS Chatbot API creates the Slack and Teams channel configurations. Defaults to the environment's region when it serves the API, else us-east-2.",
    ),
  thresholds: z
    .strictObject({
      remoteWriteLagSeconds: intBetween(30, 86_400, "remote-write lag in seconds")
        .default(300)
        .describe(
          "RemoteWriteBehind fires when remote write lags more than this, in seconds (prometheus collector).",
        ),
      remoteWriteFailedPercent: numberBetween(0, 100, "a percentage of failed samples")
        .default(1)
        .describe(
          "RemoteWriteFailing fires when more than this percentage of samples fail (prometheus collector).",
        ),
      apiServerErrorPercent: numberBetween(0, 100, "a percentage of API requests")
        .default(5)
        .describe("ApiServerErrors fires when more than this percentage of API requests answer 5xx."),
      apiServerLatencyP99Seconds: numberBetween(0.01, 60, "p99 latency in seconds")
        .default(1)
        .describe("ApiServerLatencyHigh fires when a verb's p99 latency exceeds this, in seconds."),
      persistentVolumeUsedPercent: numberBetween(1, 100, "a percentage of volume capacity")
        .default(85)
        .describe(
          "PersistentVolumeFillingUp (warning) fires when a volume claim is fuller than this percentage.",
        ),
      persistentVolumeCriticalPercent: numberBetween(1, 100, "a percentage of volume capacity")
        .default(97)
        .describe(
          "PersistentVolumeFillingUp (critical) fires when a volume claim is fuller than this percentage (above persistentVolumeUsedPercent).",
        ),
      apiServerAvailabilitySloPercent: numberBetween(90, 99.99, "an objective in percent")
        .default(99)
        .describe(
          "The API server's availability objective: this percentage of requests (WATCH and CONNECT aside) answered without 5xx over 30 days. ApiServerErrorBudgetBurn fires on the rate its error budget burns.",
        ),
      apiServerLatencySloPercent: numberBetween(90, 99.99, "an objective in percent")
        .default(99)
        .describe(
          "The API server's latency objective: this percentage of requests answered in time (reads of an object 1 s, of a namespace 5 s, of the cluster 30 s; writes 1 s) over 30 days. ApiServerLatencyBudgetBurn fires on the rate its error budget burns.",
        ),
      ingestionBudgetPercent: numberBetween(1, 100, "a percentage of the ingestion budget")
        .default(80)
        .describe(
          "AmpIngestionNearBudget fires when the last hour's ingestion, kept up for a month, passes this percentage of metrics.budget.monthlyIngestionUsd (no alert without a budget).",
        ),
      forMinutes: intBetween(1, 1440, "minutes before an alert fires")
        .default(10)
        .describe(
          "Minutes a condition must hold before the alerts that use it fire (the runbook of each alert says whether it does; the others have fixed durations).",
        ),
    })
    .superRefine((t, ctx) => {
      if (t.persistentVolumeCriticalPercent <= t.persistentVolumeUsedPercent)
        ctx.addIssue({
          code: "custom",
          path: ["persistentVolumeCriticalPercent"],
          message: `${t.persistentVolumeCriticalPercent} is not above persistentVolumeUsedPercent ${t.persistentVolumeUsedPercent} (expected the critical threshold above the warning one)`,
        });
    })
    .prefault({})
    .describe(
      "Thresholds of the alerts (docs/grafana-as-code.md lists the alerts, docs/runbooks/ the fixed ones).",
    ),
  runbookBaseUrl: z
    .url({
      protocol: /^https$/,
      error: (iss) =>
        `${show(iss.input)} is not an https URL (expected where docs/runbooks/ is published, e.g. "https://github.com/example-org/eksmon/blob/main/docs/runbooks/")`,
    })
    .optional()
    .describe(
      "Where the runbooks (docs/runbooks/<AlertName>.md) are published: every alert's runbook_url is this plus <AlertName>.md. Default: https://github.com/<github.repository>/blob/main/docs/runbooks/ when github is set; otherwise the path docs/runbooks/<AlertName>.md, which names the page but links nowhere.",
    ),
});

type Alerting = z.output<typeof alertingSchema>;
type Route = Alerting["routes"][AlertSeverity];

/** One severity's route as the stacks hand it to the alerting construct. */
export interface ResolvedAlertRoute {
  readonly emails: string[];
  readonly https: {
    readonly name: string;
    readonly url: { readonly ssmParameter: string } | { readonly secretsManagerSecret: string };
    readonly autoConfirms: boolean;
  }[];
  readonly slack: Route["slack"];
  readonly teams: Route["teams"];
  readonly repeatInterval: string;
}

/** Each severity's route, with the addresses of `alerting.emails` (every severity) added, each once. */
export function alertRoutesOf(alerting: Alerting): Record<AlertSeverity, ResolvedAlertRoute> {
  const resolve = (r: Route): ResolvedAlertRoute => {
    const emails: string[] = [];
    for (const e of [...alerting.emails, ...r.emails])
      if (!emails.some((x) => x.toLowerCase() === e.toLowerCase())) emails.push(e);
    const https = r.https.map((e) => ({
      name: e.name,
      // Validation guarantees exactly one of the two.
      url:
        e.ssmParameter !== undefined
          ? { ssmParameter: e.ssmParameter }
          : { secretsManagerSecret: e.secretsManagerSecret as string },
      autoConfirms: e.autoConfirms,
    }));
    return { emails, https, slack: r.slack, teams: r.teams, repeatInterval: r.repeatInterval };
  };
  return {
    critical: resolve(alerting.routes.critical),
    warning: resolve(alerting.routes.warning),
    info: resolve(alerting.routes.info),
  };
}

/** Whether any route sends to a Slack or Teams channel. */
export function hasChatChannels(alerting: Alerting): boolean {
  return ALERT_SEVERITIES.some((s) => alerting.routes[s].slack.length + alerting.routes[s].teams.length > 0);
}

/** The region the Chatbot channel configurations are created through. */
export function chatbotRegionOf(env: { region: string; alerting: Alerting }): string {
  if (env.alerting.chatbotRegion) return env.alerting.chatbotRegion;
  return (CHATBOT_API_REGIONS as readonly string[]).includes(env.region) ? env.region : "us-east-2";
}

/** The chat channels of an environment, each once, by a key naming it within its account (one Chatbot configuration each). */
export function chatChannelKeys(alerting: Alerting): { key: string; field: string }[] {
  const out: { key: string; field: string }[] = [];
  for (const s of ALERT_SEVERITIES) {
    alerting.routes[s].slack.forEach((c, i) => {
      out.push({
        key: `Slack channel ${c.channelId} of workspace ${c.workspaceId}`,
        field: `alerting.routes.${s}.slack[${i}]`,
      });
    });
    alerting.routes[s].teams.forEach((c, i) => {
      out.push({
        key: `Teams channel ${c.channelId} of team ${c.teamId}`,
        field: `alerting.routes.${s}.teams[${i}]`,
      });
    });
  }
  return out.filter((c, i) => out.findIndex((o) => o.key === c.key) === i);
}
