#!/usr/bin/env node
// The cdktf app command: `node scripts/app.cjs [entry.ts [args...]]` (entry defaults to main.ts; the
// benchmark and test fixtures pass their own). Bundles the entry and the project's sources into one CommonJS
// file with esbuild together with the modules it imports from node_modules (cdktf, the provider resources it
// uses, zod, yaml), then runs it. One file loads several times faster than compiling each .ts on the fly
// (see docs/performance.md).
//
// Bundles live in .cache/app/ in this checkout (never in node_modules, which checkouts may share through a
// symlink), named by a hash of the content they were built from: every source file esbuild read (its
// metafile), package-lock.json, the installed tree, this launcher, the entry and the Node version. A bundle
// is rebuilt exactly when one of those changed. V8's code cache for a bundle is kept beside it.
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

const root = path.join(__dirname, "..");
const cacheRoot = path.join(root, ".cache", "app");

/** Files whose content decides every bundle, whatever the entry (relative to the project root). */
const ALWAYS_KEYED = [
  "package-lock.json", // the dependency versions the bundle includes
  "node_modules/.package-lock.json", // what is installed (node_modules may be another checkout's)
  "scripts/app.cjs", // the build options below
];

/** sha256 over the Node version, the entry and the content of `files` (a missing file counts as missing). */
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

/** Writes `data` to `file` through a temporary file and a rename: concurrent readers never see half a file. */
function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** Bundles `entry`; returns the bundle's path, named by the key of the sources esbuild read. */
function build(entry, dir) {
  const started = Date.now();
  const result = require("esbuild").buildSync({
    entryPoints: [path.join(root, entry)],
    absWorkingDir: root,
    outfile: path.join(dir, "bundle.js"),
    write: false,
    metafile: true,
    bundle: true,
    // Dependencies are bundled too: reading one file instead of hundreds of small modules saves ~20%.
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: "linked",
    logLevel: "warning",
  });
  // The project's own sources; node_modules is covered by the lock files in ALWAYS_KEYED.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((file) => !file.split(/[\\/]/).includes("node_modules"))
    .sort();
  // A source saved while esbuild ran may differ from what it read: do not file the bundle under its hash.
  const edited = inputs.some((file) => fs.statSync(path.join(root, file)).mtimeMs >= started);
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

/** The bundle for `entry`: the cached one when every source it was built from is unchanged, else a new one. */
function bundleFor(entry) {
  const dir = path.join(cacheRoot, entry.replace(/[^A-Za-z0-9]+/g, "_"));
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
 * compiling ~4 MB of JavaScript on every run); the cache is written after the first run, so it also holds the
 * functions compiled while synthesizing. V8 rejects a cache made under other flags, hence one per set of flags.
 */
function load(entry) {
  const bundle = bundleFor(entry);
  let source;
  try {
    source = fs.readFileSync(bundle, "utf8");
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
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
  const module = new Module(bundle, null);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(path.dirname(bundle));
  script
    .runInThisContext()
    .call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, path.dirname(bundle));
  return module.exports;
}

const entry = path
  .relative(root, path.resolve(root, process.argv[2] ?? "main.ts"))
  .split(path.sep)
  .join("/");
process.argv.splice(2, 1); // the entry sees its own arguments at argv[2...]
// Source maps cost ~0.4 s per run when enabled; debug with NODE_OPTIONS=--enable-source-maps.
load(entry);
