import { Testing } from "cdktf";
import { AMP_DATA_PLANE_ACTIONS } from "../../../constructs/amp/actions";
import { AmpVpcEndpoints, type AmpVpcEndpointsProps } from "../../../constructs/amp/vpc-endpoints";
import { TEST_TARGET } from "../../helpers";

const props: AmpVpcEndpointsProps = {
  namePrefix: "test",
  vpcId: "vpc-0a1b2c3d4e5f67890",
  allowedCidrs: ["10.0.0.0/16", "100.64.0.0/16"],
  subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
  target: TEST_TARGET,
  controlPlane: false,
};

function synth(p: AmpVpcEndpointsProps) {
  const raw = Testing.synthScope((scope) => new AmpVpcEndpoints(scope, "endpoints", p));
  return { raw, json: JSON.parse(raw) };
}

describe("AmpVpcEndpoints", () => {
  it("creates a private-DNS interface endpoint for aps-workspaces in the given subnets", () => {
    expect(synth(props).raw).toHaveResourceWithProperties(
      { tfResourceType: "aws_vpc_endpoint" },
      {
        service_name: "com.amazonaws.eu-central-1.aps-workspaces",
        vpc_endpoint_type: "Interface",
        private_dns_enabled: true,
        subnet_ids: props.subnetIds,
      },
    );
  });

  it("admits only HTTPS from each VPC CIDR, each rule described, and has no egress rule", () => {
    const { json } = synth(props);
    const rules = Object.values(json.resource.aws_vpc_security_group_ingress_rule) as Record<
      string,
      unknown
    >[];
    expect(rules.map((r) => [r.cidr_ipv4, r.ip_protocol, r.from_port, r.to_port])).toEqual([
      ["10.0.0.0/16", "tcp", 443, 443],
      ["100.64.0.0/16", "tcp", 443, 443],
    ]);
    for (const rule of rules) expect(rule.description).toMatch(/HTTPS/);
    expect(json.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
    const sg = Object.values(json.resource.aws_security_group)[0] as Record<string, unknown>;
    expect(sg.egress).toBeUndefined();
    expect(sg.ingress).toBeUndefined();
  });

  it("lets only the account's principals use the data plane of the account's workspaces", () => {
    const endpoint = Object.values(synth(props).json.resource.aws_vpc_endpoint)[0] as { policy: string };
    const statement = JSON.parse(endpoint.policy).Statement[0];
    expect(statement).toEqual({
      Sid: "AccountPrincipalsToAccountWorkspaces",
      Effect: "Allow",
      Principal: "*",
      Action: AMP_DATA_PLANE_ACTIONS,
      Resource: "arn:aws:aps:eu-central-1:123456789012:workspace/*",
      Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } },
    });
  });

  it("lets through every data-plane call a client in the VPC makes, not only write and query", () => {
    // The Prometheus-compatible APIs of aps-workspaces, as the Service Authorization Reference lists them.
    const documented = [
      "aps:RemoteWrite",
      "aps:QueryMetrics",
      "aps:GetSeries",
      "aps:GetLabels",
      "aps:GetMetricMetadata",
      "aps:ListRules",
      "aps:ListAlerts",
      "aps:GetAlertManagerStatus",
      "aps:ListAlertManagerAlerts",
      "aps:ListAlertManagerAlertGroups",
      "aps:ListAlertManagerReceivers",
      "aps:ListAlertManagerSilences",
      "aps:GetAlertManagerSilence",
      "aps:CreateAlertManagerAlerts",
      "aps:PutAlertManagerSilences",
      "aps:DeleteAlertManagerSilence",
      "aps:PreviewAnomalyDetector",
    ];
    const endpoint = Object.values(synth(props).json.resource.aws_vpc_endpoint)[0] as { policy: string };
    const allowed: string[] = JSON.parse(endpoint.policy).Statement[0].Action;
    expect([...allowed].sort()).toEqual([...documented].sort());
  });

  it("checks at plan time that the VPC can resolve private DNS", () => {
    const endpoint = Object.values(synth(props).json.resource.aws_vpc_endpoint)[0] as any;
    expect(endpoint.lifecycle.precondition[0].condition).toMatch(
      /enable_dns_support.*&&.*enable_dns_hostnames/,
    );
  });

  it("adds the aps control-plane endpoint only when asked", () => {
    expect(Object.keys(synth(props).json.resource.aws_vpc_endpoint)).toHaveLength(1);
    const both = synth({ ...props, controlPlane: true }).json.resource.aws_vpc_endpoint;
    expect(Object.values(both).map((e: any) => e.service_name)).toEqual([
      "com.amazonaws.eu-central-1.aps-workspaces",
      "com.amazonaws.eu-central-1.aps",
    ]);
  });
});
