// @ts-check
/**
 * The patches the launcher (scripts/app.cjs) makes to cdktf's files while bundling the app: esbuild plugins
 * that replace a file's content in the bundle, never on disk. Each checks that the file still has the shape
 * it was written against (patches.cjs lists them, with why); one that does not is bundled unchanged, with
 * a notice.
 */
"use strict";
const fs = require("node:fs");
const { installedCdktf, isReviewed, notice, patch, patchesEnabled, REVIEWED } = require("./patches.cjs");

/** What cdktf's stack-trace helper does to the frames (both versions): drop the first line, trim "at ". */
const FRAME_FORMAT = [
  "Error.captureStackTrace(",
  "Error.stackTraceLimit = Number.MAX_SAFE_INTEGER",
  '.split("\\n")',
  ".slice(1)",
  '.map((s) => s.replace(/^\\s*at\\s+/, ""))',
];

/**
 * The exported names of a compiled CommonJS file (`exports.name = ...`), `__esModule` aside.
 * @param {string} source
 * @returns {string[]}
 */
function exportedNames(source) {
  const names = new Set();
  for (const m of source.matchAll(/\bexports\.([A-Za-z_$][\w$]*)\s*=/g)) names.add(m[1]);
  names.delete("__esModule");
  return [...names].sort();
}

/**
 * The lazy stack-trace helper for the original `source` of cdktf/lib/tokens/private/stack-trace.js, or why
 * it cannot replace it: it must export captureStackTrace (cdktf 0.21) and may export captureCreationStack
 * (cdktn 0.24: `captureStackTrace(captureCreationStack)` unless CDKTN_DISABLE_CREATION_STACK is true or 1),
 * nothing else, and format frames as both versions do.
 * @param {string} source
 * @returns {{ contents: string } | { skip: string }}
 */
function lazyStackTrace(source) {
  const names = exportedNames(source);
  const known = ["captureCreationStack", "captureStackTrace"];
  const unknown = names.filter((n) => !known.includes(n));
  if (!names.includes("captureStackTrace") || unknown.length > 0)
    return {
      skip: `stack-trace.js exports ${names.join(", ") || "nothing"} (written for captureStackTrace and captureCreationStack)`,
    };
  const missing = FRAME_FORMAT.filter((s) => !source.includes(s));
  if (missing.length > 0) return { skip: `stack-trace.js formats frames otherwise (no ${missing[0]})` };
  const creation = names.includes("captureCreationStack");
  if (creation && !/CDKTN_DISABLE_CREATION_STACK[\s\S]*"true"[\s\S]*"1"/.test(source))
    return { skip: "stack-trace.js's captureCreationStack is not the one of cdktn 0.24" };
  return {
    contents: `"use strict";
// lib/cdktf-internals/bundle.cjs, patch lazy-creation-stacks: the frames are captured here, formatted on first use.
Object.defineProperty(exports, "__esModule", { value: true });
function captureStackTrace(below) {
  const holder = {};
  const previousLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
    Error.captureStackTrace(holder, below || captureStackTrace);
  } finally {
    Error.stackTraceLimit = previousLimit;
  }
  let lines;
  const lazilyFormattedFrames = () =>
    (lines ??= holder.stack ? holder.stack.split("\\n").slice(1).map((s) => s.replace(/^\\s*at\\s+/, "")) : []);
  return new Proxy([], {
    get: (_, key) => {
      const value = Reflect.get(lazilyFormattedFrames(), key);
      return typeof value === "function" ? value.bind(lazilyFormattedFrames()) : value;
    },
    has: (_, key) => Reflect.has(lazilyFormattedFrames(), key),
    ownKeys: () => Reflect.ownKeys(lazilyFormattedFrames()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(lazilyFormattedFrames(), key),
  });
}
exports.captureStackTrace = captureStackTrace;
${
  creation
    ? `function captureCreationStack() {
  const flag = process.env.CDKTN_DISABLE_CREATION_STACK;
  if (flag === "true" || flag === "1") return [];
  return captureStackTrace(captureCreationStack);
}
exports.captureCreationStack = captureCreationStack;
`
    : ""
}`,
  };
}

/** The line of cdktf/lib/private/fs.js that loads archiver, and what the bundle has instead. */
const ARCHIVER_LINE = 'const archiver = require("archiver");';
const LAZY_ARCHIVER_LINE =
  'let loadedArchiver; const archiver = (...a) => (loadedArchiver ??= require("archiver"))(...a);';

/**
 * cdktf/lib/private/fs.js with archiver loaded on first use, or why not.
 * @param {string} source
 * @returns {{ contents: string } | { skip: string }}
 */
function lazyArchiver(source) {
  const count = source.split(ARCHIVER_LINE).length - 1;
  if (count !== 1) return { skip: `fs.js has ${count} \`${ARCHIVER_LINE}\` lines (written for one)` };
  return { contents: source.replace(ARCHIVER_LINE, LAZY_ARCHIVER_LINE) };
}

/**
 * @typedef {object} FilePatch
 * @property {string} id
 * @property {RegExp} filter the cdktf file, as esbuild sees its path
 * @property {(source: string) => ({ contents: string } | { skip: string })} apply
 */

/** @type {readonly FilePatch[]} */
const FILE_PATCHES = [
  {
    id: "lazy-creation-stacks",
    filter: /[\\/]cdktf[\\/]lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/,
    apply: lazyStackTrace,
  },
  { id: "lazy-archiver", filter: /[\\/]cdktf[\\/]lib[\\/]private[\\/]fs\.js$/, apply: lazyArchiver },
];

/**
 * The esbuild plugins the launcher bundles with: none with EKSMON_CDKTF_PATCHES=off, else one per patch of
 * FILE_PATCHES the installed cdktf needs. Says (once per patch, on stderr) which were skipped and why, and
 * when the installed cdktf is not a reviewed version.
 * @param {{ env?: NodeJS.ProcessEnv, installed?: { name: string, version: string } }} [options]
 * @returns {import("esbuild").Plugin[]}
 */
function bundlePlugins(options = {}) {
  if (!patchesEnabled(options.env)) return [];
  const installed = options.installed ?? installedCdktf();
  if (!isReviewed(installed)) {
    process.stderr.write(
      `cdktf-internals: ${installed.name} ${installed.version} is not a reviewed version (${REVIEWED.map((r) => `${r.name} ${r.version}`).join(", ")}); each patch applies only where its check passes\n`,
    );
  }
  return FILE_PATCHES.filter((p) => !patch(p.id).notNeeded?.[installed.name]).map((p) => ({
    name: `cdktf-patch-${p.id}`,
    setup(build) {
      build.onLoad({ filter: p.filter }, (args) => {
        const result = p.apply(fs.readFileSync(args.path, "utf8"));
        if ("skip" in result) {
          notice(p.id, result.skip);
          return undefined; // esbuild loads the file as it is
        }
        return { loader: "js", contents: result.contents };
      });
    },
  }));
}

module.exports = { FILE_PATCHES, bundlePlugins, exportedNames, lazyArchiver, lazyStackTrace };
