import { configProblems, editedExample, exampleEnv } from "../helpers";

describe("metrics config", () => {
  it("defaults to the allow-list, no budget, no limits", () => {
    expect(exampleEnv("staging").metrics).toEqual({ sendAll: false, extra: [], labelSetLimits: [] });
  });

  it("refuses what Prometheus' RE2 would refuse, and patterns matching every metric, all at once", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.metrics = { extra: ["myapp_(", "a(?=b)", ".*", "ok_total", "ok_total"] };
        }),
      ),
    ).toEqual([
      'staging.metrics.extra[0]: "myapp_(" is not an RE2 regular expression: missing closing ): `myapp_(` (expected a metric name or a pattern such as "myapp_.*")',
      'staging.metrics.extra[1]: "a(?=b)" is not an RE2 regular expression: invalid or unsupported Perl syntax: `(?=` (expected a metric name or a pattern such as "myapp_.*")',
      'staging.metrics.extra[2]: ".*" matches every metric (expected sendAll: true to send everything, or a narrower pattern)',
      'staging.metrics.extra: lists "ok_total" more than once (expected each once)',
    ]);
  });

  it("refuses extra metrics with sendAll (they say a filter was expected)", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.metrics = { sendAll: true, extra: ["x"] };
        }),
      ),
    ).toEqual([
      "staging.metrics.extra: is set but sendAll is true, which sends every metric anyway (expected extra with sendAll false, or no extra)",
    ]);
  });

  it("asks an environment importing grafana.com dashboards for their metrics, or sendAll", () => {
    const importing = (metrics: object) =>
      editedExample("staging", (e) => {
        e.grafana.grafanaComDashboards = [{ id: 3119, revision: 2 }];
        e.metrics = metrics;
      });
    expect(configProblems(importing({}))).toEqual([
      "staging.metrics.extra: is empty, but grafana.grafanaComDashboards imports 3119 whose queries the allow-list cannot read (expected the metrics they read in metrics.extra, see docs/cost.md, or metrics.sendAll: true)",
    ]);
    expect(configProblems(importing({ sendAll: true }))).toEqual([]);
    expect(configProblems(importing({ extra: ["machine_cpu_cores"] }))).toEqual([]);
  });

  it("checks the budget and the label-set limits against AMP's rules", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.metrics = {
            budget: { monthlyIngestionUsd: 0, activeSeries: 10 },
            labelSetLimits: [
              { labelSet: { "bad-name": "x" }, maxSeries: 10 },
              { labelSet: { job: " " }, maxSeries: -1 },
            ],
          };
        }),
      ),
    ).toEqual([
      "staging.metrics.budget.monthlyIngestionUsd: 0 is too small (expected US dollars per month, 1-10000000)",
      "staging.metrics.budget.activeSeries: 10 is too small (expected active series, 1000-1000000000)",
      'staging.metrics.labelSetLimits[0].labelSet.bad-name: "bad-name" is not a label name (expected [a-zA-Z_][a-zA-Z0-9_]*)',
      'staging.metrics.labelSetLimits[1].labelSet.job: " " is not a label value (expected printable ASCII with at least one character that is not a space)',
      "staging.metrics.labelSetLimits[1].maxSeries: -1 is too small (expected active series, 0-1000000000)",
    ]);
  });
});

it("refuses the same label set twice, whatever the order of its labels", () => {
  expect(
    configProblems(
      editedExample("staging", (e) => {
        e.metrics = {
          labelSetLimits: [
            { labelSet: { b: "2", a: "1" }, maxSeries: 1 },
            { labelSet: { a: "1", b: "2" }, maxSeries: 2 },
          ],
        };
      }),
    ),
  ).toEqual(['staging.metrics.labelSetLimits: lists "{a="1", b="2"}" more than once (expected each once)']);
});

describe("sizing config", () => {
  it("has defaults, and refuses sizes that are not counts", () => {
    const defaults = exampleEnv("staging", (e) => {
      delete e.sizing;
      delete e.clusters[0].sizing;
    });
    expect(defaults.sizing).toEqual({ grafanaEditors: 1, grafanaViewers: 0, dashboardHoursPerMonth: 40 });
    expect(defaults.clusters[0].sizing).toMatchObject({ nodes: 3, pods: 40 });
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.clusters[0].sizing = { nodes: 0 };
          e.sizing = { grafanaEditors: 0 };
        }),
      ),
    ).toEqual([
      "staging.clusters[0].sizing.nodes: 0 is too small (expected nodes, 1-100000)",
      "staging.sizing.grafanaEditors: 0 is too small (expected active Grafana editors, 1-100000)",
    ]);
  });

  it("refuses a cluster's size at the environment's level, saying where it went", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.sizing = { nodes: 6 } as typeof e.sizing;
        }),
      ),
    ).toEqual([
      "staging.sizing.nodes: has moved (expected clusters[].sizing.nodes (each cluster's size, for npm run cost))",
    ]);
  });
});
