/**
 * `metrics`: what the collector sends to AMP, the ingestion budget and the workspace's series limits.
 */
import * as z from "zod";
import {
  bool,
  intBetween,
  listError,
  numberBetween,
  pattern,
  patterns,
  re2FullMatch,
  re2Problem,
  show,
  uniqueItems,
} from "./fields";

/** An extra metric must be a name or an RE2 pattern (Prometheus' dialect) that does not match every name. */
function metricPattern(p: string, ctx: z.RefinementCtx): void {
  // A metric name is an RE2 pattern matching only itself: no need to compile it (docs/performance.md).
  if (patterns.metricName.test(p)) return;
  const problem = re2Problem(p);
  if (problem)
    ctx.addIssue({
      code: "custom",
      message: `${show(p)} is not an RE2 regular expression: ${problem} (expected a metric name or a pattern such as "myapp_.*")`,
    });
  else if (re2FullMatch(p, "") || re2FullMatch(p, "any_metric_name:at_all"))
    ctx.addIssue({
      code: "custom",
      message: `${show(p)} matches every metric (expected sendAll: true to send everything, or a narrower pattern)`,
    });
}

/** The key AMP identifies a label set by (label order does not matter). */
const labelSetKey = (l: { labelSet: Record<string, string> }) =>
  `{${Object.entries(l.labelSet)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) // label names are ASCII: no need for ICU's collation
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ")}}`;

/** `sendAll` sends everything: listing extra metrics too says the author expected a filter. */
function extraNeedsAllowList(m: { sendAll: boolean; extra: string[] }, ctx: z.RefinementCtx): void {
  if (m.sendAll && m.extra.length > 0)
    ctx.addIssue({
      code: "custom",
      path: ["extra"],
      message:
        "is set but sendAll is true, which sends every metric anyway (expected extra with sendAll false, or no extra)",
    });
}

export const metricsSchema = z
  .strictObject({
    sendAll: bool("send every scraped metric to AMP")
      .default(false)
      .describe(
        "Send every scraped metric to AMP instead of only what the shipped dashboards and rules read (docs/cost.md).",
      ),
    extra: z
      .array(
        z
          .string({
            error: () => 'must be a string (expected a metric name or an RE2 pattern such as "myapp_.*")',
          })
          .min(1, { error: () => "is empty (expected a metric name or an RE2 pattern)" })
          .superRefine(metricPattern),
        { error: listError("metric names or RE2 patterns") },
      )
      .superRefine(uniqueItems())
      .default([])
      .describe(
        "Metric names or RE2 patterns (anchored) sent besides what the shipped dashboards and rules read, e.g. for grafana.com imports.",
      ),
    budget: z
      .strictObject({
        monthlyIngestionUsd: numberBetween(1, 10_000_000, "US dollars per month").describe(
          "US dollars of AMP ingestion per month (converted to samples with the tiered prices of cost/prices.ts).",
        ),
        activeSeries: intBetween(1000, 1_000_000_000, "active series")
          .optional()
          .describe("Also alarm when the workspace's active series exceed this number."),
      })
      .optional()
      .describe(
        "Monthly AMP ingestion budget: a CloudWatch alarm notifies the alert topic when the current rate would exceed it in a month.",
      ),
    labelSetLimits: z
      .array(
        z.strictObject({
          labelSet: z
            .record(
              pattern(patterns.promLabelName, "a label name", "[a-zA-Z_][a-zA-Z0-9_]*"),
              pattern(
                patterns.promLabelValue,
                "a label value",
                "printable ASCII with at least one character that is not a space",
              ),
            )
            .describe(
              "Labels a series must carry to count against the limit; {} is the default bucket (series matching no other label set).",
            ),
          maxSeries: intBetween(0, 1_000_000_000, "active series").describe(
            "Most active series of the label set (0: no limit, but AMP publishes the label set's usage to CloudWatch).",
          ),
        }),
        { error: listError("label-set limits") },
      )
      .superRefine(uniqueItems(labelSetKey))
      .default([])
      .describe(
        "Active-series limits per label set on the AMP workspace: new series of a label set over its limit are refused.",
      ),
  })
  .superRefine(extraNeedsAllowList);
