/**
 * Several clusters per environment, one workspace: each cluster has its own stack, so adding or removing one
 * plans that stack only; every series says its cluster (external labels on both collectors' paths to AMP);
 * every recording rule and alert keeps the `cluster` label, and the rules that watch one cluster's collector
 * are written per cluster.
 */
import { App } from "cdktf";
import { parse } from "yaml";
import { addBootstrap, addEnvironment } from "../../app";
import type { EnvironmentInput } from "../../config/environment";
import { validateEnvironments } from "../../config/validate";
import { type RuleFile, rulesOf } from "../../monitoring/rules";
import { editedExample, exampleEnv, resourcesOf, type StackJson, synthEnvironment } from "../helpers";

/** staging with a third cluster, teal, in green's VPC with green's collector type. */
function withTeal(): EnvironmentInput {
  return editedExample("staging", (e) => {
    const green = e.clusters[1];
    e.clusters.push({
      ...structuredClone(green),
      name: "staging-eks-teal",
      id: "teal",
    });
  });
}

/** Every stack the app synthesizes for these environments, bootstrap stacks included, as JSON text. */
function synthAll(inputs: readonly EnvironmentInput[]): Map<string, string> {
  const app = new App({ outdir: "unused", skipValidation: true });
  const configs = validateEnvironments(inputs);
  for (const env of configs) addEnvironment(app, env);
  addBootstrap(app, configs);
  return new Map(
    app.node.children.map((c) => [
      c.node.id,
      JSON.stringify((c as unknown as { toTerraform(): unknown }).toTerraform()),
    ]),
  );
}

/** Resource addresses of a stack whose configuration differs between two syntheses, plus added and removed. */
function changedAddresses(before: string, after: string): string[] {
  const addresses = (text: string) => {
    const json = JSON.parse(text) as StackJson;
    const out = new Map<string, string>();
    for (const [type, byId] of Object.entries(json.resource ?? {}))
      for (const [id, config] of Object.entries(byId)) out.set(`${type}.${id}`, JSON.stringify(config));
    return out;
  };
  const a = addresses(before);
  const b = addresses(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

describe("an environment with several clusters", () => {
  const { json, clusters, stacks } = synthEnvironment(exampleEnv("staging"));

  it("has one stack per cluster, named by its id or, without one, its name", () => {
    expect(stacks.clusters.map((s) => s.node.id)).toEqual([
      "staging-cluster-staging-eks",
      "staging-cluster-green",
    ]);
    expect(Object.keys(clusters)).toEqual(["staging-eks", "green"]);
  });

  it("gives each cluster's resources their own names: the cluster without an id keeps the environment's", () => {
    const roleNames = (stack: StackJson) =>
      Object.values(resourcesOf(stack, "aws_iam_role"))
        .map((r) => r.name)
        .sort();
    expect(roleNames(clusters["staging-eks"])).toEqual(["eksmon-staging-ebs-csi-driver"]);
    expect(roleNames(clusters.green)).toEqual([
      "eksmon-staging-green-amp-ingest",
      "eksmon-staging-green-ebs-csi-driver",
    ]);
    const namespaces = (stack: StackJson) =>
      Object.values(resourcesOf(stack, "aws_prometheus_rule_group_namespace")).map((r) => r.name);
    expect(namespaces(clusters["staging-eks"])).toEqual(["eksmon-managed-collector"]);
    expect(namespaces(clusters.green)).toEqual(["eksmon-green-prometheus-collector"]);
  });

  it("creates one endpoint per VPC its clusters use, and each cluster reads its own VPC's", () => {
    const endpoints = Object.values(resourcesOf(json.network, "aws_vpc_endpoint")).map((e) => e.vpc_id);
    expect(endpoints.sort()).toEqual(["vpc-0b2c3d4e5f6a78901", "vpc-0d4e5f6a7b8c90123"]);
    const ids = json.network.output?.amp_vpc_endpoint_ids?.value as unknown as Record<string, string>;
    expect(Object.keys(ids).sort()).toEqual(["vpc-0b2c3d4e5f6a78901", "vpc-0d4e5f6a7b8c90123"]);
    const green = synthEnvironment(exampleEnv("staging", (e) => (e.amp.requireVpcEndpoint = true))).clusters
      .green;
    const ingest = Object.values(resourcesOf(green, "aws_iam_role_policy")).find(
      (p) => p.name === "eksmon-staging-green-amp-ingest",
    ) as { policy: string };
    expect(JSON.parse(ingest.policy).Statement[0].Condition.StringEquals["aws:SourceVpce"]).toBe(
      "${data.terraform_remote_state.network-state.outputs.amp_vpc_endpoint_ids.vpc-0d4e5f6a7b8c90123}",
    );
  });

  it("labels every series with its cluster, on both collectors' paths to AMP", () => {
    const release = Object.values(resourcesOf(clusters.green, "helm_release"))[0] as { values: string[] };
    expect(parse(release.values[0]).server.global.external_labels).toEqual({ cluster: "staging-eks-green" });
    const scraper = Object.values(resourcesOf(clusters["staging-eks"], "aws_prometheus_scraper"))[0] as {
      scrape_configuration: string;
    };
    expect(parse(scraper.scrape_configuration).global.external_labels).toEqual({ cluster: "staging-eks" });
  });

  it("writes the rules that watch a collector per cluster: one silent cluster pages, the others do not", () => {
    const silence = (stack: StackJson) =>
      Object.values(resourcesOf(stack, "aws_prometheus_rule_group_namespace"))
        .flatMap((n) => rulesOf({ n: parse(n.data as string) as RuleFile }))
        .filter((r) => r.alert === "CollectorSilent")
        .map((r) => r.expr);
    expect(silence(clusters["staging-eks"])).toEqual([
      'absent(up{job="kubernetes-api-servers", cluster="staging-eks"})',
    ]);
    expect(silence(clusters.green)).toEqual(['absent(up{job="prometheus", cluster="staging-eks-green"})']);
  });
});

/** An aggregation's grouping, e.g. `sum by (cluster, code)`; `by` is what a rule's output keeps. */
const AGGREGATION =
  /\b(sum|avg|min|max|count|group|stddev|stdvar|topk|bottomk|quantile)\s*(by|without)?\s*(\(([^)]*)\))?\s*\(/g;

describe("every recording rule and alert of every stack", () => {
  const stacks = synthAll([exampleInput("staging"), exampleInput("dev"), exampleInput("prod")]);
  const rules = [...stacks.entries()].flatMap(([stack, text]) =>
    Object.values(resourcesOf(JSON.parse(text), "aws_prometheus_rule_group_namespace")).flatMap((n) =>
      rulesOf({ n: parse(n.data as string) as RuleFile }).map((r) => ({ stack, rule: r })),
    ),
  );

  it("exist (the check reads something)", () => {
    expect(rules.length).toBeGreaterThan(20);
  });

  it("keep `cluster` in their output labels: every aggregation groups by it", () => {
    // Aggregations across the clusters on purpose, whose result only filters the rule's own per-cluster
    // series (`<per cluster> and on () (<across clusters> > x)`), so the output keeps `cluster`.
    const ACROSS_CLUSTERS: Record<string, string> = {
      AmpIngestionNearBudget: "the ingestion budget is the workspace's: every cluster's samples together",
    };
    const across = rules.filter(({ rule }) => ACROSS_CLUSTERS[rule.alert ?? ""]);
    expect(across.length).toBeGreaterThan(0); // prod's budget
    for (const { rule } of across) expect(rule.expr).toMatch(/^[\w:]+\([\w:]+(\[\w+\])?\) and on \(\) \(/);
    const dropping = rules.flatMap(({ stack, rule }) =>
      [...rule.expr.matchAll(AGGREGATION)]
        .filter(() => !ACROSS_CLUSTERS[rule.alert ?? ""])
        .filter((m) => {
          const [, , mode, , labels] = m;
          const names = (labels ?? "").split(",").map((l) => l.trim());
          return mode === "without" ? names.includes("cluster") : !names.includes("cluster");
        })
        .map((m) => `${stack}: ${rule.record ?? rule.alert}: ${m[0]}`),
    );
    expect(dropping).toEqual([]);
  });

  it("name the cluster in every alert's summary", () => {
    const alerts = rules.filter(({ rule }) => rule.alert);
    expect(alerts.length).toBeGreaterThan(5);
    for (const { stack, rule } of alerts)
      expect({
        stack,
        alert: rule.alert,
        named: /cluster|staging-eks|dev-eks|prod-eks/.test(rule.annotations?.summary ?? ""),
      }).toEqual({
        stack,
        alert: rule.alert,
        named: true,
      });
  });
});

describe("adding or removing a cluster", () => {
  const three = synthAll([withTeal()]);
  const two = synthAll([exampleInput("staging")]);

  it("adds or removes its stack", () => {
    expect([...three.keys()].filter((k) => !two.has(k))).toEqual(["staging-cluster-teal"]);
    expect([...two.keys()].filter((k) => !three.has(k))).toEqual([]);
  });

  it("leaves every other stack of the environment byte-identical (its VPC and collector type stay in use)", () => {
    const environmentStacks = [...two.keys()].filter((k) => k.startsWith("staging-"));
    expect(environmentStacks.length).toBeGreaterThanOrEqual(6);
    for (const name of environmentStacks)
      expect({ name, same: three.get(name) === two.get(name) }).toEqual({ name, same: true });
  });

  it("changes a bootstrap stack only by the cluster's own access entries and the plan role's state keys", () => {
    const github = changedAddresses(
      two.get("bootstrap-github-aws-222222222222")!,
      three.get("bootstrap-github-aws-222222222222")!,
    );
    expect(github).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_eks_access_entry\.staging-teal-cluster-access/),
        expect.stringMatching(/^aws_iam_role_policy\.staging-plan-role_policy/),
      ]),
    );
    for (const name of [...two.keys()].filter((k) => k.startsWith("bootstrap-"))) {
      const changed = changedAddresses(two.get(name)!, three.get(name)!);
      const unexpected = changed.filter(
        (a) => !/staging-teal-cluster-access|staging-plan-role_policy/.test(a),
      );
      expect({ name, unexpected }).toEqual({ name, unexpected: [] });
    }
  });

  it("that brings its own VPC adds that VPC's endpoint, and nothing else, to the network stack", () => {
    const own = synthAll([
      editedExample("staging", (e) => {
        e.clusters.push({
          ...structuredClone(e.clusters[1]),
          name: "staging-eks-violet",
          id: "violet",
          network: {
            vpcId: "vpc-0f0e0d0c0b0a09080",
            vpcCidrs: ["10.22.0.0/16"],
            endpointSubnetIds: ["subnet-0f0e0d0c0b0a00001", "subnet-0f0e0d0c0b0a00002"],
          },
        });
      }),
    ]);
    const changed = changedAddresses(two.get("staging-network")!, own.get("staging-network")!);
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((a) => a.includes("vpc-0f0e0d0c0b0a09080"))).toBe(true);
  });
});

function exampleInput(name: string): EnvironmentInput {
  return editedExample(name, () => undefined);
}
