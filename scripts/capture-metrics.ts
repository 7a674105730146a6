/**
 * `node -r esbuild-register scripts/capture-metrics.ts [--out <dir>]`: captures what real exporters write,
 * for __tests__/scenarios/dashboards-answer.test.ts (a). On loopback, with the binaries the install scripts
 * build from the Go module proxy (cached under ~/.cache/eksmon; built on first use):
 * 1. etcd, kube-apiserver (RBAC, a token file), kube-controller-manager and kube-scheduler;
 * 2. the objects of the dashboards' test cluster (scripts/lib/dashboard-check/world.ts): two Ready nodes, a
 *    Deployment with a pod in CrashLoopBackOff, an unschedulable Deployment, a StatefulSet with its volume
 *    claim bound, a DaemonSet, a failed Job, created through the API and run by the real controllers and
 *    scheduler; with no kubelet, the pods' statuses are written as a kubelet would;
 * 3. kube-state-metrics (against that API server, with a kubeconfig) and node_exporter (on this host);
 * 4. one scrape of every /metrics (API server, controller manager, scheduler, kube-state-metrics,
 *    node_exporter), written with a manifest (labels as the collectors give them, the objects' bindings,
 *    the versions) into --out (default: EKSMON_METRICS_CAPTURE or ~/.cache/eksmon/metrics-capture).
 * Takes about a minute once the binaries are built; leaves nothing running.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CapturedTarget, type CaptureManifest, captureDir } from "./lib/dashboard-check/capture";
import { type Binding, CLAIMS, CLUSTER, NODES, PODS } from "./lib/dashboard-check/world";

const root = join(__dirname, "..");

/** A binary from its install script, by its path in the repository (which prints the binary's path, building it on first use). */
function install(script: string, ...args: string[]): string {
  return execFileSync("bash", [join(root, script), ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const running: ChildProcess[] = [];

function start(name: string, bin: string, args: string[], dir: string): ChildProcess {
  const log = openSync(join(dir, `${name}.log`), "w");
  const child = spawn(bin, args, { stdio: ["ignore", log, log] });
  closeSync(log);
  running.push(child);
  child.once("exit", (code) => {
    if (!stopping)
      process.stderr.write(`capture-metrics: ${name} exited (${code}); see ${join(dir, `${name}.log`)}\n`);
  });
  return child;
}

let stopping = false;
function stopAll(): void {
  stopping = true;
  for (const c of running.reverse()) if (c.exitCode === null) c.kill("SIGTERM");
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface Response {
  readonly status: number;
  readonly body: string;
  readonly seconds: number;
}

/** An HTTP(S) request with the admin token (components' own ports have self-signed certificates). */
function call(
  url: string,
  token: string,
  method = "GET",
  body?: unknown,
  contentType = "application/json",
): Promise<Response> {
  const started = Date.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  if (url.startsWith("http://"))
    return fetch(url).then(async (r) => ({
      status: r.status,
      body: await r.text(),
      seconds: (Date.now() - started) / 1000,
    }));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        rejectUnauthorized: false,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json, text/plain",
          ...(payload ? { "content-type": contentType } : {}),
        },
        timeout: 20_000,
      },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (c) => {
          data += c;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: data, seconds: (Date.now() - started) / 1000 }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: timed out`)));
    req.on("error", reject);
    req.end(payload);
  });
}

type Obj = Record<string, unknown>;

async function main(argv: string[]): Promise<number> {
  const outIndex = argv.indexOf("--out");
  const out = outIndex >= 0 ? argv[outIndex + 1] : captureDir();
  if (outIndex >= 0 && !out) throw new Error("usage: scripts/capture-metrics.ts [--out <dir>]");
  const bin = {
    etcd: install("e2e/install-etcd.sh"),
    apiserver: install("e2e/install-kube-apiserver.sh"),
    controllerManager: install("e2e/install-kube-apiserver.sh", "kube-controller-manager"),
    scheduler: install("e2e/install-kube-apiserver.sh", "kube-scheduler"),
    kubeStateMetrics: install("scripts/install-kube-state-metrics.sh"),
    nodeExporter: install("scripts/install-node-exporter.sh"),
  };
  const work = mkdtempSync(join(tmpdir(), "capture-metrics-"));
  const started = Date.now();
  try {
    const token = randomBytes(16).toString("hex");
    writeFileSync(join(work, "tokens.csv"), `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(join(work, "sa.key"), privateKey.export({ type: "pkcs8", format: "pem" }));
    writeFileSync(join(work, "sa.pub"), publicKey.export({ type: "spki", format: "pem" }));
    const [etcdClient, etcdPeer, apiPort, kcmPort, schedPort, ksmPort, ksmTelemetry, nePort] =
      await Promise.all(Array.from({ length: 8 }, freePort));
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    start(
      "etcd",
      bin.etcd,
      [
        "--name=capture",
        `--data-dir=${join(work, "etcd")}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=capture=${peerUrl}`,
        "--log-level=warn",
      ],
      work,
    );
    await waitFor("etcd", async () => (await fetch(`${etcdUrl}/health`)).ok);
    start(
      "kube-apiserver",
      bin.apiserver,
      [
        `--etcd-servers=${etcdUrl}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${apiPort}`,
        `--cert-dir=${join(work, "certs")}`,
        `--token-auth-file=${join(work, "tokens.csv")}`,
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-account-key-file=${join(work, "sa.pub")}`,
        `--service-account-signing-key-file=${join(work, "sa.key")}`,
        "--advertise-address=127.0.0.1",
        "--endpoint-reconciler-type=none",
        "--service-cluster-ip-range=10.0.0.0/24",
      ],
      work,
    );
    const api = `https://127.0.0.1:${apiPort}`;
    await waitFor("kube-apiserver /readyz", async () => (await call(`${api}/readyz`, token)).status === 200);
    const kubeconfig = join(work, "kubeconfig");
    writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        `clusters: [{name: loopback, cluster: {server: "${api}", certificate-authority: "${join(work, "certs", "apiserver.crt")}"}}]`,
        `users: [{name: admin, user: {token: "${token}"}}]`,
        "contexts: [{name: loopback, context: {cluster: loopback, user: admin}}]",
        "current-context: loopback",
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    const auth = [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
    ];
    start(
      "kube-controller-manager",
      bin.controllerManager,
      [
        ...auth,
        "--bind-address=127.0.0.1",
        `--secure-port=${kcmPort}`,
        `--cert-dir=${join(work, "kcm-certs")}`,
        "--leader-elect=false",
        `--service-account-private-key-file=${join(work, "sa.key")}`,
        `--root-ca-file=${join(work, "certs", "apiserver.crt")}`,
        "--use-service-account-credentials=false",
        // No cloud and no kubelets: the node lifecycle controller would mark the nodes unreachable.
        "--controllers=*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service-lb-controller,-route,-attachdetach,-persistentvolume-expander,-ttl",
      ],
      work,
    );
    start(
      "kube-scheduler",
      bin.scheduler,
      [
        ...auth,
        "--bind-address=127.0.0.1",
        `--secure-port=${schedPort}`,
        `--cert-dir=${join(work, "sched-certs")}`,
        "--leader-elect=false",
      ],
      work,
    );
    await waitFor(
      "kube-controller-manager",
      async () => (await call(`https://127.0.0.1:${kcmPort}/healthz`, token)).status === 200,
    );
    await waitFor(
      "kube-scheduler",
      async () => (await call(`https://127.0.0.1:${schedPort}/healthz`, token)).status === 200,
    );

    const post = async (path: string, body: Obj) => {
      const r = await call(`${api}${path}`, token, "POST", body);
      if (r.status !== 201) throw new Error(`POST ${path}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
      return JSON.parse(r.body) as Obj;
    };
    const patchStatus = async (path: string, body: Obj) => {
      const r = await call(`${api}${path}/status`, token, "PATCH", body, "application/merge-patch+json");
      if (r.status !== 200) throw new Error(`PATCH ${path}/status: HTTP ${r.status} ${r.body.slice(0, 300)}`);
    };
    const list = async (path: string) => {
      const r = await call(`${api}${path}`, token);
      if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status}`);
      return (JSON.parse(r.body) as { items: Obj[] }).items;
    };

    // The cluster's objects, as in world.ts.
    for (const ns of ["shop", "monitoring"]) await post("/api/v1/namespaces", { metadata: { name: ns } });
    await post("/apis/storage.k8s.io/v1/storageclasses", {
      metadata: { name: CLAIMS[0].storageClass },
      provisioner: "ebs.csi.aws.com",
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Retain",
    });
    const now = new Date().toISOString();
    for (const [i, n] of NODES.entries()) {
      const zone = i === 0 ? "eu-west-1a" : "eu-west-1b";
      await post("/api/v1/nodes", {
        metadata: {
          name: n.name,
          labels: {
            "kubernetes.io/hostname": n.name,
            "kubernetes.io/os": "linux",
            "kubernetes.io/arch": "amd64",
            "topology.kubernetes.io/zone": zone,
          },
        },
        spec: { providerID: `aws:///${zone}/i-0${n.ip.replaceAll(".", "")}` },
      });
      const resources = {
        cpu: String(n.cpus),
        memory: `${n.memoryBytes / 2 ** 20}Mi`,
        pods: "58",
        "ephemeral-storage": "80Gi",
      };
      await patchStatus(`/api/v1/nodes/${n.name}`, {
        status: {
          capacity: resources,
          allocatable: { ...resources, cpu: `${n.cpus * 1000 - 80}m` },
          addresses: [
            { type: "InternalIP", address: n.ip },
            { type: "Hostname", address: n.name },
          ],
          nodeInfo: {
            kubeletVersion: "v1.34.4",
            containerRuntimeVersion: "containerd://2.1.4",
            osImage: "Amazon Linux 2023",
            kernelVersion: "6.12.40",
            operatingSystem: "linux",
            architecture: "amd64",
          },
          conditions: [
            ...["MemoryPressure", "DiskPressure", "PIDPressure"].map((type) => ({
              type,
              status: "False",
              reason: `KubeletHasNo${type}`,
              lastHeartbeatTime: now,
              lastTransitionTime: now,
            })),
            {
              type: "Ready",
              status: "True",
              reason: "KubeletReady",
              lastHeartbeatTime: now,
              lastTransitionTime: now,
            },
          ],
        },
      });
    }
    // The API server taints a new node not-ready; its node lifecycle controller (off: no kubelets) would
    // lift the taint once the node reports Ready.
    for (const n of NODES) {
      const r = await call(
        `${api}/api/v1/nodes/${n.name}`,
        token,
        "PATCH",
        { spec: { taints: null } },
        "application/merge-patch+json",
      );
      if (r.status !== 200) throw new Error(`PATCH node ${n.name}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    }
    const claim = CLAIMS[0];
    await post("/api/v1/persistentvolumes", {
      metadata: { name: claim.volume },
      spec: {
        capacity: { storage: `${claim.bytes / 2 ** 30}Gi` },
        accessModes: ["ReadWriteOnce"],
        storageClassName: claim.storageClass,
        persistentVolumeReclaimPolicy: "Retain",
        csi: { driver: "ebs.csi.aws.com", volumeHandle: "vol-0a1b2c3d4e5f60718", fsType: "ext4" },
        claimRef: { namespace: claim.namespace, name: claim.name },
      },
    });
    // Workloads from world.ts's pods: one object per workload, the controllers make the pods.
    const byWorkload = new Map<string, (typeof PODS)[number][]>();
    for (const p of PODS) {
      const key = `${p.workload.kind}/${p.namespace}/${p.workload.kind === "Job" ? "report" : p.workload.name}`;
      byWorkload.set(key, [...(byWorkload.get(key) ?? []), p]);
    }
    for (const [key, pods] of byWorkload) {
      const [kind, namespace, name] = key.split("/");
      const first = pods[0];
      const labels = { app: name };
      const template = {
        metadata: { labels },
        spec: {
          containers: first.containers.map((c) => ({
            name: c.name,
            image: c.image,
            resources: {
              requests: {
                cpu: `${Math.round(c.requests.cpu * 1000)}m`,
                memory: `${Math.round(c.requests.memory / 2 ** 20)}Mi`,
              },
              ...(c.limits
                ? {
                    limits: {
                      ...(c.limits.cpu !== undefined ? { cpu: `${Math.round(c.limits.cpu * 1000)}m` } : {}),
                      ...(c.limits.memory !== undefined
                        ? { memory: `${Math.round(c.limits.memory / 2 ** 20)}Mi` }
                        : {}),
                    },
                  }
                : {}),
            },
            ...(first.claims ? { volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql" }] } : {}),
          })),
          ...(kind === "Job" ? { restartPolicy: "Never" } : {}),
        },
      };
      const metadata = { name: kind === "Job" ? first.workload.name : name, namespace };
      if (kind === "Deployment")
        await post(`/apis/apps/v1/namespaces/${namespace}/deployments`, {
          metadata,
          spec: { replicas: pods.length, selector: { matchLabels: labels }, template },
        });
      else if (kind === "StatefulSet")
        await post(`/apis/apps/v1/namespaces/${namespace}/statefulsets`, {
          metadata,
          spec: {
            replicas: pods.length,
            serviceName: name,
            selector: { matchLabels: labels },
            template,
            volumeClaimTemplates: [
              {
                metadata: { name: "data" },
                spec: {
                  accessModes: ["ReadWriteOnce"],
                  storageClassName: claim.storageClass,
                  resources: { requests: { storage: `${claim.bytes / 2 ** 30}Gi` } },
                },
              },
            ],
          },
        });
      else if (kind === "DaemonSet")
        await post(`/apis/apps/v1/namespaces/${namespace}/daemonsets`, {
          metadata,
          spec: { selector: { matchLabels: labels }, template },
        });
      else
        await post(`/apis/batch/v1/namespaces/${namespace}/jobs`, {
          metadata,
          spec: { backoffLimit: 0, template },
        });
    }
    // Every pod made and, but the unschedulable one, scheduled.
    const expected = PODS.length;
    let pods: Obj[] = [];
    const podsFound = async () => {
      pods = [
        ...(await list("/api/v1/namespaces/shop/pods")),
        ...(await list("/api/v1/namespaces/kube-system/pods")),
      ];
      return pods;
    };
    try {
      await waitFor(
        "the pods, scheduled",
        async () => {
          await podsFound();
          const scheduled = pods.filter((p) => (p.spec as Obj).nodeName);
          return pods.length >= expected && scheduled.length >= expected - 1;
        },
        120_000,
      );
    } catch (error) {
      const events = (await list("/api/v1/events")).map(
        (e) => `${(e.involvedObject as Obj).name}: ${e.reason} ${e.message}`,
      );
      throw new Error(
        `${(error as Error).message}: ${pods.length} of ${expected} pods, ${pods.filter((p) => (p.spec as Obj).nodeName).length} scheduled; events:\n${events.slice(-15).join("\n")}`,
      );
    }
    // Statuses as kubelets would write them: running and ready, one checkout pod crash-looping, the Job failed.
    const ownerOf = (p: Obj) => ((p.metadata as Obj).ownerReferences as { kind: string; name: string }[])[0];
    const crashing = pods
      .filter(
        (p) => ownerOf(p).kind === "ReplicaSet" && ((p.metadata as Obj).labels as Obj).app === "checkout",
      )
      .map((p) => (p.metadata as Obj).name as string)
      .sort()[1];
    const nodeIp = (name: string) => NODES.find((n) => n.name === name)?.ip ?? "10.0.0.1";
    let ip = 100;
    for (const p of pods) {
      const meta = p.metadata as { name: string; namespace: string; labels: Record<string, string> };
      const node = (p.spec as { nodeName?: string }).nodeName;
      if (!node) continue;
      const failedJob = ownerOf(p).kind === "Job";
      const crash = meta.name === crashing;
      const containers = ((p.spec as Obj).containers as { name: string; image: string }[]).map((c) => ({
        name: c.name,
        image: c.image,
        imageID: `${c.image}@sha256:${"0".repeat(64)}`,
        containerID: `containerd://${randomBytes(32).toString("hex")}`,
        ready: !crash && !failedJob,
        started: !crash && !failedJob,
        restartCount: crash ? 7 : 0,
        state: crash
          ? { waiting: { reason: "CrashLoopBackOff", message: "back-off 5m0s restarting failed container" } }
          : failedJob
            ? { terminated: { exitCode: 1, reason: "Error", startedAt: now, finishedAt: now } }
            : { running: { startedAt: now } },
        ...(crash
          ? {
              lastState: {
                terminated: { exitCode: 137, reason: "OOMKilled", startedAt: now, finishedAt: now },
              },
            }
          : {}),
      }));
      const ready = !crash && !failedJob;
      await patchStatus(`/api/v1/namespaces/${meta.namespace}/pods/${meta.name}`, {
        status: {
          phase: failedJob ? "Failed" : "Running",
          hostIP: nodeIp(node),
          podIP:
            meta.labels.app === "aws-node" ? nodeIp(node) : `10.0.${node === NODES[0].name ? 1 : 2}.${ip++}`,
          startTime: now,
          conditions: [
            { type: "PodScheduled", status: "True", lastTransitionTime: now },
            { type: "Initialized", status: "True", lastTransitionTime: now },
            { type: "ContainersReady", status: ready ? "True" : "False", lastTransitionTime: now },
            { type: "Ready", status: ready ? "True" : "False", lastTransitionTime: now },
          ],
          containerStatuses: containers,
        },
      });
    }
    const podOf = (app: string, pick: (names: string[]) => string) =>
      pick(
        pods
          .filter((p) => ((p.metadata as Obj).labels as Obj).app === app)
          .map((p) => (p.metadata as Obj).name as string)
          .sort(),
      );
    const nodeOf = (name: string) => {
      const pod = pods.find((p) => (p.metadata as Obj).name === name);
      if (!pod) throw new Error(`no pod ${name} was created`);
      return (pod.spec as { nodeName: string }).nodeName;
    };
    const awsNode = podOf("aws-node", (n) => n[0]);
    const bindings: Binding[] = [
      { cluster: CLUSTER, namespace: "shop", workload: "checkout", pod: crashing, node: nodeOf(crashing) },
      {
        cluster: CLUSTER,
        namespace: "shop",
        workload: "cart-db",
        pod: "cart-db-0",
        node: nodeOf("cart-db-0"),
      },
      {
        cluster: CLUSTER,
        namespace: "kube-system",
        workload: "aws-node",
        pod: awsNode,
        node: nodeOf(awsNode),
      },
    ];

    start(
      "kube-state-metrics",
      bin.kubeStateMetrics,
      [
        `--kubeconfig=${kubeconfig}`,
        "--host=127.0.0.1",
        `--port=${ksmPort}`,
        "--telemetry-host=127.0.0.1",
        `--telemetry-port=${ksmTelemetry}`,
      ],
      work,
    );
    start("node_exporter", bin.nodeExporter, [`--web.listen-address=127.0.0.1:${nePort}`], work);
    const ksmUrl = `http://127.0.0.1:${ksmPort}/metrics`;
    // Until kube-state-metrics lists every pod and the controllers have counted the ready ones.
    await waitFor("kube-state-metrics", async () => {
      const text = (await call(ksmUrl, token)).body;
      return (
        PODS.every((p) => p.workload.kind === "Job" || text.includes(`namespace="${p.namespace}"`)) &&
        text.includes(`kube_pod_container_status_waiting_reason{namespace="shop",pod="${crashing}"`) &&
        /kube_deployment_status_replicas_available\{namespace="shop",deployment="checkout"\} 1/.test(text)
      );
    });

    // One scrape of each, with the labels the collectors give each target.
    mkdirSync(out, { recursive: true });
    const targets: CapturedTarget[] = [];
    const scrape = async (file: string, url: string, labels: Record<string, string>, honorLabels = false) => {
      const r = await call(url, token);
      if (r.status !== 200) throw new Error(`scrape ${url}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
      writeFileSync(join(out, file), r.body);
      targets.push({ file, labels, honorLabels, durationSeconds: r.seconds });
    };
    const apiInstance = "10.0.100.10:443";
    await scrape("kube-apiserver.prom", `${api}/metrics`, {
      job: "kubernetes-api-servers",
      instance: apiInstance,
    });
    await scrape("kube-controller-manager.prom", `https://127.0.0.1:${kcmPort}/metrics`, {
      job: "kube-controller-manager",
      instance: apiInstance,
    });
    await scrape("kube-scheduler.prom", `https://127.0.0.1:${schedPort}/metrics`, {
      job: "kube-scheduler",
      instance: apiInstance,
    });
    await scrape(
      "kube-state-metrics.prom",
      ksmUrl,
      {
        job: "kubernetes-service-endpoints",
        instance: "10.0.1.150:8080",
        namespace: "monitoring",
        service: "kube-state-metrics",
        node: NODES[0].name,
        app_kubernetes_io_name: "kube-state-metrics",
      },
      true,
    );
    // This host's node_exporter stands for each node's.
    await scrape("node-exporter.prom", `http://127.0.0.1:${nePort}/metrics`, {});
    const ne = targets.pop() as CapturedTarget;
    for (const n of NODES)
      targets.push({
        ...ne,
        labels: {
          job: "kubernetes-service-endpoints",
          instance: `${n.ip}:9100`,
          namespace: "monitoring",
          service: "prometheus-node-exporter",
          node: n.name,
          app_kubernetes_io_name: "prometheus-node-exporter",
        },
      });
    const version = (b: string, ...args: string[]) =>
      execFileSync(b, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
        .split("\n")[0]
        .trim();
    const manifest: CaptureManifest = {
      capturedAt: new Date().toISOString(),
      versions: {
        "kube-apiserver": version(bin.apiserver, "--version"),
        "kube-controller-manager": version(bin.controllerManager, "--version"),
        "kube-scheduler": version(bin.scheduler, "--version"),
        "kube-state-metrics": version(bin.kubeStateMetrics, "version"),
        node_exporter: version(bin.nodeExporter, "--version"),
      },
      targets,
      bindings,
    };
    writeFileSync(join(out, "capture.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    process.stdout.write(
      `capture-metrics: ${targets.length} targets captured into ${out} in ${Math.round((Date.now() - started) / 1000)}s\n`,
    );
    return 0;
  } finally {
    stopAll();
    await new Promise((r) => setTimeout(r, 500));
    if (!process.env.EKSMON_KEEP_CAPTURE_WORK) rmSync(work, { recursive: true, force: true });
    else process.stdout.write(`capture-metrics: logs kept in ${work}\n`);
  }
}

if (require.main === module)
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      stopAll();
      process.stderr.write(`capture-metrics: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
