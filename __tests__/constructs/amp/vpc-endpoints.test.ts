import { TerraformOutput, Testing } from "cdktf";
import { AMP_DATA_PLANE_ACTIONS } from "../../../constructs/amp/actions";
import {
  AmpVpcEndpoints,
  type AmpVpcEndpointsProps,
  VpcInterfaceEndpoints,
} from "../../../constructs/amp/vpc-endpoints";
import { TEST_TARGET } from "../../helpers";
import { terraformEval, terraformEvalAvailable, terraformRender } from "../../tools";

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

/** An HCL condition or expression of the stack with the data source it reads replaced by `local.<name>`. */
const withLocal = (hcl: string, dataAddress: string, local: string) =>
  hcl.replace(/^\$\{/, "").replace(/\}$/, "").split(dataAddress).join(`local.${local}`);

const canEval = terraformEvalAvailable("vpc-endpoints.test");
const withTerraform = canEval ? it : it.skip;

/** A data source object of `aws_vpc_endpoint` as Terraform holds it (the attributes the checks read). */
const endpointObject = (o: {
  id: string;
  service: string;
  privateDns?: boolean;
  state?: string;
  tags?: Record<string, string>;
}) => ({
  id: o.id,
  service_name: `com.amazonaws.eu-central-1.${o.service}`,
  private_dns_enabled: o.privateDns ?? true,
  state: o.state ?? "available",
  tags: o.tags ?? {},
});

describe("AmpVpcEndpoints: an endpoint the VPC already has", () => {
  const { json } = synth(props);
  const dataAddress = (type: string, fragment: string) => {
    const id = Object.keys(json.data[type]).find((k) => k.includes(fragment));
    if (!id) throw new Error(`no data.${type} with ${fragment}`);
    return `data.${type}.${id}`;
  };
  const endpointsAddress = dataAddress("aws_vpc_endpoint", "vpc-endpoints_endpoint");
  const conflictCheck = () => {
    const endpoint = Object.values(json.resource.aws_vpc_endpoint)[0] as any;
    const check = endpoint.lifecycle.precondition.find((p: any) => p.condition.includes(endpointsAddress));
    if (!check) throw new Error("no conflict precondition");
    return check as { condition: string; error_message: string };
  };

  it("lists the VPC's endpoints at plan through their network interfaces, tolerating none", () => {
    const list = Object.values(json.data.aws_network_interfaces)[0] as any;
    expect(list.filter).toEqual([
      { name: "vpc-id", values: [props.vpcId] },
      { name: "description", values: ["VPC Endpoint Interface*"] },
    ]);
    const each = Object.values(json.data.aws_network_interface)[0] as any;
    expect(each.for_each).toBe(`\${toset(${dataAddress("aws_network_interfaces", "interfaces")}.ids)}`);
    const endpoints = Object.values(json.data.aws_vpc_endpoint)[0] as any;
    expect(endpoints.id).toBe("${each.value}");
  });

  withTerraform("reads each endpoint once, whatever the shape of its interfaces' descriptions", () => {
    const endpoints = Object.values(json.data.aws_vpc_endpoint)[0] as any;
    const expression = withLocal(
      endpoints.for_each,
      dataAddress("aws_network_interface", "interface"),
      "interfaces",
    );
    expect(
      terraformEval(expression, {
        interfaces: {
          "eni-1": { description: "VPC Endpoint Interface vpce-0a1b2c3d4e5f60001" },
          "eni-2": { description: "VPC Endpoint Interface: vpce-0a1b2c3d4e5f60001" },
          "eni-3": { description: "VPC Endpoint Interface vpce-0a1b2c3d" },
        },
      }),
    ).toEqual(["vpce-0a1b2c3d", "vpce-0a1b2c3d4e5f60001"]);
    expect(terraformEval(expression, { interfaces: {} })).toEqual([]);
  });

  withTerraform(
    "fails the plan for another aps-workspaces endpoint with private DNS, never for its own or others",
    () => {
      const { condition } = conflictCheck();
      const passes = (endpoints: ReturnType<typeof endpointObject>[]) =>
        terraformEval(withLocal(condition, endpointsAddress, "endpoints"), {
          endpoints: Object.fromEntries(endpoints.map((e) => [e.id, e])),
        });
      const other = endpointObject({
        id: "vpce-0other",
        service: "aps-workspaces",
        tags: { Name: "team-b" },
      });
      expect(passes([])).toBe(true);
      expect(passes([other])).toBe(false);
      // Its own (the Name tag it gives its endpoint, by default), on every later plan.
      expect(passes([{ ...other, tags: { Name: "test-aps-workspaces" } }])).toBe(true);
      expect(passes([{ ...other, private_dns_enabled: false }])).toBe(true);
      expect(passes([{ ...other, state: "deleted" }])).toBe(true);
      expect(passes([endpointObject({ id: "vpce-0s3", service: "s3" })])).toBe(true);
      expect(passes([endpointObject({ id: "vpce-0aps", service: "aps" })])).toBe(true);
    },
  );

  withTerraform("names the endpoint in the message, and says how to reuse it", () => {
    const { error_message } = conflictCheck();
    const rendered = terraformRender(error_message.split(endpointsAddress).join("local.endpoints"), {
      endpoints: { "vpce-0other": endpointObject({ id: "vpce-0other", service: "aps-workspaces" }) },
    });
    expect(rendered).toMatch(
      new RegExp(
        `^${props.vpcId} already has an aps-workspaces interface endpoint with private DNS \\(vpce-0other\\), not made by this stack`,
      ),
    );
    expect(error_message).toMatch(/network\.ampEndpoint: \{ existingId: "<its id>" \}/);
  });

  it("recognizes its own endpoints by the owner tags it is given", () => {
    const own = synth({ ...props, ownerTags: { environment: "dev", stack: "network" } }).json;
    const endpoint = Object.values(own.resource.aws_vpc_endpoint)[0] as any;
    expect(endpoint.lifecycle.precondition[1].condition).toContain(
      '!(lookup(e.tags, "environment", "") == "dev" && lookup(e.tags, "stack", "") == "network")',
    );
  });

  it("checks the control-plane endpoint the same way, for the aps service", () => {
    const both = synth({ ...props, controlPlane: true }).json.resource.aws_vpc_endpoint;
    const aps = Object.values(both).find((e: any) => e.service_name.endsWith(".aps")) as any;
    expect(aps.lifecycle.precondition[1].condition).toContain(
      'e.service_name == "com.amazonaws.eu-central-1.aps"',
    );
    expect(aps.lifecycle.precondition[1].error_message).toMatch(/network\.controlPlaneEndpoint: false/);
  });
});

describe("AmpVpcEndpoints: reusing an existing aps-workspaces endpoint", () => {
  const reuse = { ...props, existingDataPlaneEndpointId: "vpce-0a1b2c3d4e5f60009" };

  it("creates no data-plane endpoint, no security group and no policy", () => {
    const { json } = synth(reuse);
    expect(json.resource).toBeUndefined();
    let endpoints: AmpVpcEndpoints | undefined;
    const outputs = JSON.parse(
      Testing.synthScope((scope) => {
        endpoints = new AmpVpcEndpoints(scope, "endpoints", reuse);
        new TerraformOutput(scope, "id", { value: endpoints.dataPlaneEndpointId });
        new TerraformOutput(scope, "dns", { value: endpoints.dataPlaneDnsName });
      }),
    ).output;
    expect(endpoints?.dataPlane).toBeUndefined();
    expect(endpoints?.securityGroup).toBeUndefined();
    expect(outputs.id.value).toMatch(
      /^\$\{data\.aws_vpc_endpoint\.endpoints_aps-workspaces-existing_[0-9A-F]+\.id\}$/,
    );
    expect(outputs.dns.value).toMatch(/existing_[0-9A-F]+\.dns_entry\[0\]\.dns_name\}$/);
  });

  it("needs no subnets or CIDRs then, but does when it creates the control-plane endpoint", () => {
    const bare = { ...reuse, subnetIds: undefined, allowedCidrs: undefined };
    expect(() => synth(bare)).not.toThrow();
    expect(() => synth({ ...bare, controlPlane: true })).toThrow(
      /aps endpoint needs subnetIds and allowedCidrs/,
    );
    expect(() => synth({ ...props, subnetIds: undefined })).toThrow(
      /aps-workspaces endpoint needs subnetIds and allowedCidrs/,
    );
  });

  it("keeps the security group for the control-plane endpoint only", () => {
    const { json } = synth({ ...reuse, controlPlane: true });
    expect(Object.values(json.resource.aws_vpc_endpoint).map((e: any) => e.service_name)).toEqual([
      "com.amazonaws.eu-central-1.aps",
    ]);
    expect(Object.keys(json.resource.aws_security_group)).toHaveLength(1);
  });

  const existing = (p: AmpVpcEndpointsProps) => {
    const { json } = synth(p);
    const [id, data] = Object.entries(json.data.aws_vpc_endpoint).find(([k]) => k.includes("existing")) as [
      string,
      any,
    ];
    return { json, address: `data.aws_vpc_endpoint.${id}`, data };
  };

  withTerraform(
    "fails the plan unless it is an available aps-workspaces endpoint of the VPC, not its own",
    () => {
      const { data } = existing(reuse);
      const conditions: { condition: string; error_message: string }[] = data.lifecycle.postcondition;
      const failing = (self: Record<string, unknown>) => {
        const all = conditions.map((p) => withLocal(p.condition, "self", "self")).join(", ");
        const results = terraformEval(`[${all}]`, { self }) as boolean[];
        return conditions
          .filter((_, i) => results[i] !== true)
          .map((p) =>
            p.error_message.replace(/\$\{self\.(\w+)\}/g, (_: string, k: string) => String(self[k])),
          );
      };
      const good = {
        vpc_id: props.vpcId,
        service_name: "com.amazonaws.eu-central-1.aps-workspaces",
        state: "available",
        tags: { Name: "team-b" },
      };
      expect(failing(good)).toEqual([]);
      expect(failing({ ...good, vpc_id: "vpc-0ffffffffffffffff" })).toEqual([
        `network.ampEndpoint.existingId vpce-0a1b2c3d4e5f60009 is in vpc-0ffffffffffffffff, not in network.vpcId ${props.vpcId} (expected an endpoint of the cluster's VPC).`,
      ]);
      expect(failing({ ...good, service_name: "com.amazonaws.eu-central-1.aps" })).toEqual([
        "network.ampEndpoint.existingId vpce-0a1b2c3d4e5f60009 is an endpoint for com.amazonaws.eu-central-1.aps (expected one for com.amazonaws.eu-central-1.aps-workspaces).",
      ]);
      expect(failing({ ...good, state: "deleting" })).toHaveLength(1);
      expect(failing({ ...good, tags: { Name: "test-aps-workspaces" } })).toEqual([
        expect.stringMatching(/is the endpoint this stack created .*would destroy it/),
      ]);
    },
  );

  it("warns at plan (a check block) when the endpoint has private DNS off", () => {
    const { json, address } = existing(reuse);
    const [check] = Object.values(json.check) as any[];
    expect(check.assert[0].condition).toBe(`\${${address}.private_dns_enabled}`);
    expect(check.assert[0].error_message).toMatch(/has private DNS off: .* amp\.requireVpcEndpoint/);
  });

  it("protected: prevent_destroy on what it creates, and no switch while its own endpoint still exists", () => {
    const created = synth({ ...props, controlPlane: true, protect: true }).json.resource.aws_vpc_endpoint;
    for (const e of Object.values(created) as any[]) expect(e.lifecycle.prevent_destroy).toBe(true);
    expect(
      Object.values(synth(props).json.resource.aws_vpc_endpoint).map((e: any) => e.lifecycle.prevent_destroy),
    ).toEqual([undefined]);

    const { data } = existing({ ...reuse, protect: true });
    expect(data.lifecycle.precondition).toHaveLength(1);
    expect(existing(reuse).data.lifecycle.precondition).toBeUndefined();
  });

  withTerraform("protected: the guard fails while an endpoint with its owner tags is there", () => {
    const { json, data } = existing({ ...reuse, protect: true, ownerTags: { stack: "network" } });
    const endpointsAddress = `data.aws_vpc_endpoint.${
      Object.keys(json.data.aws_vpc_endpoint).find((k) => k.includes("vpc-endpoints_endpoint")) as string
    }`;
    const guard = data.lifecycle.precondition[0];
    const passes = (endpoints: ReturnType<typeof endpointObject>[]) =>
      terraformEval(withLocal(guard.condition, endpointsAddress, "endpoints"), {
        endpoints: Object.fromEntries(endpoints.map((e) => [e.id, e])),
      });
    const own = endpointObject({ id: "vpce-0own", service: "aps-workspaces", tags: { stack: "network" } });
    expect(passes([])).toBe(true);
    expect(passes([own])).toBe(false);
    expect(passes([{ ...own, private_dns_enabled: false }])).toBe(false);
    expect(passes([{ ...own, state: "deleted" }])).toBe(true);
    expect(passes([{ ...own, tags: {} }])).toBe(true);
    expect(guard.error_message).toMatch(
      /protected.*still exists.*delete it.*or apply this change once with protect: false/s,
    );
  });
});

describe("VpcInterfaceEndpoints", () => {
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      const found = new VpcInterfaceEndpoints(scope, "found", { vpcId: "vpc-0a1b2c3d4e5f67890" });
      new TerraformOutput(scope, "theirs", {
        value: `\${${found.ids("com.amazonaws.eu-central-1.aps-workspaces", { stack: "network" }, false)}}`,
      });
    }),
  );

  it("lists the VPC's endpoints through their described network interfaces (no plural data source exists)", () => {
    const [interfaces] = Object.values(json.data.aws_network_interfaces) as any[];
    expect(interfaces.filter).toEqual([
      { name: "vpc-id", values: ["vpc-0a1b2c3d4e5f67890"] },
      { name: "description", values: ["VPC Endpoint Interface*"] },
    ]);
    // Each endpoint is read once, by the id its interfaces' descriptions name.
    const [endpoint] = Object.values(json.data.aws_vpc_endpoint) as any[];
    expect(endpoint.for_each).toMatch(
      /distinct\(compact\(\[for i in data\.aws_network_interface\..+ : try\(regex\("vpce-\[0-9a-f\]\+", i\.description\), ""\)\]\)\)/,
    );
  });

  it("tells endpoints of a service with private DNS apart by the tags this project puts on its own", () => {
    const value: string = json.output.theirs.value;
    expect(value).toContain('e.service_name == "com.amazonaws.eu-central-1.aps-workspaces"');
    expect(value).toContain("e.private_dns_enabled");
    expect(value).toContain('!(lookup(e.tags, "stack", "") == "network")');
    expect(value).toContain('!contains(["deleted", "rejected", "failed", "expired"], lower(e.state))');
  });
});
