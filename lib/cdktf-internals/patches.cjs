// @ts-check
/**
 * Every place this project reaches into cdktf's internals, behind one door: the code of each patch lives in
 * this folder (lib/cdktf-internals/), and nothing outside it imports a private cdktf module, reads a private
 * field or rewrites a cdktf file (__tests__/lib/cdktf-internals/patches.test.ts holds the tree to that).
 * They all exist for speed or for a synth that runs no subprocess; none changes the Terraform written.
 *
 * PATCHES below is the list: what each patch touches, why, the cdktf version it was written for, and what
 * happens on the other package `cdktf` may resolve to. Two packages can be installed under the name `cdktf`:
 * HashiCorp's cdktf 0.21.0 (deprecated on 2025-12-10, archived) and its maintained fork CDK Terrain
 * (`"cdktf": "npm:cdktn@0.24.0"` in package.json, docs/upgrading.md). Each patch checks, where it applies,
 * that what it replaces still has the shape it was written against; a patch that does not apply is skipped
 * with one line on stderr (`cdktf patch <id> skipped: <why>`), never a crash, and the app runs cdktf's own
 * code there.
 *
 * The switch: EKSMON_CDKTF_PATCHES=off turns every patch off (read only here, by patchesEnabled()), to bisect
 * a cdktf bug or an upgrade. Synth then writes the same Terraform, slower (a test compares the two for the
 * example environments; with the patches off, cdktf runs `terraform version` for the Terraform Cloud
 * backends and import blocks, so Terraform must be on PATH).
 *
 * Review: REVIEWED names the versions every patch below was checked against. A test fails when the installed
 * `cdktf` is another one, until someone has read each patch against it and updated this file.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/**
 * The cdktf packages (by name and version) every patch was reviewed against.
 * @type {readonly { readonly name: string, readonly version: string }[]}
 */
const REVIEWED = [
  { name: "cdktf", version: "0.21.0" },
  { name: "cdktn", version: "0.24.0" },
];

/**
 * @typedef {object} Patch
 * @property {string} id the name in notices and tests
 * @property {string} code the file of this folder holding it, and who uses it
 * @property {string} touches the cdktf internals it relies on
 * @property {string} why what it saves
 * @property {string} writtenFor the cdktf version it was written for
 * @property {string} off what runs instead with EKSMON_CDKTF_PATCHES=off (or when it does not apply)
 * @property {Readonly<Record<string, string>>} [notNeeded] package name -> why the patch has nothing to do
 *   there (skipped without a notice)
 */

/** @type {readonly Patch[]} */
const PATCHES = [
  {
    id: "lazy-creation-stacks",
    code: "bundle.cjs (the launcher, scripts/app.cjs, applies it when bundling)",
    touches: "cdktf/lib/tokens/private/stack-trace.js, replaced in the bundle",
    why: "cdktf formats a full stack trace for every token it creates (Lazy, Intrinsic...), only to show it if that token fails to resolve: ~15% of a synth. The bundle captures the frames as before and formats them on first use, behind the same array interface. cdktn 0.24 adds captureCreationStack (and CDKTN_DISABLE_CREATION_STACK), which is kept, lazily too.",
    writtenFor: "cdktf 0.21.0",
    off: "cdktf's own stack-trace.js is bundled",
  },
  {
    id: "lazy-archiver",
    code: "bundle.cjs (the launcher, scripts/app.cjs, applies it when bundling)",
    touches:
      'the line `const archiver = require("archiver");` of cdktf/lib/private/fs.js, rewritten in the bundle',
    why: "cdktf loads archiver (a zip library, ~40 modules, ~10 ms) when it is imported, for TerraformAsset archives, which this project never makes; the bundle requires it on first use.",
    writtenFor: "cdktf 0.21.0",
    off: "cdktf's own fs.js is bundled",
    notNeeded: { cdktn: "cdktn 0.24 zips with fflate, one small module, and has no archiver" },
  },
  {
    id: "skip-stack-preparation",
    code: "stack.ts (ProjectStack.prepareStack, stacks/project-stack.ts)",
    touches: "TerraformStack.prepareStack, overridden to call only ensureBackendExists()",
    why: "the preparation pass resolves every token of a stack once more to discover cdktf's implicit cross-stack references, which this project never uses (stacks read each other's outputs from state): a third of a synth. On cdktn 0.24 the pass also collects the Terraform functions and provider features used, for its target-version validations; with the patches off those run, and the test of the switch shows the example stacks pass them.",
    writtenFor: "cdktf 0.21.0",
    off: "cdktf's prepareStack runs",
  },
  {
    id: "settled-to-terraform",
    code: "stack.ts and settled.ts (ProjectStack.toTerraform, stacks/project-stack.ts)",
    touches:
      "TerraformStack.toTerraform, reimplemented step for step; its private fields rawOverrides and cdktfVersion; cdktf/lib/util (deepMerge) and cdktf/lib/tokens/private/resolve (the resolver)",
    why: "cdktf resolves every element, merges them with the raw overrides, then resolves the whole merged document again, rebuilding every object and re-parsing every string for the few override values that hold a token; the reimplementation keeps what no resolution can change (418 -> 395 ms, median of 25). A test holds the document to cdktf's for every example stack.",
    writtenFor: "cdktf 0.21.0",
    off: "cdktf's toTerraform runs",
  },
  {
    id: "no-terraform-version-probe",
    code: "validations.ts (CloudBackend in lib/backend.ts, importFrom in lib/adoption.ts)",
    touches:
      "the private _validations list of a construct's node (constructs), filtered by the class name ValidateTerraformVersion",
    why: "CloudBackend and importFrom add a validation that runs `terraform version` during synth: ~60 ms per stack, and a synth failure where Terraform is not installed, although synth never runs Terraform (the README requires Terraform >= 1.10).",
    writtenFor: "cdktf 0.21.0",
    off: "the validation runs (`terraform version` per Terraform Cloud backend and imported resource)",
  },
  {
    id: "synthesize-attributes",
    code: "attributes.ts (the security rules, lib/aspects.ts)",
    touches: "the protected synthesizeAttributes() of resources and providers",
    why: "the rules read a resource's attributes (snake_case, tokens unresolved) without building its whole Terraform fragment (meta-arguments, overrides merged in, dynamic blocks expanded).",
    writtenFor: "cdktf 0.21.0",
    off: "the attributes are read from the element's public toTerraform()",
  },
];

/** The variable of the switch. */
const SWITCH = "EKSMON_CDKTF_PATCHES";

/**
 * Whether the patches are on: EKSMON_CDKTF_PATCHES unset, empty or `on`; off with `off`.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {boolean}
 * @throws Error for any other value, naming the variable and what it takes
 */
function patchesEnabled(env = process.env) {
  const value = env[SWITCH];
  if (value === undefined || value === "" || value === "on") return true;
  if (value === "off") return false;
  throw new Error(`${SWITCH}=${value}: expected "on" (the default) or "off"`);
}

/**
 * The package installed under the name `cdktf` (cdktf itself, or cdktn through an npm alias), as its
 * package.json says, read from the folder `from` resolves modules in (default: this project).
 * @param {string} [from]
 * @returns {{ name: string, version: string, dir: string }}
 */
function installedCdktf(from = __dirname) {
  const manifest = require.resolve("cdktf/package.json", { paths: [from] });
  const { name, version } = JSON.parse(fs.readFileSync(manifest, "utf8"));
  return { name, version, dir: path.dirname(manifest) };
}

/**
 * Whether `installed` is a reviewed version.
 * @param {{ name: string, version: string }} installed
 * @returns {boolean}
 */
function isReviewed(installed) {
  return REVIEWED.some((r) => r.name === installed.name && r.version === installed.version);
}

/**
 * The patch `id` (throws for an unknown one: a typo must not silently disable a patch).
 * @param {string} id
 * @returns {Patch}
 */
function patch(id) {
  const found = PATCHES.find((p) => p.id === id);
  if (!found) throw new Error(`no cdktf patch ${id} in lib/cdktf-internals/patches.cjs`);
  return found;
}

/** @type {Set<string>} */
const noticed = new Set();

/**
 * Says once per process, on stderr, that patch `id` was skipped and why: `cdktf patch <id> skipped: <why>`.
 * @param {string} id
 * @param {string} why
 */
function notice(id, why) {
  patch(id);
  if (noticed.has(id)) return;
  noticed.add(id);
  process.stderr.write(`cdktf patch ${id} skipped: ${why}\n`);
}

module.exports = {
  PATCHES,
  REVIEWED,
  SWITCH,
  installedCdktf,
  isReviewed,
  notice,
  patch,
  patchesEnabled,
};
