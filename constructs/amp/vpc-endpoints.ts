import { DataAwsNetworkInterface } from "@cdktf/provider-aws/lib/data-aws-network-interface";
import { DataAwsNetworkInterfaces } from "@cdktf/provider-aws/lib/data-aws-network-interfaces";
import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { DataAwsVpcEndpoint } from "@cdktf/provider-aws/lib/data-aws-vpc-endpoint";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Op, TerraformIterator, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { type AwsTarget, arn } from "../../lib/aws";
import { policyDocument } from "../../lib/iam";
import { forEachOf } from "../../lib/terraform";
import { AMP_DATA_PLANE_ACTIONS } from "./actions";

/** The AMP data plane's endpoint service (remote write, query), without `com.amazonaws.<region>.`. */
export const AMP_DATA_PLANE_SERVICE = "aps-workspaces";
/** The AMP control plane's endpoint service. */
export const AMP_CONTROL_PLANE_SERVICE = "aps";
/** The Name tag, as `ignore_changes` names it. */
const NAME_TAG = 'tags["Name"]';

export interface AmpVpcEndpointsProps {
  /**
   * Name prefix of the security group and endpoint Name tags, given at creation and never changed after
   * (`ignore_changes`): the endpoints are the VPC's, shared by the clusters in it, which come and go; those
   * made when an environment had one cluster keep their `<env>-<cluster>` names.
   */
  readonly namePrefix: string;
  /** VPC of the cluster. */
  readonly vpcId: string;
  /** CIDR blocks allowed to reach the endpoints on tcp/443 (required when an endpoint is created). @default none */
  readonly allowedCidrs?: string[];
  /** Subnets for the endpoint network interfaces, at least two AZs (required when an endpoint is created). @default none */
  readonly subnetIds?: string[];
  /** Account (whose principals and workspaces the endpoint policies allow), region and partition of AMP. */
  readonly target: AwsTarget;
  /** Also create the `aps` control-plane endpoint. */
  readonly controlPlane: boolean;
  /**
   * Use this `aps-workspaces` endpoint of the VPC instead of creating one: nothing is created for the data
   * plane (no endpoint, no security group unless the control plane needs one, no policy), the endpoint is read
   * at plan and must be in `vpcId`, for this region's `aps-workspaces`. @default one is created
   */
  readonly existingDataPlaneEndpointId?: string;
  /**
   * Tags that mark the endpoints this construct created (e.g. the provider's default tags): the conflict check
   * passes over them on later plans, and the reuse checks recognize them. @default each endpoint's Name tag
   */
  readonly ownerTags?: Readonly<Record<string, string>>;
  /**
   * The endpoints are never lost silently: `prevent_destroy` on the endpoints created, and, when reusing an
   * existing endpoint, the plan fails for as long as the endpoint this construct created before still exists
   * (a switch would otherwise destroy it, and with it the private DNS of every workload of the VPC). @default false
   */
  readonly protect?: boolean;
}

/**
 * The interface endpoints of a VPC, read at plan: the provider has no plural data source for endpoints (6.25
 * has `aws_vpc_endpoint`, which fails on zero or several matches), so they are found through their network
 * interfaces, which AWS describes as "VPC Endpoint Interface vpce-..." (`aws_network_interfaces` answers an
 * empty list when there are none), then each endpoint is read by id. Endpoints of other accounts (shared
 * VPCs) are not visible this way.
 */
export class VpcInterfaceEndpoints extends Construct {
  /** The endpoints, as an HCL expression (a map of `aws_vpc_endpoint` data source objects), for conditions. */
  readonly hcl: string;

  constructor(scope: Construct, id: string, props: { readonly vpcId: string }) {
    super(scope, id);
    const interfaces = new DataAwsNetworkInterfaces(this, "interfaces", {
      filter: [
        { name: "vpc-id", values: [props.vpcId] },
        // Older endpoints' interfaces say "VPC Endpoint Interface: vpce-..." and have interface type
        // "interface" rather than "vpc_endpoint": the description is what all of them share.
        { name: "description", values: ["VPC Endpoint Interface*"] },
      ],
    });
    const eachInterface = TerraformIterator.fromList(interfaces.ids);
    const iface = new DataAwsNetworkInterface(this, "interface", {
      forEach: eachInterface,
      id: eachInterface.value,
    });
    const eachEndpoint = TerraformIterator.fromList([]);
    const endpoint = new DataAwsVpcEndpoint(this, "endpoint", {
      forEach: eachEndpoint,
      id: eachEndpoint.value,
    });
    // The endpoint id in each description, once per endpoint.
    forEachOf(
      endpoint,
      `distinct(compact([for i in ${iface.fqn} : try(regex("vpce-[0-9a-f]+", i.description), "")]))`,
    );
    this.hcl = endpoint.fqn;
  }

  /**
   * HCL (inside `${...}`): the ids of the endpoints for `service` (full name) with private DNS that carry
   * `tags` (`own: true`) or do not (`own: false`), in a state that still holds the name.
   */
  ids(service: string, tags: Readonly<Record<string, string>>, own: boolean, privateDnsOnly = true): string {
    const tagged = Object.entries(tags)
      .map(([k, v]) => `lookup(e.tags, ${JSON.stringify(k)}, "") == ${JSON.stringify(v)}`)
      .join(" && ");
    const live = `!contains(["deleted", "rejected", "failed", "expired"], lower(e.state))`;
    const dns = privateDnsOnly ? " && e.private_dns_enabled" : "";
    return `[for e in ${this.hcl} : e.id if e.service_name == ${JSON.stringify(service)}${dns} && ${live} && ${own ? "" : "!"}(${tagged})]`;
  }
}

/**
 * Private connectivity to AMP: an interface endpoint for `aps-workspaces` (remote write and query) with
 * private DNS, or one the VPC already has; an optional one for the `aps` control plane; a security group that
 * admits only HTTPS from the VPC (when an endpoint is created); and endpoint policies limited to the account's
 * own principals. A VPC holds one endpoint with private DNS per service: creating one fails the plan, naming
 * it, when another exists (otherwise AWS refuses it at apply).
 */
export class AmpVpcEndpoints extends Construct {
  /** The security group on the endpoints' network interfaces, when an endpoint is created. */
  readonly securityGroup?: SecurityGroup;
  /** The `aps-workspaces` endpoint, when created here. */
  readonly dataPlane?: VpcEndpoint;
  /** The reused `aps-workspaces` endpoint, as read at plan. */
  readonly existingDataPlane?: DataAwsVpcEndpoint;
  /** The `aps` endpoint, when requested. */
  readonly controlPlane?: VpcEndpoint;
  /** The VPC's interface endpoints, read at plan (for the checks), when a check needs them. */
  readonly vpcEndpoints?: VpcInterfaceEndpoints;
  /** Id of the data-plane endpoint (for `aws:SourceVpce`). */
  readonly dataPlaneEndpointId: string;
  /** Regional DNS name of the data-plane endpoint. */
  readonly dataPlaneDnsName: string;

  constructor(scope: Construct, id: string, props: AmpVpcEndpointsProps) {
    super(scope, id);
    const { target } = props;
    const serviceName = (service: string) => `com.amazonaws.${target.region}.${service}`;
    const nameTag = (service: string) => `${props.namePrefix}-${service}`;
    const ownTags = (service: string) => props.ownerTags ?? { Name: nameTag(service) };
    const reuse = props.existingDataPlaneEndpointId;
    const created = [
      ...(reuse ? [] : [AMP_DATA_PLANE_SERVICE]),
      ...(props.controlPlane ? [AMP_CONTROL_PLANE_SERVICE] : []),
    ];
    if (created.length > 0 && !(props.subnetIds?.length && props.allowedCidrs?.length))
      throw new Error(
        `${this.node.path}: the ${created.join(" and ")} endpoint needs subnetIds and allowedCidrs`,
      );
    if (created.length > 0 || (reuse && props.protect))
      this.vpcEndpoints = new VpcInterfaceEndpoints(this, "vpc-endpoints", { vpcId: props.vpcId });
    const others = this.vpcEndpoints;

    const accountCondition = { StringEquals: { "aws:PrincipalAccount": target.accountId } };
    const security = created.length > 0 ? this.securityGroupFor(props) : undefined;
    this.securityGroup = security;
    const vpc = created.length > 0 ? new DataAwsVpc(this, "vpc", { id: props.vpcId }) : undefined;
    const endpoint = (name: string, service: string, policy: string, instead: string) => {
      if (!(security && vpc && others)) throw new Error("unreachable: an endpoint is created");
      const conflicting = others.ids(serviceName(service), ownTags(service), false);
      return new VpcEndpoint(this, name, {
        vpcId: props.vpcId,
        serviceName: serviceName(service),
        vpcEndpointType: "Interface",
        subnetIds: props.subnetIds,
        securityGroupIds: [security.id],
        privateDnsEnabled: true,
        policy,
        tags: { Name: nameTag(service) },
        lifecycle: {
          ignoreChanges: [NAME_TAG],
          preventDestroy: props.protect || undefined,
          precondition: [
            {
              condition: Op.and(vpc.enableDnsSupport, vpc.enableDnsHostnames),
              errorMessage: `Private DNS for the ${service} endpoint needs enableDnsSupport and enableDnsHostnames on ${props.vpcId}.`,
            },
            {
              // AWS allows one endpoint per service with private DNS in a VPC: a second fails at apply
              // (terraform-provider-aws#17535), after the plan was approved.
              condition: `\${length(${conflicting}) == 0}`,
              errorMessage: `${props.vpcId} already has an ${service} interface endpoint with private DNS (\${join(", ", ${conflicting})}), not made by this stack: AWS refuses a second one with private DNS in the same VPC. ${instead}`,
            },
          ],
        },
      });
    };

    if (reuse) {
      this.existingDataPlane = this.existingEndpoint(
        props,
        reuse,
        serviceName(AMP_DATA_PLANE_SERVICE),
        ownTags(AMP_DATA_PLANE_SERVICE),
      );
      this.dataPlaneEndpointId = this.existingDataPlane.id;
      this.dataPlaneDnsName = this.existingDataPlane.dnsEntry.get(0).dnsName;
    } else {
      this.dataPlane = endpoint(
        "aps-workspaces",
        AMP_DATA_PLANE_SERVICE,
        policyDocument({
          Sid: "AccountPrincipalsToAccountWorkspaces",
          Effect: "Allow",
          Principal: "*",
          Action: [...AMP_DATA_PLANE_ACTIONS],
          Resource: arn(target, "aps", "workspace/*"),
          Condition: accountCondition,
        }),
        'Reuse it: network.ampEndpoint: { existingId: "<its id>" } (it then carries this environment\'s traffic under its own policy), or remove it first.',
      );
      this.dataPlaneEndpointId = this.dataPlane.id;
      this.dataPlaneDnsName = this.dataPlane.dnsEntry.get(0).dnsName;
    }
    if (props.controlPlane) {
      // The path for every control-plane call of the account (Terraform's own included, when it runs in the VPC);
      // ListWorkspaces and friends have no resource-level permissions, so Resource "*" is required.
      this.controlPlane = endpoint(
        "aps",
        AMP_CONTROL_PLANE_SERVICE,
        policyDocument({
          Sid: "AccountPrincipalsControlPlane",
          Effect: "Allow",
          Principal: "*",
          Action: "aps:*",
          Resource: "*",
          Condition: accountCondition,
        }),
        "Set network.controlPlaneEndpoint: false: control-plane calls from the VPC then use that endpoint.",
      );
    }
  }

  /** No egress rules: Terraform removes the default allow-all egress, and an interface endpoint only answers. */
  private securityGroupFor(props: AmpVpcEndpointsProps): SecurityGroup {
    const group = new SecurityGroup(this, "security-group", {
      name: `${props.namePrefix}-amp-endpoints`,
      description: "HTTPS from the VPC to the Amazon Managed Service for Prometheus endpoints",
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: `${props.namePrefix}-amp-endpoints` },
      // A new name would replace the group, and the endpoints on it with their DNS (see namePrefix).
      lifecycle: { ignoreChanges: ["name", NAME_TAG] },
    });
    (props.allowedCidrs ?? []).forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `https-from-vpc-${i}`, {
        securityGroupId: group.id,
        description: `HTTPS to AMP endpoints from VPC CIDR ${cidr}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });
    return group;
  }

  /**
   * The reused endpoint, read at plan: it must be in the VPC, for this region's `aps-workspaces`, alive, and not
   * the one this construct created (the switch destroys that one). Protected: the plan fails while this
   * construct's own endpoint still exists. Without private DNS, a warning: writes to the regional name would
   * not go through it.
   */
  private existingEndpoint(
    props: AmpVpcEndpointsProps,
    endpointId: string,
    service: string,
    ownTags: Readonly<Record<string, string>>,
  ): DataAwsVpcEndpoint {
    const tagged = Object.entries(ownTags)
      .map(([k, v]) => `lookup(self.tags, ${JSON.stringify(k)}, "") == ${JSON.stringify(v)}`)
      .join(" && ");
    const tagText = Object.entries(ownTags)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ");
    const ownStillThere =
      props.protect && this.vpcEndpoints ? this.vpcEndpoints.ids(service, ownTags, true, false) : undefined;
    const existing = new DataAwsVpcEndpoint(this, "aps-workspaces-existing", {
      id: endpointId,
      lifecycle: {
        ...(ownStillThere
          ? {
              precondition: [
                {
                  condition: `\${length(${ownStillThere}) == 0}`,
                  errorMessage: `The environment is protected, and the aps-workspaces endpoint its network stack created (\${join(", ", ${ownStillThere})}, tags ${tagText}) still exists: switching to ${endpointId} would destroy it, and with it the private DNS every workload of ${props.vpcId} resolves AMP with. Check nothing still needs it, delete it (aws ec2 delete-vpc-endpoints --vpc-endpoint-ids <id>), then plan again; or apply this change once with protect: false.`,
                },
              ],
            }
          : {}),
        postcondition: [
          {
            condition: `\${self.vpc_id == ${JSON.stringify(props.vpcId)}}`,
            errorMessage: `network.ampEndpoint.existingId ${endpointId} is in \${self.vpc_id}, not in network.vpcId ${props.vpcId} (expected an endpoint of the cluster's VPC).`,
          },
          {
            condition: `\${self.service_name == ${JSON.stringify(service)}}`,
            errorMessage: `network.ampEndpoint.existingId ${endpointId} is an endpoint for \${self.service_name} (expected one for ${service}).`,
          },
          {
            condition: `\${contains(["available", "pending"], lower(self.state))}`,
            errorMessage: `network.ampEndpoint.existingId ${endpointId} is \${self.state} (expected an available endpoint).`,
          },
          {
            condition: `\${!(${tagged})}`,
            errorMessage: `network.ampEndpoint.existingId ${endpointId} is the endpoint this stack created (tags ${tagText}): switching to it would destroy it. Keep network.ampEndpoint "create", or, to hand it over, remove it from this stack's state (terraform state rm) and change its tags first (docs/operations.md).`,
          },
        ],
      },
    });
    // A warning, not a failure: a private hosted zone of the VPC's own may route the regional name to it.
    const name = `${this.node.id.replace(/[^A-Za-z0-9_-]/g, "_")}_existing_endpoint_private_dns`;
    TerraformStack.of(this).addOverride(`check.${name}`, {
      assert: [
        {
          condition: `\${${existing.fqn}.private_dns_enabled}`,
          error_message: `network.ampEndpoint.existingId ${endpointId} has private DNS off: aps-workspaces.${props.target.region}.amazonaws.com resolves to AMP's public addresses in ${props.vpcId}, so remote write does not go through the endpoint (and is denied with amp.requireVpcEndpoint) unless a private hosted zone of the VPC routes that name to it. Turn private DNS on for it, or reuse another endpoint.`,
        },
      ],
    });
    return existing;
  }
}
