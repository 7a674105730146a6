/** The README shows `npm run cost` for every example environment: it must be what the command prints. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { estimate } from "../../cost/estimate";
import { PRICES } from "../../cost/prices";
import { environments } from "../../environments";
import { renderEstimate } from "../../scripts/lib/cost-report";
import { exampleEnv } from "../helpers";

const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
const costDoc = readFileSync(join(__dirname, "..", "..", "docs", "cost.md"), "utf8");
// As of the prices' date: no age warning in the README's copy.
const asOf = new Date(`${PRICES.asOf}T12:00:00Z`);

describe("the README's cost section", () => {
  it.each(environments.map((e) => e.name))("shows what `npm run cost -- %s` prints", (name) => {
    expect(readme).toContain(
      `$ npm run cost -- ${name}\n${renderEstimate(estimate(exampleEnv(name), PRICES, asOf))}\n`,
    );
  });
});

describe("docs/cost.md", () => {
  it.each(environments.map((e) => e.name))("gives %s's samples/s and $/month for both columns", (name) => {
    const e = estimate(exampleEnv(name), PRICES, asOf);
    const n = (x: number) => Math.round(x).toLocaleString("en-US");
    const usd = (x: number) =>
      `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    expect(costDoc).toContain(
      `| ${n(e.samplesPerSecond.allowList)}, ${usd(e.total.allowList)} | ${n(e.samplesPerSecond.sendAll)}, ${usd(e.total.sendAll)} |`,
    );
  });
});
