/**
 * `alerting`: where AMP alerts go and when they fire.
 */
import * as z from "zod";
import { intBetween, listError, numberBetween, pattern, patterns, uniqueItems } from "./fields";

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
        .describe("PersistentVolumeFillingUp fires when a volume claim is fuller than this percentage."),
      forMinutes: intBetween(1, 1440, "minutes before an alert fires")
        .default(10)
        .describe("Minutes a condition must hold before its alert fires."),
    })
    .prefault({})
    .describe("Thresholds of the baseline alerts (docs/grafana-as-code.md lists the alerts)."),
});
