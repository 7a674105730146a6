import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { synthesizeApp } from "../app";
import { environments } from "../environments";

describe("synthesizeApp", () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), "app-test-"));
    mkdirSync(join(outdir, "stacks", "dev-network", ".terraform"), { recursive: true });
    writeFileSync(join(outdir, "stacks", "dev-network", "cdk.tf.json"), "previous synth");
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(outdir, { recursive: true, force: true });
  });

  it("leaves the output folder exactly as it was when synthesis fails after some stacks were written", () => {
    const synth = App.prototype.synth;
    jest.spyOn(App.prototype, "synth").mockImplementation(function (this: App) {
      synth.call(this); // every stack written...
      throw new Error("a stack failed"); // ...then a failure, as cdktf raises on the first bad stack
    });
    expect(() => synthesizeApp(environments, outdir)).toThrow("a stack failed");
    expect(readFileSync(join(outdir, "stacks", "dev-network", "cdk.tf.json"), "utf8")).toBe("previous synth");
    expect(readdirSync(join(outdir, "stacks"))).toEqual(["dev-network"]);
    expect(readdirSync(outdir)).toEqual(["stacks"]); // no scratch folder left behind
  });

  it("does not leave behind an output folder it had to create when synthesis fails", () => {
    jest.spyOn(App.prototype, "synth").mockImplementation(() => {
      throw new Error("a stack failed");
    });
    const fresh = join(outdir, "new-output");
    expect(() => synthesizeApp(environments, fresh)).toThrow("a stack failed");
    expect(existsSync(fresh)).toBe(false);
  });

  it("replaces the stacks and the manifest on success, keeping Terraform's working files", () => {
    synthesizeApp(environments, outdir);
    expect(
      JSON.parse(readFileSync(join(outdir, "stacks", "dev-network", "cdk.tf.json"), "utf8")),
    ).toHaveProperty("resource");
    expect(existsSync(join(outdir, "stacks", "dev-network", ".terraform"))).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")).stacks)).toContain(
      "prod-grafana-config",
    );
    expect(readdirSync(outdir).sort()).toEqual(["manifest.json", "stacks"]); // the scratch folder is gone
  });
});
