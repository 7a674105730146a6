import { configProblems, editedExample, exampleEnv } from "../helpers";

const REUSED = "vpce-0a1b2c3d4e5f60009";

describe("network.ampEndpoint", () => {
  it('defaults to "create", so environments written before it keep their endpoint', () => {
    expect(exampleEnv("dev").network.ampEndpoint).toBe("create");
  });

  it("reuses an endpoint given by id, and then needs no subnets or CIDRs", () => {
    const env = exampleEnv("dev", (e) => {
      e.network = { vpcId: e.network.vpcId, ampEndpoint: { existingId: REUSED } };
    });
    expect(env.network).toEqual({
      vpcId: "vpc-0a1b2c3d4e5f67890",
      ampEndpoint: { existingId: REUSED },
      controlPlaneEndpoint: false,
    });
  });

  it('refuses anything but "create" or { existingId }, naming the environment and the field', () => {
    expect(configProblems(editedExample("dev", (e) => (e.network.ampEndpoint = "reuse" as never)))).toEqual([
      'dev.network.ampEndpoint: must be "create" or { existingId: "vpce-..." } (the aps-workspaces endpoint to reuse)',
    ]);
    expect(
      configProblems(editedExample("dev", (e) => (e.network.ampEndpoint = { existingId: "vpce-123" }))),
    ).toEqual([
      'dev.network.ampEndpoint.existingId: "vpce-123" is not a VPC endpoint id (expected vpce- followed by 8 or 17 hex digits)',
    ]);
  });

  it("needs subnets and CIDRs whenever the stack creates an endpoint", () => {
    const without = (edit: (n: Record<string, unknown>) => void) =>
      configProblems(
        editedExample("staging", (e) => {
          const n = e.network as Record<string, unknown>;
          delete n.endpointSubnetIds;
          delete n.vpcCidrs;
          edit(n);
        }),
      );
    expect(without(() => {})).toEqual([
      'staging.network.endpointSubnetIds: is required: the network stack creates the aps-workspaces endpoint (ampEndpoint "create") (expected 2-16 subnet ids, in different AZs)',
      'staging.network.vpcCidrs: is required: the network stack creates the aps-workspaces endpoint (ampEndpoint "create"), reached on tcp/443 from these blocks (expected the VPC\'s CIDR blocks)',
    ]);
    expect(
      without((n) => {
        n.ampEndpoint = { existingId: REUSED };
        n.controlPlaneEndpoint = true;
      }),
    ).toEqual([
      "staging.network.endpointSubnetIds: is required: the network stack creates the aps endpoint (controlPlaneEndpoint true) (expected 2-16 subnet ids, in different AZs)",
      "staging.network.vpcCidrs: is required: the network stack creates the aps endpoint (controlPlaneEndpoint true), reached on tcp/443 from these blocks (expected the VPC's CIDR blocks)",
    ]);
    expect(without((n) => (n.ampEndpoint = { existingId: REUSED }))).toEqual([]);
  });
});
