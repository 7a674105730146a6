/**
 * The dashboards are TypeScript (dashboards/src/) rendered ahead to JSON (dashboards/): the committed JSON
 * is exactly what the sources render, so a review reads both and synth never loads the builders.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderAll } from "../../dashboards/src";
import { DASHBOARD_DIR } from "../../monitoring/dashboards";
import { staleDashboards } from "../../scripts/dashboards";

describe("npm run dashboards", () => {
  it("rendered the committed JSON: dashboards/ is what dashboards/src/ renders (else run npm run dashboards)", () => {
    const { differ, extra } = staleDashboards();
    expect({ differ, extra }).toEqual({ differ: [], extra: [] });
  });

  it("renders stable text: two renders are identical, JSON with a final newline", () => {
    const a = renderAll();
    const b = renderAll();
    expect(a).toEqual(b);
    for (const text of Object.values(a)) {
      expect(text.endsWith("}\n")).toBe(true);
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });

  it("finds a dashboard edited by hand, one missing and one no source renders", () => {
    const dir = mkdtempSync(join(tmpdir(), "dashboards-"));
    try {
      const rendered = renderAll();
      const [first, second, ...rest] = Object.keys(rendered);
      const edited = JSON.parse(readFileSync(join(DASHBOARD_DIR, first), "utf8"));
      edited.title = "Edited in the UI";
      writeFileSync(join(dir, first), `${JSON.stringify(edited, null, 2)}\n`);
      for (const f of rest) writeFileSync(join(dir, f), rendered[f]);
      writeFileSync(join(dir, "old.json"), "{}\n");
      const { differ, extra } = staleDashboards(dir);
      expect(differ.sort()).toEqual([first, second].sort());
      expect(extra).toEqual(["old.json"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
