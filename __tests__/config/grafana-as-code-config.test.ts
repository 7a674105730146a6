/** Config of issue 3 (alerting, dashboards, grafana.com imports, token rotation): defaults and bad input. */
import type { EnvironmentInput } from "../../config/environment";
import { dashboardsFor } from "../../lib/catalogue";
import { configProblems, editedExample, exampleEnv } from "../helpers";

/** The dev example, edited: every problem validation reports, one per line ("" when valid). */
const problemsOf = (edit: (env: EnvironmentInput) => void) =>
  configProblems(editedExample("dev", edit)).join("\n");

describe("grafana-as-code config defaults", () => {
  const env = exampleEnv("dev", (e) => {
    delete e.alerting;
    e.grafana = { name: e.grafana.name, admins: e.grafana.admins };
  });

  it("publishes every shipped dashboard its collector answers, imports nothing from grafana.com", () => {
    expect(env.grafana.dashboards).toEqual(dashboardsFor("prometheus"));
    expect(env.grafana.grafanaComDashboards).toEqual([]);
  });

  it("issues a 30-day token rotated weekly", () => {
    expect(env.grafana.token).toEqual({ ttlDays: 30, rotationDays: 7 });
  });

  it("has baseline thresholds and no email subscription", () => {
    expect(env.alerting).toEqual({
      emails: [],
      thresholds: {
        remoteWriteLagSeconds: 300,
        remoteWriteFailedPercent: 1,
        apiServerErrorPercent: 5,
        apiServerLatencyP99Seconds: 1,
        persistentVolumeUsedPercent: 85,
        forMinutes: 10,
      },
    });
  });

  it("maps a grafana.com import's data-source input to DS_PROMETHEUS unless told otherwise", () => {
    const withImport = exampleEnv("dev", (e) => {
      e.grafana.grafanaComDashboards = [{ id: 3119, revision: 2 }];
    });
    expect(withImport.grafana.grafanaComDashboards).toEqual([
      { id: 3119, revision: 2, datasourceInput: "DS_PROMETHEUS" },
    ]);
  });
});

describe("grafana-as-code config rejects", () => {
  it("an unknown dashboard file, listing the files that exist", () => {
    expect(
      problemsOf((e) => {
        e.grafana.dashboards = ["cluster-capacity.json", "nodes.json"];
      }),
    ).toContain(
      'dev.grafana.dashboards[1]: "nodes.json" is not a file in dashboards/ (expected one of cluster-capacity.json, eks-control-plane.json, managed-collector.json, monitoring-cost.json, prometheus-collector.json)',
    );
  });

  it("a dashboard name that is not a .json file name", () => {
    expect(
      problemsOf((e) => {
        e.grafana.dashboards = ["../secrets.json"];
      }),
    ).toContain(
      'dev.grafana.dashboards[0]: "../secrets.json" is not a dashboard file name (expected a .json file name in dashboards/, e.g. "cluster-capacity.json")',
    );
  });

  it("a dashboard listed twice", () => {
    expect(
      problemsOf((e) => {
        e.grafana.dashboards = ["cluster-capacity.json", "cluster-capacity.json"];
      }),
    ).toContain('dev.grafana.dashboards: lists "cluster-capacity.json" more than once (expected each once)');
  });

  it("a malformed email", () => {
    expect(
      problemsOf((e) => {
        e.alerting = { emails: ["oncall@example.com", "oncall.example.com"] };
      }),
    ).toContain(
      'dev.alerting.emails[1]: "oncall.example.com" is not an email address (expected an address such as "oncall@example.com")',
    );
  });

  it("the same email twice (in any case)", () => {
    expect(
      problemsOf((e) => {
        e.alerting = { emails: ["Oncall@example.com", "oncall@example.com"] };
      }),
    ).toContain('dev.alerting.emails: lists "oncall@example.com" more than once (expected each once)');
  });

  it.each([
    ["remoteWriteFailedPercent", 150, "150 is too large (expected a percentage of failed samples, 0-100)"],
    ["apiServerErrorPercent", -1, "-1 is too small (expected a percentage of API requests, 0-100)"],
    [
      "persistentVolumeUsedPercent",
      "90",
      "must be a number (expected a percentage of volume capacity, 1-100)",
    ],
    ["remoteWriteLagSeconds", 10, "10 is too small (expected remote-write lag in seconds, 30-86400)"],
    ["forMinutes", 2.5, "2.5 is not an integer (expected minutes before an alert fires, 1-1440)"],
    ["apiServerLatencyP99Seconds", 0, "0 is too small (expected p99 latency in seconds, 0.01-60)"],
  ])("an invalid threshold %s = %p", (field, value, message) => {
    expect(
      problemsOf((e) => {
        e.alerting = { thresholds: { [field]: value } as never };
      }),
    ).toContain(`dev.alerting.thresholds.${field}: ${message}`);
  });

  it("an unknown threshold", () => {
    expect(
      problemsOf((e) => {
        e.alerting = { thresholds: { cpuPercent: 90 } as never };
      }),
    ).toContain('dev.alerting.thresholds: unknown field "cpuPercent"');
  });

  it("a token that would live longer than AMG allows", () => {
    expect(
      problemsOf((e) => {
        e.grafana.token = { ttlDays: 31 };
      }),
    ).toContain("dev.grafana.token.ttlDays: 31 is too large (expected token lifetime in days, 1-30)");
  });

  it("a rotation period that is not shorter than the token's lifetime", () => {
    expect(
      problemsOf((e) => {
        e.grafana.token = { ttlDays: 10, rotationDays: 10 };
      }),
    ).toContain(
      "dev.grafana.token.rotationDays: 10 is not below ttlDays 10 (expected the token to be replaced before it expires)",
    );
  });

  it("a grafana.com import without a revision, or imported twice", () => {
    expect(
      problemsOf((e) => {
        e.grafana.grafanaComDashboards = [{ id: 3119 } as never];
      }),
    ).toContain(
      "dev.grafana.grafanaComDashboards[0].revision: must be a number (expected a grafana.com dashboard revision, an integer 1-100000)",
    );
    expect(
      problemsOf((e) => {
        e.grafana.grafanaComDashboards = [
          { id: 3119, revision: 2 },
          { id: 3119, revision: 3 },
        ];
      }),
    ).toContain('dev.grafana.grafanaComDashboards: lists "3119" more than once (expected each once)');
  });
});
