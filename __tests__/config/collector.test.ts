import { extraScrapeConfigProblems } from "../../config/collector";
import type { EnvironmentInput, ManagedCollectorConfig } from "../../config/environment";
import { configProblems, editedExample, exampleEnv } from "../helpers";

/** The staging example (managed collector), edited: every problem, one per line ("" when valid). */
const problemsOf = (edit: (env: EnvironmentInput) => void, base = "staging") =>
  configProblems(editedExample(base, edit)).join("\n");

/** The managed collector section of an input known to have one. */
const managed = (env: EnvironmentInput) => env.clusters[0].collector as Partial<ManagedCollectorConfig>;

describe("collector choice", () => {
  it("defaults to the in-cluster Prometheus server with the chart's defaults", () => {
    const env = exampleEnv("dev", (e) => {
      delete e.clusters[0].collector;
    });
    expect(env.clusters[0].collector).toMatchObject({
      type: "prometheus",
      chartVersion: "29.27.0",
      namespace: "prometheus",
    });
  });

  it("the examples use each collector at least once", () => {
    const collectors = ["dev", "staging", "prod"].map((name) => exampleEnv(name).clusters[0].collector.type);
    expect(collectors).toContain("prometheus");
    expect(collectors).toContain("managed");
  });

  it("fills the managed collector's defaults (interval, exporters' charts pinned to the prometheus chart's ranges)", () => {
    const env = exampleEnv("staging", (e) => {
      e.clusters[0].collector = {
        type: "managed",
        subnetIds: ["subnet-0b2c3d4e5f6a70001", "subnet-0b2c3d4e5f6a70002"],
      };
    });
    expect(env.clusters[0].collector).toMatchObject({
      type: "managed",
      scrapeInterval: "1m",
      accessEntry: true,
      namespace: "monitoring-exporters",
      nodeExporterChartVersion: expect.stringMatching(/^4\.56\.\d+$/),
      kubeStateMetricsChartVersion: expect.stringMatching(/^8\.4\.\d+$/),
    });
  });

  it("rejects an unknown collector type", () => {
    expect(
      problemsOf((e) => {
        (e.clusters[0] as { collector: unknown }).collector = { type: "otel" };
      }),
    ).toContain(
      'staging.clusters[0].collector.type: has an unknown type "otel" (expected type "prometheus" or "managed")',
    );
  });

  it("refuses a prometheus setting in a managed collector (one shape per type)", () => {
    expect(
      problemsOf((e) => {
        (managed(e) as Record<string, unknown>).chartVersion = "29.27.0";
      }),
    ).toContain(
      'staging.clusters[0].collector: unknown field "chartVersion" (expected only the fields documented in docs/configuration.md)',
    );
  });
});

describe("the old collector shapes", () => {
  it("refuses the environment-level cluster, collector and ebsCsi of one-cluster releases, saying where they went", () => {
    const problems = problemsOf((e) => {
      const old = e as Record<string, unknown>;
      const [cluster] = e.clusters;
      old.cluster = { name: cluster.name };
      old.collector = cluster.collector;
      old.ebsCsi = cluster.ebsCsi;
    }, "dev");
    for (const expected of [
      "dev.cluster: has moved (expected clusters: [{ name, oidcProvider, auth, collector, ebsCsi, sizing }] (one entry per EKS cluster; the fields of cluster, collector and ebsCsi go inside it))",
      "dev.collector: has moved (expected clusters[].collector (each cluster has its own collector))",
      "dev.ebsCsi: has moved (expected clusters[].ebsCsi (each cluster has its own EBS CSI driver))",
    ])
      expect(problems).toContain(expected);
  });

  it("refuses the collector type as a string, with how to write it (in-cluster Prometheus)", () => {
    const problems = problemsOf((e) => {
      (e.clusters[0] as Record<string, unknown>).collector = "prometheus";
      (e as Record<string, unknown>).prometheus = { persistentVolumeSize: "8Gi" };
    }, "dev");
    expect(problems).toContain(
      'dev.clusters[0].collector: is the old shape "prometheus" (expected collector: { type: "prometheus", ... } holding the fields of the old prometheus section)',
    );
    expect(problems).toContain(
      'dev.prometheus: has moved (expected clusters[].collector: { type: "prometheus", ... } holding its fields)',
    );
  });

  it("refuses the collector type as a string, with how to write it (managed collector)", () => {
    const problems = problemsOf((e) => {
      (e.clusters[0] as Record<string, unknown>).collector = "managed";
      (e as Record<string, unknown>).managedCollector = { subnetIds: ["subnet-0b2c3d4e5f6a70001"] };
    });
    expect(problems).toContain(
      'staging.clusters[0].collector: is the old shape "managed" (expected collector: { type: "managed", ... } holding the fields of the old managedCollector section)',
    );
    expect(problems).toContain(
      'staging.managedCollector: has moved (expected clusters[].collector: { type: "managed", ... } holding its fields)',
    );
  });
});

describe("managed collector: bad input fails synth with the field and the expectation", () => {
  it("requires the subnets", () => {
    expect(
      problemsOf((e) => {
        delete managed(e).subnetIds;
      }),
    ).toContain("staging.clusters[0].collector.subnetIds: is required");
  });

  it("rejects fewer than two subnets", () => {
    expect(
      problemsOf((e) => {
        managed(e).subnetIds = ["subnet-0b2c3d4e5f6a70001"];
      }),
    ).toContain(
      "staging.clusters[0].collector.subnetIds: has fewer than 2 subnets (expected 2-5 subnets, in at least two AZs)",
    );
  });

  it("rejects more than five subnets", () => {
    expect(
      problemsOf((e) => {
        managed(e).subnetIds = [1, 2, 3, 4, 5, 6].map((i) => `subnet-0b2c3d4e5f6a7000${i}`);
      }),
    ).toContain("staging.clusters[0].collector.subnetIds: has more than 5 subnets (expected 2-5 subnets");
  });

  it("rejects a subnet listed twice (one AZ counted twice)", () => {
    expect(
      problemsOf((e) => {
        managed(e).subnetIds = ["subnet-0b2c3d4e5f6a70001", "subnet-0b2c3d4e5f6a70001"];
      }),
    ).toContain(
      'staging.clusters[0].collector.subnetIds: lists "subnet-0b2c3d4e5f6a70001" more than once (expected each once)',
    );
  });

  it("rejects a malformed security group id and an empty list", () => {
    expect(
      problemsOf((e) => {
        managed(e).securityGroupIds = ["sg-nothex"];
      }),
    ).toContain(
      'staging.clusters[0].collector.securityGroupIds[0]: "sg-nothex" is not a security group id (expected sg- followed by 8 or 17 hex digits)',
    );
    expect(
      problemsOf((e) => {
        managed(e).securityGroupIds = [];
      }),
    ).toContain("staging.clusters[0].collector.securityGroupIds: is empty (expected 1-5 security group ids");
  });

  it("rejects a scrape interval below the collector's 30s floor", () => {
    expect(
      problemsOf((e) => {
        managed(e).scrapeInterval = "15s";
      }),
    ).toContain(
      `staging.clusters[0].collector.scrapeInterval: "15s" is below the collector's floor (expected a duration of at least 30s)`,
    );
  });

  it("rejects extra scrape config that is not valid YAML", () => {
    const message = problemsOf((e) => {
      managed(e).extraScrapeConfigs = "- job_name: app\n  relabel_configs: [unclosed\n";
    });
    expect(message).toContain("staging.clusters[0].collector.extraScrapeConfigs: is not valid YAML: ");
    expect(message).toContain("(expected a YAML list of scrape_config entries)");
  });

  it("rejects extra scrape config that is YAML but not a list of named jobs", () => {
    expect(
      problemsOf((e) => {
        managed(e).extraScrapeConfigs = "job_name: app\n";
      }),
    ).toContain("staging.clusters[0].collector.extraScrapeConfigs: is not a YAML list");
    expect(
      problemsOf((e) => {
        managed(e).extraScrapeConfigs = "- job_name: kubernetes-nodes\n";
      }),
    ).toContain(
      'staging.clusters[0].collector.extraScrapeConfigs[0].job_name: "kubernetes-nodes" is already used',
    );
  });

  it("accepts valid extra scrape config", () => {
    expect(
      problemsOf((e) => {
        managed(e).extraScrapeConfigs = "- job_name: app\n  kubernetes_sd_configs:\n    - role: pod\n";
      }),
    ).toBe("");
  });

  it("rejects the managed collector on a workspace with a customer KMS key", () => {
    expect(
      problemsOf((e) => {
        e.clusters[0].collector = {
          type: "managed",
          subnetIds: ["subnet-0c3d4e5f6a7b80001", "subnet-0c3d4e5f6a7b80002"],
        };
      }, "prod"),
    ).toContain(
      'prod.clusters[0].collector.type: is "managed" but the AMP workspace uses a customer KMS key',
    );
  });
});

describe("dashboards and the collector", () => {
  it("default to the shared dashboards and the collector's own", () => {
    expect(exampleEnv("dev").grafana.dashboards).toEqual([
      "eks-control-plane.json",
      "cluster-capacity.json",
      "prometheus-collector.json",
      "monitoring-cost.json",
    ]);
    // Two clusters, one of each collector: both collectors' own dashboards.
    expect(exampleEnv("staging").grafana.dashboards).toEqual([
      "eks-control-plane.json",
      "cluster-capacity.json",
      "prometheus-collector.json",
      "managed-collector.json",
      "monitoring-cost.json",
    ]);
  });

  it("refuse a dashboard of a collector no cluster runs, naming the ones that fit", () => {
    expect(
      problemsOf((e) => {
        e.grafana.dashboards = ["cluster-capacity.json", "managed-collector.json"];
      }, "dev"),
    ).toContain(
      'dev.grafana.dashboards[1]: "managed-collector.json" shows the managed collector, but no cluster of this environment runs it (its collectors: "prometheus"; expected dashboards of those: eks-control-plane.json, cluster-capacity.json, prometheus-collector.json, monitoring-cost.json)',
    );
  });
});

describe("extraScrapeConfigProblems", () => {
  it("accepts a list of uniquely named jobs", () => {
    expect(extraScrapeConfigProblems("- job_name: a\n- job_name: b\n  scrape_interval: 45s\n")).toEqual([]);
  });
  it("rejects text that is not YAML", () => {
    const [{ path, message }] = extraScrapeConfigProblems("- job_name: [unclosed\n");
    expect(path).toEqual([]);
    expect(message).toMatch(/^is not valid YAML: .+ \(expected a YAML list of scrape_config entries\)$/);
  });
  it("rejects YAML that is not a list", () => {
    expect(extraScrapeConfigProblems("job_name: a\n")).toEqual([
      {
        path: [],
        message: "is not a YAML list (expected a list of scrape_config entries, each with a job_name)",
      },
    ]);
  });
  it("rejects entries without a job_name, clashing names and intervals below 30s", () => {
    const problems = extraScrapeConfigProblems(
      "- scheme: https\n- job_name: kubernetes-nodes\n- job_name: fast\n  scrape_interval: 10s\n- just text\n",
    );
    expect(problems.map((p) => p.path)).toEqual([[0], [1, "job_name"], [2, "scrape_interval"], [3]]);
    expect(problems[1].message).toContain('"kubernetes-nodes" is already used');
    expect(problems[2].message).toContain("expected a duration of at least 30s");
  });
});

describe("collector.exporters", () => {
  it("defaults to installing both, for either collector (environments written before it are unchanged)", () => {
    for (const name of ["dev", "staging"])
      expect(exampleEnv(name).clusters[0].collector.exporters).toEqual({
        nodeExporter: "install",
        kubeStateMetrics: "install",
      });
  });

  it('takes "existing" for each, in either collector', () => {
    const env = exampleEnv("dev", (e) => {
      e.clusters[0].collector = { type: "prometheus", exporters: { nodeExporter: "existing" } };
    });
    expect(env.clusters[0].collector.exporters).toEqual({
      nodeExporter: "existing",
      kubeStateMetrics: "install",
    });
    expect(
      problemsOf((e) => {
        managed(e).exporters = { nodeExporter: "existing", kubeStateMetrics: "existing" };
      }),
    ).toBe("");
  });

  it("refuses another source, naming the environment and the field", () => {
    expect(
      problemsOf((e) => {
        managed(e).exporters = { nodeExporter: "skip", kubeStateMetrics: "install" } as never;
      }),
    ).toBe(
      'staging.clusters[0].collector.exporters.nodeExporter: "skip" is not an exporter source (expected "install" or "existing")',
    );
  });

  it("refuses adopting the exporters' namespace when nothing is installed in it", () => {
    expect(
      problemsOf((e) => {
        managed(e).exporters = { nodeExporter: "existing", kubeStateMetrics: "existing" };
        managed(e).adopt = { namespace: true };
      }),
    ).toBe(
      'staging.clusters[0].collector.adopt.namespace: is true but both exporters are "existing": nothing is installed, so the namespace is not managed (expected false)',
    );
  });
});
