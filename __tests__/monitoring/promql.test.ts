import {
  PromqlError,
  parseSelectors,
  selectedMetrics,
  selectorKey,
  selectorsOf,
  withGrafanaVariables,
} from "../../monitoring/promql";

describe("selectedMetrics (the Prometheus grammar's parser)", () => {
  it("finds metric names, never labels, groupings, functions or keywords", () => {
    expect(
      selectedMetrics(
        'sum by (code, verb) (rate(apiserver_request_total{code=~"5..", job="x"}[$__rate_interval])) / ignoring (instance) group_left (node) up',
      ),
    ).toEqual(["apiserver_request_total", "up"]);
    expect(selectedMetrics("count by (job) (up == 0)")).toEqual(["up"]);
    expect(selectedMetrics("1 - node:memory_utilisation:ratio offset 5m")).toEqual([
      "node:memory_utilisation:ratio",
    ]);
    expect(
      selectedMetrics("sum without (mode) (rate(node_cpu_seconds_total[5m])) and on (instance) vector(1)"),
    ).toEqual(["node_cpu_seconds_total"]);
    expect(selectedMetrics("histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))")).toEqual([
      "x_bucket",
    ]);
  });

  it("reads names given as matchers, including Prometheus 3 quoted names", () => {
    expect(selectedMetrics('{__name__="up", job="a"}')).toEqual(["up"]);
    expect(selectedMetrics('{"my.metric"}')).toEqual(["my.metric"]);
  });

  it("replaces Grafana's interval variables before parsing", () => {
    expect(withGrafanaVariables("rate(x[$__rate_interval]) + rate(y[${__interval}]) + z[[[__range]]]")).toBe(
      "rate(x[5m]) + rate(y[1m]) + z[1h]",
    );
    expect(selectedMetrics("sum(rate(x[${__rate_interval}]))")).toEqual(["x"]);
  });

  it("refuses what it cannot derive names from, naming the expression", () => {
    expect(() => selectedMetrics('{__name__=~"node_.*"}')).toThrow(PromqlError);
    expect(() => selectedMetrics('{__name__=~"node_.*"}')).toThrow(/pattern on __name__/);
    expect(() => selectedMetrics("rate(foo[5m]")).toThrow(/does not parse at character/);
    expect(() => selectedMetrics("$metric")).toThrow(/"\$metric"/);
    expect(() => selectedMetrics('{job="x"}')).toThrow(/without a metric name/);
  });

  it("gives each selector's range (what a query reads per evaluation)", () => {
    expect(selectorsOf("sum(rate(a[5m])) / b + max_over_time(c[$__rate_interval])")).toEqual([
      { metric: "a", rangeSeconds: 300 },
      { metric: "b", rangeSeconds: undefined },
      { metric: "c", rangeSeconds: 300 },
    ]);
  });
});

describe("selectorKey (what the parse cache is keyed by)", () => {
  it("is the same for the rules of two environments and clusters: thresholds and names select no metric", () => {
    const rule = (cluster: string, env: string, threshold: string) =>
      `sum by (cluster) (rate(x_total{cluster="${cluster}", environment=~"${env}"}[5m])) > ${threshold}`;
    expect(selectorKey(rule("dev-eks", "dev", "0.8"))).toBe(selectorKey(rule("prod-eks", "prod", "15")));
    expect(selectorsOf(rule("prod-eks", "prod", "15"))).toEqual(parseSelectors(rule("a", "b", "1")));
  });

  it("keeps what selects a metric or its range: names (digits in them too), __name__ matchers, durations", () => {
    const keys = [
      "rate(x_total[5m])",
      "rate(x_total[10m])",
      "node_load1",
      "node_load15",
      '{__name__="a"}',
      '{__name__="b"}',
      "x offset 1h",
      "x offset 2h",
    ].map(selectorKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(selectorsOf("rate(y_total[10m]) > 1")).toEqual([{ metric: "y_total", rangeSeconds: 600 }]);
    expect(selectorsOf("rate(y_total[5m]) > 2")).toEqual([{ metric: "y_total", rangeSeconds: 300 }]);
  });
});
