import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import {
  ClusterExporters,
  KUBE_STATE_METRICS_PORT,
  NODE_EXPORTER_PORT,
} from "../../../constructs/collectors/cluster-exporters";
import { resourcesOf, type StackJson } from "../../helpers";

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
      { name: "prometheus-node-exporter", port: NODE_EXPORTER_PORT },
      { name: "kube-state-metrics", port: KUBE_STATE_METRICS_PORT },
    ]);
  });

  it("puts them in a namespace of their own", () => {
    const ns = Object.values(resourcesOf(json, "kubernetes_namespace_v1"));
    expect(ns).toHaveLength(1);
    expect((ns[0].metadata as { name: string }).name).toBe("monitoring-exporters");
  });
});
