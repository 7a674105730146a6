/** docs/grafana-as-code.md tells users what appears in Grafana: keep it in step with what is shipped. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { availableDashboards, loadDashboard } from "../../monitoring/dashboards";
import { alertNames, recordedMetricNames } from "../../monitoring/rules";
import { exampleEnv } from "../helpers";

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
    for (const name of [...alertNames(exampleEnv("dev").alerting.thresholds), ...recordedMetricNames()])
      expect({ name, listed: doc.includes(name) }).toEqual({ name, listed: true });
  });
});
