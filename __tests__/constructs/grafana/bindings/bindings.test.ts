/**
 * The hand-written grafana provider bindings against the provider's documented schema: every attribute
 * they synthesize must exist in the schema, with the documented name. Expected names are copied from the
 * "Schema" sections of grafana/terraform-provider-grafana's docs (docs/index.md, docs/resources/folder.md,
 * docs/resources/data_source.md, docs/resources/dashboard.md). When the provider schema dumped by
 * `terraform providers schema -json` exists at ~/.cache/eksmon/terraform/schema.json, the names are
 * also checked against it.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { GrafanaDashboard } from "../../../../constructs/grafana/bindings/dashboard";
import { GrafanaDataSource } from "../../../../constructs/grafana/bindings/data-source";
import { GrafanaFolder } from "../../../../constructs/grafana/bindings/folder";
import {
  GRAFANA_PROVIDER_SOURCE,
  GRAFANA_PROVIDER_VERSION,
  GrafanaProvider,
} from "../../../../constructs/grafana/bindings/provider";
import { escapeTerraformTemplate } from "../../../../lib/terraform";

/** Documented arguments (Required + Optional) of each block, per the provider docs. */
const DOCUMENTED = {
  // docs/index.md "Schema > Optional" (subset: the Grafana-instance arguments)
  provider: [
    "auth",
    "ca_cert",
    "http_headers",
    "insecure_skip_verify",
    "org_id",
    "retries",
    "retry_status_codes",
    "retry_wait",
    "store_dashboard_sha256",
    "tls_cert",
    "tls_key",
    "url",
  ],
  // docs/resources/folder.md
  grafana_folder: ["title", "org_id", "uid"],
  // docs/resources/data_source.md
  grafana_data_source: [
    "name",
    "type",
    "access_mode",
    "basic_auth_enabled",
    "basic_auth_username",
    "database_name",
    "http_headers",
    "is_default",
    "json_data_encoded",
    "org_id",
    "secure_json_data_encoded",
    "uid",
    "url",
    "username",
  ],
  // docs/resources/dashboard.md
  grafana_dashboard: ["config_json", "folder", "message", "org_id", "overwrite"],
};

const META = new Set(["//", "depends_on", "provider", "lifecycle", "count", "for_each"]);

function synth() {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new GrafanaProvider(stack, "grafana", {
    url: "https://g-1.grafana-workspace.us-east-1.amazonaws.com",
    auth: "t",
    retries: 3,
  });
  const folder = new GrafanaFolder(stack, "folder", { title: "EKS", uid: "eks" });
  const ds = new GrafanaDataSource(stack, "ds", {
    name: "AMP",
    type: "prometheus",
    url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1",
    uid: "amp",
    isDefault: true,
    accessMode: "proxy",
    jsonData: { sigV4Auth: true },
  });
  new GrafanaDashboard(stack, "dash", {
    folder: folder.uid,
    configJson: '{"title":"x","panels":[{"expr":"rate(x[$__rate_interval])","legendFormat":"${node} %{y}"}]}',
    overwrite: true,
    message: "m",
    dependsOn: [ds],
  });
  return JSON.parse(Testing.synth(stack));
}

const json = synth();
const only = (type: string) =>
  Object.values(json.resource[type] as Record<string, Record<string, unknown>>)[0];
const attrs = (block: Record<string, unknown>) => Object.keys(block).filter((k) => !META.has(k));

describe("grafana provider bindings", () => {
  it("pin the provider to one exact version from the registry source grafana/grafana", () => {
    expect(json.terraform.required_providers.grafana).toEqual({
      source: GRAFANA_PROVIDER_SOURCE,
      version: GRAFANA_PROVIDER_VERSION,
    });
    expect(GRAFANA_PROVIDER_VERSION).toMatch(/^4\.\d+\.\d+$/);
  });

  it.each([
    ["provider", () => json.provider.grafana[0]],
    ["grafana_folder", () => only("grafana_folder")],
    ["grafana_data_source", () => only("grafana_data_source")],
    ["grafana_dashboard", () => only("grafana_dashboard")],
  ] as const)("%s synthesizes only documented attribute names", (kind, block) => {
    const names = attrs(block());
    expect(names.length).toBeGreaterThan(1);
    expect(names.filter((n) => !DOCUMENTED[kind].includes(n))).toEqual([]);
  });

  it("write the values under the documented names", () => {
    expect(json.provider.grafana[0]).toEqual({
      url: "https://g-1.grafana-workspace.us-east-1.amazonaws.com",
      auth: "t",
      retries: 3,
    });
    expect(only("grafana_folder")).toMatchObject({ title: "EKS", uid: "eks" });
    expect(only("grafana_data_source")).toMatchObject({
      type: "prometheus",
      is_default: true,
      access_mode: "proxy",
      json_data_encoded: '{"sigV4Auth":true}',
    });
    expect(only("grafana_dashboard")).toMatchObject({
      folder: "${grafana_folder.folder.uid}",
      overwrite: true,
      depends_on: ["grafana_data_source.ds"],
    });
  });

  it("escape Grafana's ${var} and %{...} in dashboard JSON so Terraform keeps them literal", () => {
    const config = only("grafana_dashboard").config_json as string;
    expect(config).toContain("$${node} %%{y}");
    expect(config).toContain("[$__rate_interval]");
    expect(escapeTerraformTemplate("a ${b} %{c} $d")).toBe("a $${b} %%{c} $d");
  });

  it("refuse a dashboard with both or neither of configJson and configJsonExpression", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    expect(() => new GrafanaDashboard(stack, "d", { folder: "f" })).toThrow(/exactly one/);
  });

  const schemaPath = join(homedir(), ".cache", "eksmon", "terraform", "schema.json");
  const withSchema = existsSync(schemaPath) ? it : it.skip;
  withSchema(
    `agree with the provider's own schema (${existsSync(schemaPath) ? schemaPath : "skipped: no schema.json dumped"})`,
    () => {
      const schemas = JSON.parse(readFileSync(schemaPath, "utf8")).provider_schemas as Record<
        string,
        {
          provider: { block: { attributes: Record<string, unknown> } };
          resource_schemas: Record<string, { block: { attributes: Record<string, unknown> } }>;
        }
      >;
      const grafana = Object.entries(schemas).find(([k]) => k.endsWith("/grafana/grafana"))?.[1];
      expect(grafana).toBeDefined();
      const known = (kind: keyof typeof DOCUMENTED) =>
        Object.keys(
          kind === "provider"
            ? grafana!.provider.block.attributes
            : grafana!.resource_schemas[kind].block.attributes,
        );
      for (const kind of Object.keys(DOCUMENTED) as (keyof typeof DOCUMENTED)[])
        expect(DOCUMENTED[kind].filter((n) => !known(kind).includes(n))).toEqual([]);
    },
  );
});
