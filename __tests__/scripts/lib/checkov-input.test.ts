/** npm run scan gives checkov every stack, without only the blocks its terraform_json parser refuses. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkovReadable, writeCheckovInput } from "../../../scripts/lib/checkov-input";
import { exampleEnv, synthEnvironment } from "../../helpers";

describe("checkovReadable", () => {
  const stack = synthEnvironment(exampleEnv("dev")).json.cluster as Record<string, any>;

  it("drops import, moved and removed blocks and terraform.required_version, which checkov cannot parse", () => {
    expect(stack.import).toBeDefined();
    expect(stack.moved).toBeDefined();
    expect(stack.terraform.required_version).toBeDefined();
    const readable = checkovReadable(stack);
    expect(readable.import).toBeUndefined();
    expect(readable.moved).toBeUndefined();
    const workspace = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"] as Record<string, any>;
    expect(workspace.removed).toBeDefined();
    expect(checkovReadable(workspace).removed).toBeUndefined();
    expect(readable.terraform).toEqual({ ...stack.terraform, required_version: undefined });
    expect(Object.keys(readable.terraform as object)).not.toContain("required_version");
  });

  it("keeps every resource, data source, provider and check, the adopted resources included", () => {
    const readable = checkovReadable(stack);
    for (const key of ["resource", "data", "provider", "check"]) expect(readable[key]).toEqual(stack[key]);
    for (const { to } of stack.import as { to: string }[]) {
      const [type, name] = to.split(".");
      expect(readable.resource?.[type as never]?.[name]).toBeDefined();
    }
  });

  it("writes a copy of every synthesized stack", () => {
    const out = mkdtempSync(join(tmpdir(), "eksmon-scan-test-"));
    try {
      const dir = join(out, "cdktf.out", "stacks", "dev-cluster-dev-eks");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(stack));
      expect(writeCheckovInput(join(out, "cdktf.out"), join(out, "input"))).toBe(1);
      const copy = JSON.parse(
        readFileSync(join(out, "input", "stacks", "dev-cluster-dev-eks", "cdk.tf.json"), "utf8"),
      );
      expect(copy).toEqual(JSON.parse(JSON.stringify(checkovReadable(stack))));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
