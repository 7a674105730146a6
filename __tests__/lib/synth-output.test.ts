/**
 * lib/synth-output.cjs, the one reader of synthesized output, and scripts/lib/terraform-env.ts's
 * terraformBinary(), the one place that picks the Terraform binary: what they return, and that no other
 * source knows the layout of cdktf.out or reads TERRAFORM_BINARY_NAME.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  manifestStacks,
  moveInto,
  outdirOf,
  readManifest,
  readStack,
  stackDir,
  stackFolders,
  stackNames,
} from "../../lib/synth-output.cjs";
import { terraformBinary } from "../../scripts/lib/terraform-env";

const root = join(__dirname, "..", "..");
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "synth-output-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A synth in `outdir` of `stacks` (name -> document), with a manifest unless told otherwise. */
function fakeSynth(outdir: string, stacks: Record<string, object>, manifest = true): void {
  for (const [name, document] of Object.entries(stacks)) {
    mkdirSync(join(outdir, "stacks", name), { recursive: true });
    writeFileSync(join(outdir, "stacks", name, "cdk.tf.json"), JSON.stringify(document));
  }
  if (!manifest) return;
  const entries = Object.keys(stacks).map((name) => [
    name,
    { name, workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json` },
  ]);
  writeFileSync(
    join(outdir, "manifest.json"),
    JSON.stringify({ version: "0.21.0", stacks: Object.fromEntries(entries) }),
  );
}

describe("outdirOf", () => {
  it("takes --output, then CDKTF_OUTDIR, then cdktf.json's output, then cdktf.out; empty counts as unset", () => {
    const config = { output: "from-config" };
    expect(outdirOf({ output: "cli", env: { CDKTF_OUTDIR: "env" }, config })).toBe("cli");
    expect(outdirOf({ env: { CDKTF_OUTDIR: "env" }, config })).toBe("env");
    expect(outdirOf({ env: { CDKTF_OUTDIR: "" }, config })).toBe("from-config");
    expect(outdirOf({ output: "", env: {} })).toBe("cdktf.out");
  });
});

describe("reading a synth", () => {
  it("lists the manifest's stacks, with their folders and documents", () => {
    fakeSynth(work, { "dev-network": { a: 1 }, "dev-grafana": { b: 2 } });
    expect(readManifest(work)?.version).toBe("0.21.0");
    expect(manifestStacks(work).map((s) => [s.name, s.dir])).toEqual([
      ["dev-network", join(work, "stacks", "dev-network")],
      ["dev-grafana", join(work, "stacks", "dev-grafana")],
    ]);
    expect(stackNames(work)).toEqual(["dev-grafana", "dev-network"]);
    expect(readStack(work, "dev-grafana")).toEqual({ b: 2 });
    expect(stackDir(work, "dev-grafana")).toBe(join(work, "stacks", "dev-grafana"));
  });

  it("ignores the folder of a stack the manifest no longer lists, which stackFolders still shows", () => {
    fakeSynth(work, { "dev-network": {} });
    mkdirSync(join(work, "stacks", "dev-removed"));
    expect(stackNames(work)).toEqual(["dev-network"]);
    expect(stackFolders(work)).toEqual(["dev-network", "dev-removed"]);
  });

  it("falls back to the stack folders without a manifest, and to nothing without a synth", () => {
    fakeSynth(work, { b: {}, a: {} }, false);
    expect(readManifest(work)).toBeUndefined();
    expect(stackNames(work)).toEqual(["a", "b"]);
    expect(stackFolders(join(work, "nothing"))).toEqual([]);
    expect(() => manifestStacks(work)).toThrow(/no manifest.json in .*: synthesize first \(npm run synth\)/);
  });

  it("names the manifest that is not JSON", () => {
    writeFileSync(join(work, "manifest.json"), "{ half");
    expect(() => readManifest(work)).toThrow(/manifest.json is not a cdktf manifest/);
  });
});

describe("moveInto", () => {
  it("replaces what the synth wrote and keeps the rest (Terraform's own files)", () => {
    const from = join(work, "scratch");
    const to = join(work, "out");
    fakeSynth(from, { "dev-network": { new: true }, "dev-new": {} });
    fakeSynth(to, { "dev-network": { old: true } });
    mkdirSync(join(to, "stacks", "dev-network", ".terraform"));
    writeFileSync(join(to, "stacks", "dev-network", ".terraform", "keep"), "state of init");
    moveInto(from, to);
    expect(readStack(to, "dev-network")).toEqual({ new: true });
    expect(readStack(to, "dev-new")).toEqual({});
    expect(readFileSync(join(to, "stacks", "dev-network", ".terraform", "keep"), "utf8")).toBe(
      "state of init",
    );
    expect(stackNames(to)).toEqual(["dev-network", "dev-new"]);
    expect(existsSync(join(from, "stacks", "dev-network", "cdk.tf.json"))).toBe(false);
  });
});

describe("terraformBinary", () => {
  it("is TERRAFORM_BINARY_NAME, else terraform (empty counts as unset)", () => {
    expect(terraformBinary({ TERRAFORM_BINARY_NAME: "tofu" })).toBe("tofu");
    expect(terraformBinary({ TERRAFORM_BINARY_NAME: "" })).toBe("terraform");
    expect(terraformBinary({})).toBe("terraform");
  });
});

describe("the layout of synthesized output and the Terraform binary", () => {
  const sources = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\n")
    .filter((f) => /\.(ts|cjs|mjs)$/.test(f) && !f.startsWith("__tests__/") && existsSync(join(root, f)));

  it.each([
    ["the manifest's file name", /["'`]manifest\.json["'`]/, "lib/synth-output.cjs"],
    ["a stack's file name", /["'`]cdk\.tf\.json["'`]/, "lib/synth-output.cjs"],
    ["the stacks folder", /["'`]stacks["'`]/, "lib/synth-output.cjs"],
    ["TERRAFORM_BINARY_NAME", /\bTERRAFORM_BINARY_NAME\s*(\|\||\?\?)/, "scripts/lib/terraform-env.ts"],
  ])("only one module knows %s", (_what, pattern, owner) => {
    const knowing = sources.filter((f) => pattern.test(readFileSync(join(root, f), "utf8")));
    expect(knowing).toEqual([owner]);
  });
});
