/**
 * Pull-request plan helpers for .github/workflows/pr.yml:
 *   changed --base <ref>                        JSON list of {environment, region, backend, tfc_hostname} to plan
 *   render  --reports <dir> --expected <a,b> [--sha S] [--run-url U] --out <file>   the PR comment (markdown)
 *           [--cost-before <json>] [--cost-after <json>]  adds the estimated monthly cost before and after
 *   check   --reports <dir> --expected <a,b>    exit 1 if a stack failed for real or a report is missing
 * Reports are what `npm run plan -- <env> --report <dir>/<env>.json` writes.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { validateEnvironments } from "../config/validate";
import { environments } from "../environments";
import { type CostSummary, parseCostSummaries, renderCostDelta } from "./lib/cost-report";
import type { EnvironmentPlanReport } from "./lib/plan";
import { changedEnvironments, hasFailures, renderComment } from "./lib/pr-comment";

/** A `npm run cost -- --all --json` file, or undefined when it is missing or not one (the base could not be estimated). */
function readCost(file: string | undefined): CostSummary[] | undefined {
  if (!file || !existsSync(file)) return undefined;
  try {
    return parseCostSummaries(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return undefined;
  }
}

function readReports(dir: string): EnvironmentPlanReport[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(d, entry.name));
      else if (entry.name.endsWith(".json")) files.push(join(d, entry.name));
    }
  };
  walk(dir);
  return files.map((f) => JSON.parse(readFileSync(f, "utf8")) as EnvironmentPlanReport);
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      base: { type: "string" },
      reports: { type: "string", default: "plan-reports" },
      expected: { type: "string", default: "" },
      sha: { type: "string" },
      "run-url": { type: "string" },
      out: { type: "string" },
      "cost-before": { type: "string" },
      "cost-after": { type: "string" },
    },
  });
  const expected = values.expected.split(",").filter(Boolean);
  switch (positionals[0]) {
    case "changed": {
      if (!values.base) throw new Error("changed: --base <ref> is required");
      const files = execFileSync("git", ["diff", "--name-only", `${values.base}...HEAD`], {
        encoding: "utf8",
      })
        .split("\n")
        .filter(Boolean);
      const configs = validateEnvironments(environments);
      const names = changedEnvironments(
        files,
        configs.map((c) => c.name),
      );
      const matrix = configs
        .filter((c) => names.includes(c.name))
        .map((c) => ({
          environment: c.name,
          region: c.region,
          backend: c.backend.type,
          tfc_hostname: c.backend.type === "cloud" ? c.backend.hostname : "",
        }));
      process.stdout.write(`${JSON.stringify(matrix)}\n`);
      return 0;
    }
    case "render": {
      const after = readCost(values["cost-after"]);
      const markdown = renderComment(readReports(values.reports), {
        expected,
        sha: values.sha,
        runUrl: values["run-url"],
        cost: after ? renderCostDelta(readCost(values["cost-before"]), after) : undefined,
      });
      if (values.out) writeFileSync(values.out, markdown);
      else process.stdout.write(markdown);
      return 0;
    }
    case "check":
      return hasFailures(readReports(values.reports), expected) ? 1 : 0;
    default:
      process.stderr.write(
        "usage: pr-plan.ts changed|render|check [options] (see the header of scripts/pr-plan.ts)\n",
      );
      return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
