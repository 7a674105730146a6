/**
 * `npm run cost -- <env> [--json]`: the estimated monthly cost of an environment's monitoring: each
 * cluster's line items and subtotal, the environment's own lines, the total, with the allow-list and with
 * sendAll side by side, and the assumptions under the table (`--json`: the estimate, breakdown included).
 * `npm run cost -- --all --json` prints every environment's summary, per cluster and line item (the PR
 * comment compares two of these).
 * Exits 1 with the known environments for an unknown one, and with the problems for a bad configuration.
 */
import { parseArgs } from "node:util";
import { ConfigError, validateEnvironments } from "../config/validate";
import { estimate } from "../cost/estimate";
import { environments } from "../environments";
import { renderEstimate, summarize } from "./lib/cost-report";

const USAGE = "usage: npm run cost -- <environment> [--json] | --all [--json]";

function main(argv: string[]): number {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: "boolean", default: false }, all: { type: "boolean", default: false } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 1;
  }
  const { values, positionals } = parsed;
  let configs: ReturnType<typeof validateEnvironments>;
  try {
    configs = validateEnvironments(environments);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const known = configs.map((c) => c.name);
  if (values.all) {
    const estimates = configs.map((c) => estimate(c));
    process.stdout.write(
      values.json
        ? `${JSON.stringify(estimates.map(summarize), null, 2)}\n`
        : `${estimates.map(renderEstimate).join("\n\n")}\n`,
    );
    return 0;
  }
  const name = positionals[0];
  if (!name || positionals.length > 1) {
    process.stderr.write(
      `${name ? "one environment at a time" : "no environment given"} (expected one of: ${known.join(", ")})\n${USAGE}\n`,
    );
    return 1;
  }
  const env = configs.find((c) => c.name === name);
  if (!env) {
    process.stderr.write(
      `unknown environment "${name}" (expected one of: ${known.join(", ")}; see environments/index.ts)\n`,
    );
    return 1;
  }
  const e = estimate(env);
  process.stdout.write(values.json ? `${JSON.stringify(e, null, 2)}\n` : `${renderEstimate(e)}\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
