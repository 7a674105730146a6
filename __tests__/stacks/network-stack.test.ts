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
    const env = exampleEnv("staging");
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
});
