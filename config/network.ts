/**
 * `network`: where the AMP interface endpoint goes (the network stack).
 */
import * as z from "zod";
import { bool, listError, pattern, patterns, subnetIds, uniqueItems } from "./fields";

/** A CIDR wider than /8 is no VPC's: most likely 0.0.0.0/0 by mistake. */
function vpcSizedCidr(cidr: string, ctx: z.RefinementCtx): void {
  if (Number(cidr.split("/")[1]) < 8)
    ctx.addIssue({
      code: "custom",
      message: `"${cidr}" is wider than a VPC can be (expected a VPC CIDR, /8 to /28; never 0.0.0.0/0)`,
    });
}

export const networkSchema = z.strictObject({
  vpcId: pattern(patterns.vpcId, "a VPC id", "vpc- followed by 8 or 17 hex digits").describe(
    "VPC of the cluster, where the AMP interface endpoint is created.",
  ),
  vpcCidrs: z
    .array(
      pattern(patterns.cidr, "an IPv4 CIDR block", 'a block such as "10.0.0.0/16"').superRefine(vpcSizedCidr),
      { error: listError("CIDR blocks") },
    )
    .min(1, { error: () => "is empty (expected at least one CIDR block of the VPC)" })
    .superRefine(uniqueItems())
    .describe("CIDR blocks allowed to reach the endpoint on tcp/443 (the VPC's CIDRs)."),
  endpointSubnetIds: subnetIds(
    2,
    16,
    "has fewer than 2 subnets (expected at least 2, in different AZs)",
    "has more than 16 subnets (expected 2-16)",
  ).describe("Subnets of the endpoint's network interfaces, one per AZ."),
  controlPlaneEndpoint: bool("create the aps control-plane endpoint")
    .default(false)
    .describe("Also create an interface endpoint for the AMP control plane (`com.amazonaws.<region>.aps`)."),
});
