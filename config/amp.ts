/**
 * `amp`: the Amazon Managed Service for Prometheus workspace.
 */
import * as z from "zod";
import { LOG_RETENTION_DAYS } from "../lib/limits";
import { bool, intBetween, kmsKeyArn, lengthBetween, pattern, patterns, show } from "./fields";

export const ampSchema = z.strictObject({
  alias: lengthBetween(1, 100, "an AMP workspace alias").describe("AMP workspace alias."),
  retentionDays: intBetween(1, 1095, "retention in days")
    .default(150)
    .describe("How long AMP keeps samples, in days."),
  kmsKeyArn: kmsKeyArn
    .optional()
    .describe(
      "Customer-managed KMS key for the workspace (AWS-owned key when omitted; changing it replaces the workspace).",
    ),
  adoptWorkspaceId: pattern(
    patterns.ampWorkspaceId,
    "an AMP workspace id",
    "ws- followed by the workspace's id, as the console shows it",
  )
    .optional()
    .describe(
      "Id of an AMP workspace made by hand (ws-...) to import instead of creating one; it is then protected from destroy.",
    ),
  requireVpcEndpoint: bool("require the VPC endpoint for remote write")
    .default(false)
    .describe(
      "Also condition the ingest role's remote write on the network stack's endpoint (aws:SourceVpce); verify first, see docs/operations.md.",
    ),
  logging: z
    .strictObject({
      enabled: bool("send AMP's rule and alert manager errors to CloudWatch Logs")
        .default(true)
        .describe("Send them to the log group `/aws/vendedlogs/prometheus/eksmon-<env>-amp`."),
      retentionDays: z
        .int({ error: () => "must be a whole number (expected days, e.g. 30)" })
        .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
          error: (iss) =>
            `${show(iss.input)} is not a retention CloudWatch Logs accepts (expected one of ${LOG_RETENTION_DAYS.join(", ")})`,
        })
        .default(30)
        .describe("Days the log group keeps them (a value CloudWatch Logs accepts)."),
      kmsKeyArn: kmsKeyArn
        .optional()
        .describe(
          "Customer-managed KMS key for the log group, whose policy lets logs.<region>.amazonaws.com use it; unset: a key is created.",
        ),
    })
    .prefault({})
    .describe(
      "AMP's rule-evaluation and alert-manager errors, in a CloudWatch Logs log group (docs/operations.md).",
    ),
});
