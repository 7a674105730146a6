/**
 * Switching a cluster between the in-cluster Prometheus server and the AMP managed collector must be a
 * plan of its own stack that adds one collector and removes the other, and leaves the AMP workspace (and its
 * data) untouched: the workspace stack is the same document in both modes.
 */
import { parse } from "yaml";
import type { EnvironmentConfig } from "../../config/environment";
import { STACK_GRAPH } from "../../stacks/graph";

const CLUSTER_OUTPUTS = Object.fromEntries(
  Object.entries(STACK_GRAPH.cluster.outputs).map(([key, o]) => [key, o.name]),
) as Record<keyof (typeof STACK_GRAPH)["cluster"]["outputs"], string>;

import { exampleEnv, type StackJson, synthEnvironment } from "../helpers";

type Resources = Map<string, Record<string, unknown>>;

/** Every resource of a stack as `<type>.<logical id>` → its configuration. */
function resourceMap(stack: StackJson): Resources {
  const out: Resources = new Map();
  for (const [type, byId] of Object.entries(stack.resource ?? {}))
    for (const [id, config] of Object.entries(byId)) out.set(`${type}.${id}`, config);
  return out;
}

/** The first cluster's stack. */
function clusterStack(env: EnvironmentConfig): StackJson {
  return synthEnvironment(env).json.cluster;
}

/** An example switched to a collector; the managed collector gets the subnets of the example's endpoint. */
const switched = (name: string, collector: "prometheus" | "managed") =>
  exampleEnv(name, (e) => {
    if (e.clusters[0].collector?.type === collector) return;
    e.clusters[0].collector =
      collector === "managed"
        ? { type: "managed", subnetIds: e.network.endpointSubnetIds!.slice(0, 2) }
        : { type: "prometheus" };
    delete e.grafana.dashboards;
  });

describe.each(["dev", "staging"])("switching %s's first cluster between collectors", (name) => {
  const inClusterEnv = synthEnvironment(switched(name, "prometheus"));
  const managedEnv = synthEnvironment(switched(name, "managed"));
  const inCluster = resourceMap(inClusterEnv.json.cluster);
  const managed = resourceMap(managedEnv.json.cluster);
  const onlyIn = (a: Resources, b: Resources) => [...a.keys()].filter((k) => !b.has(k)).sort();
  const removed = onlyIn(inCluster, managed);
  const added = onlyIn(managed, inCluster);

  it("leaves the workspace stack, and with it the AMP workspace and its data, exactly as it is", () => {
    expect(managedEnv.raw["cluster-monitoring"]).toEqual(inClusterEnv.raw["cluster-monitoring"]);
    expect(Object.keys(inClusterEnv.json["cluster-monitoring"].resource ?? {})).toContain(
      "aws_prometheus_workspace",
    );
  });

  it("changes nothing that both modes share (so the plan has no in-place updates or replacements)", () => {
    const shared = [...inCluster.keys()].filter((k) => managed.has(k));
    expect(shared).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_eks_addon\.ebs-csi/),
        expect.stringMatching(/^kubernetes_storage_class_v1\.ebs-csi/),
      ]),
    );
    for (const key of shared)
      expect({ key, config: managed.get(key) }).toEqual({ key, config: inCluster.get(key) });
  });

  it("removes exactly the Prometheus server, its namespace (and volume), its IRSA role and its own rules", () => {
    const types = removed.map((k) => k.split(".")[0]).sort();
    expect(types).toEqual([
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_prometheus_rule_group_namespace",
      "helm_release",
      "kubernetes_namespace_v1",
      // The plan readers' access to the release records follows the releases' namespace.
      "kubernetes_role_binding_v1",
      "kubernetes_role_v1",
    ]);
    expect(
      removed.every((k) =>
        /\.(prometheus|collector-rules_eksmon-prometheus-collector|plan-readers_releases.*prometheus_namespace)/.test(
          k,
        ),
      ),
    ).toBe(true);
    const server = inCluster.get(removed.find((k) => k.startsWith("helm_release."))!)!;
    expect(server.chart).toBe("prometheus");
    expect(parse((server.values as string[])[0]).server.persistentVolume.enabled).toBe(true);
  });

  it("adds exactly the scraper, its network access, its cluster access, the exporters and its own rules", () => {
    const types = added.map((k) => k.split(".")[0]);
    expect(new Set(types)).toEqual(
      new Set([
        "aws_prometheus_rule_group_namespace",
        "aws_prometheus_scraper",
        "aws_security_group",
        "aws_vpc_security_group_egress_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_eks_access_entry",
        "kubernetes_cluster_role_v1",
        "kubernetes_cluster_role_binding_v1",
        "kubernetes_namespace_v1",
        "kubernetes_role_v1",
        "kubernetes_role_binding_v1",
        "helm_release",
      ]),
    );
    const charts = added.filter((k) => k.startsWith("helm_release.")).map((k) => managed.get(k)!.chart);
    expect(charts.sort()).toEqual(["kube-state-metrics", "prometheus-node-exporter"]);
    expect([...managed.values()].some((r) => r.chart === "prometheus")).toBe(false);
  });

  it("points the scraper at this environment's workspace and cluster", () => {
    const scraper = managed.get(added.find((k) => k.startsWith("aws_prometheus_scraper."))!)! as {
      destination: { amp: { workspace_arn: string }[] }[];
      source: { eks: { cluster_arn: string }[] }[];
    };
    expect(scraper.destination[0].amp[0].workspace_arn).toMatch(
      /^\$\{data\.terraform_remote_state\.cluster-monitoring-state\.outputs\.amp_workspace_arn\}$/,
    );
    expect(scraper.source[0].eks[0].cluster_arn).toMatch(/^\$\{data\.aws_eks_cluster\..+\.arn\}$/);
  });
});

describe("a cluster stack's outputs per collector", () => {
  const outputs = (collector: "prometheus" | "managed") =>
    Object.keys(clusterStack(switched("staging", collector)).output ?? {});

  it("publishes the Prometheus role only in prometheus mode and the scraper only in managed mode", () => {
    expect(outputs("prometheus")).toContain(CLUSTER_OUTPUTS.prometheusRoleArn);
    expect(outputs("prometheus")).not.toContain(CLUSTER_OUTPUTS.ampScraperArn);
    expect(outputs("managed")).toContain(CLUSTER_OUTPUTS.ampScraperArn);
    expect(outputs("managed")).not.toContain(CLUSTER_OUTPUTS.prometheusRoleArn);
  });

  it("still publishes everything the grafana stack reads, in both modes", () => {
    for (const collector of ["prometheus", "managed"] as const) {
      const { json } = synthEnvironment(switched("staging", collector));
      const reads = [
        ...JSON.stringify(json.grafana).matchAll(/terraform_remote_state\.[^.]+\.outputs\.(\w+)/g),
      ].map((m) => m[1]);
      expect(reads.length).toBeGreaterThan(0);
      const published = Object.keys(json["cluster-monitoring"].output ?? {});
      for (const read of reads) expect(published).toContain(read);
    }
  });
});

describe("the AMPAgentlessScraper tag", () => {
  it("is ignored on the workspace so a managed scraper never causes a perpetual diff", () => {
    const stack = synthEnvironment(exampleEnv("staging")).json["cluster-monitoring"];
    const workspace = Object.values(stack.resource?.aws_prometheus_workspace ?? {})[0] as {
      lifecycle: { ignore_changes: string[] };
    };
    expect(workspace.lifecycle.ignore_changes).toEqual(['tags["AMPAgentlessScraper"]']);
  });
});
