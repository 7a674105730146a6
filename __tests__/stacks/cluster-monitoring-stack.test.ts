import { exampleEnv, onlyResource, resourcesOf, type StackJson, synthEnvironment } from "../helpers";

describe("ClusterMonitoringStack", () => {
  it.each(["dev", "staging", "prod"])("%s matches the reviewed snapshot", (name) => {
    expect(synthEnvironment(exampleEnv(name)).raw["cluster-monitoring"]).toMatchSnapshot();
  });

  it("protects the AMP workspace in prod only", () => {
    for (const [name, expected] of [
      ["prod", true],
      ["dev", false],
    ] as const) {
      const stack = synthEnvironment(exampleEnv(name)).json["cluster-monitoring"];
      expect(onlyResource(stack, "aws_prometheus_workspace").lifecycle).toMatchObject({
        prevent_destroy: expected,
      });
    }
  });

  it("holds nothing of a cluster: no Kubernetes, Helm or IAM resource, and the same document whatever the clusters", () => {
    const { json, raw } = synthEnvironment(exampleEnv("staging"));
    const types = Object.keys(json["cluster-monitoring"].resource ?? {});
    expect(types.filter((t) => /^(kubernetes|helm|aws_iam|aws_eks)_/.test(t))).toEqual([]);
    const one = synthEnvironment(exampleEnv("staging", (e) => e.clusters.splice(1)));
    expect(one.raw["cluster-monitoring"]).toEqual(raw["cluster-monitoring"]);
  });

  it("forgets every address 0.2 gave its one cluster's resources, never destroying them", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"] as StackJson & {
      removed?: { from: string; lifecycle: unknown }[];
    };
    const forgotten = stack.removed!.map((r) => r.from);
    for (const block of stack.removed!) expect(block.lifecycle).toEqual({ destroy: false });
    expect(forgotten).toEqual(
      expect.arrayContaining([
        "helm_release.prometheus_release_1BA974E1",
        "kubernetes_namespace_v1.prometheus_namespace_33B5E166",
        "aws_iam_role.prometheus-irsa_role_4B3424C1",
        "aws_eks_addon.ebs-csi_addon_24CC4AD8",
        "aws_prometheus_scraper.scraper_FECB5F39",
        "kubernetes_role_v1.plan-readers_releases-prometheus_namespace_33B5E166_BDB8B6EE",
      ]),
    );
    // The providers of forgotten Kubernetes and Helm resources are declared, with no connection.
    expect(stack.provider?.kubernetes).toEqual([{}]);
    expect(stack.provider?.helm).toEqual([{}]);
  });

  it("routes alerts only once the topic policy lets AMP publish", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    const route = onlyResource(stack, "aws_prometheus_alert_manager_definition") as { depends_on: string[] };
    expect(route.depends_on).toEqual([expect.stringMatching(/^aws_sns_topic_policy\./)]);
  });

  it("removing metrics.labelSetLimits writes the default bucket without a limit, which clears AMP's", () => {
    const limitsOf = (name: string, edit?: (e: any) => void) =>
      (
        onlyResource(
          synthEnvironment(exampleEnv(name, edit)).json["cluster-monitoring"],
          "aws_prometheus_workspace_configuration",
        ) as any
      ).limits_per_label_set;
    expect(limitsOf("prod").length).toBeGreaterThan(1); // the prod example sets limits
    expect(limitsOf("prod", (e) => delete e.metrics.labelSetLimits)).toEqual([
      { label_set: {}, limits: [{ max_series: 0 }] },
    ]);
  });

  it("logs AMP's rule and alert manager errors by default, protects the created key in prod, and can be turned off", () => {
    const dev = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    expect(onlyResource(dev, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/vendedlogs/prometheus/eksmon-dev-amp",
      retention_in_days: 30,
    });
    expect((onlyResource(dev, "aws_prometheus_workspace") as any).logging_configuration).toEqual({
      log_group_arn:
        "arn:aws:logs:us-east-1:111111111111:log-group:/aws/vendedlogs/prometheus/eksmon-dev-amp:*",
    });
    expect(onlyResource(dev, "aws_cloudwatch_log_resource_policy").policy_name).toBe("eksmon-dev-amp-logs");
    const prod = synthEnvironment(exampleEnv("prod")).json["cluster-monitoring"];
    const logsKey = Object.values(resourcesOf(prod, "aws_kms_key")).find((k) =>
      String(k.description).includes("log group"),
    );
    expect(logsKey?.lifecycle).toEqual({ prevent_destroy: true });
    const off = synthEnvironment(exampleEnv("dev", (e) => (e.amp.logging = { enabled: false }))).json[
      "cluster-monitoring"
    ];
    for (const type of ["aws_cloudwatch_log_group", "aws_cloudwatch_log_resource_policy"])
      expect(resourcesOf(off, type)).toEqual({});
    expect(Object.keys(resourcesOf(off, "aws_kms_key"))).toHaveLength(1); // the alert topic's
    expect((onlyResource(off, "aws_prometheus_workspace") as any).logging_configuration).toBeUndefined();
  });
});
