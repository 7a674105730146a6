/**
 * No panel says "No data": every panel and variable query of the dashboards an environment gets is
 * evaluated with `promtool test rules` (scripts/lib/dashboard-check/evaluate.ts):
 * (b) against series in the exporters' real shapes for a small EKS cluster (scripts/lib/dashboard-check/world.ts),
 *     as each collector type writes them, with the variables bound to a Deployment's, a StatefulSet's and a
 *     DaemonSet's pod;
 * (a) against series real exporters wrote on loopback (kube-state-metrics against a loopback API server,
 *     node_exporter on the host, the API server's, kube-controller-manager's and kube-scheduler's own
 *     /metrics), captured by scripts/capture-metrics.ts: the queries those exporters answer.
 * Either skips, in one line, when promtool or the capture is missing.
 */
import { existsSync } from "node:fs";
import { COLLECTOR_TYPES, dashboardsFor } from "../../lib/catalogue";
import { forCollectors, loadDashboard } from "../../monitoring/dashboards";
import { selectedMetrics } from "../../monitoring/promql";
import { CAPTURED_METRICS, captureDir, capturedSeries } from "../../scripts/lib/dashboard-check/capture";
import { type Check, checksOf, evaluate } from "../../scripts/lib/dashboard-check/evaluate";
import { BINDINGS, type Binding, fixtureSeries } from "../../scripts/lib/dashboard-check/world";
import { findTool } from "../tools";

const promtool = findTool("promtool", "PROMTOOL");
const NO_PROMTOOL = "no promtool in PROMTOOL, PATH or ~/.cache/eksmon/promtool (scripts/install-promtool.sh)";
if (!promtool) process.stdout.write(`dashboards-answer.test: skipped, ${NO_PROMTOOL}\n`);
const withPromtool = promtool ? it : it.skip;

const checksFor = (
  collector: (typeof COLLECTOR_TYPES)[number],
  bindings: readonly Binding[] = BINDINGS,
  selectors = true,
) =>
  dashboardsFor(collector).flatMap((file) =>
    checksOf(forCollectors(loadDashboard(file).model, [collector]), bindings, selectors),
  );

describe.each(COLLECTOR_TYPES)("(b) the dashboards of the %s collector, on fixture series", (collector) => {
  const checks = checksFor(collector);

  it("check every panel, query, selector and variable (the checks are not empty)", () => {
    expect(checks.length).toBeGreaterThan(500);
  });

  withPromtool("answer: no panel says No data, no query or selector returns nothing", () => {
    expect(evaluate(promtool!, fixtureSeries(collector), checks)).toEqual([]);
  });
});

describe("(b) the evaluation itself", () => {
  const broken = (expr: string): Check[] =>
    checksOf(
      {
        uid: "eksmon-probe",
        title: "Probe",
        templating: {
          list: [
            { name: "datasource", type: "datasource" },
            { name: "cluster", type: "query" },
          ],
        },
        panels: [{ id: 1, title: "Probe panel", datasource: { uid: "${datasource}" }, targets: [{ expr }] }],
      },
      BINDINGS,
    );

  withPromtool("fails a panel reading a metric no exporter writes, and says which", () => {
    expect(
      evaluate(promtool!, fixtureSeries("managed"), broken('sum(kube_pod_stauts_phase{cluster="$cluster"})')),
    ).toEqual([
      'dashboard "Probe": Probe panel says "No data"',
      'dashboard "Probe": Probe panel: query sum(kube_pod_stauts_phase{cluster="$cluster"}): selector kube_pod_stauts_phase{cluster="$cluster"} selects nothing under any binding',
    ]);
  });

  withPromtool("fails a label typo hidden behind an `or` that answers", () => {
    const failed = evaluate(
      promtool!,
      fixtureSeries("managed"),
      broken('sum(kube_pod_status_phase{cluster="$cluster", phase="running"}) or vector(0)'),
    );
    expect(failed).toEqual([
      expect.stringContaining(
        'selector kube_pod_status_phase{cluster="$cluster", phase="running"} selects nothing',
      ),
    ]);
  });

  withPromtool("fails a query answering only NaN (a histogram without observations)", () => {
    const failed = evaluate(
      promtool!,
      fixtureSeries("managed"),
      broken('histogram_quantile(0.99, sum by (le) (rate(workqueue_depth{cluster="$cluster"}[5m])))'),
    );
    expect(failed).toContain('dashboard "Probe": Probe panel says "No data"');
  });

  withPromtool(
    "fails a query of the other collector's series (the in-cluster server's, on the managed one)",
    () => {
      const failed = evaluate(
        promtool!,
        fixtureSeries("managed"),
        broken('sum(rate(prometheus_remote_storage_samples_total{cluster="$cluster"}[5m]))'),
      );
      expect(failed.length).toBeGreaterThan(0);
    },
  );
});

const capture = captureDir();
const captured = existsSync(capture) ? capturedSeries(capture) : undefined;
if (!captured)
  process.stdout.write(
    `dashboards-answer.test: (a) skipped, no capture of real exporters in ${capture} (scripts/capture-metrics.ts)\n`,
  );
const withCapture = promtool && captured ? it : it.skip;

describe.each(COLLECTOR_TYPES)(
  "(a) the dashboards of the %s collector, on series real exporters wrote",
  (collector) => {
    withCapture("answer wherever the captured exporters write every metric a panel reads", () => {
      // Panels and queries; not each selector: a quiet moment lacks series that appear once something happens
      // (a rejected request), which (b) models.
      const checks = checksFor(collector, captured!.manifest.bindings, false).filter((c) =>
        selectedMetrics(c.expr).every((m) => CAPTURED_METRICS.has(m)),
      );
      expect(checks.length).toBeGreaterThan(150);
      expect(evaluate(promtool!, captured!.series(collector), checks)).toEqual([]);
    });
  },
);
