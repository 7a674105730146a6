/**
 * Real Kubernetes API servers on loopback for the e2e: etcd, and per EKS cluster a kube-apiserver (RBAC, token
 * file; its own key prefix in the shared etcd) with its kube-controller-manager, built by the project's
 * install scripts. No scheduler and no kubelet run, so pods
 * are stored but never start; the controller manager makes the rest real: namespaces are really deleted
 * (namespace controller, no finalizer left hanging), Deployments get ReplicaSets, service accounts get
 * tokens. Plus a minimal typed client (HTTPS with the server's CA and the admin token) for the assertions.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { freePort, logTail, type Service, startService, waitFor } from "./processes";

/** The binaries (paths printed by e2e/install-etcd.sh and e2e/install-kube-apiserver.sh). */
export interface KubeBinaries {
  readonly etcd: string;
  readonly apiserver: string;
  readonly controllerManager: string;
}

/** A running loopback cluster. */
export interface KubeCluster {
  readonly host: string;
  readonly caPem: string;
  readonly token: string;
  readonly kubeconfig: string;
  readonly services: Service[];
  /** Seconds from launch to /readyz of the API server. */
  readonly readySeconds: number;
}

function kubeconfigYaml(host: string, caFile: string, token: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: loopback\n  cluster: {server: "${host}", certificate-authority: "${caFile}"}`,
    "users:",
    `- name: admin\n  user: {token: "${token}"}`,
    "contexts:",
    "- name: loopback\n  context: {cluster: loopback, user: admin}",
    "current-context: loopback",
    "",
  ].join("\n");
}

/** Flags that make the API server ask a token webhook about bearer tokens it does not know (not cached). */
function webhookFlags(dir: string, kubeconfig: string): string[] {
  const file = join(dir, "token-webhook.kubeconfig");
  writeFileSync(file, kubeconfig);
  return [
    `--authentication-token-webhook-config-file=${file}`,
    "--authentication-token-webhook-version=v1",
    "--authentication-token-webhook-cache-ttl=0s",
  ];
}

/** etcd on loopback, which every API server of the run stores in (each under its own key prefix). */
export interface KubeEtcd {
  readonly url: string;
  readonly service: Service;
}

/** Starts etcd on free loopback ports, its data in `dir`. */
export async function startEtcd(etcdBin: string, dir: string, timeoutMs: number): Promise<KubeEtcd> {
  mkdirSync(dir, { recursive: true });
  const [etcdClient, etcdPeer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${etcdClient}`;
  const peerUrl = `http://127.0.0.1:${etcdPeer}`;
  const etcd = startService(
    "etcd",
    etcdBin,
    [
      "--name=e2e",
      `--data-dir=${join(dir, "etcd-data")}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=e2e=${peerUrl}`,
      "--log-level=warn",
    ],
    join(dir, "etcd.log"),
  );
  await waitFor(
    "etcd /health",
    async () => {
      if (etcd.exited) throw new Error(`etcd exited:\n${logTail(etcd.log)}`);
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    },
    timeoutMs,
    100,
  );
  return { url, service: etcd };
}

/** How one API server of the run is set up. */
export interface ApiServerOptions {
  /** Names its processes in logs and messages (the EKS cluster it stands for). @default "" */
  readonly name?: string;
  /**
   * Where it keeps its objects in etcd: API servers sharing one etcd under different prefixes are separate
   * clusters. @default "/registry" (kube-apiserver's own default)
   */
  readonly etcdPrefix?: string;
  /** kubeconfig of a token webhook (EKS-style authentication), written into its folder. @default none */
  readonly tokenWebhookKubeconfig?: string;
}

/** Starts etcd, then kube-apiserver, then kube-controller-manager, each on free loopback ports. */
export async function startKubeCluster(
  bin: KubeBinaries,
  dir: string,
  timeoutMs: number,
  /** kubeconfig of a token webhook (EKS-style authentication), written into `dir`. */
  tokenWebhookKubeconfig?: string,
): Promise<KubeCluster> {
  const etcd = await startEtcd(bin.etcd, dir, timeoutMs);
  const cluster = await startApiServer(bin, etcd.url, dir, timeoutMs, { tokenWebhookKubeconfig });
  return { ...cluster, services: [etcd.service, ...cluster.services] };
}

/**
 * Starts kube-apiserver on `etcdUrl` (under its own key prefix), then its kube-controller-manager, on free
 * loopback ports, with their own certificates, service-account keys and admin token in `dir`.
 */
export async function startApiServer(
  bin: KubeBinaries,
  etcdUrl: string,
  dir: string,
  timeoutMs: number,
  options: ApiServerOptions = {},
): Promise<KubeCluster> {
  mkdirSync(dir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const saKey = join(dir, "sa.key");
  const saPub = join(dir, "sa.pub");
  writeFileSync(saKey, privateKey.export({ type: "pkcs8", format: "pem" }));
  writeFileSync(saPub, publicKey.export({ type: "spki", format: "pem" }));
  const token = randomBytes(16).toString("hex");
  const tokens = join(dir, "tokens.csv");
  writeFileSync(tokens, `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
  const [apiPort, kcmPort] = [await freePort(), await freePort()];
  const suffix = options.name ? ` (${options.name})` : "";
  const services: Service[] = [];

  const certDir = join(dir, "certs");
  const launched = Date.now();
  const apiserver = startService(
    `kube-apiserver${suffix}`,
    bin.apiserver,
    [
      `--etcd-servers=${etcdUrl}`,
      ...(options.etcdPrefix ? [`--etcd-prefix=${options.etcdPrefix}`] : []),
      "--bind-address=127.0.0.1",
      `--secure-port=${apiPort}`,
      `--cert-dir=${certDir}`,
      `--token-auth-file=${tokens}`,
      "--authorization-mode=RBAC",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${saPub}`,
      `--service-account-signing-key-file=${saKey}`,
      "--advertise-address=127.0.0.1",
      // No Endpoints for the `kubernetes` service: a loopback address may not be published there.
      "--endpoint-reconciler-type=none",
      "--service-cluster-ip-range=10.0.0.0/24",
      ...(options.tokenWebhookKubeconfig ? webhookFlags(dir, options.tokenWebhookKubeconfig) : []),
    ],
    join(dir, "kube-apiserver.log"),
  );
  services.push(apiserver);
  const host = `https://127.0.0.1:${apiPort}`;
  const caFile = join(certDir, "apiserver.crt");
  await waitFor("the API server certificate", () => existsSync(caFile), timeoutMs, 100);
  const caPem = readFileSync(caFile, "utf8");
  const client = new KubeClient(host, caPem, token);
  await waitFor(
    `kube-apiserver${suffix} /readyz`,
    async () => {
      if (apiserver.exited) throw new Error(`kube-apiserver exited:\n${logTail(apiserver.log)}`);
      const r = await client.raw("GET", "/readyz");
      return r.status === 200;
    },
    timeoutMs,
    200,
  );
  const readySeconds = (Date.now() - launched) / 1000;

  const kubeconfig = join(dir, "kubeconfig");
  writeFileSync(kubeconfig, kubeconfigYaml(host, caFile, token), { mode: 0o600 });
  const kcm = startService(
    `kube-controller-manager${suffix}`,
    bin.controllerManager,
    [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      "--bind-address=127.0.0.1",
      `--secure-port=${kcmPort}`,
      `--cert-dir=${join(dir, "kcm-certs")}`,
      "--leader-elect=false",
      `--service-account-private-key-file=${saKey}`,
      `--root-ca-file=${caFile}`,
      "--use-service-account-credentials=false",
      // No cloud, no nodes: the controllers that need them stay off.
      "--controllers=*,-nodeipam,-nodelifecycle,-cloud-node-lifecycle,-service-lb-controller,-route,-persistentvolume-binder,-attachdetach,-persistentvolume-expander,-ttl",
    ],
    join(dir, "kube-controller-manager.log"),
  );
  services.push(kcm);
  await waitFor(
    `kube-controller-manager${suffix} /healthz`,
    async () => {
      if (kcm.exited) throw new Error(`kube-controller-manager exited:\n${logTail(kcm.log)}`);
      const r = await new KubeClient(`https://127.0.0.1:${kcmPort}`, undefined, token).raw("GET", "/healthz");
      return r.status === 200;
    },
    timeoutMs,
    200,
  );
  return { host, caPem, token, kubeconfig, services, readySeconds };
}

/** A response of the API server. */
export interface KubeResponse {
  readonly status: number;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

/** Minimal client for the assertions: HTTPS with the server's CA (or none for a component's own port). */
export class KubeClient {
  constructor(
    readonly host: string,
    private readonly caPem: string | undefined,
    private readonly token: string,
  ) {}

  raw(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<KubeResponse> {
    const url = new URL(path, this.host);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          ca: this.caPem,
          rejectUnauthorized: this.caPem !== undefined,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: "application/json",
            ...(payload ? { "content-type": "application/json" } : {}),
            ...headers,
          },
          timeout: 15_000,
        },
        (res) => {
          let data = "";
          res.setEncoding("utf8");
          res.on("data", (c) => {
            data += c;
          });
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: data, json: <T>() => JSON.parse(data) as T }),
          );
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on("error", reject);
      req.end(payload);
    });
  }

  /** GET a path; undefined on 404. */
  async get<T = Record<string, unknown>>(path: string): Promise<T | undefined> {
    const r = await this.raw("GET", path);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    return r.json<T>();
  }

  /** Items of a list path. */
  async list(path: string): Promise<KubeObject[]> {
    return (await this.get<{ items: KubeObject[] }>(path))?.items ?? [];
  }

  async create(path: string, object: unknown): Promise<KubeObject> {
    const r = await this.raw("POST", path, object);
    if (r.status !== 201) throw new Error(`POST ${path}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
    return r.json<KubeObject>();
  }

  /** Would `who` be allowed `verb` on `resource` (or a non-resource URL)? Asked of the RBAC authorizer. */
  async allowed(
    who: { user: string; groups?: string[] },
    attributes: {
      verb: string;
      resource?: string;
      subresource?: string;
      group?: string;
      namespace?: string;
      path?: string;
    },
  ): Promise<boolean> {
    const review = {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: {
        user: who.user,
        groups: who.groups ?? [],
        ...(attributes.path
          ? { nonResourceAttributes: { verb: attributes.verb, path: attributes.path } }
          : {
              resourceAttributes: {
                verb: attributes.verb,
                resource: attributes.resource,
                subresource: attributes.subresource,
                group: attributes.group ?? "",
                namespace: attributes.namespace,
              },
            }),
      },
    };
    const r = await this.create("/apis/authorization.k8s.io/v1/subjectaccessreviews", review);
    return (r.status as { allowed?: boolean } | undefined)?.allowed === true;
  }
}

/** The parts of an object the assertions read. */
export interface KubeObject {
  readonly kind?: string;
  readonly metadata: {
    name: string;
    namespace?: string;
    uid: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    ownerReferences?: { kind: string; name: string }[];
  };
  readonly spec?: Record<string, unknown>;
  readonly status?: Record<string, unknown>;
  readonly [key: string]: unknown;
}
