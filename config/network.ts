/**
 * `network`: the AMP interface endpoint (the network stack): created here, or another one of the VPC reused.
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

/** The endpoints the network stack creates, by what each is for (empty: it creates none). */
export function createdEndpoints(network: {
  ampEndpoint: "create" | { existingId: string };
  controlPlaneEndpoint: boolean;
}): string[] {
  return [
    ...(network.ampEndpoint === "create" ? ['the aps-workspaces endpoint (ampEndpoint "create")'] : []),
    ...(network.controlPlaneEndpoint ? ["the aps endpoint (controlPlaneEndpoint true)"] : []),
  ];
}

/** Subnets and CIDRs are needed as soon as the stack creates an endpoint (and its security group). */
function subnetsWhereEndpointsAreCreated(
  network: {
    ampEndpoint: "create" | { existingId: string };
    controlPlaneEndpoint: boolean;
    vpcCidrs?: string[];
    endpointSubnetIds?: string[];
  },
  ctx: z.RefinementCtx,
): void {
  const created = createdEndpoints(network);
  if (created.length === 0) return;
  const what = created.join(" and ");
  if (network.endpointSubnetIds === undefined)
    ctx.addIssue({
      code: "custom",
      path: ["endpointSubnetIds"],
      message: `is required: the network stack creates ${what} (expected 2-16 subnet ids, in different AZs)`,
    });
  if (network.vpcCidrs === undefined)
    ctx.addIssue({
      code: "custom",
      path: ["vpcCidrs"],
      message: `is required: the network stack creates ${what}, reached on tcp/443 from these blocks (expected the VPC's CIDR blocks)`,
    });
}

export const networkSchema = z
  .strictObject({
    vpcId: pattern(patterns.vpcId, "a VPC id", "vpc- followed by 8 or 17 hex digits").describe(
      "VPC of the cluster, where the AMP interface endpoint is (created or reused).",
    ),
    ampEndpoint: z
      .union(
        [
          z.literal("create"),
          z.strictObject({
            existingId: pattern(
              patterns.vpcEndpointId,
              "a VPC endpoint id",
              "vpce- followed by 8 or 17 hex digits",
            ).describe(
              "Id of the VPC's aps-workspaces interface endpoint to use (checked at plan: same VPC, same service).",
            ),
          }),
        ],
        {
          error: () =>
            'must be "create" or { existingId: "vpce-..." } (the aps-workspaces endpoint to reuse)',
        },
      )
      .default("create")
      .describe(
        'The AMP aps-workspaces endpoint: "create" (this stack creates it, with private DNS: every workload of the VPC then reaches AMP through it and its policy, see docs/security.md), or { existingId } to reuse one the VPC already has (another team\'s, or another environment\'s in the same VPC): no endpoint, security group or policy is created, and its id is published for `amp.requireVpcEndpoint`. A VPC holds one aps-workspaces endpoint with private DNS: "create" fails the plan when another exists.',
      ),
    vpcCidrs: z
      .array(
        pattern(patterns.cidr, "an IPv4 CIDR block", 'a block such as "10.0.0.0/16"').superRefine(
          vpcSizedCidr,
        ),
        { error: listError("CIDR blocks") },
      )
      .min(1, { error: () => "is empty (expected at least one CIDR block of the VPC)" })
      .superRefine(uniqueItems())
      .optional()
      .describe(
        "CIDR blocks allowed to reach the endpoints this stack creates on tcp/443 (the VPC's CIDRs); required when it creates one.",
      ),
    endpointSubnetIds: subnetIds(
      2,
      16,
      "has fewer than 2 subnets (expected at least 2, in different AZs)",
      "has more than 16 subnets (expected 2-16)",
    )
      .optional()
      .describe(
        "Subnets of the network interfaces of the endpoints this stack creates, one per AZ; required when it creates one.",
      ),
    controlPlaneEndpoint: bool("create the aps control-plane endpoint")
      .default(false)
      .describe(
        "Also create an interface endpoint for the AMP control plane (`com.amazonaws.<region>.aps`), with private DNS (fails the plan when the VPC already has one).",
      ),
  })
  .superRefine(subnetsWhereEndpointsAreCreated);
