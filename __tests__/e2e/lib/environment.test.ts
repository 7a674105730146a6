/** The environment the e2e deploys goes through the project's own validation. */

import { validateEnvironments } from "../../../config/validate";
import { type ExistingInfrastructure, e2eEnvironment } from "../../../e2e/lib/environment";

const infra: ExistingInfrastructure = {
  accountId: "111111111111",
  region: "us-east-1",
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.10.0.0/16",
  subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  clusterName: "e2e-eks",
  stateBucket: "eksmon-e2e-tfstate",
  identityStoreId: "d-90670e2e00",
  adminUserName: "e2e-admin",
  chartRepository: "http://127.0.0.1:8879",
  existingWorkspaceId: "ws-12345678-abcd-1234-abcd-123456789012",
  tutorialInstalled: true,
};

describe("e2eEnvironment", () => {
  it("is valid in both passes", () => {
    const [prometheus, managed] = validateEnvironments([
      e2eEnvironment(infra, "prometheus"),
      { ...e2eEnvironment(infra, "managed"), name: "e2e2" },
    ]);
    expect(prometheus.clusters[0].collector.type).toBe("prometheus");
    expect(managed.clusters[0].collector.type).toBe("managed");
  });

  it("adopts what the user made by hand in the first pass, with apply-time credentials from the ephemeral token", () => {
    const env = e2eEnvironment(infra, "prometheus") as any;
    expect(env.amp.adoptWorkspaceId).toBe(infra.existingWorkspaceId);
    expect(env.clusters[0].collector.adopt).toEqual({ namespace: true, release: true });
    expect(env.clusters[0].auth).toEqual({ method: "ephemeral" });
    expect(env.amp.requireVpcEndpoint).toBe(true);
  });

  it("drops the adoption in the managed pass (so the run can destroy the workspace) and uses exec", () => {
    const env = e2eEnvironment(infra, "managed") as any;
    expect(env.amp.adoptWorkspaceId).toBeUndefined();
    expect(env.clusters[0].collector).not.toHaveProperty("adopt");
    expect(env.clusters[0].auth).toEqual({ method: "exec" });
  });
});
