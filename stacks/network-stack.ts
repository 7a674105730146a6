import type { Construct } from "constructs";
import type { EnvironmentConfig, NetworkConfig } from "../config/environment";
import { AmpVpcEndpoints } from "../constructs/amp/vpc-endpoints";
import { resourcePrefix } from "../lib/naming";
import { defaultTags, EnvironmentStack } from "./environment-stack";

/**
 * `<env>-network`: private connectivity from the clusters' VPCs to AMP: in each VPC the environment's
 * clusters use (the environment's `network`, and any cluster's own), the aps-workspaces endpoint, created
 * here or reused (`ampEndpoint`), and optionally the aps control-plane endpoint. Clusters sharing a VPC share
 * its endpoint: adding or removing one of them changes nothing here.
 */
export class NetworkStack extends EnvironmentStack<"network"> {
  /** The endpoints of the environment's own VPC (`network`). */
  readonly endpoints: AmpVpcEndpoints;
  /** The endpoints of every VPC, by VPC id (the environment's among them). */
  readonly endpointsByVpc = new Map<string, AmpVpcEndpoints>();

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, env, "network", {});
    // The tags every resource of this stack gets from the provider, except those a user tag could equal.
    const { project, environment, stack } = defaultTags(env, "network");
    const endpointsIn = (id: string, network: NetworkConfig, namePrefix: string) => {
      const { ampEndpoint } = network;
      const endpoints = new AmpVpcEndpoints(this, id, {
        namePrefix,
        vpcId: network.vpcId,
        allowedCidrs: network.vpcCidrs,
        subnetIds: network.endpointSubnetIds,
        target: this.aws,
        controlPlane: network.controlPlaneEndpoint,
        existingDataPlaneEndpointId: ampEndpoint === "create" ? undefined : ampEndpoint.existingId,
        ownerTags: { project, environment, stack },
        protect: env.protect,
      });
      this.endpointsByVpc.set(network.vpcId, endpoints);
      return endpoints;
    };
    // The environment's VPC keeps the construct id it had when it was the only one: same addresses.
    this.endpoints = endpointsIn("amp-endpoints", env.network, resourcePrefix(env.name));
    for (const cluster of env.clusters) {
      const { vpcId } = cluster.network;
      if (this.endpointsByVpc.has(vpcId)) continue;
      endpointsIn(`amp-endpoints-${vpcId}`, cluster.network, `${resourcePrefix(env.name)}-${vpcId}`);
    }
    this.output("ampEndpointId", this.endpoints.dataPlaneEndpointId);
    this.output("ampEndpointDnsName", this.endpoints.dataPlaneDnsName);
    if (this.endpoints.securityGroup) this.output("endpointSecurityGroupId", this.endpoints.securityGroup.id);
    this.outputMap(
      "ampEndpointIds",
      Object.fromEntries([...this.endpointsByVpc].map(([vpc, e]) => [vpc, e.dataPlaneEndpointId])),
    );
  }
}
