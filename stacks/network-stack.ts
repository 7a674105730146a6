import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { AmpVpcEndpoints } from "../constructs/amp/vpc-endpoints";
import { NETWORK_OUTPUTS } from "../lib/outputs";
import { EnvironmentStack } from "./environment-stack";

/** `<env>-network`: private connectivity from the cluster's VPC to AMP. */
export class NetworkStack extends EnvironmentStack {
  readonly endpoints: AmpVpcEndpoints;

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, env, "network");
    this.endpoints = new AmpVpcEndpoints(this, "amp-endpoints", {
      namePrefix: `${env.name}-${env.cluster.name}`,
      vpcId: env.network.vpcId,
      allowedCidrs: env.network.vpcCidrs,
      subnetIds: env.network.endpointSubnetIds,
      target: this.aws,
      controlPlane: env.network.controlPlaneEndpoint,
    });
    this.output(
      NETWORK_OUTPUTS.ampEndpointId,
      this.endpoints.dataPlaneEndpointId,
      "Id of the AMP aps-workspaces interface endpoint",
    );
    this.output(
      NETWORK_OUTPUTS.ampEndpointDnsName,
      this.endpoints.dataPlaneDnsName,
      "Regional DNS name of the AMP aps-workspaces endpoint",
    );
    this.output(
      NETWORK_OUTPUTS.endpointSecurityGroupId,
      this.endpoints.securityGroup.id,
      "Security group of the AMP endpoints",
    );
  }
}
