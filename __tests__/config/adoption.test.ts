import { adoptionFlags } from "../../config/adoption";
import { exampleEnv } from "../helpers";

describe("adoptionFlags", () => {
  it("lists the one-shot fields an environment sets, with what each imports", () => {
    expect(adoptionFlags(exampleEnv("dev"))).toEqual([
      {
        field: "clusters[0].collector.adopt.namespace",
        imports: "the namespace prometheus of dev-eks",
        resourceType: "kubernetes_namespace_v1",
      },
      {
        field: "clusters[0].collector.adopt.release",
        imports: "the Helm release prometheus/prometheus of dev-eks",
        resourceType: "helm_release",
      },
    ]);
    expect(adoptionFlags(exampleEnv("staging")).map((f) => f.field)).toEqual([
      "amp.adoptWorkspaceId",
      'clusters[0].ebsCsi.driver: "adopt"',
    ]);
    expect(adoptionFlags(exampleEnv("prod"))).toEqual([
      {
        field: "clusters[0].adopt.clusterMonitoringStack",
        imports: "prod-eks's resources from prod-cluster-monitoring",
        resourceType: "",
      },
    ]);
  });

  it("names the import's resource type, which a failed plan names too", () => {
    const env = exampleEnv("prod", (e) => {
      delete e.clusters[0].adopt;
      e.grafana.adoptWorkspaceId = "g-0123456789";
    });
    expect(adoptionFlags(env)).toEqual([
      {
        field: "grafana.adoptWorkspaceId",
        imports: "the AMG workspace g-0123456789",
        resourceType: "aws_grafana_workspace",
      },
    ]);
  });
});
