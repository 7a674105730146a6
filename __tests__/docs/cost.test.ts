/** The README shows `npm run cost` for the two-cluster example: it must be what the command prints. */
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
  it("shows what `npm run cost -- staging` prints: each cluster's section, the environment's lines, the total", () => {
    const e = estimate(exampleEnv("staging"), PRICES, asOf);
    expect(e.clusters.length).toBeGreaterThan(1);
    expect(readme).toContain(`$ npm run cost -- staging\n${renderEstimate(e)}\n`);
  });
});

describe("docs/cost.md", () => {
  const n = (x: number) => Math.round(x).toLocaleString("en-US");
  const usd = (x: number) =>
    `$${x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

  it.each(environments.map((e) => e.name))(
    "gives %s's samples/s and $/month for both columns, per cluster and in total",
    (name) => {
      const e = estimate(exampleEnv(name), PRICES, asOf);
      for (const c of e.clusters)
        expect(costDoc).toMatch(
          new RegExp(
            `\\| ${name} \\| cluster ${c.name} \\| ${c.collector}, .* \\| ${n(c.samplesPerSecond.allowList)}, \\${usd(c.subtotal.allowList)} \\| ${n(c.samplesPerSecond.sendAll)}, \\${usd(c.subtotal.sendAll)} \\|`,
          ),
        );
      expect(costDoc).toContain(
        `| ${name} | environment lines | | | ${usd(e.environmentSubtotal.allowList)} | ${usd(e.environmentSubtotal.sendAll)} |`,
      );
      expect(costDoc).toContain(
        `| ${name} | **total** | | | ${n(e.samplesPerSecond.allowList)}, ${usd(e.total.allowList)} | ${n(e.samplesPerSecond.sendAll)}, ${usd(e.total.sendAll)} |`,
      );
    },
  );
});
