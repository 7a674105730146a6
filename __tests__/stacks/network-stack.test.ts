import { exampleEnv, onlyResource, resourcesOf, synthEnvironment } from "../helpers";

describe("NetworkStack", () => {
  it.each(["dev", "staging", "prod"])("%s matches the reviewed snapshot", (name) => {
    expect(synthEnvironment(exampleEnv(name)).raw.network).toMatchSnapshot();
  });

  it("is named <env>-network and publishes the endpoint id and DNS name", () => {
    const { stacks, json } = synthEnvironment(exampleEnv("dev"));
    expect(stacks.network.node.id).toBe("dev-network");
    expect(json.network.output?.amp_vpc_endpoint_id.value).toMatch(/^\$\{aws_vpc_endpoint\.[^.]+\.id\}$/);
    expect(json.network.output?.amp_vpc_endpoint_dns_name.value).toMatch(/dns_entry\[0\]\.dns_name/);
  });

  it("puts the endpoint in the environment's VPC, subnets and region, open to its CIDRs only", () => {
    const env = exampleEnv("staging", (e) => e.clusters.splice(1)); // one cluster, in the environment's VPC
    const { json } = synthEnvironment(env);
    const endpoint = onlyResource(json.network, "aws_vpc_endpoint");
    expect(endpoint).toMatchObject({
      vpc_id: env.network.vpcId,
      subnet_ids: env.network.endpointSubnetIds,
      service_name: "com.amazonaws.us-east-1.aps-workspaces",
    });
    const cidrs = Object.values(resourcesOf(json.network, "aws_vpc_security_group_ingress_rule")).map(
      (r) => r.cidr_ipv4,
    );
    expect(cidrs).toEqual(env.network.vpcCidrs);
  });

  it("adds the control-plane endpoint where the environment asks for it (prod)", () => {
    const services = Object.values(
      resourcesOf(synthEnvironment(exampleEnv("prod")).json.network, "aws_vpc_endpoint"),
    ).map((e) => e.service_name);
    expect(services).toEqual(["com.amazonaws.us-west-2.aps-workspaces", "com.amazonaws.us-west-2.aps"]);
  });

  describe("reusing the VPC's aps-workspaces endpoint (network.ampEndpoint { existingId })", () => {
    const reuse = (edit: (e: any) => void = () => {}) =>
      synthEnvironment(
        exampleEnv("dev", (e) => {
          e.network.ampEndpoint = { existingId: "vpce-0a1b2c3d4e5f60009" };
          edit(e);
        }),
      ).json;

    it("creates nothing, and publishes the reused endpoint under the same output names", () => {
      const { network } = reuse();
      expect(network.resource).toBeUndefined();
      const [id] = Object.keys(network.data?.aws_vpc_endpoint ?? {});
      expect(network.output?.amp_vpc_endpoint_id.value).toBe(`\${data.aws_vpc_endpoint.${id}.id}`);
      expect(network.output?.amp_vpc_endpoint_dns_name.value).toBe(
        `\${data.aws_vpc_endpoint.${id}.dns_entry[0].dns_name}`,
      );
      expect(network.output?.endpoint_security_group_id).toBeUndefined();
      expect(network.data?.aws_vpc_endpoint?.[id].id).toBe("vpce-0a1b2c3d4e5f60009");
    });

    it("keeps amp.requireVpcEndpoint working: the ingest role is conditioned on the reused endpoint's id", () => {
      const json = synthEnvironment(
        exampleEnv("dev", (e) => {
          e.network.ampEndpoint = { existingId: "vpce-0a1b2c3d4e5f60009" };
          e.amp.requireVpcEndpoint = true;
        }),
      ).json;
      const ingest = Object.values(json.cluster.resource?.aws_iam_role_policy ?? {}).find(
        (p) => p.name === "eksmon-dev-amp-ingest",
      ) as { policy: string };
      expect(JSON.parse(ingest.policy).Statement[0].Condition.StringEquals["aws:SourceVpce"]).toBe(
        "${data.terraform_remote_state.network-state.outputs.amp_vpc_endpoint_ids.vpc-0a1b2c3d4e5f67890}",
      );
      const ids = json.network.output?.amp_vpc_endpoint_ids.value as unknown as Record<string, string>;
      expect(ids["vpc-0a1b2c3d4e5f67890"]).toMatch(/^\$\{data\.aws_vpc_endpoint\.[^.]+\.id\}$/);
    });

    it("keeps the control-plane endpoint and its security group where asked", () => {
      const { network } = reuse((e) => (e.network.controlPlaneEndpoint = true));
      expect(Object.values(resourcesOf(network, "aws_vpc_endpoint")).map((e) => e.service_name)).toEqual([
        "com.amazonaws.us-east-1.aps",
      ]);
      expect(network.output?.endpoint_security_group_id.value).toMatch(/^\$\{aws_security_group\./);
    });

    it("recognizes this stack's own endpoint by the tags its provider gives every resource", () => {
      const { network } = synthEnvironment(exampleEnv("prod")).json;
      const endpoint = Object.values(resourcesOf(network, "aws_vpc_endpoint"))[0] as any;
      expect(endpoint.lifecycle.precondition[1].condition).toContain(
        '!(lookup(e.tags, "project", "") == "eksmon" && lookup(e.tags, "environment", "") == "prod" && lookup(e.tags, "stack", "") == "network")',
      );
      expect(endpoint.lifecycle.prevent_destroy).toBe(true);
    });
  });
});
