/**
 * The small EKS cluster the dashboards' queries are evaluated against: its objects, the values the
 * dashboards' variables take (one binding per kind of workload), and the series the exporters write for
 * it in their real shapes, labelled as both collectors label them (docs/grafana-as-code.md, "Proof that
 * every panel answers"). scripts/capture-metrics.ts creates the same objects in a loopback API server, so
 * the same bindings select the series real exporters write.
 *
 * Shapes, by job (prometheus chart 29.27.0 jobs, which the managed collector's configuration copies):
 * - kubernetes-api-servers: the API server's /metrics, `instance` its endpoint;
 * - kube-scheduler, kube-controller-manager: their /metrics through each API server endpoint;
 * - kubernetes-nodes (kubelet /metrics), kubernetes-nodes-cadvisor (/metrics/cadvisor): `instance` the node
 *   name, the node's labels mapped (`kubernetes_io_hostname` ...);
 * - kubernetes-service-endpoints: kube-state-metrics (honor_labels: its own `namespace`, `node` win; `node`
 *   of the target is the exporter pod's node where a series has none) and node-exporter (`node` the node it
 *   runs on), with `namespace`, `service` and the service's labels of the target;
 * - prometheus: the in-cluster server's own /metrics (that collector only);
 * - every target: up, scrape_duration_seconds, scrape_samples_scraped, scrape_samples_post_metric_relabeling;
 * - ALERTS, which AMP's ruler writes, with the rule's labels (`cluster` kept);
 * - `cluster` on every series (the collector's external label).
 */
import type { CollectorType } from "../../../lib/catalogue";

/** The cluster's name, as the collector's `cluster` external label. */
export const CLUSTER = "prod-eks";

export interface NodeSpec {
  readonly name: string;
  readonly ip: string;
  readonly cpus: number;
  readonly memoryBytes: number;
}

export const NODES: readonly NodeSpec[] = [
  { name: "ip-10-0-1-23.eu-west-1.compute.internal", ip: "10.0.1.23", cpus: 4, memoryBytes: 16 * 2 ** 30 },
  { name: "ip-10-0-2-57.eu-west-1.compute.internal", ip: "10.0.2.57", cpus: 4, memoryBytes: 16 * 2 ** 30 },
];

/** A container of a pod: its requests and limits (cores, bytes) and how it is doing. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly requests: { readonly cpu: number; readonly memory: number };
  readonly limits?: { readonly cpu?: number; readonly memory?: number };
  /** Waiting with this reason (e.g. CrashLoopBackOff), with restarts and a last termination. @default running */
  readonly crashLooping?: { readonly reason: string; readonly lastTerminated: string };
}

/** The kinds of owner the dashboards resolve to a workload, and a Job's. */
export type WorkloadKind = "Deployment" | "StatefulSet" | "DaemonSet" | "Job";

export interface PodSpec {
  readonly namespace: string;
  readonly name: string;
  /** The node it is scheduled on, or none (Pending, unscheduled). */
  readonly node?: string;
  readonly ip?: string;
  readonly phase: "Pending" | "Running" | "Succeeded" | "Failed";
  readonly ready: boolean;
  readonly workload: { readonly kind: WorkloadKind; readonly name: string; readonly replicaSet?: string };
  readonly containers: readonly ContainerSpec[];
  /** Persistent volume claims it mounts. @default none */
  readonly claims?: readonly string[];
}

const [N1, N2] = NODES.map((n) => n.name);
const Mi = 2 ** 20;
const Gi = 2 ** 30;

export const PODS: readonly PodSpec[] = [
  {
    namespace: "shop",
    name: "checkout-5d8f7c9b6-7xk2p",
    node: N1,
    ip: "10.0.1.101",
    phase: "Running",
    ready: true,
    workload: { kind: "Deployment", name: "checkout", replicaSet: "checkout-5d8f7c9b6" },
    containers: [
      {
        name: "app",
        image: "example.com/checkout:1.4.2",
        requests: { cpu: 0.25, memory: 256 * Mi },
        limits: { cpu: 1, memory: 512 * Mi },
      },
    ],
  },
  {
    namespace: "shop",
    name: "checkout-5d8f7c9b6-q9w4z",
    node: N2,
    ip: "10.0.2.102",
    phase: "Running",
    ready: false,
    workload: { kind: "Deployment", name: "checkout", replicaSet: "checkout-5d8f7c9b6" },
    containers: [
      {
        name: "app",
        image: "example.com/checkout:1.4.2",
        requests: { cpu: 0.25, memory: 256 * Mi },
        limits: { cpu: 1, memory: 512 * Mi },
        crashLooping: { reason: "CrashLoopBackOff", lastTerminated: "OOMKilled" },
      },
    ],
  },
  {
    namespace: "shop",
    name: "cart-db-0",
    node: N2,
    ip: "10.0.2.103",
    phase: "Running",
    ready: true,
    workload: { kind: "StatefulSet", name: "cart-db" },
    containers: [{ name: "postgres", image: "postgres:17.2", requests: { cpu: 0.5, memory: 1 * Gi } }],
    claims: ["data-cart-db-0"],
  },
  {
    namespace: "shop",
    name: "web-6c7d8e9f5-zt5vb",
    phase: "Pending",
    ready: false,
    workload: { kind: "Deployment", name: "web", replicaSet: "web-6c7d8e9f5" },
    containers: [{ name: "nginx", image: "nginx:1.27", requests: { cpu: 8, memory: 1 * Gi } }],
  },
  {
    namespace: "shop",
    name: "report-29001440-h7t2m",
    node: N1,
    ip: "10.0.1.104",
    phase: "Failed",
    ready: false,
    workload: { kind: "Job", name: "report-29001440" },
    containers: [
      { name: "report", image: "example.com/report:2.0", requests: { cpu: 0.1, memory: 128 * Mi } },
    ],
  },
  ...NODES.map(
    (n, i): PodSpec => ({
      namespace: "kube-system",
      name: ["aws-node-8fj2k", "aws-node-m3k9d"][i],
      node: n.name,
      ip: n.ip,
      phase: "Running",
      ready: true,
      workload: { kind: "DaemonSet", name: "aws-node" },
      containers: [
        {
          name: "aws-node",
          image: "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.2",
          requests: { cpu: 0.025, memory: 64 * Mi },
        },
        {
          name: "aws-eks-nodeagent",
          image: "602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6",
          requests: { cpu: 0.025, memory: 64 * Mi },
          limits: { cpu: 0.5, memory: 256 * Mi },
        },
      ],
    }),
  ),
  {
    namespace: "kube-system",
    name: "coredns-7b9c5d8f6-w2x8j",
    node: N1,
    ip: "10.0.1.105",
    phase: "Running",
    ready: true,
    workload: { kind: "Deployment", name: "coredns", replicaSet: "coredns-7b9c5d8f6" },
    containers: [
      {
        name: "coredns",
        image: "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/coredns:v1.11.4-eksbuild.2",
        requests: { cpu: 0.1, memory: 70 * Mi },
        limits: { memory: 170 * Mi },
      },
    ],
  },
];

/** Persistent volume claims: the claim, its volume, the node that mounts it. */
export const CLAIMS = [
  {
    namespace: "shop",
    name: "data-cart-db-0",
    volume: "pvc-6f1c2a9e-3b7d-4e11-9a0c-2f5e8d7b1c44",
    storageClass: "eksmon-gp3",
    bytes: 20 * Gi,
    node: N2,
  },
] as const;

/** The values every dashboard variable takes, one binding per kind of workload a dashboard may be about. */
export type Binding = Readonly<Record<"cluster" | "namespace" | "workload" | "pod" | "node", string>>;

export const BINDINGS: readonly Binding[] = [
  // A Deployment's pod in CrashLoopBackOff (waiting, restarted, last OOMKilled, not ready).
  { cluster: CLUSTER, namespace: "shop", workload: "checkout", pod: "checkout-5d8f7c9b6-q9w4z", node: N2 },
  // A StatefulSet's pod with a volume claim, no limits.
  { cluster: CLUSTER, namespace: "shop", workload: "cart-db", pod: "cart-db-0", node: N2 },
  // A DaemonSet's pod with two containers, in kube-system.
  { cluster: CLUSTER, namespace: "kube-system", workload: "aws-node", pod: "aws-node-8fj2k", node: N1 },
];

/** One input series: its labels (the name as `__name__`) and promtool's expanding notation of its values. */
export interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly values: string;
}

/** How many 1-minute steps the series span: two hours, so `[1h]` windows and 6-hour extrapolations have data. */
export const STEPS = 120;
/** Where the queries are evaluated: the end of the series. */
export const EVAL_MINUTES = STEPS;

const gauge = (v: number) => `${v}x${STEPS}`;
/** A counter growing by `perMinute` every minute from 0. */
const counter = (perMinute: number) => `0+${perMinute}x${STEPS}`;

/** A bucket boundary as Prometheus 3 writes it (`le="1.0"`): floats, `+Inf`. */
export function leLabel(le: number): string {
  if (le === Number.POSITIVE_INFINITY) return "+Inf";
  return Number.isInteger(le) ? le.toFixed(1) : String(le);
}

/** A histogram's cumulative buckets, counting `perMinute` observations spread over them. */
function histogram(
  name: string,
  labels: Record<string, string>,
  bounds: readonly number[],
  perMinute: number,
): Series[] {
  const all = [...bounds, Number.POSITIVE_INFINITY];
  return all.map((le, i) => ({
    labels: { __name__: `${name}_bucket`, ...labels, le: leLabel(le) },
    values: counter(Math.max(1, Math.round((perMinute * (i + 1)) / all.length))),
  }));
}

/** The labels a node's kubelet and cAdvisor series get from the node role's labelmap. */
const nodeLabels = (n: NodeSpec) => ({
  instance: n.name,
  kubernetes_io_hostname: n.name,
  kubernetes_io_arch: "amd64",
  topology_kubernetes_io_zone: n.name.startsWith("ip-10-0-1") ? "eu-west-1a" : "eu-west-1b",
});

const API_SERVERS = ["10.0.100.10:443", "10.0.101.20:443"];
const KSM_NODE = N1;
const EXPORTERS_NAMESPACE = "monitoring";

/** A target's labels and its own scrape series. */
interface Target {
  readonly labels: Record<string, string>;
  readonly samples: number;
}

function scrapeSeries(targets: readonly Target[]): Series[] {
  return targets.flatMap((t) => [
    { labels: { __name__: "up", ...t.labels }, values: gauge(1) },
    { labels: { __name__: "scrape_duration_seconds", ...t.labels }, values: gauge(0.08) },
    { labels: { __name__: "scrape_samples_scraped", ...t.labels }, values: gauge(t.samples) },
    {
      labels: { __name__: "scrape_samples_post_metric_relabeling", ...t.labels },
      values: gauge(Math.round(t.samples * 0.3)),
    },
  ]);
}

/** kube-state-metrics' series for the world. */
function kubeStateMetrics(target: Record<string, string>): Series[] {
  const out: Series[] = [];
  // honor_labels: the exporter's labels win; the target's fill in what a series lacks.
  const s = (name: string, labels: Record<string, string>, values: string) =>
    out.push({ labels: { __name__: name, ...target, ...labels }, values });
  for (const n of NODES) {
    s(
      "kube_node_info",
      {
        node: n.name,
        internal_ip: n.ip,
        kubelet_version: "v1.33.5-eks-113cf36",
        os_image: "Amazon Linux 2023.7.20250428",
        provider_id: `aws:///eu-west-1a/i-0${n.ip.replaceAll(".", "")}`,
      },
      gauge(1),
    );
    for (const condition of ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"])
      for (const status of ["true", "false", "unknown"]) {
        const isTrue = condition === "Ready" ? status === "true" : status === "false";
        s("kube_node_status_condition", { node: n.name, condition, status }, gauge(isTrue ? 1 : 0));
      }
    for (const [resource, unit, v] of [
      ["cpu", "core", n.cpus - 0.08],
      ["memory", "byte", n.memoryBytes * 0.9],
      ["pods", "integer", 58],
    ] as const) {
      s("kube_node_status_allocatable", { node: n.name, resource, unit }, gauge(v));
    }
    s("kube_node_spec_unschedulable", { node: n.name }, gauge(0));
  }
  for (const ns of ["default", "kube-system", "shop", EXPORTERS_NAMESPACE])
    for (const phase of ["Active", "Terminating"])
      s("kube_namespace_status_phase", { namespace: ns, phase }, gauge(phase === "Active" ? 1 : 0));
  const replicaSets = new Map<string, { namespace: string; deployment: string }>();
  for (const p of PODS) {
    const pod = { namespace: p.namespace, pod: p.name, uid: `uid-${p.name}` };
    const owner =
      p.workload.kind === "Deployment"
        ? { owner_kind: "ReplicaSet", owner_name: p.workload.replicaSet ?? "" }
        : { owner_kind: p.workload.kind, owner_name: p.workload.name };
    if (p.workload.replicaSet)
      replicaSets.set(p.workload.replicaSet, { namespace: p.namespace, deployment: p.workload.name });
    s(
      "kube_pod_info",
      {
        ...pod,
        // An unscheduled pod has no node: the target's `node` (the exporter's node) fills it in.
        ...(p.node ? { node: p.node, host_ip: NODES.find((n) => n.name === p.node)?.ip ?? "" } : {}),
        ...(p.ip ? { pod_ip: p.ip } : {}),
        created_by_kind: owner.owner_kind,
        created_by_name: owner.owner_name,
        priority_class: p.namespace === "kube-system" ? "system-node-critical" : "",
      },
      gauge(1),
    );
    s("kube_pod_owner", { ...pod, ...owner, owner_is_controller: "true" }, gauge(1));
    for (const phase of ["Pending", "Running", "Succeeded", "Failed", "Unknown"])
      s("kube_pod_status_phase", { ...pod, phase }, gauge(phase === p.phase ? 1 : 0));
    for (const condition of ["true", "false", "unknown"]) {
      const v = condition === "true" ? p.ready : condition === "false" ? !p.ready : false;
      s("kube_pod_status_ready", { ...pod, condition }, gauge(v ? 1 : 0));
    }
    for (const c of p.containers) {
      const container = { ...pod, container: c.name };
      const onNode: Record<string, string> = p.node ? { node: p.node } : {};
      s("kube_pod_container_info", { ...container, image: c.image, image_spec: c.image }, gauge(1));
      s("kube_pod_container_status_ready", container, gauge(p.ready ? 1 : 0));
      s("kube_pod_container_status_restarts_total", container, c.crashLooping ? counter(0.2) : gauge(0));
      if (c.crashLooping) {
        s(
          "kube_pod_container_status_waiting_reason",
          { ...container, reason: c.crashLooping.reason },
          gauge(1),
        );
        s(
          "kube_pod_container_status_last_terminated_reason",
          { ...container, reason: c.crashLooping.lastTerminated },
          gauge(1),
        );
      }
      for (const [resource, unit, v] of [
        ["cpu", "core", c.requests.cpu],
        ["memory", "byte", c.requests.memory],
      ] as const)
        s("kube_pod_container_resource_requests", { ...container, ...onNode, resource, unit }, gauge(v));
      for (const [resource, unit, v] of [
        ["cpu", "core", c.limits?.cpu],
        ["memory", "byte", c.limits?.memory],
      ] as const)
        if (v !== undefined)
          s("kube_pod_container_resource_limits", { ...container, ...onNode, resource, unit }, gauge(v));
    }
  }
  for (const [rs, { namespace, deployment }] of replicaSets)
    s(
      "kube_replicaset_owner",
      {
        namespace,
        replicaset: rs,
        owner_kind: "Deployment",
        owner_name: deployment,
        owner_is_controller: "true",
      },
      gauge(1),
    );
  const workloads = new Map<string, { kind: WorkloadKind; namespace: string; pods: PodSpec[] }>();
  for (const p of PODS) {
    const key = `${p.workload.kind}/${p.namespace}/${p.workload.name}`;
    const w = workloads.get(key) ?? { kind: p.workload.kind, namespace: p.namespace, pods: [] };
    w.pods.push(p);
    workloads.set(key, w);
  }
  for (const [key, w] of workloads) {
    const name = key.split("/")[2];
    const ready = w.pods.filter((p) => p.ready).length;
    const all = w.pods.length;
    if (w.kind === "Deployment") {
      const d = { namespace: w.namespace, deployment: name };
      s("kube_deployment_spec_replicas", d, gauge(all));
      s("kube_deployment_status_replicas_available", d, gauge(ready));
      s("kube_deployment_status_replicas_updated", d, gauge(all));
    } else if (w.kind === "StatefulSet") {
      const st = { namespace: w.namespace, statefulset: name };
      s("kube_statefulset_replicas", st, gauge(all));
      s("kube_statefulset_status_replicas_ready", st, gauge(ready));
      s("kube_statefulset_status_replicas_updated", st, gauge(all));
    } else if (w.kind === "DaemonSet") {
      const ds = { namespace: w.namespace, daemonset: name };
      s("kube_daemonset_status_desired_number_scheduled", ds, gauge(all));
      s("kube_daemonset_status_number_available", ds, gauge(ready));
      s("kube_daemonset_status_updated_number_scheduled", ds, gauge(all));
    }
  }
  for (const c of CLAIMS) {
    const claim = { namespace: c.namespace, persistentvolumeclaim: c.name };
    s(
      "kube_persistentvolumeclaim_info",
      { ...claim, storageclass: c.storageClass, volumename: c.volume, volumemode: "Filesystem" },
      gauge(1),
    );
    for (const phase of ["Lost", "Bound", "Pending"])
      s("kube_persistentvolumeclaim_status_phase", { ...claim, phase }, gauge(phase === "Bound" ? 1 : 0));
    s("kube_persistentvolumeclaim_resource_requests_storage_bytes", claim, gauge(c.bytes));
    // Cluster-scoped: the target's namespace (the exporter's) fills it in.
    const pv = { persistentvolume: c.volume };
    s(
      "kube_persistentvolume_info",
      { ...pv, storageclass: c.storageClass, csi_driver: "ebs.csi.aws.com" },
      gauge(1),
    );
    for (const phase of ["Pending", "Available", "Bound", "Released", "Failed"])
      s("kube_persistentvolume_status_phase", { ...pv, phase }, gauge(phase === "Bound" ? 1 : 0));
    s("kube_persistentvolume_capacity_bytes", pv, gauge(c.bytes));
  }
  return out;
}

/** cAdvisor's series of one node (container cgroups, pod cgroups, the pods' network). */
function cadvisor(n: NodeSpec, target: Record<string, string>): Series[] {
  const out: Series[] = [];
  const s = (name: string, labels: Record<string, string>, values: string) =>
    out.push({ labels: { __name__: name, ...target, ...labels }, values });
  // The node's own cgroups (no pod).
  s(
    "container_cpu_usage_seconds_total",
    { id: "/", container: "", pod: "", namespace: "" },
    counter(60 * 1.2),
  );
  s("container_memory_working_set_bytes", { id: "/", container: "", pod: "", namespace: "" }, gauge(6 * Gi));
  for (const p of PODS.filter((x) => x.node === n.name && x.phase === "Running")) {
    const podId = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${p.name}.slice`;
    const pod = { namespace: p.namespace, pod: p.name };
    let cpu = 0;
    let memory = 0;
    for (const c of p.containers) {
      const labels = {
        ...pod,
        container: c.name,
        image: c.image,
        id: `${podId}/cri-containerd-${c.name}.scope`,
        name: c.name,
      };
      const cores = c.requests.cpu * 0.8;
      cpu += cores;
      memory += c.requests.memory * 0.9;
      s("container_cpu_usage_seconds_total", labels, counter(60 * cores));
      s("container_memory_working_set_bytes", labels, gauge(c.requests.memory * 0.9));
      if (c.limits?.cpu !== undefined) {
        s("container_cpu_cfs_periods_total", labels, counter(600));
        s("container_cpu_cfs_throttled_periods_total", labels, counter(c.crashLooping ? 120 : 6));
      }
    }
    const cgroup = { ...pod, container: "", image: "", id: podId, name: "" };
    s("container_cpu_usage_seconds_total", cgroup, counter(60 * cpu));
    s("container_memory_working_set_bytes", cgroup, gauge(memory));
    s("container_network_receive_bytes_total", { ...cgroup, interface: "eth0" }, counter(60 * 20_000));
    s("container_network_transmit_bytes_total", { ...cgroup, interface: "eth0" }, counter(60 * 12_000));
  }
  return out;
}

/** The kubelet's volume stats of the claims mounted on one node. */
function kubelet(n: NodeSpec, target: Record<string, string>): Series[] {
  return CLAIMS.filter((c) => c.node === n.name).flatMap((c) => {
    const labels = { ...target, namespace: c.namespace, persistentvolumeclaim: c.name };
    const used = c.bytes * 0.62;
    return [
      { labels: { __name__: "kubelet_volume_stats_capacity_bytes", ...labels }, values: gauge(c.bytes) },
      // Filling at 10 MiB a minute: predict_linear sees it.
      {
        labels: { __name__: "kubelet_volume_stats_used_bytes", ...labels },
        values: `${used}+${10 * Mi}x${STEPS}`,
      },
      {
        labels: { __name__: "kubelet_volume_stats_available_bytes", ...labels },
        values: `${c.bytes - used}-${10 * Mi}x${STEPS}`,
      },
      { labels: { __name__: "kubelet_volume_stats_inodes", ...labels }, values: gauge(1_310_720) },
      { labels: { __name__: "kubelet_volume_stats_inodes_used", ...labels }, values: gauge(4_096) },
    ];
  });
}

/** node-exporter's series of one node. */
function nodeExporter(n: NodeSpec, target: Record<string, string>): Series[] {
  const out: Series[] = [];
  const s = (name: string, labels: Record<string, string>, values: string) =>
    out.push({ labels: { __name__: name, ...target, ...labels }, values });
  const modes = {
    idle: 0.7,
    user: 0.18,
    system: 0.07,
    iowait: 0.02,
    irq: 0,
    nice: 0,
    softirq: 0.01,
    steal: 0.02,
  };
  for (let cpu = 0; cpu < n.cpus; cpu++)
    for (const [mode, share] of Object.entries(modes))
      s("node_cpu_seconds_total", { cpu: String(cpu), mode }, counter(60 * share));
  s("node_memory_MemTotal_bytes", {}, gauge(n.memoryBytes));
  s("node_memory_MemAvailable_bytes", {}, gauge(n.memoryBytes * 0.55));
  s("node_boot_time_seconds", {}, gauge(1_764_000_000));
  for (const [name, v] of [
    ["node_load1", 1.2],
    ["node_load5", 1.0],
    ["node_load15", 0.9],
    ["node_timex_offset_seconds", 0.0004],
  ] as const)
    s(name, {}, gauge(v));
  const root = { device: "/dev/nvme0n1p1", fstype: "xfs", mountpoint: "/" };
  const token = { device: "tmpfs", fstype: "tmpfs", mountpoint: "/var/lib/kubelet/pods/uid/volumes/token" };
  for (const fs of [root, token]) {
    s("node_filesystem_size_bytes", fs, gauge(80 * Gi));
    s("node_filesystem_avail_bytes", fs, gauge(52 * Gi));
  }
  const disk = { device: "nvme0n1" };
  s("node_disk_read_bytes_total", disk, counter(60 * 150_000));
  s("node_disk_written_bytes_total", disk, counter(60 * 900_000));
  s("node_disk_io_time_seconds_total", disk, counter(60 * 0.04));
  for (const device of ["eth0", "lo", "eni3f9a2b1c4d5"]) {
    s("node_network_receive_bytes_total", { device }, counter(60 * 250_000));
    s("node_network_transmit_bytes_total", { device }, counter(60 * 180_000));
  }
  return out;
}

/** An API server's series. */
function apiServer(target: Record<string, string>): Series[] {
  const out: Series[] = [];
  const s = (name: string, labels: Record<string, string>, values: string) =>
    out.push({ labels: { __name__: name, ...target, ...labels }, values });
  const requests = [
    { verb: "GET", resource: "pods", scope: "resource", code: "200", rate: 120 },
    { verb: "LIST", resource: "pods", scope: "namespace", code: "200", rate: 30 },
    { verb: "WATCH", resource: "pods", scope: "cluster", code: "200", rate: 2 },
    { verb: "PATCH", resource: "leases", scope: "resource", code: "200", rate: 40 },
    { verb: "POST", resource: "events", scope: "namespace", code: "201", rate: 10 },
    { verb: "PUT", resource: "configmaps", scope: "resource", code: "409", rate: 1 },
    { verb: "GET", resource: "nodes", scope: "resource", code: "404", rate: 1 },
    { verb: "LIST", resource: "secrets", scope: "cluster", code: "500", rate: 0.2 },
  ];
  const bounds = [
    0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
  ];
  for (const r of requests) {
    const labels = {
      verb: r.verb,
      group: r.resource === "leases" ? "coordination.k8s.io" : "",
      version: "v1",
      resource: r.resource,
      subresource: "",
      scope: r.scope,
      component: "apiserver",
      dry_run: "",
    };
    s("apiserver_request_total", { ...labels, code: r.code }, counter(r.rate * 60));
    if (r.verb !== "WATCH")
      out.push(
        ...histogram("apiserver_request_duration_seconds", { ...target, ...labels }, bounds, r.rate * 60),
      );
  }
  for (const kind of ["mutating", "readOnly"]) {
    s("apiserver_current_inflight_requests", { request_kind: kind }, gauge(kind === "readOnly" ? 4 : 1));
    s("apiserver_current_inqueue_requests", { request_kind: kind }, gauge(0));
  }
  for (const [flow, level] of [
    ["exempt", "exempt"],
    ["kube-controller-manager", "workload-high"],
    ["service-accounts", "workload-low"],
  ]) {
    s(
      "apiserver_flowcontrol_current_executing_requests",
      { flow_schema: flow, priority_level: level },
      gauge(2),
    );
    s(
      "apiserver_flowcontrol_dispatched_requests_total",
      { flow_schema: flow, priority_level: level },
      counter(600),
    );
  }
  s(
    "apiserver_flowcontrol_rejected_requests_total",
    { flow_schema: "service-accounts", priority_level: "workload-low", reason: "queue-full" },
    counter(1),
  );
  for (const resource of ["pods", "nodes", "configmaps", "endpointslices"]) {
    s(
      "apiserver_longrunning_requests",
      {
        verb: "WATCH",
        group: "",
        version: "v1",
        resource,
        subresource: "",
        scope: "cluster",
        component: "apiserver",
      },
      gauge(12),
    );
    s("apiserver_watch_events_total", { group: "", version: "v1", resource }, counter(300));
    s("apiserver_resource_objects", { group: "", resource }, gauge(40));
    s("apiserver_storage_objects", { resource }, gauge(40));
  }
  // The API server's own work queues: the names kube-controller-manager's share.
  for (const name of ["APIServiceRegistrationController", "crd_finalizer"]) {
    s("workqueue_depth", { name }, gauge(0));
    s("workqueue_adds_total", { name }, counter(2));
  }
  return out;
}

/** kube-scheduler's series, as read through one API server endpoint. */
function scheduler(target: Record<string, string>): Series[] {
  const out: Series[] = [];
  const s = (name: string, labels: Record<string, string>, values: string) =>
    out.push({ labels: { __name__: name, ...target, ...labels }, values });
  for (const [queue, v] of [
    ["active", 0],
    ["backoff", 0],
    ["unschedulable", 1],
    ["gated", 0],
  ] as const)
    s("scheduler_pending_pods", { queue }, gauge(v));
  for (const [result, rate] of [
    ["scheduled", 6],
    ["unschedulable", 1],
    ["error", 0],
  ] as const) {
    s("scheduler_schedule_attempts_total", { profile: "default-scheduler", result }, counter(rate));
    out.push(
      ...histogram(
        "scheduler_scheduling_attempt_duration_seconds",
        { ...target, profile: "default-scheduler", result },
        [
          0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192,
          16.384,
        ],
        rate,
      ),
    );
  }
  out.push(
    ...histogram(
      "scheduler_pod_scheduling_sli_duration_seconds",
      { ...target, attempts: "1" },
      [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48],
      6,
    ),
    ...histogram("scheduler_pod_scheduling_attempts", target, [1, 2, 4, 8, 16], 6),
    ...histogram("scheduler_preemption_victims", target, [1, 2, 4, 8, 16, 32, 64, 128, 256, 512], 1),
  );
  s("scheduler_preemption_attempts_total", {}, counter(0.1));
  return out;
}

/** kube-controller-manager's series, as read through one API server endpoint. */
function controllerManager(target: Record<string, string>): Series[] {
  const out: Series[] = [];
  const bounds = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 0.001, 0.01, 0.1, 1, 10];
  for (const [name, depth, adds] of [
    ["deployment", 0, 12],
    ["replicaset", 0, 18],
    ["endpoint_slice", 3, 40],
    ["garbage_collector_attempt_to_delete", 0, 2],
  ] as const) {
    out.push(
      { labels: { __name__: "workqueue_depth", ...target, name }, values: gauge(depth) },
      { labels: { __name__: "workqueue_adds_total", ...target, name }, values: counter(adds) },
      ...histogram("workqueue_queue_duration_seconds", { ...target, name }, bounds, adds),
      ...histogram("workqueue_work_duration_seconds", { ...target, name }, bounds, adds),
    );
  }
  out.push(
    ...histogram(
      "cronjob_controller_job_creation_skew_duration_seconds",
      target,
      [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      0.1,
    ),
  );
  return out;
}

/** The in-cluster Prometheus server's own series (remote write, TSDB, WAL). */
function prometheusServer(target: Record<string, string>): Series[] {
  const q = {
    remote_name: "a1b2c3",
    url: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write",
  };
  const s = (name: string, labels: Record<string, string>, values: string): Series => ({
    labels: { __name__: name, ...target, ...labels },
    values,
  });
  return [
    s("prometheus_remote_storage_samples_total", q, counter(60 * 2_500)),
    s("prometheus_remote_storage_samples_failed_total", q, counter(1)),
    s("prometheus_remote_storage_samples_retried_total", q, counter(3)),
    s("prometheus_remote_storage_samples_pending", q, gauge(120)),
    s("prometheus_remote_storage_shards", q, gauge(2)),
    s("prometheus_remote_storage_shards_desired", q, gauge(1.4)),
    s("prometheus_remote_storage_shards_max", q, gauge(50)),
    s("prometheus_remote_storage_highest_timestamp_in_seconds", {}, `1764000000+60x${STEPS}`),
    s("prometheus_remote_storage_queue_highest_sent_timestamp_seconds", q, `1763999995+60x${STEPS}`),
    s("prometheus_tsdb_wal_segment_current", {}, gauge(42)),
    s("prometheus_wal_watcher_current_segment", { consumer: q.remote_name }, gauge(42)),
    s("prometheus_tsdb_wal_fsync_duration_seconds", { quantile: "0.99" }, gauge(0.004)),
    s("prometheus_tsdb_wal_corruptions_total", {}, gauge(0)),
    s("prometheus_tsdb_wal_writes_failed_total", {}, gauge(0)),
    s("prometheus_tsdb_head_series", {}, gauge(48_000)),
    s("prometheus_tsdb_head_samples_appended_total", { type: "float" }, counter(60 * 3_000)),
  ];
}

/** The series AMP holds for the world, as written by a collector of this type. */
export function fixtureSeries(collector: CollectorType): Series[] {
  const cluster = { cluster: CLUSTER };
  const targets: Target[] = [];
  const out: Series[] = [];
  const add = (labels: Record<string, string>, series: Series[]) => {
    targets.push({ labels, samples: series.length });
    out.push(...series);
  };
  for (const instance of API_SERVERS) {
    add(
      { ...cluster, job: "kubernetes-api-servers", instance },
      apiServer({ ...cluster, job: "kubernetes-api-servers", instance }),
    );
    add(
      { ...cluster, job: "kube-scheduler", instance },
      scheduler({ ...cluster, job: "kube-scheduler", instance }),
    );
    add(
      { ...cluster, job: "kube-controller-manager", instance },
      controllerManager({ ...cluster, job: "kube-controller-manager", instance }),
    );
  }
  for (const n of NODES) {
    const node = { ...cluster, ...nodeLabels(n) };
    add({ ...node, job: "kubernetes-nodes" }, kubelet(n, { ...node, job: "kubernetes-nodes" }));
    add(
      { ...node, job: "kubernetes-nodes-cadvisor" },
      cadvisor(n, { ...node, job: "kubernetes-nodes-cadvisor", metrics_path: "/metrics/cadvisor" }),
    );
    const ne = {
      ...cluster,
      job: "kubernetes-service-endpoints",
      instance: `${n.ip}:9100`,
      namespace: EXPORTERS_NAMESPACE,
      service: "prometheus-node-exporter",
      node: n.name,
      app_kubernetes_io_name: "prometheus-node-exporter",
    };
    add(ne, nodeExporter(n, ne));
  }
  const ksm = {
    ...cluster,
    job: "kubernetes-service-endpoints",
    instance: "10.0.1.150:8080",
    namespace: EXPORTERS_NAMESPACE,
    service: "kube-state-metrics",
    node: KSM_NODE,
    app_kubernetes_io_name: "kube-state-metrics",
  };
  add(ksm, kubeStateMetrics(ksm));
  if (collector === "prometheus") {
    const self = { ...cluster, job: "prometheus", instance: "localhost:9090" };
    add(self, prometheusServer(self));
  }
  out.push(...scrapeSeries(targets));
  out.push({
    labels: {
      __name__: "ALERTS",
      ...cluster,
      alertname: "KubePodCrashLooping",
      alertstate: "firing",
      severity: "warning",
      environment: "prod",
      namespace: "shop",
      pod: "checkout-5d8f7c9b6-q9w4z",
      container: "app",
    },
    values: gauge(1),
  });
  return out;
}
