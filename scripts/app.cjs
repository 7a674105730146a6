#!/usr/bin/env node
// @ts-check
// The one way this project runs its app. Two modes:
//
//   node scripts/app.cjs [entry.ts [args...]]
//     The cdktf.json app command (`cdktf synth|diff|deploy` run it): runs the entry (default main.ts) with the
//     environment it is given. The benchmark and test fixtures pass their own entry.
//
//   node scripts/app.cjs --synth [--output <dir>] [entry.ts [args...]]      (`npm run synth`)
//     What `cdktf synth` does, without the CLI's start-up (docs/performance.md): the app environment the CLI
//     sets, then the app in this process, then the CLI's clean-up of the output folder and its one-line
//     summary. The output is byte for byte what `cdktf synth` writes (__tests__/scripts/app.test.ts).
//
// The entry and the project sources it imports are bundled with esbuild into one CommonJS file together
// with the modules they use from node_modules (one file loads several times faster than compiling each .ts),
// and V8's code cache for that file is kept beside it. Both live in .cache/app/ in this checkout (never in
// node_modules, which checkouts may share through a symlink), named by a hash of the content they were built
// from: every source file esbuild read (its metafile), package-lock.json, the installed tree, this launcher,
// the entry and the Node version. See docs/performance.md.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");
const { bundlePlugins } = require("../lib/cdktf-internals/bundle.cjs");
const { patchesEnabled, SWITCH } = require("../lib/cdktf-internals/patches.cjs");
const synthOutput = require("../lib/synth-output.cjs");

const root = path.join(__dirname, "..");
const cacheRoot = path.join(root, ".cache", "app");

/**
 * `[--synth] [--output <dir>] [entry [args...]]` from argv.
 * @param {string[]} argv
 */
function parseCommandLine(argv) {
  /** @type {{ synth: boolean, output: string | undefined, entry: string, args: string[] }} */
  const options = { synth: false, output: undefined, entry: "main.ts", args: [] };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith("--"); i++) {
    if (argv[i] === "--synth") options.synth = true;
    else if (argv[i] === "--output") options.output = argv[++i];
    else if (argv[i].startsWith("--output=")) options.output = argv[i].slice("--output=".length);
    else {
      process.stderr.write(
        `app.cjs: unknown option ${argv[i]} (usage: [--synth] [--output <dir>] [entry.ts])\n`,
      );
      process.exit(2);
    }
  }
  if (i < argv.length) options.entry = argv[i++];
  options.args = argv.slice(i);
  return options;
}

// ---------------------------------------------------------------------------------------------------------
// The bundle, named by the content it was built from

/** Files whose content decides every bundle, whatever the entry (relative to the project root). */
const ALWAYS_KEYED = [
  "package-lock.json", // the dependency versions the bundle includes
  "node_modules/.package-lock.json", // what is installed (node_modules may be another checkout's)
  "scripts/app.cjs", // the build options below
  "lib/cdktf-internals/bundle.cjs", // the patches of cdktf's files made while bundling
  "lib/cdktf-internals/patches.cjs", // which of them apply
];

/**
 * sha256 over the Node version, the entry and the content of `files` (a missing file counts as missing).
 * @param {string} entry
 * @param {readonly string[]} files
 */
function contentKey(entry, files) {
  const hash = crypto.createHash("sha256");
  hash.update(`${process.version} ${process.arch}\0${entry}\0`);
  for (const file of [...ALWAYS_KEYED, ...files]) {
    hash.update(`${file}\0`);
    try {
      hash.update(fs.readFileSync(path.join(root, file)));
    } catch {
      hash.update("\0missing\0"); // a deleted source must not match the bundle that had it
    }
  }
  return hash.digest("hex").slice(0, 20);
}

/**
 * Writes `data` to `file` through a temporary file and a rename: concurrent readers never see half a file.
 * @param {string} file
 * @param {string | Uint8Array} data
 */
function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/**
 * Bundles `entry`; resolves to the bundle's path, named by the key of the sources esbuild read.
 * @param {string} entry
 * @param {string} dir
 * @returns {Promise<string>}
 */
async function build(entry, dir) {
  const started = Date.now();
  // Asynchronous: esbuild runs plugins only there. Only a changed source pays for it; cached runs never build.
  const result = await require("esbuild").build({
    entryPoints: [path.join(root, entry)],
    absWorkingDir: root,
    outfile: path.join(dir, "bundle.js"),
    write: false,
    metafile: true,
    bundle: true,
    // Dependencies bundled too: one file reads faster than hundreds of small modules (docs/performance.md).
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: "linked",
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: "warning",
    // The patches of cdktf's own files (lib/cdktf-internals/bundle.cjs); none with EKSMON_CDKTF_PATCHES=off.
    plugins: bundlePlugins(),
  });
  // The project's own sources; node_modules is covered by the lock files in ALWAYS_KEYED.
  const inputs = Object.keys(result.metafile?.inputs ?? {})
    .filter((file) => !file.split(/[\\/]/).includes("node_modules"))
    .sort();
  // A source saved while esbuild ran may differ from what it read: do not file the bundle under its hash.
  const edited = inputs.some(
    (file) => (fs.statSync(path.join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? started) >= started,
  );
  const key = edited ? `unkeyed-${process.pid}` : contentKey(entry, inputs);
  const bundle = path.join(dir, `${key}.js`);
  for (const out of result.outputFiles) {
    if (out.path.endsWith(".map")) writeAtomically(`${bundle}.map`, out.contents);
    else
      writeAtomically(
        bundle,
        out.text.replace(/sourceMappingURL=.*$/m, `sourceMappingURL=${path.basename(bundle)}.map`),
      );
  }
  // The input list is what the next run hashes to find this bundle without building.
  if (!edited) writeAtomically(path.join(dir, "inputs.json"), `${JSON.stringify(inputs, null, 1)}\n`);
  // Older bundles of this entry are dead: a source changed. Deleting one a concurrent run is about to read is
  // harmless (load() looks up again); another run's temporary file is left alone unless it is an hour old.
  for (const file of fs.readdirSync(dir)) {
    if (file === "inputs.json" || file.startsWith(`${key}.`)) continue;
    const stale = !file.endsWith(".tmp") || fs.statSync(path.join(dir, file)).mtimeMs < Date.now() - 3600e3;
    if (stale) fs.rmSync(path.join(dir, file), { force: true });
  }
  return bundle;
}

/**
 * The bundle for `entry`: the cached one when every source it was built from is unchanged (a path), else a
 * new one (a promise of its path).
 * @param {string} entry
 * @returns {string | Promise<string>}
 */
function bundleFor(entry) {
  // Unpatched bundles (EKSMON_CDKTF_PATCHES=off) have a folder of their own: switching back and forth to
  // bisect rebuilds neither.
  const dir = path.join(cacheRoot, entry.replace(/[^A-Za-z0-9]+/g, "_") + (patched ? "" : ".unpatched"));
  fs.mkdirSync(dir, { recursive: true });
  if (process.env.APP_REBUILD !== "1") {
    let inputs;
    try {
      inputs = JSON.parse(fs.readFileSync(path.join(dir, "inputs.json"), "utf8"));
    } catch {
      inputs = undefined; // never built in this checkout
    }
    if (inputs) {
      const bundle = path.join(dir, `${contentKey(entry, inputs)}.js`);
      if (fs.existsSync(bundle)) return bundle;
    }
  }
  return build(entry, dir);
}

/**
 * Runs the bundle as a CommonJS module, compiled from V8's code cache when there is one (it skips parsing and
 * compiling the whole bundle on every run); the cache is written after the first run, so it also holds the
 * functions compiled while synthesizing. V8 rejects a cache made under other flags, hence one per set of flags.
 * @param {string} entry
 * @returns {unknown} the bundle's exports, or a promise of them when it had to be built first
 */
function load(entry) {
  const bundle = bundleFor(entry);
  return typeof bundle === "string" ? run(entry, bundle) : bundle.then((built) => run(entry, built));
}

/**
 * Runs one bundle of `entry` (see `load`).
 * @param {string} entry
 * @param {string} bundle
 * @returns {unknown}
 */
function run(entry, bundle) {
  let source;
  try {
    source = fs.readFileSync(bundle, "utf8");
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== "ENOENT") throw error;
    return load(entry); // pruned by a concurrent rebuild between the lookup and the read: look up again
  }
  // With source maps on (NODE_OPTIONS=--enable-source-maps, for debugging), Node maps only what require() loads.
  if (process.sourceMapsEnabled) return require(bundle);
  const flags = crypto
    .createHash("sha256")
    .update(`${process.execArgv.join(" ")}\0${process.env.NODE_OPTIONS ?? ""}`)
    .digest("hex")
    .slice(0, 8);
  const cacheFile = bundle.replace(/\.js$/, `.${flags}.v8cache`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // first run of this bundle under these flags
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once("exit", () => {
      try {
        writeAtomically(cacheFile, script.createCachedData());
      } catch {
        // a missing code cache only costs speed
      }
    });
  }
  const loaded = new Module(bundle);
  loaded.filename = bundle;
  // Node's own lookup list for a module in that folder (not in its typings).
  loaded.paths = /** @type {typeof Module & { _nodeModulePaths(dir: string): string[] }} */ (
    Module
  )._nodeModulePaths(path.dirname(bundle));
  script
    .runInThisContext()
    .call(loaded.exports, loaded.exports, Module.createRequire(bundle), loaded, bundle, path.dirname(bundle));
  return loaded.exports;
}

// ---------------------------------------------------------------------------------------------------------
// --synth: what `cdktf synth` does around the app (node_modules/@cdktf/cli-core/src/lib/synth-stack.js and
// the synth command of cdktf-cli)

/**
 * Sets the environment `cdktf synth` gives the app; returns the output folder.
 * @param {string | undefined} output
 * @returns {string}
 */
function cdktfSynthEnvironment(output) {
  const config = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8"));
  // Like `cdktf synth --output`; unlike the CLI, an exported CDKTF_OUTDIR is honoured too (scripts set it).
  const outdir = synthOutput.outdirOf({ output, config });
  // Terraform variables are for plan and apply, never synth.
  for (const name of Object.keys(process.env)) if (name.startsWith("TF_VAR_")) delete process.env[name];
  const context = process.env.CDKTF_CONTEXT_JSON ? JSON.parse(process.env.CDKTF_CONTEXT_JSON) : {};
  const relativeModules = (config.terraformModules ?? []).filter(
    (/** @type {string | { source: string }} */ m) => /^\.\.?\//.test(typeof m === "string" ? m : m.source),
  );
  Object.assign(process.env, {
    CDKTF_OUTDIR: outdir,
    // The CLI reports error annotations itself; app.ts turns them into "Security rule violations".
    CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: "true",
    CDKTF_CONTEXT_JSON: JSON.stringify({ ...context, cdktfRelativeModules: relativeModules }),
    // JSON output only: `cdktf synth --hcl` also formats the HCL with a Go library this launcher lacks.
    SYNTH_HCL_OUTPUT: "false",
  });
  // Not copied: the CLI's NODE_OPTIONS=--max-old-space-size=4096 for its child (the app runs in this process
  // and needs far less: docs/performance.md), its Node and cdktf version checks, and its telemetry.
  return outdir;
}

/**
 * After the app: the CLI's annotation lines, removal of stacks that no longer exist, and its summary line.
 * @param {string} outdir
 * @param {readonly string[]} before the stack folders there before the app ran
 */
function reportSynth(outdir, before) {
  const manifest = synthOutput.readManifest(outdir);
  if (!manifest) {
    process.stderr.write(
      `ERROR: synthesis failed, because app was expected to call 'synth()', but didn't. Thus "${outdir}/${synthOutput.MANIFEST_FILE}"  was not created\n`,
    );
    process.exitCode = 1;
    return;
  }
  const stacks = Object.values(manifest.stacks);
  for (const stack of stacks)
    for (const a of stack.annotations ?? [])
      process.stdout.write(
        `${a.level.replace("@cdktf/", "").toUpperCase()} [${a.constructPath}]: ${a.message}\n`,
      );
  if (stacks.length === 0) process.stderr.write("ERROR: No Terraform code synthesized.\n");
  const names = stacks.map((s) => s.name);
  // The CLI removes stack folders that were there before and are not in the new manifest (removed stacks).
  for (const folder of before)
    if (!names.includes(folder)) fs.rmSync(synthOutput.stackDir(outdir, folder), { recursive: true });
  process.stdout.write(`Generated Terraform code for the stacks: ${names.join(", ")}\n`);
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Calls `finish` (a beforeExit listener) and ends the process as soon as the app is done and has left nothing
 * for the event loop: what would happen next anyway, without first waiting, as Node does before its
 * beforeExit event, for V8's background compilations of functions nothing will call again
 * (docs/performance.md). Anything the app left running (a timer, a file being read, an immediate) keeps the
 * usual path, and so does output not yet flushed (stdout to a pipe is asynchronous on macOS).
 * @param {() => void} finish
 */
function finishWhenIdle(finish) {
  setImmediate(() => {
    // Node's list of open handles (not in its typings): stdout and stderr are among them when they are pipes.
    const handles = /** @type {NodeJS.Process & { _getActiveHandles(): unknown[] }} */ (
      process
    )._getActiveHandles();
    const stdio = handles.filter((h) => h === process.stdout || h === process.stderr);
    if (process.getActiveResourcesInfo().length !== stdio.length) return;
    process.removeListener("beforeExit", finish); // done here, not again should output still be flushing
    finish();
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
  });
}

/** Whether the cdktf patches are on (lib/cdktf-internals/patches.cjs); a bad value of the switch exits 2. */
function patchSwitch() {
  try {
    const on = patchesEnabled();
    if (!on)
      process.stderr.write(`${SWITCH}=off: cdktf's own code runs where the project patches it (slower)\n`);
    return on;
  } catch (error) {
    process.stderr.write(`app.cjs: ${/** @type {Error} */ (error).message}\n`);
    return process.exit(2);
  }
}

const patched = patchSwitch();
const options = parseCommandLine(process.argv.slice(2));
const entry = path.relative(root, path.resolve(root, options.entry)).split(path.sep).join("/");
process.argv.splice(2, Infinity, ...options.args); // the entry sees its own arguments at argv[2...]
/** @type {(() => void) | undefined} */
let finishSynth;
if (options.synth) {
  const outdir = cdktfSynthEnvironment(options.output);
  const before = synthOutput.stackFolders(outdir);
  finishSynth = () => {
    if (!process.exitCode) reportSynth(outdir, before);
  };
  // After the app's last callback (the app may be asynchronous); not after a crash or a reported error.
  process.once("beforeExit", finishSynth);
}
// Source maps are off (they slow every run: docs/performance.md); NODE_OPTIONS=--enable-source-maps to debug.
const loaded = load(entry);
// A synchronous app (main.ts) is done here; one still being bundled or started finishes on beforeExit.
if (finishSynth && !(loaded instanceof Promise)) finishWhenIdle(finishSynth);
