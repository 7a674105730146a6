/** docs/grafana-as-code.md tells users what appears in Grafana: keep it in step with what is shipped. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { COLLECTOR_TYPES } from "../../lib/catalogue";
import { availableDashboards, loadDashboard } from "../../monitoring/dashboards";
import { alertNamesOf, recordedNamesOf, ruleFilesOfCollector } from "../../monitoring/rules";
import { exampleRuleParams } from "../helpers";

const doc = readFileSync(join(__dirname, "..", "..", "docs", "grafana-as-code.md"), "utf8");

describe("docs/grafana-as-code.md", () => {
  it("lists every shipped dashboard with its uid and every panel title", () => {
    for (const file of availableDashboards()) {
      const { model } = loadDashboard(file);
      expect(doc).toContain(`${model.title} (\`${model.uid}\`)`);
      for (const panel of model.panels as { title: string }[])
        expect({ file, panel: panel.title, listed: doc.includes(panel.title) }).toEqual({
          file,
          panel: panel.title,
          listed: true,
        });
    }
  });

  it("lists every alert and every recording rule", () => {
    for (const collector of COLLECTOR_TYPES) {
      const files = ruleFilesOfCollector(collector, exampleRuleParams("dev"));
      for (const name of [...alertNamesOf(files), ...recordedNamesOf(files)])
        expect({ name, listed: doc.includes(name) }).toEqual({ name, listed: true });
      for (const namespace of Object.keys(files))
        expect({ namespace, listed: doc.includes(namespace) }).toEqual({ namespace, listed: true });
    }
  });
});
