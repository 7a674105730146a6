import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { AmpVpcEndpoints } from "../constructs/amp/vpc-endpoints";
import { defaultTags, EnvironmentStack } from "./environment-stack";

/**
 * `<env>-network`: private connectivity from the cluster's VPC to AMP: the aps-workspaces endpoint, created
 * here or reused (`network.ampEndpoint`), and optionally the aps control-plane endpoint.
 */
export class NetworkStack extends EnvironmentStack<"network"> {
  readonly endpoints: AmpVpcEndpoints;

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, env, "network", {});
    const { ampEndpoint } = env.network;
    // The tags every resource of this stack gets from the provider, except those a user tag could equal.
    const { project, environment, stack } = defaultTags(env, "network");
    this.endpoints = new AmpVpcEndpoints(this, "amp-endpoints", {
      namePrefix: `${env.name}-${env.cluster.name}`,
      vpcId: env.network.vpcId,
      allowedCidrs: env.network.vpcCidrs,
      subnetIds: env.network.endpointSubnetIds,
      target: this.aws,
      controlPlane: env.network.controlPlaneEndpoint,
      existingDataPlaneEndpointId: ampEndpoint === "create" ? undefined : ampEndpoint.existingId,
      ownerTags: { project, environment, stack },
      protect: env.protect,
    });
    this.output("ampEndpointId", this.endpoints.dataPlaneEndpointId);
    this.output("ampEndpointDnsName", this.endpoints.dataPlaneDnsName);
    if (this.endpoints.securityGroup) this.output("endpointSecurityGroupId", this.endpoints.securityGroup.id);
  }
}
