/** The environments the e2e deploys go through the project's own validation. */

import { ConfigError, validateEnvironments } from "../../../config/validate";
import {
  type ExistingInfrastructure,
  e2eEnvironment,
  previousReleaseEnvironment,
  type UpgradeInfrastructure,
  upgradedEnvironment,
} from "../../../e2e/lib/environment";
import { stacksOf } from "../../../stacks/graph";

const infra: ExistingInfrastructure = {
  accountId: "111111111111",
  region: "us-east-1",
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.10.0.0/16",
  subnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
  clusterName: "e2e-eks",
  greenClusterName: "e2e-eks-green",
  stateBucket: "eksmon-e2e-tfstate",
  identityStoreId: "d-90670e2e00",
  adminUserName: "e2e-admin",
  chartRepository: "http://127.0.0.1:8879",
  existingWorkspaceId: "ws-12345678-abcd-1234-abcd-123456789012",
  tutorialInstalled: true,
};

const upgrade: UpgradeInfrastructure = {
  accountId: "111111111111",
  region: "us-east-1",
  vpcId: "vpc-0123456789abcdef9",
  vpcCidr: "10.20.0.0/16",
  subnetIds: ["subnet-0123456789abcdef8", "subnet-0123456789abcdef9"],
  clusterName: "e2e-eks-up",
  stateBucket: "eksmon-e2e-tfstate",
  identityStoreId: "d-90670e2e00",
  adminUserName: "e2e-admin",
  chartRepository: "http://127.0.0.1:8879",
};

const validated = (input: ReturnType<typeof e2eEnvironment>) => validateEnvironments([input])[0];

describe("e2eEnvironment", () => {
  it("is valid in both passes", () => {
    const [prometheus, managed] = validateEnvironments([
      e2eEnvironment(infra, "prometheus"),
      { ...e2eEnvironment(infra, "managed"), name: "e2e2" },
    ]);
    expect(prometheus.clusters.map((c) => c.collector.type)).toEqual(["prometheus", "prometheus"]);
    expect(managed.clusters.map((c) => c.collector.type)).toEqual(["managed", "prometheus"]);
  });

  it("has two clusters into one workspace: the first without an id, the second `green`, each with its stack", () => {
    const env = validated(e2eEnvironment(infra, "prometheus"));
    expect(env.clusters.map((c) => [c.name, c.id, c.key])).toEqual([
      ["e2e-eks", undefined, "e2e-eks"],
      ["e2e-eks-green", "green", "green"],
    ]);
    expect(stacksOf(env).map((s) => s.name)).toEqual([
      "e2e-network",
      "e2e-cluster-monitoring",
      "e2e-cluster-e2e-eks",
      "e2e-cluster-green",
      "e2e-grafana",
      "e2e-grafana-token",
      "e2e-grafana-config",
    ]);
  });

  it("adopts what the user made by hand in the first pass, in the first cluster, with the ephemeral token", () => {
    const env = e2eEnvironment(infra, "prometheus") as any;
    expect(env.amp.adoptWorkspaceId).toBe(infra.existingWorkspaceId);
    expect(env.clusters[0].collector.adopt).toEqual({ namespace: true, release: true });
    expect(env.clusters[0].auth).toEqual({ method: "ephemeral" });
    expect(env.clusters[1].collector).not.toHaveProperty("adopt");
    expect(env.amp.requireVpcEndpoint).toBe(true);
  });

  it("drops the adoption in the managed pass (so the run can destroy the workspace) and uses exec for the first cluster", () => {
    const env = e2eEnvironment(infra, "managed") as any;
    expect(env.amp.adoptWorkspaceId).toBeUndefined();
    expect(env.clusters[0].collector).not.toHaveProperty("adopt");
    expect(env.clusters[0].auth).toEqual({ method: "exec" });
    expect(env.clusters[1].collector.type).toBe("prometheus");
  });

  it("drops the second cluster on request, and says so when there is none to add", () => {
    expect(validated(e2eEnvironment(infra, "managed", { green: false })).clusters.map((c) => c.name)).toEqual(
      ["e2e-eks"],
    );
    expect(() =>
      e2eEnvironment({ ...infra, greenClusterName: undefined }, "prometheus", { green: true }),
    ).toThrow("no second cluster");
  });

  it("sets the issue-16 variants on the second cluster, and a given OIDC provider ARN on the first", () => {
    const env = validated(
      e2eEnvironment(infra, "prometheus", {
        greenVariant: { adoptTutorial: true, nodeExporter: "existing" },
        firstOidcProviderArn:
          "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/WRONG",
      }),
    );
    const green = env.clusters[1].collector;
    expect(green.adopt).toMatchObject({ namespace: true, release: true });
    expect(green.exporters.nodeExporter).toBe("existing");
    expect(env.clusters[0].oidcProvider).toEqual({
      arn: "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/WRONG",
    });
  });
});

describe("the upgrade stage's environment", () => {
  it("in the previous release's shape is refused by this release, saying where the cluster went", () => {
    expect(() => validateEnvironments([previousReleaseEnvironment(upgrade) as any])).toThrow(ConfigError);
    expect(() => validateEnvironments([previousReleaseEnvironment(upgrade) as any])).toThrow(/clusters/);
  });

  it("keeps the cluster, collector and EBS CSI settings and the state key prefix across the two shapes", () => {
    const old = previousReleaseEnvironment(upgrade) as any;
    const env = validated(upgradedEnvironment(upgrade));
    expect(env.clusters).toHaveLength(1);
    expect(env.clusters[0]).toMatchObject({ name: old.cluster.name, key: "e2e-eks-up" });
    expect(env.clusters[0].id).toBeUndefined();
    expect(env.clusters[0].collector).toMatchObject(old.collector);
    expect(env.clusters[0].ebsCsi.addonVersion).toBe(old.ebsCsi.addonVersion);
    expect(env.backend).toMatchObject({ bucket: upgrade.stateBucket, keyPrefix: "eksmon/e2eup" });
    expect(old.backend).toEqual({ type: "s3", bucket: upgrade.stateBucket });
  });

  it("takes the cluster's resources over from cluster-monitoring on the upgrade's deploy only", () => {
    expect(validated(upgradedEnvironment(upgrade)).clusters[0].adopt.clusterMonitoringStack).toBe(true);
    expect(validated(upgradedEnvironment(upgrade, false)).clusters[0].adopt.clusterMonitoringStack).toBe(
      false,
    );
  });
});
