/**
 * GrafanaDashboards: the project's folder, the repository's dashboards in it (literal JSON, or with
 * Terraform values put in), and grafana.com imports pinned by revision, downloaded at apply time.
 */
import { TerraformStack, Testing } from "cdktf";
import { GrafanaDataSource } from "../../../constructs/grafana/bindings/data-source";
import {
  GrafanaDashboards,
  type GrafanaDashboardsProps,
  grafanaComDownloadUrl,
} from "../../../constructs/grafana/dashboards";
import { onlyResource, resourcesOf, type StackJson } from "../../helpers";

const literal = '{"title":"Capacity","templating":{"list":[{"query":"label_values(${cluster})"}]}}';
const withValue = '{"title":"Cost","panels":[{"datasource":"__WORKSPACE__","expr":"x{a=\\"%{b}\\"}"}]}';

function build(props: Partial<GrafanaDashboardsProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const ds = new GrafanaDataSource(stack, "ds", { name: "AMP", type: "prometheus", uid: "amp" });
  new GrafanaDashboards(stack, "dashboards", {
    folderTitle: "EKS monitoring",
    folderUid: "eksmon",
    dashboards: [
      { name: "capacity.json", json: literal },
      { name: "cost.json", json: withValue, terraformValues: { __WORKSPACE__: "${data.x.y.id}" } },
    ],
    grafanaComImports: [],
    dataSourceUid: "amp",
    dependsOn: [ds],
    ...props,
  });
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

const dashboards = (json: StackJson) => Object.values(resourcesOf(json, "grafana_dashboard"));

describe("GrafanaDashboards", () => {
  const json = build();

  it("creates the folder, and every dashboard in it after the data source, replacing hand-made copies", () => {
    expect(onlyResource(json, "grafana_folder")).toEqual({ title: "EKS monitoring", uid: "eksmon" });
    expect(dashboards(json)).toHaveLength(2);
    for (const d of dashboards(json))
      expect(d).toMatchObject({
        folder: expect.stringMatching(/^\$\{grafana_folder\..+\.uid\}$/),
        overwrite: true,
        message: expect.stringContaining("edits in the UI are overwritten"),
        depends_on: ["grafana_data_source.ds"],
      });
  });

  it("keeps a dashboard's Grafana variables literal for Terraform", () => {
    const capacity = dashboards(json).find((d) => String(d.config_json).includes("Capacity"));
    expect(capacity?.config_json).toBe(literal.split("${cluster}").join("$${cluster}"));
  });

  it("puts Terraform values in after escaping the literal text around them", () => {
    const cost = dashboards(json).find((d) => String(d.config_json).includes("Cost"));
    expect(cost?.config_json).toBe(
      withValue.replace("%{b}", "%%{b}").replace("__WORKSPACE__", "${data.x.y.id}"),
    );
  });

  it("imports nothing from grafana.com, and needs no http provider, unless asked", () => {
    expect(json.data?.http).toBeUndefined();
    expect(json.provider?.http).toBeUndefined();
  });

  describe("grafana.com imports", () => {
    const imported = build({
      dashboards: [],
      grafanaComImports: [
        { id: 3119, revision: 2, datasourceInput: "DS_PROMETHEUS" },
        { id: 1860, revision: 37, datasourceInput: "DS_PROM" },
      ],
    });

    it("downloads the pinned revision at apply time, failing the plan on anything but HTTP 200", () => {
      const download = Object.values(imported.data?.http ?? {}).find((d) => String(d.url).includes("/3119/"));
      expect(download).toMatchObject({
        url: "https://grafana.com/api/dashboards/3119/revisions/2/download",
        request_headers: { Accept: "application/json" },
      });
      expect(
        (download as { lifecycle: { postcondition: { condition: string }[] } }).lifecycle.postcondition[0]
          .condition,
      ).toBe("${self.status_code == 200}");
      expect(grafanaComDownloadUrl({ id: 1860, revision: 37 })).toBe(
        "https://grafana.com/api/dashboards/1860/revisions/37/download",
      );
    });

    it("points each import's data-source input at our data source, in the folder", () => {
      const byMessage = Object.fromEntries(dashboards(imported).map((d) => [d.message, d]));
      expect(byMessage["grafana.com dashboard 3119 revision 2"].config_json).toMatch(
        /^\$\{replace\(data\.http\..+\.response_body, "\$\$\{DS_PROMETHEUS\}", "amp"\)\}$/,
      );
      expect(byMessage["grafana.com dashboard 1860 revision 37"].config_json).toContain(
        '"$${DS_PROM}", "amp"',
      );
      for (const d of dashboards(imported)) expect(d.folder).toMatch(/^\$\{grafana_folder\./);
    });

    it("creates the stack's http provider once", () => {
      expect(imported.provider?.http).toHaveLength(1);
    });
  });
});
