import { parse } from "yaml";
import { MANAGED_SCRAPE_JOBS } from "../../lib/catalogue";
import { managedScrapeConfig, managedScrapeConfigYaml } from "../../monitoring/scrape-config";

const props = {
  scrapeInterval: "1m",
  exporters: [
    { name: "prometheus-node-exporter", port: 9100, namespace: "monitoring-exporters" },
    { name: "kube-state-metrics", port: 8080, namespace: "monitoring-exporters" },
  ],
};

type Job = Record<string, unknown> & { job_name: string };
const jobsOf = (config: Record<string, unknown>) => config.scrape_configs as Job[];
const job = (config: Record<string, unknown>, name: string) => {
  const found = jobsOf(config).find((j) => j.job_name === name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
};

describe("managed collector scrape configuration", () => {
  const config = managedScrapeConfig(props);

  it("has the prometheus chart's job names, so dashboards and rules work with either collector", () => {
    expect(jobsOf(config).map((j) => j.job_name)).toEqual([...MANAGED_SCRAPE_JOBS]);
    expect(config.global).toEqual({ scrape_interval: "1m" });
  });

  it("keeps only the API server's https endpoint in the api-servers job", () => {
    const relabel = job(config, "kubernetes-api-servers").relabel_configs as Record<string, unknown>[];
    expect(relabel).toContainEqual(
      expect.objectContaining({ action: "keep", regex: "default;kubernetes;https" }),
    );
  });

  it("reaches kubelet and cAdvisor through the API server proxy (only tcp/443 to the control plane)", () => {
    for (const [name, path] of [
      ["kubernetes-nodes", "/api/v1/nodes/$1/proxy/metrics"],
      ["kubernetes-nodes-cadvisor", "/api/v1/nodes/$1/proxy/metrics/cadvisor"],
    ]) {
      const relabel = job(config, name).relabel_configs as Record<string, unknown>[];
      expect(relabel).toContainEqual({
        target_label: "__address__",
        replacement: "kubernetes.default.svc:443",
      });
      expect(relabel).toContainEqual(
        expect.objectContaining({ target_label: "__metrics_path__", replacement: path }),
      );
    }
  });

  it("scrapes node-exporter and kube-state-metrics in their namespace, on their ports only", () => {
    const endpoints = job(config, "kubernetes-service-endpoints");
    expect(endpoints.kubernetes_sd_configs).toEqual([
      { role: "endpoints", namespaces: { names: ["monitoring-exporters"] } },
    ]);
    const relabel = endpoints.relabel_configs as Record<string, unknown>[];
    expect(relabel).toContainEqual(
      expect.objectContaining({ action: "keep", regex: "prometheus-node-exporter|kube-state-metrics" }),
    );
    expect(relabel).toContainEqual(expect.objectContaining({ action: "keep", regex: "9100|8080" }));
  });

  /** Whether the job's keep rules keep a target with these meta labels (Prometheus anchors its regexes). */
  const kept = (relabel: Record<string, any>[], labels: Record<string, string>) =>
    relabel
      .filter((r) => r.action === "keep")
      .every((r) =>
        new RegExp(`^(?:${r.regex})$`).test(r.source_labels.map((l: string) => labels[l] ?? "").join(";")),
      );
  const target = (namespace: string, name: string, port: number) => ({
    __meta_kubernetes_namespace: namespace,
    __meta_kubernetes_service_label_app_kubernetes_io_name: name,
    __meta_kubernetes_endpoint_port_number: String(port),
  });

  it("finds an exporter that already runs in any namespace, and the installed one in its own only", () => {
    const endpoints = job(
      managedScrapeConfig({
        ...props,
        exporters: [
          { name: "prometheus-node-exporter", port: 9100 }, // existing
          { name: "kube-state-metrics", port: 8080, namespace: "monitoring-exporters" },
        ],
      }),
      "kubernetes-service-endpoints",
    );
    expect(endpoints.kubernetes_sd_configs).toEqual([{ role: "endpoints" }]);
    const relabel = endpoints.relabel_configs as Record<string, any>[];
    expect(kept(relabel, target("monitoring", "prometheus-node-exporter", 9100))).toBe(true);
    expect(kept(relabel, target("kube-system", "prometheus-node-exporter", 9100))).toBe(true);
    expect(kept(relabel, target("monitoring", "prometheus-node-exporter", 8080))).toBe(false);
    expect(kept(relabel, target("monitoring-exporters", "kube-state-metrics", 8080))).toBe(true);
    expect(kept(relabel, target("monitoring", "kube-state-metrics", 8080))).toBe(false);
    expect(kept(relabel, target("monitoring", "my-app", 9100))).toBe(false);
  });

  it("keeps the job it always had when every exporter is installed (the scraper is not replaced)", () => {
    const relabel = job(config, "kubernetes-service-endpoints").relabel_configs as Record<string, any>[];
    expect(kept(relabel, target("monitoring-exporters", "kube-state-metrics", 8080))).toBe(true);
    expect(kept(relabel, target("monitoring", "kube-state-metrics", 8080))).toBe(true); // the namespace is in the SD config
    expect(relabel.filter((r) => r.action === "keep")).toHaveLength(2);
  });

  it("stays within what the collector accepts", () => {
    // kubernetes_sd_configs only; Bearer auth from the service-account token file only; no name but the API server.
    const yamlText = managedScrapeConfigYaml(props);
    const parsed = parse(yamlText) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(["global", "scrape_configs"]);
    for (const j of jobsOf(parsed)) {
      const sdKeys = Object.keys(j).filter((k) => k.endsWith("_sd_configs"));
      expect(sdKeys).toEqual(["kubernetes_sd_configs"]);
      if (j.authorization)
        expect(j.authorization).toEqual({
          type: "Bearer",
          credentials_file: "/var/run/secrets/kubernetes.io/serviceaccount/token",
        });
      expect(j).not.toHaveProperty("tls_config");
      expect(j).not.toHaveProperty("static_configs");
    }
    expect(yamlText).not.toMatch(/[&*]a\d/); // no YAML anchors or aliases
  });

  it("appends validated extra jobs after the generated ones", () => {
    const extra = "- job_name: my-app\n  kubernetes_sd_configs:\n    - role: pod\n";
    const withExtra = managedScrapeConfig({ ...props, extraScrapeConfigs: extra });
    expect(jobsOf(withExtra).map((j) => j.job_name)).toEqual([...MANAGED_SCRAPE_JOBS, "my-app"]);
  });
});
