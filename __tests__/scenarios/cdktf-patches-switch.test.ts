/**
 * EKSMON_CDKTF_PATCHES=off turns every patch of cdktf's internals off (lib/cdktf-internals/patches.cjs), and
 * synth still writes the same Terraform: each patch runs cdktf's own code with it off, and the launcher's
 * synth of the example environments is byte for byte the same either way.
 */
// require, not import: the spy must patch the module object cdktf calls through.
const childProcess = require("node:child_process") as typeof import("node:child_process");

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { TerraformStack, Testing } from "cdktf";
import {
  dropTerraformVersionProbe,
  prepareStack,
  stackToTerraform,
  synthesizedAttributes,
} from "../../lib/cdktf-internals";
import { terraformBinary } from "../../scripts/lib/terraform-env";

jest.setTimeout(180_000);

const root = join(__dirname, "..", "..");

/** Runs `fn` with EKSMON_CDKTF_PATCHES set to `value` (unset for undefined). */
function withPatches<T>(value: "on" | "off", fn: () => T): T {
  const before = process.env.EKSMON_CDKTF_PATCHES;
  process.env.EKSMON_CDKTF_PATCHES = value;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.EKSMON_CDKTF_PATCHES;
    else process.env.EKSMON_CDKTF_PATCHES = before;
  }
}

/** A stack with one bucket whose `bucket` attribute an override changes. */
function fixture() {
  const stack = new TerraformStack(Testing.app(), "fixture");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const bucket = new S3Bucket(stack, "bucket", { bucket: "as-written" });
  bucket.addOverride("bucket", "overridden");
  return { stack, bucket };
}

describe.each(["on", "off"] as const)("with the patches %s", (state) => {
  const on = state === "on";

  it(`${on ? "skips" : "runs"} cdktf's stack preparation`, () => {
    const { stack } = fixture();
    const cdktf = jest.fn();
    withPatches(state, () => prepareStack(stack, cdktf));
    expect(cdktf).toHaveBeenCalledTimes(on ? 0 : 1);
  });

  it(`${on ? "resolves the document itself" : "runs cdktf's toTerraform"}, to the same document`, () => {
    const { stack } = fixture();
    const cdktf = jest.fn(() => TerraformStack.prototype.toTerraform.call(stack));
    const document = withPatches(state, () => stackToTerraform(stack, cdktf));
    expect(cdktf).toHaveBeenCalledTimes(on ? 0 : 1);
    expect(document).toStrictEqual(TerraformStack.prototype.toTerraform.call(stack));
  });

  it(`${on ? "drops" : "keeps"} the validation that runs \`terraform version\``, () => {
    const { bucket } = fixture();
    bucket.importFrom("existing-bucket");
    withPatches(state, () => dropTerraformVersionProbe(bucket));
    const execSync = jest.spyOn(childProcess, "execSync").mockReturnValue(Buffer.from("Terraform v1.11.4\n"));
    try {
      expect(bucket.node.validate()).toEqual([]);
      expect(execSync).toHaveBeenCalledTimes(on ? 0 : 1);
    } finally {
      execSync.mockRestore();
    }
  });

  it(`reads attributes ${on ? "through synthesizeAttributes()" : "from the public Terraform fragment"}`, () => {
    const { bucket } = fixture();
    const attributes = withPatches(state, () => synthesizedAttributes(bucket));
    // Only the fragment has the override merged in (the rules look at attributes no override touches).
    expect(attributes.bucket).toBe(on ? "as-written" : "overridden");
  });
});

/** Every file under `dir`, by path relative to it. */
function files(dir: string, prefix = ""): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) for (const [p, b] of files(dir, path)) found.set(p, b);
    else found.set(path, readFileSync(join(dir, path)));
  }
  return found;
}

// With the patches off, cdktf runs `terraform version` for the Terraform Cloud backends and import blocks.
const terraform = childProcess.spawnSync(terraformBinary(), ["version"], { encoding: "utf8" });
if (terraform.status !== 0)
  process.stdout.write(
    `cdktf-patches-switch.test: the launcher's synth with the patches off skipped: ${terraformBinary()} (TERRAFORM_BINARY_NAME or PATH) not found\n`,
  );
const withTerraform = terraform.status === 0 ? describe : describe.skip;

withTerraform("npm run synth of the example environments", () => {
  const work = mkdtempSync(join(tmpdir(), "patches-switch-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const synth = (state: "on" | "off") => {
    const outdir = join(work, state);
    const run = childProcess.spawnSync(
      process.execPath,
      [join(root, "scripts", "app.cjs"), "--synth", "--output", outdir],
      { cwd: root, env: { ...process.env, EKSMON_CDKTF_PATCHES: state }, encoding: "utf8" },
    );
    return { ...run, outdir };
  };
  const patched = synth("on");
  const unpatched = synth("off");

  it("succeeds either way, and says when the patches are off", () => {
    expect(patched.stderr).toBe("");
    expect(patched.status).toBe(0);
    expect(unpatched.stderr).toBe(
      "EKSMON_CDKTF_PATCHES=off: cdktf's own code runs where the project patches it (slower)\n",
    );
    expect(unpatched.status).toBe(0);
    expect(unpatched.stdout).toBe(patched.stdout);
  });

  it("writes the same files, byte for byte, with the patches off", () => {
    const on = files(patched.outdir);
    const off = files(unpatched.outdir);
    expect(on.size).toBeGreaterThanOrEqual(43); // 21 stacks, each with its lock file, and the manifest
    expect([...off.keys()].sort()).toEqual([...on.keys()].sort());
    for (const [path, content] of on)
      expect({ path, same: content.equals(off.get(path)!) }).toEqual({ path, same: true });
  });

  it("bundles cdktf's own files with the patches off, the patched ones with them on", () => {
    const bundle = (folder: string) => {
      const dir = join(root, ".cache", "app", folder);
      const js = readdirSync(dir).filter((f) => /^[0-9a-f]{20}\.js$/.test(f));
      expect(js).toHaveLength(1);
      return readFileSync(join(dir, js[0]), "utf8");
    };
    // The name of the patched helper's closure (the bundle keeps names, not comments).
    expect(bundle("main_ts")).toContain("lazilyFormattedFrames");
    expect(bundle("main_ts.unpatched")).not.toContain("lazilyFormattedFrames");
  });
});
