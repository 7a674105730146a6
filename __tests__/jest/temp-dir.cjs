/**
 * Every temporary folder a test run makes goes into one folder of its own, removed when the run ends. cdktf's
 * Testing.app() makes a `cdktf.outdir.*` folder per synthesized stack and never removes it: left in the
 * system temp folder, thousands of them a run pile up and slow every file created there.
 */
const { mkdtempSync, rmSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");

/** Runs in jest's parent process before the workers start, so they inherit TMPDIR. */
async function setup() {
  const dir = mkdtempSync(join(tmpdir(), "eksmon-jest-"));
  process.env.EKSMON_JEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}

/** The run is over. */
async function teardown() {
  const dir = process.env.EKSMON_JEST_TMPDIR;
  if (dir) rmSync(dir, { recursive: true, force: true });
}

module.exports = { setup, teardown };
