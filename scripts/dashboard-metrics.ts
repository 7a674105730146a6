/**
 * `node -r esbuild-register scripts/dashboard-metrics.ts <dashboard.json>`: the metric names a Grafana
 * dashboard's Prometheus queries read (with the project's PromQL parser), one per line: what an environment
 * importing it from grafana.com must add to `metrics.extra` under the allow-list (docs/cost.md).
 * Dashboard variables used as label values are fine; queries the parser cannot read are listed on stderr.
 */
import { readFileSync } from "node:fs";
import type { DashboardModel } from "../monitoring/dashboards";
import { PromqlError, selectedMetrics } from "../monitoring/promql";

type Panel = { title?: string; targets?: { expr?: string }[]; panels?: Panel[] };

function main(argv: string[]): number {
  if (argv.length !== 1) {
    process.stderr.write("usage: node -r esbuild-register scripts/dashboard-metrics.ts <dashboard.json>\n");
    return 1;
  }
  const model = JSON.parse(readFileSync(argv[0], "utf8")) as DashboardModel & {
    rows?: { panels?: Panel[] }[];
  };
  const names = new Set<string>();
  let unreadable = 0;
  const visit = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) {
        if (!t.expr) continue;
        try {
          for (const n of selectedMetrics(t.expr)) names.add(n);
        } catch (error) {
          if (!(error instanceof PromqlError)) throw error;
          unreadable++;
          process.stderr.write(`${p.title ?? "(untitled)"}: ${error.message}\n`);
        }
      }
      visit(p.panels ?? []);
    }
  };
  // Old dashboards (schema < 16) keep panels in rows.
  visit([...((model.panels as Panel[]) ?? []), ...(model.rows ?? []).flatMap((r) => r.panels ?? [])]);
  process.stdout.write(`${[...names].sort().join("\n")}\n`);
  return unreadable > 0 ? 2 : 0;
}

process.exitCode = main(process.argv.slice(2));
