/** The metric catalog the dashboard and rule tests trust must match what the collector is configured to scrape. */

import { REQUIRED_SCRAPE_JOBS, SCRAPED_METRICS } from "../fixtures/collector-metrics";
import { exampleEnv, synthEnvironment } from "../helpers";

describe("the collector the metric catalog describes", () => {
  it.each(["dev", "staging", "prod"])(
    "%s keeps the chart's scrape jobs and exporters the catalog relies on",
    (name) => {
      const values = synthEnvironment(exampleEnv(name)).stacks.clusterMonitoring.prometheus.values as Record<
        string,
        Record<string, unknown> | undefined
      >;
      expect(values["kube-state-metrics"]?.enabled).not.toBe(false);
      expect(values["prometheus-node-exporter"]?.enabled).not.toBe(false);
      const scrapeConfigs = (values.scrapeConfigs ?? {}) as Record<string, { enabled?: boolean } | undefined>;
      for (const job of REQUIRED_SCRAPE_JOBS)
        expect({ job, enabled: scrapeConfigs[job]?.enabled }).not.toEqual({ job, enabled: false });
    },
  );

  it("lists each metric once", () => {
    const all = Object.values(SCRAPED_METRICS).flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
