/** The metric catalog the dashboard and rule tests trust must match what the collector is configured to scrape. */

import { parse } from "yaml";
import { REQUIRED_SCRAPE_JOBS, SCRAPED_METRICS } from "../fixtures/collector-metrics";
import { exampleEnv, synthEnvironment } from "../helpers";

describe("the collector the metric catalog describes", () => {
  it.each(["dev", "prod"])("%s keeps the chart's scrape jobs and exporters the catalog relies on", (name) => {
    const env = exampleEnv(name);
    expect(env.collector).toBe("prometheus");
    const values = synthEnvironment(env).stacks.clusterMonitoring.prometheus!.values as Record<
      string,
      Record<string, unknown> | undefined
    >;
    expect(values["kube-state-metrics"]?.enabled).not.toBe(false);
    expect(values["prometheus-node-exporter"]?.enabled).not.toBe(false);
    const scrapeConfigs = (values.scrapeConfigs ?? {}) as Record<string, { enabled?: boolean } | undefined>;
    for (const job of REQUIRED_SCRAPE_JOBS)
      expect({ job, enabled: scrapeConfigs[job]?.enabled }).not.toEqual({ job, enabled: false });
  });

  it("staging's managed collector scrapes the same jobs (but the server's own, which does not exist there)", () => {
    const env = exampleEnv("staging");
    expect(env.collector).toBe("managed");
    const scraper = synthEnvironment(env).json["cluster-monitoring"].resource?.aws_prometheus_scraper;
    const config = parse(
      (Object.values(scraper ?? {})[0] as { scrape_configuration: string }).scrape_configuration,
    );
    const jobs = config.scrape_configs.map((j: { job_name: string }) => j.job_name);
    expect(jobs).toEqual(expect.arrayContaining(REQUIRED_SCRAPE_JOBS.filter((j) => j !== "prometheus")));
  });

  it("lists each metric once", () => {
    const all = Object.values(SCRAPED_METRICS).flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
