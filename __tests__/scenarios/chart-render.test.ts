/**
 * What Kubernetes would get: the pinned charts (../shared/reference/charts) rendered by a real Helm with the
 * values of every helm_release the example environments synthesize, Terraform references replaced by typed
 * placeholders (the value a reference would have, in the right shape: the role's ARN from its name and the
 * environment's account, the namespace's literal name, an AMP workspace endpoint in the environment's
 * region). Then, on the rendered objects:
 * - Prometheus server: its service account and namespace are the ones the IRSA role trusts, the account
 *   carries that role's ARN, `promtool check config` accepts the rendered prometheus.yml (with the files the
 *   pod would have), remote_write goes to the workspace with SigV4 in the environment's region, and the
 *   volume claim uses the project's StorageClass;
 * - exporters for the managed collector: every object in the namespace the collector's scrape job watches,
 *   and each Service's endpoints kept by that job's relabelling (name and port).
 * Skips, in one line, where Helm, promtool or the charts are missing (CI installs Helm and promtool).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import type { EnvironmentConfig } from "../../config/environment";
import { environments } from "../../environments";
import { exampleEnv, type StackJson, synthEnvironment } from "../helpers";
import { findTool } from "../tools";

const root = join(__dirname, "..", "..");
const charts = join(root, "..", "shared", "reference", "charts");
const helm = findTool("helm", "HELM");
const promtool = findTool("promtool", "PROMTOOL");
const missing = [
  existsSync(charts) ? undefined : "../shared/reference/charts (the pinned charts)",
  helm ? undefined : "helm (HELM, PATH or scripts/install-helm.sh)",
  promtool ? undefined : "promtool (PROMTOOL, PATH or scripts/install-promtool.sh)",
].filter(Boolean);
if (missing.length > 0)
  process.stdout.write(`chart-render.test: skipped, not found: ${missing.join("; ")}\n`);
const withCharts = existsSync(charts) && helm ? describe : describe.skip;
const withPromtool = promtool ? it : it.skip;

type Resource = Record<string, any>;
interface K8sObject {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: any;
  data?: Record<string, string>;
}

/** Typed stand-ins for values Terraform only knows at apply time, by `<resource type>.<attribute>`. */
const PLACEHOLDERS: Record<string, (resource: Resource, env: EnvironmentConfig) => string> = {
  "aws_iam_role.arn": (r, env) => `arn:aws:iam::${env.accountId}:role${r.path ?? "/"}${r.name}`,
  "aws_prometheus_workspace.prometheus_endpoint": (_r, env) =>
    `https://aps-workspaces.${env.region}.amazonaws.com/workspaces/ws-00000000-0000-4000-8000-000000000000/`,
};

/** Typed stand-ins for what a stack reads from an upstream stack's state, by output name. */
const UPSTREAM_OUTPUTS: Record<string, (env: EnvironmentConfig) => string> = {
  amp_prometheus_endpoint: (env) =>
    `https://aps-workspaces.${env.region}.amazonaws.com/workspaces/ws-00000000-0000-4000-8000-000000000000/`,
  amp_workspace_arn: (env) =>
    `arn:aws:aps:${env.region}:${env.accountId}:workspace/ws-00000000-0000-4000-8000-000000000000`,
};

/**
 * The value of `${<type>.<id>.<attribute>}`: the literal the stack sets, else its typed placeholder; an
 * upstream stack's output; or the fallback of `coalesce(try(<data source>, ""), "<literal>")` (a value read
 * at plan, e.g. an adopted claim's StorageClass, which a fresh cluster does not have).
 */
function resolveReference(expression: string, stack: StackJson, env: EnvironmentConfig): string {
  const upstream = /^data\.terraform_remote_state\.[\w-]+\.outputs\.(\w+)$/.exec(expression);
  if (upstream) {
    const output = UPSTREAM_OUTPUTS[upstream[1]];
    if (!output) throw new Error(`\${${expression}}: no typed placeholder for output ${upstream[1]}`);
    return output(env);
  }
  const fallback = /^coalesce\(try\(data\.[^,]+, ""\), "([^"]*)"\)$/.exec(expression);
  if (fallback) return fallback[1];
  const match = /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_.[\]]+)$/.exec(expression);
  if (!match) throw new Error(`not a plain resource reference: \${${expression}}`);
  const [, type, id, attribute] = match;
  const resource = stack.resource?.[type]?.[id];
  if (!resource) throw new Error(`\${${expression}}: no ${type}.${id} in the stack`);
  const literal = attribute
    .replace(/\[0\]/g, "")
    .split(".")
    .reduce<any>((value, key) => value?.[key], resource);
  if (typeof literal === "string" && !literal.includes("${")) return literal;
  const placeholder = PLACEHOLDERS[`${type}.${attribute}`];
  if (!placeholder) throw new Error(`\${${expression}}: no typed placeholder for ${type}.${attribute}`);
  return placeholder(resource, env);
}

/** `text` with every `${...}` reference resolved. */
function resolveAll(text: string, stack: StackJson, env: EnvironmentConfig): string {
  return text.replace(/\$\{([^{}]+)\}/g, (_m, expression: string) =>
    resolveReference(expression, stack, env),
  );
}

interface Rendered {
  readonly release: Resource;
  readonly namespace: string;
  readonly objects: K8sObject[];
}

const SUPPORTED = new Set([
  "//",
  "name",
  "repository",
  "chart",
  "version",
  "namespace",
  "values",
  "set",
  "atomic",
  "cleanup_on_fail",
  "wait",
  "timeout",
  "max_history",
  "depends_on",
  "create_namespace",
  "lifecycle",
  "provider",
]);

/** `helm template` of a release with the pinned chart and its values, resolved. */
function render(release: Resource, stack: StackJson, env: EnvironmentConfig): Rendered {
  const unsupported = Object.keys(release).filter((k) => !SUPPORTED.has(k));
  if (unsupported.length > 0)
    throw new Error(`helm_release ${release.name}: ${unsupported.join(", ")} not handled here`);
  const chartDir = join(charts, `${release.chart}-${release.version}`);
  if (!existsSync(chartDir)) throw new Error(`chart ${release.chart} ${release.version} not in ${charts}`);
  const namespace = resolveAll(release.namespace ?? "default", stack, env);
  const dir = mkdtempSync(join(tmpdir(), "chart-render-"));
  try {
    const valueFiles = (release.values ?? []).map((text: string, i: number) => {
      const file = join(dir, `values-${i}.yaml`);
      writeFileSync(file, resolveAll(text, stack, env));
      return ["-f", file];
    });
    const sets = (release.set ?? []).map((s: Resource) => [
      s.type === "string" ? "--set-string" : "--set",
      `${s.name}=${resolveAll(String(s.value), stack, env)}`,
    ]);
    const out = execFileSync(
      helm!,
      ["template", release.name, chartDir, "--namespace", namespace, ...valueFiles.flat(), ...sets.flat()],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    );
    const objects = parseAllDocuments(out)
      .map((d) => d.toJS() as K8sObject)
      .filter((o) => o?.kind);
    return { release, namespace, objects };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const one = <T>(items: T[], what: string): T => {
  if (items.length !== 1) throw new Error(`expected one ${what}, found ${items.length}`);
  return items[0];
};

/** The pod spec of a workload object. */
const podSpec = (o: K8sObject) => o.spec?.template?.spec;

/** IRSA: `system:serviceaccount:<ns>:<name>` each role's trust policy accepts, by role id. */
function trustedServiceAccounts(stack: StackJson): Map<string, string[]> {
  const trusted = new Map<string, string[]>();
  for (const [id, role] of Object.entries(stack.resource?.aws_iam_role ?? {})) {
    const policy = JSON.parse(String(role.assume_role_policy));
    const subs = policy.Statement.flatMap((s: any) =>
      Object.entries(s.Condition?.StringEquals ?? {})
        .filter(([key]) => key.endsWith(":sub"))
        .flatMap(([, value]) => (Array.isArray(value) ? value : [value])),
    );
    trusted.set(id, subs);
  }
  return trusted;
}

/** Files a prometheus.yml refers to: rule_files and every `*_file` setting, with where they are found. */
function referencedFiles(config: any): string[] {
  const files: string[] = [...(config.rule_files ?? [])];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object")
      for (const [k, v] of Object.entries(value)) {
        if (k.endsWith("_file") && typeof v === "string") files.push(v);
        else walk(v);
      }
  };
  walk(config.scrape_configs);
  walk(config.remote_write);
  return files;
}

/**
 * `promtool check config` of the rendered prometheus.yml as the server's pod sees it: the ConfigMap's keys
 * at the config volume's mount path, the service-account token files Kubernetes mounts (when the pod
 * mounts them), every absolute path moved under a scratch root.
 */
function promtoolCheck(config: any, configMap: K8sObject, configMount: string, tokenMounted: boolean) {
  const podRoot = mkdtempSync(join(tmpdir(), "pod-"));
  try {
    const put = (path: string, content: string) => {
      mkdirSync(dirname(join(podRoot, path)), { recursive: true });
      writeFileSync(join(podRoot, path), content);
    };
    for (const [key, content] of Object.entries(configMap.data ?? {})) put(join(configMount, key), content);
    if (tokenMounted)
      for (const f of ["token", "ca.crt", "namespace"])
        put(`/var/run/secrets/kubernetes.io/serviceaccount/${f}`, "x");
    const moved = JSON.parse(JSON.stringify(config), (_k, v) =>
      typeof v === "string" && v.startsWith("/") && referencedFiles(config).includes(v)
        ? join(podRoot, v)
        : v,
    );
    const file = join(podRoot, "prometheus.yml");
    writeFileSync(file, stringify(moved));
    return spawnSync(promtool!, ["check", "config", file], { encoding: "utf8" });
  } finally {
    rmSync(podRoot, { recursive: true, force: true });
  }
}

/** Prometheus regexes are anchored. */
const fullMatch = (regex: string, value: string) => new RegExp(`^(?:${regex})$`).test(value);

const envNames = environments.map((e) => e.name);
const EXISTING = { nodeExporter: "existing", kubeStateMetrics: "existing" } as const;
const EXPORTER_CHARTS = ["prometheus-node-exporter", "kube-state-metrics"];

/**
 * The meta labels Prometheus' Kubernetes service discovery gives a Service's endpoint (role endpoints or
 * endpointslice), as far as the relabel rules here read them.
 */
function serviceTargetLabels(service: K8sObject, port: number): Record<string, string> {
  const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, "_");
  const labels: Record<string, string> = {
    __meta_kubernetes_namespace: service.metadata.namespace ?? "",
    __meta_kubernetes_service_name: service.metadata.name,
    __meta_kubernetes_endpoint_port_number: String(port),
    __meta_kubernetes_endpointslice_port_number: String(port),
  };
  for (const [k, v] of Object.entries(service.metadata.labels ?? {}))
    labels[`__meta_kubernetes_service_label_${sanitize(k)}`] = v;
  for (const [k, v] of Object.entries(service.metadata.annotations ?? {}))
    labels[`__meta_kubernetes_service_annotation_${sanitize(k)}`] = v;
  return labels;
}

/** Whether a job's keep and drop rules (applied in order, anchored) let a target with these labels through. */
function keptByJob(job: any, labels: Record<string, string>): boolean {
  return (job.relabel_configs as any[]).every((rule) => {
    if (rule.action !== "keep" && rule.action !== "drop") return true;
    const value = (rule.source_labels as string[]).map((l) => labels[l] ?? "").join(rule.separator ?? ";");
    const matches = fullMatch(String(rule.regex ?? "(.*)"), value);
    return rule.action === "keep" ? matches : !matches;
  });
}

/** Endpoint port numbers of a rendered exporter's Service: the pod ports it targets. */
function endpointPorts(objects: K8sObject[], service: K8sObject): number[] {
  const workload = objects.find((o) => ["DaemonSet", "Deployment"].includes(o.kind));
  const containerPorts = workload ? podSpec(workload).containers.flatMap((c: any) => c.ports ?? []) : [];
  return service.spec.ports.map((p: any) =>
    typeof p.targetPort === "number"
      ? p.targetPort
      : (containerPorts.find((c: any) => c.name === (p.targetPort ?? p.name))?.containerPort ?? p.port),
  );
}

interface Example {
  readonly name: string;
  readonly env: EnvironmentConfig;
  readonly stack: StackJson;
  readonly rendered: (Rendered & { readonly stack: StackJson })[];
}

withCharts("the charts as Kubernetes would get them", () => {
  // Rendered in beforeAll: the body of a skipped describe still runs, its hooks do not.
  let examples: Example[] = [];
  beforeAll(() => {
    examples = [
      ...envNames.map((name) => ({ name, env: exampleEnv(name) })),
      // The same environments on a cluster that already runs both exporters (collector.exporters "existing").
      ...["dev", "staging"].map((name) => ({
        name: `${name} (exporters existing)`,
        env: exampleEnv(name, (e) => {
          (e.clusters[0].collector as { exporters?: unknown }).exporters = EXISTING;
        }),
      })),
    ].map(({ name, env }) => {
      const { json } = synthEnvironment(env);
      const stacks = Object.values(json) as StackJson[];
      const rendered = stacks.flatMap((stack) =>
        Object.values(stack.resource?.helm_release ?? {}).map((release) => ({
          stack,
          ...render(release, stack, env),
        })),
      );
      return { name, env, stack: json.cluster, rendered };
    });
  });

  it("renders every helm_release of every example environment with the pinned chart", () => {
    const charted = examples.flatMap((e) =>
      e.rendered.map((r) => `${e.name}: ${r.release.chart} ${r.release.version}`),
    );
    expect(charted.sort()).toEqual(
      expect.arrayContaining([
        "dev: prometheus 29.27.0",
        "staging: kube-state-metrics 8.4.0",
        "staging: prometheus-node-exporter 4.56.0",
      ]),
    );
    for (const e of examples) for (const r of e.rendered) expect(r.objects.length).toBeGreaterThan(0);
  });

  it("a reference without a typed placeholder is an error, not a silent string", () => {
    const { stack, env } = examples[0];
    expect(() => resolveAll("${aws_iam_role.nope.arn}", stack, env)).toThrow("no aws_iam_role.nope");
    const roleId = Object.keys(stack.resource?.aws_iam_role ?? {})[0];
    expect(() => resolveAll(`\${aws_iam_role.${roleId}.unique_id}`, stack, env)).toThrow(
      "no typed placeholder for aws_iam_role.unique_id",
    );
  });

  const servers = () =>
    examples.flatMap((e) =>
      e.rendered.filter((r) => r.release.chart === "prometheus").map((r) => ({ ...e, server: r })),
    );

  it("runs the server under the service account, in the namespace, that its IRSA role trusts, annotated with that role", () => {
    expect(servers().length).toBeGreaterThan(0);
    for (const { stack, env, server } of servers()) {
      const workload = one(
        server.objects.filter(
          (o) =>
            ["Deployment", "StatefulSet"].includes(o.kind) &&
            o.metadata.labels?.["app.kubernetes.io/component"] === "server",
        ),
        "server workload",
      );
      expect(workload.metadata.namespace).toBe(server.namespace);
      const saName = podSpec(workload).serviceAccountName;
      const sa = one(
        server.objects.filter((o) => o.kind === "ServiceAccount" && o.metadata.name === saName),
        `service account ${saName}`,
      );
      expect(sa.metadata.namespace).toBe(server.namespace);
      const subject = `system:serviceaccount:${server.namespace}:${saName}`;
      const roles = [...trustedServiceAccounts(stack)].filter(([, subs]) => subs.includes(subject));
      const [roleId] = one(roles, `IRSA role trusting ${subject}`);
      expect(sa.metadata.annotations?.["eks.amazonaws.com/role-arn"]).toBe(
        resolveReference(`aws_iam_role.${roleId}.arn`, stack, env),
      );
      // Kubernetes service discovery needs the account's token in the pod.
      expect(podSpec(workload).automountServiceAccountToken).not.toBe(false);
      expect((sa as any).automountServiceAccountToken).not.toBe(false);
    }
  });

  function serverConfig(server: Rendered) {
    const workload = server.objects.find(
      (o) => o.kind === "Deployment" && o.metadata.labels?.["app.kubernetes.io/component"] === "server",
    )!;
    const container = podSpec(workload).containers.find((c: any) =>
      (c.args ?? []).some((a: string) => a.startsWith("--config.file=")),
    );
    const configFile = container.args
      .find((a: string) => a.startsWith("--config.file="))
      .split("=")[1] as string;
    const mount = container.volumeMounts.find((m: any) => configFile.startsWith(`${m.mountPath}/`));
    const volume = podSpec(workload).volumes.find((v: any) => v.name === mount.name);
    const configMap = one(
      server.objects.filter((o) => o.kind === "ConfigMap" && o.metadata.name === volume.configMap.name),
      "config map",
    );
    const config = parse(configMap.data![configFile.slice(mount.mountPath.length + 1)]);
    return { workload, config, configMap, mountPath: mount.mountPath as string };
  }

  withPromtool(
    "renders a prometheus.yml that promtool check config accepts, with the files the pod has",
    () => {
      for (const { server } of servers()) {
        const { workload, config, configMap, mountPath } = serverConfig(server);
        const check = promtoolCheck(
          config,
          configMap,
          mountPath,
          podSpec(workload).automountServiceAccountToken !== false,
        );
        expect([check.status, check.stdout + check.stderr]).toEqual([0, expect.stringContaining("SUCCESS")]);
      }
    },
  );

  withPromtool("the promtool check can fail: two authentications on remote_write are rejected", () => {
    const { server } = servers()[0];
    const { config, configMap, mountPath } = serverConfig(server);
    config.remote_write[0].basic_auth = { username: "u", password: "p" };
    const check = promtoolCheck(config, configMap, mountPath, true);
    expect(check.status).not.toBe(0);
    expect(check.stdout + check.stderr).toMatch(/at most one of/);
  });

  it("remote-writes to the environment's workspace with SigV4 in the environment's region, every series labelled with its cluster", () => {
    for (const { stack, env, server } of servers()) {
      const { config } = serverConfig(server);
      // The workspace's endpoint, as the cluster's stack reads it from the workspace stack's state.
      const endpoint = resolveReference(
        "data.terraform_remote_state.cluster-monitoring-state.outputs.amp_prometheus_endpoint",
        stack,
        env,
      );
      expect(config.global.external_labels).toEqual({ cluster: env.clusters[0].name });
      expect(config.remote_write).toHaveLength(1);
      expect(config.remote_write[0].url).toBe(`${endpoint}api/v1/remote_write`);
      expect(config.remote_write[0].sigv4).toEqual({ region: env.region });
      expect(Object.keys(config.remote_write[0]).filter((k) => /auth/.test(k))).toEqual([]);
    }
  });

  it("keeps the server's data on a volume claim of the project's StorageClass", () => {
    for (const { stack, server } of servers()) {
      const storageClass = one(
        Object.values(stack.resource?.kubernetes_storage_class_v1 ?? {}),
        "StorageClass in the stack",
      ) as Resource;
      const { workload } = serverConfig(server);
      const claimNames = podSpec(workload)
        .volumes.filter((v: any) => v.persistentVolumeClaim)
        .map((v: any) => v.persistentVolumeClaim.claimName);
      const claim = one(
        server.objects.filter(
          (o) => o.kind === "PersistentVolumeClaim" && claimNames.includes(o.metadata.name),
        ),
        "server volume claim",
      );
      expect(claim.metadata.namespace).toBe(server.namespace);
      expect(claim.spec.storageClassName).toBe(storageClass.metadata.name);
    }
  });

  it("has the bundled exporters' services annotated for the server's kubernetes-service-endpoints job", () => {
    for (const { server, env } of servers()) {
      const { config } = serverConfig(server);
      expect(config.scrape_configs.map((j: any) => j.job_name)).toContain("kubernetes-service-endpoints");
      if (env.clusters[0].collector.exporters.nodeExporter === "existing") continue; // the next tests
      for (const name of ["prometheus-node-exporter", "kube-state-metrics"]) {
        const service = one(
          server.objects.filter(
            (o) => o.kind === "Service" && o.metadata.labels?.["app.kubernetes.io/name"] === name,
          ),
          `${name} service`,
        );
        expect([name, service.metadata.annotations?.["prometheus.io/scrape"]]).toEqual([name, "true"]);
      }
    }
  });

  const managed = () =>
    examples.filter((e) =>
      e.rendered.some((r) => ["prometheus-node-exporter", "kube-state-metrics"].includes(r.release.chart)),
    );

  it("puts the managed collector's exporters where its scrape job looks, and its relabelling keeps their endpoints", () => {
    expect(managed().length).toBeGreaterThan(0);
    for (const { stack, rendered } of managed()) {
      const scraper = one(Object.values(stack.resource?.aws_prometheus_scraper ?? {}), "scraper") as Resource;
      const job = parse(String(scraper.scrape_configuration)).scrape_configs.find(
        (j: any) => j.job_name === "kubernetes-service-endpoints",
      );
      const namespaces: string[] = job.kubernetes_sd_configs[0].namespaces.names;
      const keepName = job.relabel_configs.find((r: any) =>
        r.source_labels?.includes("__meta_kubernetes_service_label_app_kubernetes_io_name"),
      ).regex;
      const keepPort = job.relabel_configs.find((r: any) =>
        r.source_labels?.includes("__meta_kubernetes_endpoint_port_number"),
      ).regex;
      const exporters = rendered.filter((r) =>
        ["prometheus-node-exporter", "kube-state-metrics"].includes(r.release.chart),
      );
      expect(exporters.map((r) => r.release.chart).sort()).toEqual([
        "kube-state-metrics",
        "prometheus-node-exporter",
      ]);
      for (const r of exporters) {
        expect(namespaces).toContain(r.namespace);
        for (const o of r.objects.filter((o) => o.metadata.namespace !== undefined))
          expect([o.kind, o.metadata.name, o.metadata.namespace]).toEqual([
            o.kind,
            o.metadata.name,
            r.namespace,
          ]);
        const service = one(
          r.objects.filter((o) => o.kind === "Service"),
          `${r.release.chart} service`,
        );
        expect(fullMatch(keepName, service.metadata.labels?.["app.kubernetes.io/name"] ?? "")).toBe(true);
        // Endpoint port numbers are the pods' ports the service targets (a named targetPort resolves to one).
        const workload = one(
          r.objects.filter((o) => ["DaemonSet", "Deployment"].includes(o.kind)),
          `${r.release.chart} workload`,
        );
        const containerPorts = podSpec(workload).containers.flatMap((c: any) => c.ports ?? []);
        const endpointPorts = service.spec.ports.map((p: any) =>
          typeof p.targetPort === "number"
            ? p.targetPort
            : (containerPorts.find((c: any) => c.name === (p.targetPort ?? p.name))?.containerPort ?? p.port),
        );
        expect([
          r.release.chart,
          endpointPorts.some((port: number) => fullMatch(keepPort, String(port))),
        ]).toEqual([r.release.chart, true]);
      }
    }
  });

  /**
   * Someone else's exporters: the pinned charts rendered as another release ("kps", as kube-prometheus-stack
   * names them) in another namespace, without the prometheus.io/scrape annotation.
   */
  const othersExporters = () =>
    EXPORTER_CHARTS.map((chart) => {
      const values =
        chart === "kube-state-metrics"
          ? { prometheusScrape: false }
          : { service: { annotations: { "prometheus.io/scrape": null } } };
      const version = chart === "kube-state-metrics" ? "8.4.0" : "4.56.0";
      const rendered = render(
        {
          name: "kps",
          chart,
          version,
          namespace: "monitoring",
          values: [stringify(values)],
        },
        {},
        examples[0].env,
      );
      const service = one(
        rendered.objects.filter((o) => o.kind === "Service"),
        `${chart} service`,
      );
      return { chart, service, ports: endpointPorts(rendered.objects, service) };
    });

  it("installs no exporter where the environment says they already run", () => {
    const variants = examples.filter(
      (e) => e.env.clusters[0].collector.exporters.nodeExporter === "existing",
    );
    expect(variants.map((e) => e.env.clusters[0].collector.type).sort()).toEqual(["managed", "prometheus"]);
    for (const e of variants)
      for (const r of e.rendered) {
        expect(EXPORTER_CHARTS).not.toContain(r.release.chart);
        const workloads = r.objects.filter((o) => ["DaemonSet", "Deployment"].includes(o.kind));
        expect(workloads.map((o) => o.metadata.labels?.["app.kubernetes.io/name"])).not.toEqual(
          expect.arrayContaining([expect.stringMatching(/node-exporter|kube-state-metrics/)]),
        );
      }
  });

  it("finds someone else's exporters, not annotated, in another namespace: the server's job keeps them", () => {
    const others = othersExporters();
    for (const { chart, service } of others)
      expect([chart, service.metadata.annotations?.["prometheus.io/scrape"]]).toEqual([chart, undefined]);
    const job = (e: Example) => {
      const { server } = servers().find((s) => s.name === e.name)!;
      return serverConfig(server).config.scrape_configs.find(
        (j: any) => j.job_name === "kubernetes-service-endpoints",
      );
    };
    const variant = examples.find((e) => e.name === "dev (exporters existing)")!;
    const installing = examples.find((e) => e.name === "dev")!;
    for (const { chart, service, ports } of others) {
      const labels = serviceTargetLabels(service, ports[0]);
      expect([chart, keptByJob(job(variant), labels)]).toEqual([chart, true]);
      // The chart's own job (both exporters installed) would miss them: the annotation is what it keys on.
      expect([chart, keptByJob(job(installing), labels)]).toEqual([chart, false]);
    }
    // An unannotated service of any other app is still left alone.
    const app = {
      ...others[0].service,
      metadata: { ...others[0].service.metadata, labels: { "app.kubernetes.io/name": "my-app" } },
    };
    expect(keptByJob(job(variant), serviceTargetLabels(app, 9100))).toBe(false);
  });

  it("finds someone else's exporters in another namespace: the managed collector's job keeps their endpoints", () => {
    const variant = examples.find((e) => e.name === "staging (exporters existing)")!;
    const scraper = one(
      Object.values(variant.stack.resource?.aws_prometheus_scraper ?? {}),
      "scraper",
    ) as Resource;
    const job = parse(String(scraper.scrape_configuration)).scrape_configs.find(
      (j: any) => j.job_name === "kubernetes-service-endpoints",
    );
    expect(job.kubernetes_sd_configs).toEqual([{ role: "endpoints" }]); // every namespace
    for (const { chart, service, ports } of othersExporters())
      expect([chart, ports.some((port) => keptByJob(job, serviceTargetLabels(service, port)))]).toEqual([
        chart,
        true,
      ]);
    // The job of the environment that installs them watches its own namespace only.
    const installing = examples.find((e) => e.name === "staging")!;
    const own = parse(
      String(
        (Object.values(installing.stack.resource?.aws_prometheus_scraper ?? {})[0] as Resource)
          .scrape_configuration,
      ),
    ).scrape_configs.find((j: any) => j.job_name === "kubernetes-service-endpoints");
    expect(own.kubernetes_sd_configs[0].namespaces.names).not.toContain("monitoring");
  });
});
