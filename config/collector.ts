/**
 * `collector`: who scrapes the cluster, a Prometheus server in it (`type: "prometheus"`) or the AMP managed
 * collector (`type: "managed"`), with each one's settings.
 */

import { parse } from "yaml";
import * as z from "zod";
import { MANAGED_SCRAPE_JOBS } from "../lib/catalogue";
import { durationSeconds } from "../lib/duration";
import { MIN_MANAGED_SCRAPE_INTERVAL_SECONDS } from "../lib/limits";
import {
  bool,
  chartRepositoryUrl,
  intBetween,
  listError,
  pattern,
  patterns,
  resourceList,
  show,
  subnetIds,
  uniqueItems,
} from "./fields";

/** Chart values this project owns: overriding them would break remote write or the IRSA trust. */
/** A problem in user-supplied YAML: where in the list, and what is wrong. */
export interface ScrapeConfigProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

const MANAGED_CHART_VALUES = [
  "serviceAccounts.server",
  "server.remoteWrite",
  "server.persistentVolume.storageClass",
];

/** The capacity of a shard's queue must hold at least one request's worth of samples. */
function queueHoldsOneRequest(
  q: { capacity: number; maxSamplesPerSend: number },
  ctx: z.RefinementCtx,
): void {
  if (q.capacity < q.maxSamplesPerSend)
    ctx.addIssue({
      code: "custom",
      path: ["capacity"],
      message: `${q.capacity} is below maxSamplesPerSend ${q.maxSamplesPerSend} (expected capacity >= maxSamplesPerSend)`,
    });
}

/** An imported release lives in its namespace, which must then be imported too (creating it would fail). */
function releaseNeedsItsNamespace(a: { namespace: boolean; release: boolean }, ctx: z.RefinementCtx): void {
  if (a.release && !a.namespace)
    ctx.addIssue({
      code: "custom",
      path: ["namespace"],
      message:
        "is false but adopt.release is true: the release lives in that namespace, which would then be created and fail (expected namespace true)",
    });
}

/** Chart values that would break remote write or the IRSA trust stay with the typed fields. */
function noManagedChartValues(values: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const managed of MANAGED_CHART_VALUES) {
    let node: unknown = values;
    for (const part of managed.split("."))
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
    if (node !== undefined)
      ctx.addIssue({
        code: "custom",
        path: managed.split("."),
        message: "is managed by this project (expected it unset; use the typed collector fields)",
      });
  }
}

const exporterSource = (what: string, port: number) =>
  z
    .enum(["install", "existing"], {
      error: (iss) => `${show(iss.input)} is not an exporter source (expected "install" or "existing")`,
    })
    .default("install")
    .describe(
      `"install": this project installs ${what}; "existing": one already runs in the cluster (e.g. kube-prometheus-stack's, or an EKS add-on's): it is not installed, and the kubernetes-service-endpoints job scrapes it wherever it runs, by its Service's app.kubernetes.io/name label ("${what}", as its prometheus-community chart sets it) on port ${port}.`,
    );

/** The exporters both collectors scrape: installed here, or already in the cluster. */
const exportersSchema = z
  .strictObject({
    nodeExporter: exporterSource("prometheus-node-exporter", 9100),
    kubeStateMetrics: exporterSource("kube-state-metrics", 8080),
  })
  .prefault({})
  .describe(
    'node-exporter and kube-state-metrics: installed here, or "existing" (a second node-exporter stays Pending on the host port it shares, so the first plan on a cluster that runs one fails, saying so; a second kube-state-metrics is a warning).',
  );

export const prometheusCollectorSchema = z.strictObject({
  type: z
    .literal("prometheus")
    .describe(
      "A Prometheus server in the cluster (Helm chart, EBS volume, IRSA role) remote-writes to AMP through the endpoint.",
    ),
  chartVersion: pattern(patterns.semver, "a chart version", 'an exact version such as "29.27.0"')
    .default("29.27.0")
    .describe("prometheus-community/prometheus chart version."),
  chartRepository: chartRepositoryUrl.describe("Chart repository (an internal mirror works too)."),
  namespace: pattern(patterns.k8sName, "a namespace name", "a DNS-1123 label")
    .default("prometheus")
    .describe("Namespace of the Helm release."),
  serviceAccountName: pattern(patterns.k8sName, "a service account name", "a DNS-1123 label")
    .default("amp-iamproxy-ingest-service-account")
    .describe("Server service account, trusted by the IRSA role."),
  queueConfig: z
    .strictObject({
      maxSamplesPerSend: intBetween(1, 100_000, "max_samples_per_send")
        .default(1000)
        .describe("Samples per request."),
      maxShards: intBetween(1, 10_000, "max_shards")
        .default(200)
        .describe("Upper bound of parallel senders."),
      capacity: intBetween(1, 1_000_000, "capacity")
        .default(2500)
        .describe("Samples buffered per shard (at least maxSamplesPerSend)."),
    })
    .superRefine(queueHoldsOneRequest)
    .prefault({})
    .describe("remote_write queue_config (tutorial values)."),
  scrapeInterval: pattern(patterns.duration, "a Prometheus duration", 'a duration such as "30s" or "1m"')
    .default("1m")
    .describe('Scrape interval, e.g. "30s".'),
  retention: pattern(patterns.duration, "a Prometheus duration", 'a duration such as "15d"')
    .default("15d")
    .describe("Local TSDB retention on the server (AMP keeps the long-term copy)."),
  persistentVolumeSize: pattern(patterns.quantity, "a volume size", 'a Kubernetes quantity such as "8Gi"')
    .default("8Gi")
    .describe("Size of the server's persistent volume."),
  resources: z
    .strictObject({
      requests: resourceList.prefault({}).describe("Requests (scheduling)."),
      limits: resourceList
        .prefault({})
        .describe("Limits (memory limit recommended; a CPU limit throttles scrapes)."),
    })
    .prefault({})
    .describe("Server container resources."),
  values: z
    .record(z.string(), z.unknown())
    .superRefine(noManagedChartValues)
    .default({})
    .describe(
      "Extra chart values, deep-merged last (remote write and service account are managed and cannot be overridden).",
    ),
  adopt: z
    .strictObject({
      namespace: bool("import the existing namespace")
        .default(false)
        .describe("The namespace exists: import it."),
      release: bool("import the existing prometheus release")
        .default(false)
        .describe(
          "A Helm release named `prometheus` runs in it: import it and upgrade it in place to these settings.",
        ),
    })
    .superRefine(releaseNeedsItsNamespace)
    .prefault({})
    .describe(
      "What the cluster already runs, imported on the first apply (e.g. the tutorial's namespace and `prometheus` release).",
    ),
  exporters: exportersSchema,
});

/** The managed collector refuses scrape intervals below its floor. */
function atLeastManagedFloor(interval: string, ctx: z.RefinementCtx): void {
  if (durationSeconds(interval) < MIN_MANAGED_SCRAPE_INTERVAL_SECONDS)
    ctx.addIssue({
      code: "custom",
      message: `"${interval}" is below the collector's floor (expected a duration of at least 30s)`,
    });
}

/** Extra scrape configs must be a YAML list of uniquely named jobs the collector accepts. */
function acceptableExtraScrapeConfigs(yaml: string, ctx: z.RefinementCtx): void {
  for (const problem of extraScrapeConfigProblems(yaml))
    ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
}

/** With both exporters existing, nothing is installed: the exporters' namespace is not created, nor adopted. */
function namespaceOnlyWithAnExporter(
  c: { adopt: { namespace: boolean }; exporters: { nodeExporter: string; kubeStateMetrics: string } },
  ctx: z.RefinementCtx,
): void {
  if (
    c.adopt.namespace &&
    c.exporters.nodeExporter === "existing" &&
    c.exporters.kubeStateMetrics === "existing"
  )
    ctx.addIssue({
      code: "custom",
      path: ["adopt", "namespace"],
      message:
        'is true but both exporters are "existing": nothing is installed, so the namespace is not managed (expected false)',
    });
}

export const managedCollectorSchema = z
  .strictObject({
    type: z
      .literal("managed")
      .describe(
        "The AMP managed collector scrapes the cluster from 2-5 subnets; node-exporter and kube-state-metrics run in the cluster.",
      ),
    subnetIds: subnetIds(
      2,
      5,
      "has fewer than 2 subnets (expected 2-5 subnets, in at least two AZs)",
      "has more than 5 subnets (expected 2-5 subnets, the collector's limit)",
    ).describe(
      "Subnets of the collector's network interfaces: 2-5 subnets in at least two AZs, routable to the cluster.",
    ),
    securityGroupIds: z
      .array(pattern(patterns.securityGroupId, "a security group id", "sg- followed by 8 or 17 hex digits"), {
        error: listError("security group ids"),
      })
      .min(1, { error: () => "is empty (expected 1-5 security group ids, or omit it to create one)" })
      .max(5, { error: () => "has more than 5 security groups (expected 1-5)" })
      .superRefine(uniqueItems())
      .optional()
      .describe(
        "Security groups of the collector (1-5); when omitted the project creates one allowed to reach the cluster.",
      ),
    scrapeInterval: pattern(
      patterns.duration,
      "a Prometheus duration",
      'a duration of at least 30s, such as "30s" or "1m"',
    )
      .superRefine(atLeastManagedFloor)
      .default("1m")
      .describe('Scrape interval of every job, at least "30s" (the collector\'s floor).'),
    extraScrapeConfigs: z
      .string({ error: () => "must be a string (expected a YAML list of scrape_config entries)" })
      .superRefine(acceptableExtraScrapeConfigs)
      .optional()
      .describe(
        "Extra `scrape_configs` entries as a YAML list, appended to the generated jobs (IPs only, no other SD than kubernetes_sd_configs).",
      ),
    accessEntry: bool("create the scraper's EKS access entry")
      .default(true)
      .describe(
        "Create the EKS access entry for the scraper's role (set false when AWS already created one: see docs/collectors.md).",
      ),
    namespace: pattern(patterns.k8sName, "a namespace name", "a DNS-1123 label")
      .default("monitoring-exporters")
      .describe("Namespace of the node-exporter and kube-state-metrics releases (created here)."),
    chartRepository: chartRepositoryUrl.describe(
      "Chart repository of both exporters (an internal mirror works too).",
    ),
    nodeExporterChartVersion: pattern(patterns.semver, "a chart version", 'an exact version such as "4.56.0"')
      .default("4.56.0")
      .describe(
        "prometheus-community/prometheus-node-exporter chart version (the prometheus chart 29.27.0 uses 4.56.*).",
      ),
    kubeStateMetricsChartVersion: pattern(
      patterns.semver,
      "a chart version",
      'an exact version such as "8.4.0"',
    )
      .default("8.4.0")
      .describe(
        "prometheus-community/kube-state-metrics chart version (the prometheus chart 29.27.0 uses 8.4.*).",
      ),
    adopt: z
      .strictObject({
        namespace: bool("import the existing namespace")
          .default(false)
          .describe("The exporters' namespace exists: import it."),
      })
      .prefault({})
      .describe("What the cluster already runs, imported on the first apply."),
    exporters: exportersSchema,
  })
  .superRefine(namespaceOnlyWithAnExporter);

/** The old shape wrote `collector: "prometheus" | "managed"` plus a `prometheus` or `managedCollector` section. */
function oldCollectorShape(input: unknown): string | undefined {
  if (input === "prometheus")
    return 'is the old shape "prometheus" (expected collector: { type: "prometheus", ... } holding the fields of the old prometheus section)';
  if (input === "managed")
    return 'is the old shape "managed" (expected collector: { type: "managed", ... } holding the fields of the old managedCollector section)';
  return undefined;
}

export const collectorSchema = z
  .discriminatedUnion("type", [prometheusCollectorSchema, managedCollectorSchema], {
    error: (iss) =>
      oldCollectorShape(iss.input) ??
      (iss.input !== null && typeof iss.input === "object"
        ? `has an unknown type ${show((iss.input as { type?: unknown }).type)} (expected type "prometheus" or "managed")`
        : 'must be an object (expected { type: "prometheus" | "managed", ... })'),
  })
  .prefault({ type: "prometheus" });

/**
 * Problems with user-supplied extra scrape configs: not YAML, not a list of jobs, a job without a unique
 * `job_name`, or an interval below the collector's floor. Each has the path inside the list and a message.
 */
export function extraScrapeConfigProblems(yamlText: string): ScrapeConfigProblem[] {
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    return [
      { path: [], message: `is not valid YAML: ${reason} (expected a YAML list of scrape_config entries)` },
    ];
  }
  if (!Array.isArray(doc))
    return [
      {
        path: [],
        message: "is not a YAML list (expected a list of scrape_config entries, each with a job_name)",
      },
    ];
  const problems: ScrapeConfigProblem[] = [];
  const seen = new Set<string>(MANAGED_SCRAPE_JOBS);
  doc.forEach((job, i) => {
    if (!job || typeof job !== "object" || Array.isArray(job)) {
      problems.push({
        path: [i],
        message: "is not a mapping (expected a scrape_config entry with a job_name)",
      });
      return;
    }
    const entry = job as Record<string, unknown>;
    if (typeof entry.job_name !== "string" || entry.job_name === "") {
      problems.push({ path: [i], message: "has no job_name (expected a non-empty job_name string)" });
    } else if (seen.has(entry.job_name)) {
      problems.push({
        path: [i, "job_name"],
        message: `"${entry.job_name}" is already used (expected a name other than ${[...seen].join(", ")})`,
      });
    } else {
      seen.add(entry.job_name);
    }
    if (entry.scrape_interval !== undefined) {
      const seconds = durationSeconds(String(entry.scrape_interval));
      if (!(seconds >= MIN_MANAGED_SCRAPE_INTERVAL_SECONDS))
        problems.push({
          path: [i, "scrape_interval"],
          message: `${JSON.stringify(entry.scrape_interval)} is below the collector's floor (expected a duration of at least 30s)`,
        });
    }
  });
  return problems;
}
