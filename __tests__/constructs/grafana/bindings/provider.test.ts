/** The grafana provider binding: pinned exactly, documented argument names, the values under them. */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import {
  GRAFANA_PROVIDER_SOURCE,
  GRAFANA_PROVIDER_VERSION,
  GrafanaProvider,
} from "../../../../constructs/grafana/bindings/provider";
import { attributesOf, DOCUMENTED } from "./documented";

function synth() {
  const stack = new TerraformStack(Testing.app(), "test");
  new GrafanaProvider(stack, "grafana", {
    url: "https://g-1.grafana-workspace.us-east-1.amazonaws.com",
    auth: "t",
    retries: 3,
  });
  return JSON.parse(Testing.synth(stack));
}

describe("GrafanaProvider", () => {
  const json = synth();

  it("pins the provider to one exact version from the registry source grafana/grafana", () => {
    expect(json.terraform.required_providers.grafana).toEqual({
      source: GRAFANA_PROVIDER_SOURCE,
      version: GRAFANA_PROVIDER_VERSION,
    });
    expect(GRAFANA_PROVIDER_VERSION).toMatch(/^4\.\d+\.\d+$/);
  });

  it("synthesizes only documented argument names, with the values given", () => {
    const block = json.provider.grafana[0];
    expect(attributesOf(block).filter((n) => !DOCUMENTED.provider.includes(n))).toEqual([]);
    expect(block).toEqual({
      url: "https://g-1.grafana-workspace.us-east-1.amazonaws.com",
      auth: "t",
      retries: 3,
    });
  });
});

describe("the documented names of every binding", () => {
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
