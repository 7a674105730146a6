import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import {
  ClusterExporters,
  type ClusterExportersProps,
  ExporterConflicts,
  KUBE_STATE_METRICS_PORT,
  NODE_EXPORTER_PORT,
} from "../../../constructs/collectors/cluster-exporters";
import { resourcesOf, type StackJson } from "../../helpers";
import { terraformEval, terraformEvalAvailable, terraformRender } from "../../tools";

function synth(): { json: StackJson; exporters: ClusterExporters } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const exporters = new ClusterExporters(stack, "exporters", {
    namespace: "monitoring-exporters",
    chartRepository: "https://prometheus-community.github.io/helm-charts",
    nodeExporterChartVersion: "4.56.0",
    kubeStateMetricsChartVersion: "8.4.0",
  });
  return { json: JSON.parse(Testing.synth(stack)), exporters };
}

describe("ClusterExporters", () => {
  const { json, exporters } = synth();
  const releases = Object.values(resourcesOf(json, "helm_release"));
  const release = (chart: string) => {
    const found = releases.find((r) => r.chart === chart);
    if (!found) throw new Error(`no release of ${chart}`);
    return found as { version: string; namespace: string; values: string[]; repository: string };
  };

  it("installs node-exporter and kube-state-metrics from their own charts at pinned versions", () => {
    expect(releases.map((r) => r.chart).sort()).toEqual(["kube-state-metrics", "prometheus-node-exporter"]);
    expect(release("prometheus-node-exporter").version).toBe("4.56.0");
    expect(release("kube-state-metrics").version).toBe("8.4.0");
    for (const r of releases) {
      expect(r.namespace).toMatch(/^\$\{kubernetes_namespace_v1\..+\.metadata\[0\]\.name\}$/);
      expect(r.atomic).toBe(true);
    }
  });

  it("serves metrics on the ports the collector is allowed to reach", () => {
    const nodeValues = parse(release("prometheus-node-exporter").values[0]);
    expect(nodeValues.service.port).toBe(NODE_EXPORTER_PORT);
    const ksmValues = parse(release("kube-state-metrics").values[0]);
    expect(ksmValues.service.port).toBe(KUBE_STATE_METRICS_PORT);
    expect(exporters.scraped).toEqual([
      { name: "prometheus-node-exporter", port: NODE_EXPORTER_PORT, namespace: "monitoring-exporters" },
      { name: "kube-state-metrics", port: KUBE_STATE_METRICS_PORT, namespace: "monitoring-exporters" },
    ]);
  });

  it("puts them in a namespace of their own", () => {
    const ns = Object.values(resourcesOf(json, "kubernetes_namespace_v1"));
    expect(ns).toHaveLength(1);
    expect((ns[0].metadata as { name: string }).name).toBe("monitoring-exporters");
  });
});

function synthWith(props: Partial<ClusterExportersProps>) {
  let exporters: ClusterExporters | undefined;
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      exporters = new ClusterExporters(scope, "exporters", {
        namespace: "monitoring-exporters",
        chartRepository: "https://prometheus-community.github.io/helm-charts",
        nodeExporterChartVersion: "4.56.0",
        kubeStateMetricsChartVersion: "8.4.0",
        ...props,
      });
    }),
  ) as StackJson & { check?: Record<string, any> };
  return { json, exporters: exporters as ClusterExporters };
}

describe("ClusterExporters with exporters that already run in the cluster", () => {
  it("installs only the others, and scrapes an existing one wherever it runs", () => {
    const { json, exporters } = synthWith({
      sources: { nodeExporter: "existing", kubeStateMetrics: "install" },
    });
    expect(Object.values(resourcesOf(json, "helm_release")).map((r) => r.chart)).toEqual([
      "kube-state-metrics",
    ]);
    expect(exporters.nodeExporter).toBeUndefined();
    expect(exporters.scraped).toEqual([
      { name: "prometheus-node-exporter", port: NODE_EXPORTER_PORT },
      { name: "kube-state-metrics", port: KUBE_STATE_METRICS_PORT, namespace: "monitoring-exporters" },
    ]);
  });

  it("creates nothing in the cluster when both already run", () => {
    const { json, exporters } = synthWith({
      sources: { nodeExporter: "existing", kubeStateMetrics: "existing" },
    });
    expect(json.resource).toBeUndefined();
    expect(json.data).toBeUndefined();
    expect(exporters.namespace).toBeUndefined();
    expect(exporters.scraped.map((e) => e.namespace)).toEqual([undefined, undefined]);
  });

  it("reads nothing of the cluster when told not to look", () => {
    expect(synthWith({ detectConflicts: false }).json.data).toBeUndefined();
  });
});

describe("ClusterExporters: an exporter already running, found at plan", () => {
  const { json } = synthWith({});
  const address = (type: string, fragment: string) =>
    `data.${type}.${Object.keys(json.data?.[type] ?? {}).find((k) => k.includes(fragment))}`;
  const namespaces = address("kubernetes_all_namespaces", "namespaces");
  const terraformNamespaces = address("kubernetes_resources", "terraform-namespaces");
  const services = address("kubernetes_resources", "services");
  const hcl = (text: string) =>
    text
      .replace(/^\$\{/, "")
      .replace(/\}$/, "")
      .split(`${namespaces}.namespaces`)
      .join("local.namespaces")
      .split(terraformNamespaces)
      .join("local.terraform_namespaces")
      .split(services)
      .join("local.services");
  /** A template (a message) of the stack with the data sources it reads replaced by locals. */
  const hclTemplate = (text: string) => text.split(services).join("local.services");
  const canEval = terraformEvalAvailable("cluster-exporters.test");
  const withTerraform = canEval ? it : it.skip;
  const service = (namespace: string, name: string, app: string) => ({
    metadata: { namespace, name, labels: { "app.kubernetes.io/name": app } },
  });
  const existing = {
    services: {
      monitoring: {
        objects: [
          service("monitoring", "kps-prometheus-node-exporter", "prometheus-node-exporter"),
          service("monitoring", "kps-kube-state-metrics", "kube-state-metrics"),
        ],
      },
    },
  };

  it("lists Services by the exporters' label, one namespace at a time", () => {
    const scan = json.data?.kubernetes_resources?.[services.split(".")[2]] as any;
    expect(scan).toMatchObject({
      api_version: "v1",
      kind: "Service",
      namespace: "${each.value}",
      label_selector: "app.kubernetes.io/name in (prometheus-node-exporter,kube-state-metrics)",
    });
  });

  withTerraform("scans only on the first install, and never the namespaces Terraform created", () => {
    const scan = json.data?.kubernetes_resources?.[services.split(".")[2]] as any;
    const tf = json.data?.kubernetes_resources?.[terraformNamespaces.split(".")[2]] as any;
    const created = { terraform: { objects: [{ metadata: { name: "prometheus" } }] } };
    const all = ["default", "monitoring", "prometheus"];
    expect(terraformEval(hcl(tf.for_each), { namespaces: all })).toEqual(["terraform"]);
    expect(terraformEval(hcl(scan.for_each), { namespaces: all, terraform_namespaces: created })).toEqual([
      "default",
      "monitoring",
    ]);
    // Once the releases' namespace exists, nothing but the namespace list is read.
    const installed = [...all, "monitoring-exporters"];
    expect(terraformEval(hcl(tf.for_each), { namespaces: installed })).toEqual([]);
    expect(terraformEval(hcl(scan.for_each), { namespaces: installed, terraform_namespaces: {} })).toEqual(
      [],
    );
  });

  withTerraform("fails the plan for another node-exporter, naming it and what to set", () => {
    const release = Object.values(resourcesOf(json, "helm_release")).find(
      (r) => r.chart === "prometheus-node-exporter",
    ) as any;
    const [precondition] = release.lifecycle.precondition;
    expect(terraformEval(hcl(precondition.condition), { services: {} })).toBe(true);
    expect(terraformEval(hcl(precondition.condition), existing)).toBe(false);
    const onlyKsm = { services: { monitoring: { objects: [existing.services.monitoring.objects[1]] } } };
    expect(terraformEval(hcl(precondition.condition), onlyKsm)).toBe(true);
    expect(terraformRender(hclTemplate(precondition.error_message), existing)).toBe(
      'node-exporter already runs in the cluster (Service monitoring/kps-prometheus-node-exporter): ours would stay Pending on host port 9100 until Helm gives up. Set collector.exporters.nodeExporter: "existing" to scrape that one instead (found by its app.kubernetes.io/name label, in any namespace).',
    );
  });

  withTerraform("warns (a check block) for another kube-state-metrics", () => {
    const [check] = Object.values(json.check ?? {});
    expect(terraformEval(hcl(check.assert[0].condition), existing)).toBe(false);
    expect(terraformEval(hcl(check.assert[0].condition), { services: {} })).toBe(true);
    expect(check.assert[0].error_message).toMatch(/collector\.exporters\.kubeStateMetrics: "existing"/);
  });
});

describe("ExporterConflicts", () => {
  const json = JSON.parse(
    Testing.synthScope((scope) => {
      const conflicts = new ExporterConflicts(scope, "conflicts", {
        namespace: "monitoring-exporters",
        installing: ["nodeExporter", "kubeStateMetrics"],
      });
      conflicts.warnOnKubeStateMetrics("ksm_elsewhere");
      new TerraformOutput(scope, "precondition", { value: conflicts.nodeExporterPrecondition() });
    }),
  );
  const resources = json.data.kubernetes_resources as Record<string, any>;

  it("scans Services namespace by namespace, only while our namespace does not exist (the first install)", () => {
    const services = Object.entries(resources).find(([id]) => id.includes("services"))![1];
    expect(services).toMatchObject({
      api_version: "v1",
      kind: "Service",
      label_selector: "app.kubernetes.io/name in (prometheus-node-exporter,kube-state-metrics)",
    });
    expect(services.for_each).toMatch(
      /contains\(data\.kubernetes_all_namespaces\..+\.namespaces, "monitoring-exporters"\) \? \[\] : setsubtract/,
    );
  });

  it("passes over the namespaces Terraform created (this project's, of either collector)", () => {
    const terraform = Object.entries(resources).find(([id]) => id.includes("terraform-namespaces"))![1];
    expect(terraform).toMatchObject({
      kind: "Namespace",
      label_selector: "app.kubernetes.io/managed-by=terraform",
    });
  });

  it("fails the plan on another node-exporter, and only warns on another kube-state-metrics", () => {
    expect(json.output.precondition.value.errorMessage).toMatch(
      /node-exporter already runs in the cluster .*Set collector\.exporters\.nodeExporter: "existing"/,
    );
    expect(json.check.ksm_elsewhere.assert[0].error_message).toMatch(
      /kube-state-metrics already runs in the cluster .*Set collector\.exporters\.kubeStateMetrics: "existing"/,
    );
  });
});
