/**
 * What the AMP alert manager does with a firing alert (docs/alerting.md): the route by `severity`, the
 * inhibition of a warning by the matching critical, and the messages, one Go template per kind of receiver.
 * Pure text, no construct: AmpAlerting (alerting.ts) puts it on the workspace, and the tests check it with
 * Alertmanager's own amtool (config, routes, rendered messages) where it is installed.
 *
 * AMP runs a Cortex alert manager that only sends to SNS (AMP user guide, "Setting up your alert receiver"):
 * standard topics of the workspace's account, `sigv4.region` required, no `api_url` or `http_config`,
 * `repeat_interval` capped at five days. An SNS topic delivers one message to all its subscribers, so each
 * message format has its own topic: email reads text; AWS Chatbot renders only its own "custom notification"
 * JSON (plain text only increments its UnsupportedEvents metric:
 * aws/amazon-managed-service-for-prometheus-roadmap#14); PagerDuty's and Opsgenie's "Amazon CloudWatch"
 * integrations read CloudWatch alarm JSON (`NewStateValue` ALARM or OK, the subject starting with it).
 */
import { stringify } from "yaml";
import { durationSeconds } from "../../lib/duration";
import { ALERT_GROUP_INTERVAL_SECONDS, MAX_ALERT_REPEAT_SECONDS } from "../../lib/limits";

/** The severities routed, in order of urgency. */
export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The message formats, one topic each: text (email), chat (AWS Chatbot), events (HTTPS receivers). */
export const FORMATS = ["text", "chat", "events"] as const;
export type MessageFormat = (typeof FORMATS)[number];

/** Labels an alert group is made of: one notification per environment, cluster, namespace and alert name. */
export const GROUP_BY = ["environment", "cluster", "namespace", "alertname"] as const;

/**
 * Labels a warning and a critical must share for the critical to hold the warning back: the same alert (name)
 * about the same object. A label absent on both counts as equal (Alertmanager), so cluster-wide alerts match
 * on the labels they have; a warning about another pod, node or volume than the critical's still notifies.
 */
export const INHIBIT_EQUAL = [
  ...GROUP_BY,
  "node",
  "pod",
  "container",
  "persistentvolumeclaim",
  "deployment",
  "statefulset",
  "daemonset",
  "job_name",
  "horizontalpodautoscaler",
] as const;

/** Alert manager timing (Alertmanager's defaults but group_wait, shortened to page sooner). */
export const GROUP_WAIT = "30s";
export const GROUP_INTERVAL = "5m";

/** Alerts listed in one chat or events message at most (SNS messages are limited to 256 KB). */
export const MAX_LISTED_ALERTS = 10;

/** One severity's receiver: the topic of each format it publishes to, and how often a firing group repeats. */
export interface SeverityReceiver {
  /** Topic ARN per format; the text topic always exists. */
  readonly topics: {
    /** Mail. */
    readonly text: string;
    /** AWS Chatbot. @default no chat message */
    readonly chat?: string;
    /** HTTPS receivers. @default no events message */
    readonly events?: string;
  };
  /** How often a still-firing group is notified again (Alertmanager duration, at most 5 days on AMP). */
  readonly repeatInterval: string;
}

export interface AlertManagerSpec {
  /** Environment name, written into every message (alerts carry it as a label too). */
  readonly environment: string;
  /** Region of the topics (the alert manager's SigV4 region). */
  readonly region: string;
  /** Receiver of each severity. Alerts with no or another severity go to critical's: never dropped. */
  readonly receivers: Readonly<Record<Severity, SeverityReceiver>>;
}

/** The Go templates of the messages, by template file name (AMP's `template_files`). */
export function alertTemplates(environment: string, region: string): Record<string, string> {
  if (!/^[a-z][a-z0-9]*$/.test(environment))
    throw new Error(`alertTemplates: environment "${environment}" must be lower-case letters and digits`);
  const env = environment;
  return {
    "eksmon.tmpl": `{{/* Notifications of the eksmon alert manager (docs/alerting.md). Environment ${env}. */}}
{{/* A string escaped for a JSON string literal: backslash, quote and control characters. */}}
{{ define "eksmon.json" }}{{ . | reReplaceAll \`\\\\\` \`\\\\\` | reReplaceAll \`"\` \`\\"\` | reReplaceAll \`\\n\` \`\\n\` | reReplaceAll \`\\r\` \`\\r\` | reReplaceAll \`\\t\` \`\\t\` | reReplaceAll \`[\\x00-\\x1f]\` \` \` }}{{ end }}
{{ define "eksmon.cluster" }}{{ or .GroupLabels.cluster .CommonLabels.cluster "no cluster label" }}{{ end }}
{{ define "eksmon.severity" }}{{ or .CommonLabels.severity "none" }}{{ end }}
{{ define "eksmon.where" }}{{ template "eksmon.cluster" . }}{{ with .GroupLabels.namespace }}/{{ . }}{{ end }}{{ end }}
{{ define "eksmon.key" }}${env}/{{ template "eksmon.cluster" . }}/{{ or .GroupLabels.namespace "-" }}/{{ .GroupLabels.alertname }}{{ end }}
{{ define "eksmon.state" }}{{ if eq .Status "firing" }}ALARM{{ else }}OK{{ end }}{{ end }}

{{/* SNS subjects: ASCII, no control characters, at most 100 characters (longer ones are cut by AMP). */}}
{{ define "eksmon.subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ len .Alerts.Firing }}{{ end }}] ${env} {{ template "eksmon.severity" . }}: {{ .GroupLabels.alertname }} ({{ template "eksmon.where" . }}){{ end }}
{{ define "eksmon.events.subject" }}{{ template "eksmon.state" . }}: "{{ template "eksmon.key" . }}" {{ template "eksmon.severity" . }}{{ end }}

{{/* Email: plain text. */}}
{{ define "eksmon.text.alert" }}
- {{ or .Annotations.summary .Labels.alertname }}
{{- with .Annotations.description }}
  {{ . | reReplaceAll \`\\n\` "\\n  " }}
{{- end }}
  Runbook: {{ or .Annotations.runbook_url "none given" }}
  Labels: {{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}
  Since: {{ .StartsAt.Format "2006-01-02 15:04:05 MST" }}{{ if eq .Status "resolved" }}, resolved {{ .EndsAt.Format "2006-01-02 15:04:05 MST" }}{{ end }}
{{- end }}
{{ define "eksmon.text" }}{{ .Status | toUpper }}: {{ .GroupLabels.alertname }}

Environment: ${env}
Cluster:     {{ template "eksmon.cluster" . }}
Namespace:   {{ or .GroupLabels.namespace "-" }}
Severity:    {{ template "eksmon.severity" . }}{{ if not (or (eq .CommonLabels.severity "critical") (eq .CommonLabels.severity "warning") (eq .CommonLabels.severity "info")) }} (routed as critical){{ end }}
{{ if .Alerts.Firing }}
Firing ({{ len .Alerts.Firing }}):
{{- range .Alerts.Firing }}{{ template "eksmon.text.alert" . }}{{ end }}
{{ end }}
{{- if .Alerts.Resolved }}
Resolved ({{ len .Alerts.Resolved }}):
{{- range .Alerts.Resolved }}{{ template "eksmon.text.alert" . }}{{ end }}
{{ end }}
{{- end }}

{{/* AWS Chatbot custom notification (Slack, Microsoft Teams): client-markdown, threaded per alert group. */}}
{{ define "eksmon.chat.line" }}{{ template "eksmon.json" (or .Annotations.summary .Labels.alertname) }}{{ with .Annotations.runbook_url }} (runbook: {{ template "eksmon.json" . }}){{ end }}{{ end }}
{{ define "eksmon.chat" }}{"version":"1.0","source":"custom","content":{"textType":"client-markdown","title":"{{ if eq .Status "firing" }}:rotating_light:{{ else }}:white_check_mark:{{ end }} {{ template "eksmon.json" (print "[" (.Status | toUpper) "] ${env} " (or .CommonLabels.severity "none") ": " .GroupLabels.alertname) }}","description":"*Environment* ${env} | *Cluster* {{ template "eksmon.json" (or .GroupLabels.cluster .CommonLabels.cluster "no cluster label") }} | *Namespace* {{ template "eksmon.json" (or .GroupLabels.namespace "-") }}\\n{{ range $i, $a := .Alerts.Firing }}{{ if lt $i ${MAX_LISTED_ALERTS} }}\\n:red_circle: {{ template "eksmon.chat.line" $a }}{{ end }}{{ end }}{{ if gt (len .Alerts.Firing) ${MAX_LISTED_ALERTS} }}\\n(first ${MAX_LISTED_ALERTS} of {{ len .Alerts.Firing }} firing){{ end }}{{ range $i, $a := .Alerts.Resolved }}{{ if lt $i ${MAX_LISTED_ALERTS} }}\\n:large_green_circle: {{ template "eksmon.chat.line" $a }}{{ end }}{{ end }}","keywords":["${env}","{{ template "eksmon.json" (or .GroupLabels.cluster .CommonLabels.cluster "no cluster label") }}","{{ template "eksmon.json" (or .CommonLabels.severity "none") }}"]},"metadata":{"threadId":"{{ template "eksmon.json" (print "${env}/" (or .GroupLabels.cluster .CommonLabels.cluster "-") "/" (or .GroupLabels.namespace "-") "/" .GroupLabels.alertname) }}","summary":"{{ template "eksmon.json" (print "[" (.Status | toUpper) "] ${env} " .GroupLabels.alertname) }}","eventType":"{{ .Status }}"}}{{ end }}

{{/* HTTPS receivers (PagerDuty, Opsgenie): CloudWatch alarm JSON, ALARM while firing, OK once resolved. */}}
{{ define "eksmon.events.map" }}{ {{- range $i, $p := .SortedPairs }}{{ if $i }},{{ end }}"{{ template "eksmon.json" $p.Name }}":"{{ template "eksmon.json" $p.Value }}"{{ end -}} }{{ end }}
{{ define "eksmon.events" }}{"AlarmName":"{{ template "eksmon.json" (print "${env}/" (or .GroupLabels.cluster .CommonLabels.cluster "-") "/" (or .GroupLabels.namespace "-") "/" .GroupLabels.alertname) }}","AlarmDescription":"{{ with index .Alerts 0 }}{{ template "eksmon.json" (or .Annotations.summary .Labels.alertname) }}{{ end }}","NewStateValue":"{{ template "eksmon.state" . }}","OldStateValue":"{{ if eq .Status "firing" }}OK{{ else }}ALARM{{ end }}","NewStateReason":"{{ len .Alerts.Firing }} firing, {{ len .Alerts.Resolved }} resolved","StateChangeTime":"{{ with index .Alerts 0 }}{{ if eq .Status "firing" }}{{ .StartsAt.UTC.Format "2006-01-02T15:04:05.000+0000" }}{{ else }}{{ .EndsAt.UTC.Format "2006-01-02T15:04:05.000+0000" }}{{ end }}{{ end }}","Region":"${region}","eksmon":{"environment":"${env}","status":"{{ .Status }}","severity":"{{ template "eksmon.json" (or .CommonLabels.severity "none") }}","groupLabels":{{ template "eksmon.events.map" .GroupLabels }},"commonAnnotations":{{ template "eksmon.events.map" .CommonAnnotations }},"alerts":[{{ range $i, $a := .Alerts }}{{ if lt $i ${MAX_LISTED_ALERTS} }}{{ if $i }},{{ end }}{"status":"{{ $a.Status }}","labels":{{ template "eksmon.events.map" $a.Labels }},"annotations":{{ template "eksmon.events.map" $a.Annotations }},"startsAt":"{{ $a.StartsAt.UTC.Format "2006-01-02T15:04:05Z" }}"}{{ end }}{{ end }}],"alertCount":{{ len .Alerts }}}}{{ end }}
`,
  };
}

/** What each format's sns_config says: subject, message and SNS message attributes (for filter policies). */
const SNS_MESSAGES: Record<MessageFormat, { subject: string; message: string }> = {
  text: { subject: '{{ template "eksmon.subject" . }}', message: '{{ template "eksmon.text" . }}' },
  chat: { subject: '{{ template "eksmon.subject" . }}', message: '{{ template "eksmon.chat" . }}' },
  events: {
    subject: '{{ template "eksmon.events.subject" . }}',
    message: '{{ template "eksmon.events" . }}',
  },
};

/** Why `interval` is no repeat_interval AMP's alert manager honours (5m to 5d), or undefined when it is one. */
export function repeatIntervalProblem(interval: string): string | undefined {
  const seconds = durationSeconds(interval);
  if (Number.isNaN(seconds)) return `"${interval}" is not a duration (expected e.g. "30m", "4h", "1d")`;
  if (seconds < ALERT_GROUP_INTERVAL_SECONDS)
    return `"${interval}" is shorter than the group interval ${GROUP_INTERVAL} (expected 5m-5d)`;
  if (seconds > MAX_ALERT_REPEAT_SECONDS)
    return `"${interval}" is longer than 5 days, which AMP's alert manager caps it to (expected 5m-5d)`;
  return undefined;
}

/** The alertmanager_config (YAML) of the spec. */
export function alertManagerConfig(spec: AlertManagerSpec): string {
  for (const severity of SEVERITIES) {
    const problem = repeatIntervalProblem(spec.receivers[severity].repeatInterval);
    if (problem) throw new Error(`alertManagerConfig: ${severity} repeat interval ${problem}`);
  }
  const receiver = (severity: Severity) => ({
    name: severity,
    sns_configs: FORMATS.flatMap((format) => {
      const topic = spec.receivers[severity].topics[format];
      if (!topic) return [];
      return [
        {
          topic_arn: topic,
          sigv4: { region: spec.region },
          subject: SNS_MESSAGES[format].subject,
          message: SNS_MESSAGES[format].message,
          attributes: {
            environment: spec.environment,
            severity: '{{ or .CommonLabels.severity "none" }}',
            cluster: '{{ or .GroupLabels.cluster "none" }}',
            alertname: "{{ .GroupLabels.alertname }}",
            status: "{{ .Status }}",
          },
        },
      ];
    }),
  });
  const config = {
    route: {
      // Alerts with no severity, or one not routed below, reach the critical receiver: never dropped.
      receiver: "critical",
      group_by: [...GROUP_BY],
      group_wait: GROUP_WAIT,
      group_interval: GROUP_INTERVAL,
      repeat_interval: spec.receivers.critical.repeatInterval,
      routes: SEVERITIES.map((severity) => ({
        receiver: severity,
        matchers: [`severity="${severity}"`],
        repeat_interval: spec.receivers[severity].repeatInterval,
      })),
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: [...INHIBIT_EQUAL],
      },
    ],
    receivers: SEVERITIES.map(receiver),
  };
  return stringify(config, { lineWidth: 0 });
}

/** The whole definition AMP takes: the config and its template files. */
export function alertManagerDefinition(spec: AlertManagerSpec): string {
  return stringify(
    {
      template_files: alertTemplates(spec.environment, spec.region),
      alertmanager_config: alertManagerConfig(spec),
    },
    { lineWidth: 0 },
  );
}
