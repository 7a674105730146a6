import { DataAwsVpc } from "@cdktf/provider-aws/lib/data-aws-vpc";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { Op } from "cdktf";
import { Construct } from "constructs";
import { type AwsTarget, arn } from "../../lib/aws";
import { policyDocument } from "../../lib/iam";
import { AMP_DATA_PLANE_ACTIONS } from "./actions";

export interface AmpVpcEndpointsProps {
  /** Name prefix of the security group and endpoint Name tags. */
  readonly namePrefix: string;
  /** VPC of the cluster. */
  readonly vpcId: string;
  /** CIDR blocks allowed to reach the endpoints on tcp/443. */
  readonly allowedCidrs: string[];
  /** Subnets for the endpoint network interfaces (at least two AZs). */
  readonly subnetIds: string[];
  /** Account (whose principals and workspaces the endpoint policies allow), region and partition of AMP. */
  readonly target: AwsTarget;
  /** Also create the `aps` control-plane endpoint. */
  readonly controlPlane: boolean;
}

/**
 * Private connectivity to AMP: an interface endpoint for `aps-workspaces` (remote write and query) with
 * private DNS, an optional one for the `aps` control plane, a security group that admits only HTTPS from
 * the VPC, and endpoint policies limited to the account's own principals.
 */
export class AmpVpcEndpoints extends Construct {
  /** The security group on the endpoints' network interfaces. */
  readonly securityGroup: SecurityGroup;
  /** The `aps-workspaces` endpoint. */
  readonly dataPlane: VpcEndpoint;
  /** The `aps` endpoint, when requested. */
  readonly controlPlane?: VpcEndpoint;
  /** Id of the data-plane endpoint (for `aws:SourceVpce`). */
  readonly dataPlaneEndpointId: string;
  /** Regional DNS name of the data-plane endpoint. */
  readonly dataPlaneDnsName: string;

  constructor(scope: Construct, id: string, props: AmpVpcEndpointsProps) {
    super(scope, id);
    const vpc = new DataAwsVpc(this, "vpc", { id: props.vpcId });

    // No egress rules: Terraform removes the default allow-all egress, and an interface endpoint only answers.
    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: `${props.namePrefix}-amp-endpoints`,
      description: "HTTPS from the VPC to the Amazon Managed Service for Prometheus endpoints",
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: `${props.namePrefix}-amp-endpoints` },
    });
    props.allowedCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `https-from-vpc-${i}`, {
        securityGroupId: this.securityGroup.id,
        description: `HTTPS to AMP endpoints from VPC CIDR ${cidr}`,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: cidr,
      });
    });

    const { target } = props;
    const accountCondition = { StringEquals: { "aws:PrincipalAccount": target.accountId } };
    const endpoint = (name: string, service: string, policy: string) =>
      new VpcEndpoint(this, name, {
        vpcId: props.vpcId,
        serviceName: `com.amazonaws.${target.region}.${service}`,
        vpcEndpointType: "Interface",
        subnetIds: props.subnetIds,
        securityGroupIds: [this.securityGroup.id],
        privateDnsEnabled: true,
        policy,
        tags: { Name: `${props.namePrefix}-${service}` },
        lifecycle: {
          precondition: [
            {
              condition: Op.and(vpc.enableDnsSupport, vpc.enableDnsHostnames),
              errorMessage: `Private DNS for the ${service} endpoint needs enableDnsSupport and enableDnsHostnames on ${props.vpcId}.`,
            },
          ],
        },
      });

    this.dataPlane = endpoint(
      "aps-workspaces",
      "aps-workspaces",
      policyDocument({
        Sid: "AccountPrincipalsToAccountWorkspaces",
        Effect: "Allow",
        Principal: "*",
        Action: [...AMP_DATA_PLANE_ACTIONS],
        Resource: arn(target, "aps", "workspace/*"),
        Condition: accountCondition,
      }),
    );
    if (props.controlPlane) {
      // The path for every control-plane call of the account (Terraform's own included, when it runs in the VPC);
      // ListWorkspaces and friends have no resource-level permissions, so Resource "*" is required.
      this.controlPlane = endpoint(
        "aps",
        "aps",
        policyDocument({
          Sid: "AccountPrincipalsControlPlane",
          Effect: "Allow",
          Principal: "*",
          Action: "aps:*",
          Resource: "*",
          Condition: accountCondition,
        }),
      );
    }
    this.dataPlaneEndpointId = this.dataPlane.id;
    this.dataPlaneDnsName = this.dataPlane.dnsEntry.get(0).dnsName;
  }
}
