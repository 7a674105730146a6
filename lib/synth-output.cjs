// @ts-check
/**
 * The one reader of synthesized output (`cdktf.out` unless told otherwise): which folder it is, the stacks its
 * `manifest.json` lists, each stack's folder and `cdk.tf.json`, and the move that publishes a finished synth
 * into it. The launcher (scripts/app.cjs, plain JavaScript), the app (app.ts), the stack lock files
 * (lib/provider-lock.ts) and the scripts (validate, plan, scan) all read it through here, so the layout
 * cdktf writes is known in one place. CommonJS with JSDoc types, so that the launcher needs no compiler;
 * `npm run typecheck` checks it.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/** Where cdktf (and the cdktf CLI) synthesize when nothing says otherwise. */
const DEFAULT_OUTDIR = "cdktf.out";
/** The file listing the stacks of a synth, at the top of the output folder. */
const MANIFEST_FILE = "manifest.json";
/** The folder, inside the output folder, holding one folder per stack. */
const STACKS_FOLDER = "stacks";
/** A stack's Terraform document (JSON), in its folder. */
const STACK_FILE = "cdk.tf.json";

/**
 * @typedef {object} Annotation
 * @property {string} level e.g. `@cdktf/warn`
 * @property {string} constructPath
 * @property {string} message
 */
/**
 * @typedef {object} ManifestStack
 * @property {string} name
 * @property {string} workingDirectory relative to the output folder, e.g. `stacks/dev-network`
 * @property {string} synthesizedStackPath relative to the output folder
 * @property {Annotation[]} [annotations]
 * @property {string[]} [dependencies]
 */
/**
 * @typedef {object} Manifest
 * @property {string} version the cdktf (or cdktn) version that wrote it
 * @property {Record<string, ManifestStack>} stacks
 */

/**
 * The output folder: `output` (a command-line `--output`), else CDKTF_OUTDIR, else cdktf.json's `output`
 * (`config`), else `cdktf.out`. An empty value counts as unset.
 * @param {{ output?: string, env?: NodeJS.ProcessEnv, config?: { output?: string } }} [from]
 * @returns {string}
 */
function outdirOf(from = {}) {
  const env = from.env ?? process.env;
  return from.output || env.CDKTF_OUTDIR || from.config?.output || DEFAULT_OUTDIR;
}

/**
 * The manifest of the synth in `outdir`, or undefined when there is none (never synthesized, or a synth that
 * failed before writing it). A manifest that is not JSON throws, naming the file.
 * @param {string} outdir
 * @returns {Manifest | undefined}
 */
function readManifest(outdir) {
  const file = path.join(outdir, MANIFEST_FILE);
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not a cdktf manifest: ${/** @type {Error} */ (error).message}`);
  }
}

/**
 * The stacks of the synth in `outdir`, as its manifest lists them (in its order), each with its folder.
 * @param {string} outdir
 * @returns {{ name: string, dir: string, stack: ManifestStack }[]}
 * @throws Error when `outdir` holds no manifest
 */
function manifestStacks(outdir) {
  const manifest = readManifest(outdir);
  if (!manifest) throw new Error(`no ${MANIFEST_FILE} in ${outdir}: synthesize first (npm run synth)`);
  return Object.entries(manifest.stacks).map(([name, stack]) => ({
    name,
    dir: path.join(outdir, stack.workingDirectory),
    stack,
  }));
}

/**
 * The stack folders present in `<outdir>/stacks`, sorted; includes folders of stacks an earlier synth wrote and
 * the last one no longer lists (the launcher removes those). Empty when there is no such folder.
 * @param {string} outdir
 * @returns {string[]}
 */
function stackFolders(outdir) {
  try {
    return fs
      .readdirSync(path.join(outdir, STACKS_FOLDER), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * The names of the stacks of the last synth in `outdir`, sorted: from its manifest, so that folders of
 * removed stacks are ignored; from the stack folders when there is no manifest.
 * @param {string} outdir
 * @returns {string[]}
 */
function stackNames(outdir) {
  const manifest = readManifest(outdir);
  return manifest ? Object.keys(manifest.stacks).sort() : stackFolders(outdir);
}

/**
 * A stack's folder: where Terraform runs for it.
 * @param {string} outdir
 * @param {string} stack
 * @returns {string}
 */
function stackDir(outdir, stack) {
  return path.join(outdir, STACKS_FOLDER, stack);
}

/**
 * A stack's synthesized document, parsed.
 * @param {string} outdir
 * @param {string} stack
 * @returns {Record<string, any>}
 */
function readStack(outdir, stack) {
  return JSON.parse(fs.readFileSync(path.join(stackDir(outdir, stack), STACK_FILE), "utf8"));
}

/**
 * Renames `source` to `target`; false when they are on different file systems.
 * @param {string} source
 * @param {string} target
 * @returns {boolean}
 */
function tryRename(source, target) {
  try {
    fs.renameSync(source, target);
    return true;
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== "EXDEV") throw error;
    return false;
  }
}

/**
 * Moves every file under `from` to the same place under `to`, replacing what is there and keeping the rest
 * (Terraform's own files in a stack folder, such as .terraform/). Renaming costs about a third less than
 * cpSync, which deletes each existing file before copying it over.
 * @param {string} from
 * @param {string} to
 */
function moveInto(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      // A folder that is not there yet moves whole: one rename instead of a mkdir and a rename per file.
      if (!fs.existsSync(target) && tryRename(source, target)) continue;
      moveInto(source, target);
    } else if (!tryRename(source, target)) {
      // The scratch folder is on another file system (e.g. a tmpfs /tmp): copy (which also overwrites).
      fs.copyFileSync(source, target);
    }
  }
}

module.exports = {
  DEFAULT_OUTDIR,
  MANIFEST_FILE,
  STACKS_FOLDER,
  STACK_FILE,
  outdirOf,
  readManifest,
  manifestStacks,
  stackFolders,
  stackNames,
  stackDir,
  readStack,
  moveInto,
};
