/** The grafana_data_source binding: documented argument names, the values under them, jsonData encoded. */
import { TerraformStack, Testing } from "cdktf";
import { GrafanaDataSource } from "../../../../constructs/grafana/bindings/data-source";
import { attributesOf, DOCUMENTED, onlyOf } from "./documented";

describe("GrafanaDataSource", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  new GrafanaDataSource(stack, "ds", {
    name: "AMP",
    type: "prometheus",
    url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1",
    uid: "amp",
    isDefault: true,
    accessMode: "proxy",
    jsonData: { sigV4Auth: true },
  });
  const block = onlyOf(JSON.parse(Testing.synth(stack)), "grafana_data_source");

  it("synthesizes only documented argument names", () => {
    const names = attributesOf(block);
    expect(names.length).toBeGreaterThan(1);
    expect(names.filter((n) => !DOCUMENTED.grafana_data_source.includes(n))).toEqual([]);
  });

  it("writes the values under the documented names, jsonData as encoded JSON", () => {
    expect(block).toMatchObject({
      name: "AMP",
      type: "prometheus",
      uid: "amp",
      url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1",
      is_default: true,
      access_mode: "proxy",
      json_data_encoded: '{"sigV4Auth":true}',
    });
  });
});
