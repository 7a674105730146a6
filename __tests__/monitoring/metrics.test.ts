/** The metric catalog the dashboard and rule tests trust must match what each collector is configured to scrape. */
import { parse } from "yaml";
import type { PrometheusCollector } from "../../constructs/collectors/prometheus-collector";
import { jobsOf, SCRAPED_METRICS } from "../../monitoring/metrics";
import { exampleEnv, synthEnvironment } from "../helpers";

describe("the collectors the metric catalog describes", () => {
  it.each(["dev", "prod"])("%s keeps the chart's scrape jobs and exporters the catalog relies on", (name) => {
    const env = exampleEnv(name);
    expect(env.clusters[0].collector.type).toBe("prometheus");
    const values = (synthEnvironment(env).stacks.clusters[0].collector as PrometheusCollector)
      .values as Record<string, Record<string, unknown> | undefined>;
    expect(values["kube-state-metrics"]?.enabled).not.toBe(false);
    expect(values["prometheus-node-exporter"]?.enabled).not.toBe(false);
    const scrapeConfigs = (values.scrapeConfigs ?? {}) as Record<string, { enabled?: boolean } | undefined>;
    for (const job of jobsOf("prometheus"))
      expect({ job, enabled: scrapeConfigs[job]?.enabled }).not.toEqual({ job, enabled: false });
  });

  it("staging's managed collector scrapes exactly the catalog's jobs of the managed collector", () => {
    const env = exampleEnv("staging");
    expect(env.clusters[0].collector.type).toBe("managed");
    const scraper = synthEnvironment(env).json.cluster.resource?.aws_prometheus_scraper;
    const config = parse(
      (Object.values(scraper ?? {})[0] as { scrape_configuration: string }).scrape_configuration,
    );
    const jobs = config.scrape_configs.map((j: { job_name: string }) => j.job_name);
    expect(jobs.sort()).toEqual(jobsOf("managed").sort());
    expect(jobsOf("managed")).not.toContain("prometheus");
  });

  it("lists each metric once", () => {
    const all = Object.values(SCRAPED_METRICS).flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
