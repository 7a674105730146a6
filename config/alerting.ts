/**
 * `alerting`: where AMP alerts go and when they fire.
 */
import * as z from "zod";
import { intBetween, listError, numberBetween, pattern, patterns, show, uniqueItems } from "./fields";

export const alertingSchema = z.strictObject({
  emails: z
    .array(pattern(patterns.email, "an email address", 'an address such as "oncall@example.com"'), {
      error: listError("email addresses"),
    })
    .superRefine(uniqueItems((e) => e.toLowerCase()))
    .default([])
    .describe(
      "Email addresses subscribed to the alert topic (each confirms a mail from SNS before receiving alerts).",
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
