import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { AmpVpcEndpoints } from "../constructs/amp/vpc-endpoints";
import { EnvironmentStack } from "./environment-stack";

/** `<env>-network`: private connectivity from the cluster's VPC to AMP. */
export class NetworkStack extends EnvironmentStack<"network"> {
  readonly endpoints: AmpVpcEndpoints;

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, env, "network", {});
    this.endpoints = new AmpVpcEndpoints(this, "amp-endpoints", {
      namePrefix: `${env.name}-${env.cluster.name}`,
      vpcId: env.network.vpcId,
      allowedCidrs: env.network.vpcCidrs,
      subnetIds: env.network.endpointSubnetIds,
      target: this.aws,
      controlPlane: env.network.controlPlaneEndpoint,
    });
    this.output("ampEndpointId", this.endpoints.dataPlaneEndpointId);
    this.output("ampEndpointDnsName", this.endpoints.dataPlaneDnsName);
    this.output("endpointSecurityGroupId", this.endpoints.securityGroup.id);
  }
}
