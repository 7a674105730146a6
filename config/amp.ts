/**
 * `amp`: the Amazon Managed Service for Prometheus workspace.
 */
import * as z from "zod";
import { bool, intBetween, kmsKeyArn, lengthBetween, pattern, patterns } from "./fields";

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
});
