/** The grafana_dashboard binding: documented argument names, Grafana's template syntax kept literal. */

import { TerraformStack, Testing } from "cdktf";
import { GrafanaDashboard } from "../../../../constructs/grafana/bindings/dashboard";
import { GrafanaDataSource } from "../../../../constructs/grafana/bindings/data-source";
import { GrafanaFolder } from "../../../../constructs/grafana/bindings/folder";
import { escapeTerraformTemplate } from "../../../../lib/terraform";
import { attributesOf, DOCUMENTED, onlyOf } from "./documented";

describe("GrafanaDashboard", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  const folder = new GrafanaFolder(stack, "folder", { title: "EKS", uid: "eks" });
  const ds = new GrafanaDataSource(stack, "ds", { name: "AMP", type: "prometheus", uid: "amp" });
  new GrafanaDashboard(stack, "dash", {
    folder: folder.uid,
    configJson: '{"title":"x","panels":[{"expr":"rate(x[$__rate_interval])","legendFormat":"${node} %{y}"}]}',
    overwrite: true,
    message: "m",
    dependsOn: [ds],
  });
  const block = onlyOf(JSON.parse(Testing.synth(stack)), "grafana_dashboard");

  it("synthesizes only documented argument names, with the values given", () => {
    const names = attributesOf(block);
    expect(names.length).toBeGreaterThan(1);
    expect(names.filter((n) => !DOCUMENTED.grafana_dashboard.includes(n))).toEqual([]);
    expect(block).toMatchObject({
      folder: "${grafana_folder.folder.uid}",
      overwrite: true,
      message: "m",
      depends_on: ["grafana_data_source.ds"],
    });
  });

  it("escapes Grafana's ${var} and %{...} in dashboard JSON so Terraform keeps them literal", () => {
    const config = block.config_json as string;
    expect(config).toContain("$${node} %%{y}");
    expect(config).toContain("[$__rate_interval]");
    expect(escapeTerraformTemplate("a ${b} %{c} $d")).toBe("a $${b} %%{c} $d");
  });

  it("passes a Terraform expression through unescaped", () => {
    const s = new TerraformStack(Testing.app(), "t");
    new GrafanaDashboard(s, "d", { folder: "f", configJsonExpression: "${data.http.d.response_body}" });
    expect(onlyOf(JSON.parse(Testing.synth(s)), "grafana_dashboard").config_json).toBe(
      "${data.http.d.response_body}",
    );
  });

  it("refuses a dashboard with both or neither of configJson and configJsonExpression", () => {
    const s = new TerraformStack(Testing.app(), "t");
    expect(() => new GrafanaDashboard(s, "d", { folder: "f" })).toThrow(/exactly one/);
    expect(
      () => new GrafanaDashboard(s, "e", { folder: "f", configJson: "{}", configJsonExpression: "${x}" }),
    ).toThrow(/exactly one/);
  });
});
