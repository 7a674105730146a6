import type { EnvironmentInput } from "../../../lib/config/schema";
import { configProblems, editedExample, exampleEnv } from "../../helpers";

/** The staging example (managed collector), edited: every problem, one per line ("" when valid). */
const problemsOf = (edit: (env: EnvironmentInput) => void, base = "staging") =>
  configProblems(editedExample(base, edit)).join("\n");

const managed = (env: EnvironmentInput) => env.managedCollector!;

describe("collector choice", () => {
  it("defaults to the in-cluster Prometheus server", () => {
    const env = exampleEnv("dev", (e) => {
      delete e.collector;
    });
    expect(env.collector).toBe("prometheus");
  });

  it("the examples use each collector at least once", () => {
    const collectors = ["dev", "staging", "prod"].map((name) => exampleEnv(name).collector);
    expect(collectors).toContain("prometheus");
    expect(collectors).toContain("managed");
  });

  it("fills the managed collector's defaults (interval, exporters' charts pinned to the prometheus chart's ranges)", () => {
    const env = exampleEnv("staging", (e) => {
      e.managedCollector = { subnetIds: ["subnet-0b2c3d4e5f6a70001", "subnet-0b2c3d4e5f6a70002"] };
    });
    expect(env.managedCollector).toMatchObject({
      scrapeInterval: "1m",
      accessEntry: true,
      namespace: "monitoring-exporters",
      nodeExporterChartVersion: expect.stringMatching(/^4\.56\.\d+$/),
      kubeStateMetricsChartVersion: expect.stringMatching(/^8\.4\.\d+$/),
    });
  });

  it("lets a managed environment omit the prometheus section", () => {
    const env = exampleEnv("staging", (e) => {
      delete e.prometheus;
    });
    expect(env.prometheus.chartVersion).toBe("29.27.0");
  });

  it("rejects an unknown collector", () => {
    expect(
      problemsOf((e) => {
        (e as { collector: string }).collector = "otel";
      }),
    ).toContain('staging.collector: "otel" is not a collector (expected "prometheus" or "managed")');
  });
});

describe("managed collector: bad input fails synth with the field and the expectation", () => {
  it("requires the managedCollector section", () => {
    expect(
      problemsOf((e) => {
        delete e.managedCollector;
      }),
    ).toContain('staging.managedCollector: is required when collector is "managed"');
  });

  it("rejects fewer than two subnets", () => {
    expect(
      problemsOf((e) => {
        managed(e).subnetIds = ["subnet-0b2c3d4e5f6a70001"];
      }),
    ).toContain(
      "staging.managedCollector.subnetIds: has fewer than 2 subnets (expected 2-5 subnets, in at least two AZs)",
    );
  });

  it("rejects more than five subnets", () => {
    expect(
      problemsOf((e) => {
        managed(e).subnetIds = [1, 2, 3, 4, 5, 6].map((i) => `subnet-0b2c3d4e5f6a7000${i}`);
      }),
    ).toContain("staging.managedCollector.subnetIds: has more than 5 subnets (expected 2-5 subnets");
  });

  it("rejects a subnet listed twice (one AZ counted twice)", () => {
    expect(
      problemsOf((e) => {
        managed(e).subnetIds = ["subnet-0b2c3d4e5f6a70001", "subnet-0b2c3d4e5f6a70001"];
      }),
    ).toContain(
      'staging.managedCollector.subnetIds: lists "subnet-0b2c3d4e5f6a70001" more than once (expected each once)',
    );
  });

  it("rejects a malformed security group id and an empty list", () => {
    expect(
      problemsOf((e) => {
        managed(e).securityGroupIds = ["sg-nothex"];
      }),
    ).toContain(
      'staging.managedCollector.securityGroupIds[0]: "sg-nothex" is not a security group id (expected sg- followed by 8 or 17 hex digits)',
    );
    expect(
      problemsOf((e) => {
        managed(e).securityGroupIds = [];
      }),
    ).toContain("staging.managedCollector.securityGroupIds: is empty (expected 1-5 security group ids");
  });

  it("rejects a scrape interval below the collector's 30s floor", () => {
    expect(
      problemsOf((e) => {
        managed(e).scrapeInterval = "15s";
      }),
    ).toContain(
      `staging.managedCollector.scrapeInterval: "15s" is below the collector's floor (expected a duration of at least 30s)`,
    );
  });

  it("rejects extra scrape config that is not valid YAML", () => {
    const message = problemsOf((e) => {
      managed(e).extraScrapeConfigs = "- job_name: app\n  relabel_configs: [unclosed\n";
    });
    expect(message).toContain("staging.managedCollector.extraScrapeConfigs: is not valid YAML: ");
    expect(message).toContain("(expected a YAML list of scrape_config entries)");
  });

  it("rejects extra scrape config that is YAML but not a list of named jobs", () => {
    expect(
      problemsOf((e) => {
        managed(e).extraScrapeConfigs = "job_name: app\n";
      }),
    ).toContain("staging.managedCollector.extraScrapeConfigs: is not a YAML list");
    expect(
      problemsOf((e) => {
        managed(e).extraScrapeConfigs = "- job_name: kubernetes-nodes\n";
      }),
    ).toContain(
      'staging.managedCollector.extraScrapeConfigs[0].job_name: "kubernetes-nodes" is already used',
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
        e.collector = "managed";
        e.managedCollector = { subnetIds: ["subnet-0c3d4e5f6a7b80001", "subnet-0c3d4e5f6a7b80002"] };
      }, "prod"),
    ).toContain('prod.collector: is "managed" but the AMP workspace uses a customer KMS key');
  });

  it("ignores the managedCollector section of a prometheus environment (ready for a switch)", () => {
    expect(
      problemsOf((e) => {
        e.collector = "prometheus";
        managed(e).scrapeInterval = "15s";
      }),
    ).toBe("");
  });
});
