/** The grafana_folder binding: documented argument names, the values under them, its uid as a reference. */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { GrafanaFolder } from "../../../../constructs/grafana/bindings/folder";
import { attributesOf, DOCUMENTED, onlyOf } from "./documented";

describe("GrafanaFolder", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  const folder = new GrafanaFolder(stack, "folder", { title: "EKS", uid: "eks" });
  new TerraformOutput(stack, "uid", { value: folder.uid });
  const json = JSON.parse(Testing.synth(stack));
  const block = onlyOf(json, "grafana_folder");

  it("synthesizes only documented argument names, with the values given", () => {
    expect(attributesOf(block).filter((n) => !DOCUMENTED.grafana_folder.includes(n))).toEqual([]);
    expect(block).toEqual({ title: "EKS", uid: "eks" });
  });

  it("gives its uid as a reference, so what goes in the folder is created after it", () => {
    expect(json.output.uid.value).toBe("${grafana_folder.folder.uid}");
  });
});
