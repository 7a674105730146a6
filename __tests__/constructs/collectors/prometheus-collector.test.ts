import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import { Testing } from "cdktf";
import { parse } from "yaml";
import { AmpWorkspace } from "../../../constructs/amp/workspace";
import { EbsCsiDriver } from "../../../constructs/cluster/ebs-csi-driver";
import {
  PrometheusCollector,
  type PrometheusCollectorProps,
  type PrometheusServerValuesProps,
  prometheusServerValues,
} from "../../../constructs/collectors/prometheus-collector";
import { fakeCluster, TEST_RULE_PARAMS } from "../../helpers";

// The pinned chart (29.27.0, with its subcharts), kept beside the repository in ../shared: CI has it, a bare
// clone does not, so the checks against the chart's own files skip there, saying so in one line.
const chartDir = join(__dirname, "../../../../shared/reference/charts/prometheus-29.27.0");
const haveChart = existsSync(chartDir);
const describeWithChart = haveChart ? describe : describe.skip;
if (!haveChart)
  process.stdout.write(
    `skipped: ${relative(join(__dirname, "../../.."), chartDir)} not found (chart reference)\n`,
  );

const props: PrometheusServerValuesProps = {
  serviceAccountName: "amp-iamproxy-ingest-service-account",
  roleArn: "arn:aws:iam::123456789012:role/ingest",
  remoteWriteUrl: "https://aps-workspaces.eu-central-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write",
  region: "eu-central-1",
  queueConfig: { maxSamplesPerSend: 1000, maxShards: 200, capacity: 2500 },
  scrapeInterval: "30s",
  retention: "15d",
  persistentVolumeSize: "20Gi",
  storageClassName: "prometheus-gp3",
  resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "2Gi", cpu: undefined } },
  metrics: { sendAll: false, names: ["apiserver_request_total", "up"], extra: ["myapp_.*"] },
};

/** Keys the chart documents as commented-out examples in values.yaml (they have no default). */
const COMMENTED_KEYS: Record<string, RegExp> = {
  "server.persistentVolume.storageClass": /^ {4}# storageClass: /m,
  // New keys of scrapeConfigs are jobs of their own: the chart says so above the map.
  "scrapeConfigs.kube-scheduler":
    /^## Further scrapeConfigs can be added as new keys, these are then enabled by default\.$/m,
  "scrapeConfigs.kube-controller-manager":
    /^## Further scrapeConfigs can be added as new keys, these are then enabled by default\.$/m,
};

/** Paths of our values that values.yaml does not declare (free-form maps and lists end the walk). */
function undeclaredPaths(
  ours: unknown,
  theirs: unknown,
  chartValuesText: string,
  path: string[] = [],
): string[] {
  if (typeof ours !== "object" || ours === null || Array.isArray(ours)) return [];
  if (typeof theirs !== "object" || theirs === null || Array.isArray(theirs)) return [];
  if (Object.keys(theirs).length === 0) return []; // `{}` in values.yaml: a free-form map (annotations, resources)
  return Object.entries(ours).flatMap(([key, value]) => {
    const here = [...path, key];
    if (!(key in theirs))
      return COMMENTED_KEYS[here.join(".")]?.test(chartValuesText) ? [] : [here.join(".")];
    return undeclaredPaths(value, (theirs as Record<string, unknown>)[key], chartValuesText, here);
  });
}

describeWithChart("prometheusServerValues against the chart's own files", () => {
  const values = prometheusServerValues(props);
  let chartValuesText: string;
  let chartValues: Record<string, unknown>;
  let validateValues: ValidateFunction;
  beforeAll(() => {
    // Read here, not at import: a skipped describe's body still runs, its beforeAll does not.
    chartValuesText = readFileSync(join(chartDir, "values.yaml"), "utf8");
    chartValues = parse(chartValuesText) as Record<string, unknown>;
    const chartSchema = JSON.parse(readFileSync(join(chartDir, "values.schema.json"), "utf8"));
    delete chartSchema.$schema; // draft "schema#" URI; the keywords used are draft-07 compatible
    validateValues = new Ajv({ strict: false, allErrors: true }).compile(chartSchema);
  });

  it("validates against the chart's values.schema.json", () => {
    expect(validateValues(values) ? [] : validateValues.errors).toEqual([]);
  });

  it("the schema check can fail (a wrong type is rejected)", () => {
    expect(validateValues({ server: { persistentVolume: { enabled: "yes" } } })).toBe(false);
  });

  it("validates, with exporters that already run, against the schema, and keeps the chart's other relabelling", () => {
    const existing = prometheusServerValues({
      ...props,
      exporters: { nodeExporter: "existing", kubeStateMetrics: "existing" },
    }) as any;
    expect(validateValues(existing) ? [] : validateValues.errors).toEqual([]);
    expect(undeclaredPaths(existing, chartValues, chartValuesText)).toEqual([]);
    // Every rule of the chart's job but the first (the annotation keep, widened here) is the chart's own.
    const chartJob = (chartValues.scrapeConfigs as any)["kubernetes-service-endpoints"];
    const ours = existing.scrapeConfigs["kubernetes-service-endpoints"].relabel_configs;
    const normalize = (rules: any[]) =>
      JSON.parse(JSON.stringify(rules).replace(/"regex":true/g, '"regex":"true"'));
    expect(normalize(ours.slice(1))).toEqual(normalize(chartJob.relabel_configs.slice(1)));
    expect(chartJob.relabel_configs[0]).toEqual({
      source_labels: ["__meta_kubernetes_service_annotation_prometheus_io_scrape"],
      action: "keep",
      regex: true,
    });
  });

  it("uses only keys the chart's values.yaml declares", () => {
    expect(undeclaredPaths(values, chartValues, chartValuesText)).toEqual([]);
    expect(undeclaredPaths({ server: { remoteWrites: [] } }, chartValues, chartValuesText)).toEqual([
      "server.remoteWrites",
    ]);
  });
});

describe("prometheusServerValues", () => {
  const values = prometheusServerValues(props) as any;

  it("has the chart create the server's service account, annotated with the IRSA role", () => {
    expect(values.serviceAccounts.server).toEqual({
      create: true,
      name: "amp-iamproxy-ingest-service-account",
      annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/ingest" },
    });
  });

  it("remote-writes to AMP with SigV4 in the workspace region and the configured queue", () => {
    expect(values.server.remoteWrite).toEqual([
      {
        url: props.remoteWriteUrl,
        sigv4: { region: "eu-central-1" },
        queue_config: { max_samples_per_send: 1000, max_shards: 200, capacity: 2500 },
        // The allow-list: names, then each extra pattern in its own group.
        write_relabel_configs: [
          { source_labels: ["__name__"], action: "keep", regex: "apiserver_request_total|up|(?:myapp_.*)" },
        ],
      },
    ]);
  });

  it("remote-writes everything with sendAll (no write_relabel_configs)", () => {
    const all = prometheusServerValues({ ...props, metrics: { sendAll: true } }) as typeof values;
    expect(all.server.remoteWrite[0]).not.toHaveProperty("write_relabel_configs");
  });

  it("persists data on the given StorageClass with the given size and retention", () => {
    expect(values.server.persistentVolume).toEqual({
      enabled: true,
      size: "20Gi",
      storageClass: "prometheus-gp3",
    });
    expect(values.server.retention).toBe("15d");
    expect(values.server.global.scrape_interval).toBe("30s");
    expect(values.server.resources).toEqual({
      requests: { cpu: "500m", memory: "1Gi" },
      limits: { memory: "2Gi" },
    });
  });

  it("turns off the in-cluster Alertmanager and Pushgateway, keeps the exporters", () => {
    expect(values.alertmanager.enabled).toBe(false);
    expect(values["prometheus-pushgateway"].enabled).toBe(false);
    expect(values["kube-state-metrics"].enabled).toBe(true);
    expect(values["prometheus-node-exporter"].enabled).toBe(true);
  });

  it("leaves out an exporter that already runs, and widens the chart's job to find it by its label", () => {
    const existing = prometheusServerValues({
      ...props,
      exporters: { nodeExporter: "existing", kubeStateMetrics: "install" },
    }) as any;
    expect(existing["prometheus-node-exporter"].enabled).toBe(false);
    expect(existing["kube-state-metrics"].enabled).toBe(true);
    const [keep] = existing.scrapeConfigs["kubernetes-service-endpoints"].relabel_configs;
    expect(keep).toEqual({
      source_labels: [
        "__meta_kubernetes_service_annotation_prometheus_io_scrape",
        "__meta_kubernetes_service_label_app_kubernetes_io_name",
      ],
      action: "keep",
      regex: "true;.*|[^;]*;(prometheus-node-exporter)",
    });
    const keeps = (annotation: string, name: string) =>
      new RegExp(`^(?:${keep.regex})$`).test(`${annotation};${name}`);
    expect(keeps("", "prometheus-node-exporter")).toBe(true); // someone else's, not annotated
    expect(keeps("true", "my-app")).toBe(true); // the chart's rule still holds
    expect(keeps("", "kube-state-metrics")).toBe(false); // installed here, and annotated
    expect(keeps("false", "my-app")).toBe(false);
    // Nothing changes for an environment that installs both.
    expect(values.scrapeConfigs).not.toHaveProperty("kubernetes-service-endpoints");
  });

  it("scrapes the EKS control plane's scheduler and controller manager through the API server, as its own job does", () => {
    const jobs = (values as any).scrapeConfigs;
    expect(Object.keys(jobs).sort()).toEqual(["kube-controller-manager", "kube-scheduler"]);
    expect(jobs["kube-scheduler"]).toMatchObject({
      scheme: "https",
      metrics_path: "/apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics",
      kubernetes_sd_configs: [{ role: "endpointslice" }],
      relabel_configs: [expect.objectContaining({ action: "keep", regex: "default;kubernetes;https" })],
    });
    expect(jobs["kube-controller-manager"].metrics_path).toBe(
      "/apis/metrics.eks.amazonaws.com/v1/kcm/container/metrics",
    );
    expect(jobs["kube-scheduler"]).not.toHaveProperty("job_name"); // the key names the job
  });

  it("merges extra values last without dropping managed ones", () => {
    const merged = prometheusServerValues({
      ...props,
      extraValues: { server: { retention: "2d", nodeSelector: { pool: "infra" } } },
    }) as any;
    expect(merged.server.retention).toBe("2d");
    expect(merged.server.nodeSelector).toEqual({ pool: "infra" });
    expect(merged.server.remoteWrite).toHaveLength(1);
  });
});

describe("PrometheusCollector", () => {
  let collector: PrometheusCollector | undefined;
  const synth = (remoteWriteEndpointId?: string, extra: Partial<PrometheusCollectorProps> = {}) =>
    JSON.parse(
      Testing.synthScope((scope) => {
        const cluster = fakeCluster();
        const workspace = new AmpWorkspace(scope, "amp", {
          alias: "test",
          retentionDays: 30,
          preventDestroy: true,
        });
        const storage = new EbsCsiDriver(scope, "ebs", {
          cluster,
          addon: { version: "v1.38.1-eksbuild.1" },
          roleName: "ebs",
          storageClassName: "prometheus-gp3",
        });
        collector = new PrometheusCollector(scope, "collector", {
          ...props,
          namespace: "prometheus",
          chartRepository: "https://prometheus-community.github.io/helm-charts",
          chartVersion: "29.27.0",
          cluster,
          workspace,
          storage,
          roleName: "ingest",
          rules: TEST_RULE_PARAMS,
          preventDestroy: true,
          remoteWriteEndpointId,
          ...extra,
        });
      }),
    );
  const json = synth("vpce-0123456789abcdef0");
  const release = Object.values(json.resource.helm_release)[0] as any;
  const values = parse(release.values[0]);

  it("installs the pinned chart into its own namespace, atomically", () => {
    expect(release).toMatchObject({
      chart: "prometheus",
      repository: "https://prometheus-community.github.io/helm-charts",
      version: "29.27.0",
      atomic: true,
      wait: true,
    });
    expect(release.namespace).toMatch(/^\$\{kubernetes_namespace_v1\..*\.metadata\[0\]\.name\}$/);
  });

  it("renders values that name this collector's role, workspace and StorageClass", () => {
    expect(values.serviceAccounts.server.annotations["eks.amazonaws.com/role-arn"]).toMatch(
      /^\$\{aws_iam_role\..+\.arn\}$/,
    );
    expect(values.server.remoteWrite[0].url).toMatch(
      /^\$\{aws_prometheus_workspace\..+\.prometheus_endpoint\}api\/v1\/remote_write$/,
    );
    expect(values.server.persistentVolume.storageClass).toBe("prometheus-gp3");
  });

  it("trusts exactly the chart's service account and may only remote-write to its workspace", () => {
    const role = Object.values(json.resource.aws_iam_role).find((r: any) => r.name === "ingest") as any;
    expect(JSON.stringify(JSON.parse(role.assume_role_policy))).toContain(
      "system:serviceaccount:prometheus:amp-iamproxy-ingest-service-account",
    );
    const policy = Object.values(json.resource.aws_iam_role_policy).find(
      (p: any) => p.name === "ingest",
    ) as any;
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Sid: "RemoteWriteToThisWorkspace",
        Effect: "Allow",
        Action: "aps:RemoteWrite",
        Resource: expect.stringMatching(/^\$\{aws_prometheus_workspace\..+\.arn\}$/),
        Condition: { StringEquals: { "aws:SourceVpce": "vpce-0123456789abcdef0" } },
      },
    ]);
    const anyPath = synth(undefined);
    const open = Object.values(anyPath.resource.aws_iam_role_policy).find(
      (p: any) => p.name === "ingest",
    ) as any;
    expect(JSON.parse(open.policy).Statement[0]).not.toHaveProperty("Condition");
  });

  it("lets the server's service account read the control plane's metrics, on clusters that serve them", () => {
    const role = Object.values(json.resource.kubernetes_cluster_role_v1)[0] as any;
    expect(role.metadata.name).toBe("eksmon-control-plane-metrics-prometheus");
    expect(role.rule).toEqual([
      {
        api_groups: ["metrics.eks.amazonaws.com"],
        resources: ["kcm/metrics", "ksh/metrics"],
        verbs: ["get"],
      },
    ]);
    expect(role.lifecycle.precondition[0].condition).toContain(">= 28");
    const binding = Object.values(json.resource.kubernetes_cluster_role_binding_v1)[0] as any;
    expect(binding.role_ref).toEqual({
      api_group: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: "eksmon-control-plane-metrics-prometheus",
    });
    expect(binding.subject).toEqual([
      { kind: "ServiceAccount", name: "amp-iamproxy-ingest-service-account", namespace: "prometheus" },
    ]);
  });

  it("ships its own rules and dashboard, and publishes its role", () => {
    const namespaces = Object.values(json.resource.aws_prometheus_rule_group_namespace).map(
      (n: any) => n.name,
    );
    expect(namespaces).toEqual(["eksmon-prometheus-collector"]);
    expect(collector?.dashboards).toEqual(["prometheus-collector.json"]);
    expect(Object.keys(collector?.published ?? {})).toEqual(["prometheusRoleArn"]);
  });

  it("fails the plan when node-exporter already runs elsewhere, and warns for kube-state-metrics", () => {
    expect(release.lifecycle.precondition[0].error_message).toMatch(
      /^node-exporter already runs in the cluster .* collector\.exporters\.nodeExporter: "existing"/,
    );
    expect(Object.keys(json.check)).toContain("prometheus_kube_state_metrics");
    expect(
      Object.values(json.data.kubernetes_resources)
        .map((d: any) => d.kind)
        .sort(),
    ).toEqual(["Namespace", "Service"]);
  });

  it("keeps an adopted release's volume claim on its StorageClass (Kubernetes refuses to change it), ours when it has none", () => {
    expect(release.set).toBeUndefined();
    const adopted = synth(undefined, { adopt: { namespace: true, release: true } });
    const claim = Object.entries(adopted.data.kubernetes_persistent_volume_claim_v1)[0] as [string, any];
    expect(claim[1].metadata).toEqual({ name: "prometheus-server", namespace: "prometheus" });
    const adoptedRelease = Object.values(adopted.resource.helm_release)[0] as any;
    expect(adoptedRelease.set).toEqual([
      {
        name: "server.persistentVolume.storageClass",
        value: `\${coalesce(try(data.kubernetes_persistent_volume_claim_v1.${claim[0]}.spec[0].storage_class_name, ""), "prometheus-gp3")}`,
      },
    ]);
  });

  it("protects the namespace (and the volume claim in it) when asked", () => {
    const ns = Object.values(json.resource.kubernetes_namespace_v1)[0] as any;
    expect(ns.lifecycle).toEqual({ prevent_destroy: true });
  });
});
