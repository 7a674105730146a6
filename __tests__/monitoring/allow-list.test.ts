import { COLLECTOR_TYPES, dashboardsFor } from "../../lib/catalogue";
import {
  dashboardExpressions,
  derivedAllowList,
  keepRegex,
  rawMetricsRead,
  ruleExpressions,
} from "../../monitoring/allow-list";
import type { DashboardModel } from "../../monitoring/dashboards";
import { metricsCollectedBy } from "../../monitoring/metrics";
import { exampleRuleParams } from "../helpers";

const rules = exampleRuleParams("dev");

describe("the derived allow-list", () => {
  it("keeps the raw metrics recording rules read, never the names they record (AMP computes those)", () => {
    const { expressions, recorded } = ruleExpressions({
      ns: {
        groups: [
          {
            name: "g",
            rules: [
              { record: "job:x:rate5m", expr: "sum by (job) (rate(x_total[5m]))" },
              { alert: "XHigh", expr: "job:x:rate5m > 1 and on (job) up" },
            ],
          },
        ],
      },
    });
    expect(rawMetricsRead(expressions, recorded)).toEqual(["up", "x_total"]);
  });

  it("reads only the AMP targets of a dashboard (rows included), not CloudWatch's", () => {
    const model = {
      uid: "u",
      title: "t",
      panels: [
        { title: "a", targets: [{ expr: "up" }] },
        { title: "b", datasource: { uid: "cloudwatch-usage" }, targets: [{ expression: "m1 * 2" }] },
        {
          title: "row",
          type: "row",
          panels: [{ title: "c", datasource: { uid: "amp-prometheus" }, targets: [{ expr: "x" }] }],
        },
        { title: "d", datasource: { uid: "other" }, targets: [{ expr: "not_amp" }] },
      ],
    } as unknown as DashboardModel;
    expect(dashboardExpressions(model).map((e) => e.expr)).toEqual(["up", "x"]);
  });

  it.each(COLLECTOR_TYPES)(
    "of the %s collector is what its collector writes, and far from all of it",
    (collector) => {
      const list = derivedAllowList(collector, dashboardsFor(collector), rules);
      const written = metricsCollectedBy(collector);
      expect(list.filter((m) => !written.has(m))).toEqual([]);
      expect(list.length).toBeGreaterThan(10);
      expect(list).toEqual([...list].sort());
    },
  );

  it("follows the dashboards an environment ships: fewer dashboards, fewer metrics", () => {
    const all = derivedAllowList("prometheus", dashboardsFor("prometheus"), rules);
    const fewer = derivedAllowList("prometheus", ["eks-control-plane.json"], rules);
    expect(fewer.length).toBeLessThan(all.length);
    // The rules still need their raw metrics (the capacity recording rules read node_cpu_seconds_total).
    expect(fewer).toContain("node_cpu_seconds_total");
    expect(fewer).not.toContain("kube_pod_container_resource_requests");
  });

  it("puts each extra pattern in its own group, so an alternation inside cannot swallow a name", () => {
    expect(keepRegex({ sendAll: false, names: ["up", "x_total"], extra: ["a|b_.*"] })).toBe(
      "up|x_total|(?:a|b_.*)",
    );
  });
});
