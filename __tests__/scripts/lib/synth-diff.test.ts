/**
 * scripts/lib/synth-diff.ts, what the cdktn leg of CI (scripts/cdktn.ts) fails on: two synths must write the
 * same Terraform, the version stamp of the cdktf package aside.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REVIEWED } from "../../../lib/cdktf-internals/patches.cjs";
import { cdktnAlias } from "../../../scripts/cdktn";
import {
  compareFile,
  compareSynths,
  firstDifference,
  renderComparison,
  sameTerraform,
  withoutVersionStamp,
} from "../../../scripts/lib/synth-diff";

const json = (value: unknown, space = 2) => Buffer.from(JSON.stringify(value, null, space));
const stack = (version: string, bucket = "b") => ({
  "//": { metadata: { version, stackName: "dev-network", backend: "s3" } },
  resource: { aws_s3_bucket: { state: { bucket } } },
  provider: { http: [{}] },
});
const manifest = (version: string) => ({
  version,
  stacks: { "dev-network": { name: "dev-network", workingDirectory: "stacks/dev-network" } },
});

describe("compareFile", () => {
  it("tells identical bytes, the same document written otherwise, and a stamp-only difference apart", () => {
    expect(compareFile("stacks/a/cdk.tf.json", json(stack("0.21.0")), json(stack("0.21.0")))).toEqual({
      file: "stacks/a/cdk.tf.json",
      status: "identical",
    });
    expect(compareFile("x.json", json(stack("0.21.0")), json(stack("0.21.0"), 4)).status).toBe("layout");
    expect(compareFile("stacks/a/cdk.tf.json", json(stack("0.21.0")), json(stack("0.24.0")))).toEqual({
      file: "stacks/a/cdk.tf.json",
      status: "stamp",
      layout: false,
    });
    expect(compareFile("manifest.json", json(manifest("0.21.0")), json(manifest("0.24.0"))).status).toBe(
      "stamp",
    );
  });

  it("names the first place two documents differ beyond the stamp", () => {
    expect(compareFile("s/cdk.tf.json", json(stack("0.21.0")), json(stack("0.24.0", "other")))).toEqual({
      file: "s/cdk.tf.json",
      status: "different",
      detail: 'resource.aws_s3_bucket.state.bucket: "b" != "other"',
    });
  });

  it("compares other files byte for byte", () => {
    expect(compareFile("s/.terraform.lock.hcl", Buffer.from("a"), Buffer.from("b"))).toEqual({
      file: "s/.terraform.lock.hcl",
      status: "different",
      detail: "not the same bytes",
    });
  });

  it("sets aside only the stamp: a version elsewhere still counts", () => {
    const a = { version: "0.21.0", "//": { metadata: { version: "0.21.0" } }, terraform: { version: "1" } };
    expect(withoutVersionStamp("stacks/x/cdk.tf.json", a)).toEqual({
      version: "0.21.0", // a stack document's top level is not the manifest's
      "//": { metadata: {} },
      terraform: { version: "1" },
    });
    expect(a["//"].metadata.version).toBe("0.21.0"); // a copy
    expect(firstDifference({ a: [1, 2] }, { a: [1, 3] })).toBe("a[1]: 2 != 3");
    expect(firstDifference({ a: 1 }, {})).toBe("a: 1 != (absent)");
  });
});

describe("compareSynths", () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), "synth-diff-"));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  function synth(name: string, version: string, extra: Record<string, string> = {}, bucket = "b"): string {
    const dir = join(work, name);
    mkdirSync(join(dir, "stacks", "dev-network"), { recursive: true });
    writeFileSync(join(dir, "manifest.json"), json(manifest(version)));
    writeFileSync(join(dir, "stacks", "dev-network", "cdk.tf.json"), json(stack(version, bucket)));
    writeFileSync(join(dir, "stacks", "dev-network", ".terraform.lock.hcl"), "lock");
    for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
    return dir;
  }

  it("finds the same Terraform when only the stamp differs, and says so", () => {
    const c = compareSynths(synth("a", "0.21.0"), synth("b", "0.24.0"));
    expect(sameTerraform(c)).toBe(true);
    expect(renderComparison(c, { left: "cdktf", right: "cdktn" }).split("\n")).toEqual([
      "cdktf (0.21.0) vs cdktn (0.24.0): 1 stacks, 3 files",
      "  byte for byte the same: 1",
      "  the same but for the version stamp (0.21.0 -> 0.24.0): 2",
      "  the same document, written differently: 0",
      "same Terraform: every stack identical but for the version stamp",
    ]);
  });

  it("fails on a changed attribute or a file only one side has", () => {
    const c = compareSynths(synth("a", "0.21.0", { "extra.txt": "x" }), synth("b", "0.24.0", {}, "renamed"));
    expect(sameTerraform(c)).toBe(false);
    const report = renderComparison(c, { left: "cdktf", right: "cdktn" });
    expect(report).toContain(
      '  DIFFERENT stacks/dev-network/cdk.tf.json: resource.aws_s3_bucket.state.bucket: "b" != "renamed"',
    );
    expect(report).toContain("  MISSING extra.txt: only in cdktf");
    expect(report.split("\n").at(-1)).toBe("NOT the same Terraform (see above)");
  });
});

describe("the cdktn the leg installs", () => {
  it("is the cdktn version the patches were reviewed against, as an npm alias", () => {
    const cdktn = REVIEWED.find((r) => r.name === "cdktn")!;
    expect(cdktnAlias()).toBe(`npm:cdktn@${cdktn.version}`);
  });
});
