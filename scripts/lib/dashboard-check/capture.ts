/**
 * Series real exporters wrote, captured on loopback by scripts/capture-metrics.ts: the raw /metrics text of
 * each target, and a manifest (the targets' labels as the collectors give them, the bindings of the objects
 * created, the versions). This turns a capture into promtool input series as AMP would hold them: the
 * allow-list's metrics only, the target's labels (kube-state-metrics' own labels winning, honor_labels),
 * `cluster`, and the series a scraper adds per target. One scrape is one point in time: counters (and
 * histogram and summary counts) are spread as if they had grown at a steady rate to their value over the
 * series' span, so rates and quantiles have something to compute; gauges hold their value.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CollectorType } from "../../../lib/catalogue";
import { SCRAPED_METRICS } from "../../../monitoring/metrics";
import { type Binding, CLUSTER, type Series, STEPS } from "./world";

/** The sources of monitoring/metrics.ts SCRAPED_METRICS a capture holds (cAdvisor and the kubelet need a node). */
export const CAPTURED_SOURCES = [
  "kubernetes-api-servers",
  "kube-scheduler",
  "kube-controller-manager",
  "kubernetes-service-endpoints/kube-state-metrics",
  "kubernetes-service-endpoints/node-exporter",
  "(every job)",
] as const;

/** The metric names those sources bring. */
export const CAPTURED_METRICS: ReadonlySet<string> = new Set(
  CAPTURED_SOURCES.flatMap((s) => SCRAPED_METRICS[s]),
);

/** Where captures go: EKSMON_METRICS_CAPTURE, else ~/.cache/eksmon/metrics-capture. */
export function captureDir(): string {
  return (
    process.env.EKSMON_METRICS_CAPTURE ||
    join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "eksmon", "metrics-capture")
  );
}

/** One scraped target of a capture. */
export interface CapturedTarget {
  /** The file holding its /metrics text, in the capture's folder. */
  readonly file: string;
  /** Its labels as a collector gives them (job, instance, and the service's labels), `cluster` aside. */
  readonly labels: Readonly<Record<string, string>>;
  /** The exporter's labels win over the target's (kube-state-metrics' job has honor_labels). */
  readonly honorLabels: boolean;
  readonly durationSeconds: number;
}

/** capture.json: what a capture holds. */
export interface CaptureManifest {
  readonly capturedAt: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly targets: readonly CapturedTarget[];
  /** The bindings of the objects created (same namespaces and workloads as the world's, real pod names). */
  readonly bindings: readonly Binding[];
}

/** One sample of the exposition format, with its family's type. */
export interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
  readonly type: string;
}

const unescapeLabel = (v: string) => v.replace(/\\(["\\n])/g, (_m, c: string) => (c === "n" ? "\n" : c));

/** Parses Prometheus' text exposition format (0.0.4): samples with their family's TYPE. */
export function parseExposition(text: string): Sample[] {
  const types = new Map<string, string>();
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("# TYPE ")) {
      const [, , name, type] = line.split(/\s+/);
      types.set(name, type);
      continue;
    }
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/.exec(line);
    if (!m) throw new Error(`not an exposition sample: ${line.slice(0, 120)}`);
    const [, name, body = "", raw] = m;
    const labels: Record<string, string> = {};
    for (const l of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]] = unescapeLabel(l[2]);
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count|total|created)$/, "");
    out.push({ name, labels, value: Number(raw), type: types.get(family) ?? types.get(name) ?? "untyped" });
  }
  return out;
}

/** Whether a sample only ever grows (a counter, or a histogram's or summary's count, sum and buckets). */
const grows = (s: Sample) =>
  s.type === "counter" ||
  (s.type === "histogram" && /_(bucket|sum|count)$/.test(s.name)) ||
  (s.type === "summary" && /_(sum|count)$/.test(s.name));

/** promtool's notation for a sample held over the span (gauges) or grown to it (counters). */
function values(s: Sample): string {
  if (!grows(s) || s.value === 0) return `${s.value}x${STEPS}`;
  return `0+${s.value / STEPS}x${STEPS}`;
}

/** A target's labels over an exporter's: honor_labels keeps the exporter's; else they become `exported_*`. */
function merge(
  own: Record<string, string>,
  target: Record<string, string>,
  honor: boolean,
): Record<string, string> {
  if (honor) return { ...target, ...own };
  const renamed = Object.fromEntries(
    Object.entries(own).map(([k, v]) => [k in target ? `exported_${k}` : k, v]),
  );
  return { ...renamed, ...target };
}

/** A capture as input series, for a collector type, and the bindings of its objects. */
export function capturedSeries(
  dir: string,
):
  | { readonly manifest: CaptureManifest; readonly series: (collector: CollectorType) => Series[] }
  | undefined {
  const file = join(dir, "capture.json");
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, "utf8")) as CaptureManifest;
  const series = (_collector: CollectorType): Series[] => {
    const out: Series[] = [];
    for (const t of manifest.targets) {
      const target = { ...t.labels, cluster: CLUSTER };
      const samples = parseExposition(readFileSync(join(dir, t.file), "utf8"));
      const kept = samples.filter((s) => CAPTURED_METRICS.has(s.name) && Number.isFinite(s.value));
      for (const s of kept)
        out.push({
          labels: { __name__: s.name, ...merge(s.labels, target, t.honorLabels) },
          values: values(s),
        });
      const scrape = (name: string, v: number) =>
        out.push({ labels: { __name__: name, ...target }, values: `${v}x${STEPS}` });
      scrape("up", 1);
      scrape("scrape_duration_seconds", t.durationSeconds);
      scrape("scrape_samples_scraped", samples.length);
      scrape("scrape_samples_post_metric_relabeling", kept.length);
    }
    return out;
  };
  return { manifest, series };
}
