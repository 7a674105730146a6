/**
 * ManagedCollector: the AMP managed scraper wired to the exporters it reads, sending only the allow-list,
 * with its own silence alert and dashboard, and what it publishes for operators.
 */
import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { AmpWorkspace } from "../../../constructs/amp/workspace";
import {
  INSTALL_ALL,
  KUBE_STATE_METRICS_PORT,
  NODE_EXPORTER_PORT,
} from "../../../constructs/collectors/cluster-exporters";
import {
  ManagedCollector,
  type ManagedCollectorProps,
} from "../../../constructs/collectors/managed-collector";
import { fakeCluster, onlyResource, resourcesOf, type StackJson, TEST_RULE_PARAMS } from "../../helpers";

type Props = Omit<ManagedCollectorProps, "workspace">;
const base: Props = {
  cluster: fakeCluster({ name: "eks-test" }),
  vpcId: "vpc-0a1b2c3d4e5f67890",
  namePrefix: "eksmon-test",
  rules: TEST_RULE_PARAMS,
  subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
  scrapeInterval: "30s",
  accessEntry: true,
  namespace: "monitoring-exporters",
  exporters: INSTALL_ALL,
  chartRepository: "https://prometheus-community.github.io/helm-charts",
  nodeExporterChartVersion: "4.56.0",
  kubeStateMetricsChartVersion: "8.4.0",
  metrics: { sendAll: false, names: ["up", "node_cpu_seconds_total"], extra: ["myapp_.*"] },
};

function build(props: Partial<Props> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const workspace = AmpWorkspace.fromAttributes(stack, "amp", {
    workspaceId: "ws-test",
    arn: "arn:aws:aps:eu-central-1:123456789012:workspace/ws-test",
    alias: "test",
    prometheusEndpoint: "https://aps-workspaces.eu-central-1.amazonaws.com/workspaces/ws-test/",
  });
  const collector = new ManagedCollector(stack, "collector", { ...base, workspace, ...props });
  const json = JSON.parse(Testing.synth(stack)) as StackJson & { import?: { to: string; id: string }[] };
  return { collector, json };
}

type ScrapeJob = {
  job_name: string;
  scrape_interval?: string;
  metric_relabel_configs?: Record<string, unknown>[];
};
const scrapeConfig = (json: StackJson) =>
  parse(onlyResource(json, "aws_prometheus_scraper").scrape_configuration as string) as {
    global: { scrape_interval: string };
    scrape_configs: ScrapeJob[];
  };

describe("ManagedCollector", () => {
  const { collector, json } = build();

  it("names the scraper and its security group after the prefix, writing to the workspace", () => {
    const scraper = onlyResource(json, "aws_prometheus_scraper");
    expect(scraper.alias).toBe("eksmon-test-scraper");
    expect(scraper.destination).toEqual([
      { amp: [{ workspace_arn: "arn:aws:aps:eu-central-1:123456789012:workspace/ws-test" }] },
    ]);
    expect(onlyResource(json, "aws_security_group").name).toBe("eksmon-test-amp-scraper");
  });

  it("opens the cluster to the scraper on the API server's port and the exporters' ports only", () => {
    const ports = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).map(
      (r) => r.from_port,
    );
    expect(ports.sort((a, b) => Number(a) - Number(b))).toEqual(
      [443, KUBE_STATE_METRICS_PORT, NODE_EXPORTER_PORT].sort((a, b) => a - b),
    );
  });

  it("scrapes the exporters in their namespace at the interval, keeping only the allow-list in every job", () => {
    const config = scrapeConfig(json);
    expect(config.global.scrape_interval).toBe("30s");
    expect(JSON.stringify(config)).toContain("monitoring-exporters");
    expect(config.scrape_configs.length).toBeGreaterThan(1);
    for (const job of config.scrape_configs)
      expect(job.metric_relabel_configs).toContainEqual({
        source_labels: ["__name__"],
        action: "keep",
        regex: "up|node_cpu_seconds_total|(?:myapp_.*)",
      });
  });

  const extra = "- job_name: myapp\n  static_configs:\n    - targets: ['myapp.default:9000']\n";
  const keepsNames = (job: ScrapeJob) =>
    (job.metric_relabel_configs ?? []).some((r) => JSON.stringify(r.source_labels) === '["__name__"]');

  it("appends extra jobs, held to the allow-list like the others", () => {
    const config = scrapeConfig(build({ extraScrapeConfigs: extra }).json);
    const myapp = config.scrape_configs.find((j) => j.job_name === "myapp");
    expect(myapp && keepsNames(myapp)).toBe(true);
  });

  it("sends everything it scrapes with sendAll", () => {
    const config = scrapeConfig(build({ metrics: { sendAll: true }, extraScrapeConfigs: extra }).json);
    expect(config.scrape_configs.filter(keepsNames)).toEqual([]);
  });

  it("ships its own silence alert into the workspace's ruler", () => {
    const namespace = onlyResource(json, "aws_prometheus_rule_group_namespace");
    expect(namespace.name).toBe("eksmon-managed-collector");
    expect(namespace.workspace_id).toBe("ws-test");
    const rules = parse(namespace.data as string).groups.flatMap(
      (g: { rules: { alert?: string; expr: string }[] }) => g.rules,
    );
    expect(rules.filter((r: { alert?: string }) => r.alert === "CollectorSilent")).toEqual([
      expect.objectContaining({ expr: 'absent(up{job="kubernetes-api-servers", cluster="eks-test"})' }),
    ]);
  });

  it("is the managed collector, with its dashboard, publishing the scraper's ARN and the exporters' namespace", () => {
    expect(collector.type).toBe("managed");
    expect(collector.dashboards).toEqual(["managed-collector.json"]);
    expect(collector.published).toEqual({ ampScraperArn: collector.scraper.arn });
    expect(collector.releaseNamespaces).toEqual([collector.exporters.namespace]);
  });

  it("maps the scraper into the cluster unless AWS already did", () => {
    expect(Object.keys(resourcesOf(json, "aws_eks_access_entry"))).toHaveLength(1);
    expect(resourcesOf(build({ accessEntry: false }).json, "aws_eks_access_entry")).toEqual({});
  });

  it("uses given security groups instead of creating one", () => {
    const given = build({ securityGroupIds: ["sg-0123456789abcdef0"] }).json;
    expect(resourcesOf(given, "aws_security_group")).toEqual({});
    const scraper = onlyResource(given, "aws_prometheus_scraper") as {
      source: { eks: { security_group_ids: string[] }[] }[];
    };
    expect(scraper.source[0].eks[0].security_group_ids).toEqual(["sg-0123456789abcdef0"]);
  });

  it("imports the exporters' namespace only when asked, and passes the Helm timeout on", () => {
    expect(json.import ?? []).toEqual([]);
    const adopted = build({ adopt: { namespace: true }, helmTimeoutSeconds: 300 }).json;
    expect(adopted.import).toEqual([
      expect.objectContaining({
        to: expect.stringMatching(/^kubernetes_namespace_v1\./),
        id: "monitoring-exporters",
      }),
    ]);
    for (const release of Object.values(resourcesOf(adopted, "helm_release")))
      expect(release.timeout).toBe(300);
    for (const release of Object.values(resourcesOf(json, "helm_release"))) expect(release.timeout).toBe(600);
  });
});
