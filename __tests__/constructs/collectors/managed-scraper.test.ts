import { type IResolvable, TerraformStack, Testing } from "cdktf";
import { AmpWorkspace } from "../../../constructs/amp/workspace";
import {
  AmpManagedScraper,
  type AmpManagedScraperProps,
  SCRAPER_CLUSTER_ROLE,
  SCRAPER_KUBERNETES_USER,
} from "../../../constructs/collectors/managed-scraper";
import { fakeCluster, resourcesOf, type StackJson } from "../../helpers";

const base: Omit<AmpManagedScraperProps, "workspace"> = {
  alias: "eksmon-test-scraper",
  cluster: fakeCluster({
    name: "test-eks",
    arn: "test-cluster-arn",
    clusterSecurityGroupId: "sg-0c1a2b3c4d5e6f708",
  }),
  vpcId: "vpc-0a1b2c3d4e5f67890",
  subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
  securityGroupName: "eksmon-test-amp-scraper",
  targetPorts: [
    { port: 443, what: "Kubernetes API server" },
    { port: 9100, what: "prometheus-node-exporter" },
  ],
  scrapeConfiguration: "global:\n  scrape_interval: 1m\n",
  createAccessEntry: true,
};

function synth(props: Partial<AmpManagedScraperProps> = {}): StackJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const workspace = AmpWorkspace.fromAttributes(stack, "amp", {
    workspaceId: "ws-test",
    arn: "test-workspace-arn",
    alias: "test",
    prometheusEndpoint: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-test/",
  });
  new AmpManagedScraper(stack, "scraper", { ...base, workspace, ...props });
  return JSON.parse(Testing.synth(stack));
}

const only = (json: StackJson, type: string) => {
  const all = Object.values(resourcesOf(json, type));
  expect(all).toHaveLength(1);
  return all[0];
};

describe("AmpManagedScraper", () => {
  it("fails the plan on a cluster without a private API endpoint, saying how to turn it on", () => {
    const access = "${data.aws_eks_cluster.cluster.vpc_config[0].endpoint_private_access}";
    const scraper = only(
      synth({
        cluster: {
          ...base.cluster,
          region: "eu-west-1",
          endpointPrivateAccess: access as unknown as IResolvable,
        },
      }),
      "aws_prometheus_scraper",
    ) as any;
    expect(scraper.lifecycle.precondition).toEqual([
      {
        condition: access,
        error_message: expect.stringContaining(
          '"aws eks update-cluster-config --name test-eks --region eu-west-1 --resources-vpc-config endpointPrivateAccess=true"',
        ),
      },
    ]);
    expect(scraper.lifecycle.precondition[0].error_message).toMatch(
      /^EKS cluster test-eks has no private API endpoint \(endpoint_private_access is false\)/,
    );
  });

  it("scrapes the cluster into the workspace through the given subnets", () => {
    const json = synth();
    const scraper = only(json, "aws_prometheus_scraper");
    expect(scraper.alias).toBe("eksmon-test-scraper");
    expect(scraper.destination).toEqual([{ amp: [{ workspace_arn: "test-workspace-arn" }] }]);
    expect(scraper.source).toEqual([
      {
        eks: [
          {
            cluster_arn: base.cluster.arn,
            subnet_ids: base.subnetIds,
            security_group_ids: [expect.stringMatching(/^\$\{aws_security_group\..+\.id\}$/)],
          },
        ],
      },
    ]);
    expect(scraper.scrape_configuration).toBe(base.scrapeConfiguration);
  });

  it("creates a security group that only reaches the cluster security group on the scrape ports", () => {
    const json = synth();
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    expect(egress.map((r) => r.from_port).sort()).toEqual([443, 9100]);
    expect(ingress.map((r) => r.from_port).sort()).toEqual([443, 9100]);
    for (const rule of egress) {
      expect(rule.referenced_security_group_id).toBe(base.cluster.clusterSecurityGroupId);
      expect(rule.to_port).toBe(rule.from_port);
    }
    for (const rule of ingress) {
      // Ingress on the cluster security group, from the scraper's group only.
      expect(rule.security_group_id).toBe(base.cluster.clusterSecurityGroupId);
      expect(rule.referenced_security_group_id).toMatch(/^\$\{aws_security_group\..+\.id\}$/);
    }
    for (const rule of [...egress, ...ingress]) {
      expect(rule.description).toEqual(expect.stringMatching(/\S{3,}/));
      expect(rule).not.toHaveProperty("cidr_ipv4");
      expect(rule.ip_protocol).toBe("tcp");
    }
  });

  it("uses given security groups as they are, creating no group and no rules", () => {
    const json = synth({ securityGroupIds: ["sg-0123456789abcdef0"] });
    expect(resourcesOf(json, "aws_security_group")).toEqual({});
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual({});
    expect(resourcesOf(json, "aws_vpc_security_group_egress_rule")).toEqual({});
    const scraper = only(json, "aws_prometheus_scraper") as { source: { eks: Record<string, unknown>[] }[] };
    expect(scraper.source[0].eks[0].security_group_ids).toEqual(["sg-0123456789abcdef0"]);
  });

  it("maps the scraper's role to the user its ClusterRoleBinding names", () => {
    const json = synth();
    const entry = only(json, "aws_eks_access_entry");
    expect(entry).toMatchObject({
      cluster_name: "test-eks",
      principal_arn: expect.stringMatching(/^\$\{aws_prometheus_scraper\..+\.role_arn\}$/),
      type: "STANDARD",
      user_name: SCRAPER_KUBERNETES_USER,
    });
    const binding = only(json, "kubernetes_cluster_role_binding_v1");
    expect(binding.subject).toEqual([
      { kind: "User", name: entry.user_name, api_group: "rbac.authorization.k8s.io" },
    ]);
    expect(binding.role_ref).toEqual({
      api_group: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: SCRAPER_CLUSTER_ROLE,
    });
  });

  it("grants the scraper read-only discovery and metrics access", () => {
    const role = only(synth(), "kubernetes_cluster_role_v1") as {
      metadata: { name: string };
      rule: { verbs: string[]; resources?: string[]; non_resource_urls?: string[] }[];
    };
    expect(role.metadata.name).toBe(SCRAPER_CLUSTER_ROLE);
    const verbs = new Set(role.rule.flatMap((r) => r.verbs));
    expect([...verbs].sort()).toEqual(["get", "list", "watch"]);
    const resources = role.rule.flatMap((r) => r.resources ?? []);
    expect(resources).toEqual(expect.arrayContaining(["nodes/proxy", "nodes/metrics", "endpoints", "pods"]));
    expect(resources).not.toContain("secrets");
    expect(role.rule.flatMap((r) => r.non_resource_urls ?? [])).toEqual(["/metrics"]);
  });

  it("can leave the access entry to AWS", () => {
    expect(resourcesOf(synth({ createAccessEntry: false }), "aws_eks_access_entry")).toEqual({});
  });
});
