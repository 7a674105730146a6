/**
 * `npm run cdktn -- <command>`: the same app on CDK Terrain (cdktn), the maintained fork of cdktf, in a scratch
 * copy of this checkout; this checkout is never changed (its cdktf stays as package.json pins it).
 *
 *   check              the CI leg (.ci/run): copy the checkout, install it with `"cdktf": "npm:cdktn@<version>"`
 *                      (the cdktn version patches.cjs was reviewed against), run `npm run synth` there and here,
 *                      fail unless the stacks are the same but for the version stamp (scripts/lib/synth-diff.ts),
 *                      then typecheck and test the copy; the copy is removed at the end, whatever happened
 *   prepare <dir>      only make the copy in <dir> (new or empty): what `npm run bench -- --cdktn` measures
 *   compare <a> <b>    compare two synthesized outputs (exit 1 when they differ beyond the version stamp)
 *
 * docs/upgrading.md says how a project switches for good (one line of package.json).
 */
import { type SpawnSyncOptions, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { REVIEWED } from "../lib/cdktf-internals/patches.cjs";
import { compareSynths, renderComparison, sameTerraform } from "./lib/synth-diff";

const ROOT = resolve(__dirname, "..");

/** The cdktn version the patches were reviewed against (lib/cdktf-internals/patches.cjs), as an npm alias. */
export function cdktnAlias(): string {
  const cdktn = REVIEWED.find((r) => r.name === "cdktn");
  if (!cdktn) throw new Error("lib/cdktf-internals/patches.cjs reviews no cdktn version");
  return `npm:${cdktn.name}@${cdktn.version}`;
}

function log(message: string): void {
  process.stderr.write(`[cdktn] ${message}\n`);
}

/**
 * The environment for npm in the copy: this process's, without what an `npm run` that started us set for
 * this checkout (its prefix, its package's fields), which would point npm back here.
 */
export function npmEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([k]) => !/^npm_(config_local_prefix|package_|lifecycle_)/i.test(k) && k !== "INIT_CWD",
    ),
  );
}

/** Runs a command, its output on stderr (stdout is the report's); throws naming it when it fails. */
function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): void {
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: ["ignore", process.stderr, process.stderr], ...options });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed (${result.status ?? result.signal}) after ${seconds} s`);
  log(`${cmd} ${args.join(" ")}: ${seconds} s`);
}

/** The files of this checkout as they are now: tracked, or new and not ignored (a deletion not committed aside). */
function checkoutFiles(): string[] {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${ROOT}: ${listed.stderr.trim()}`);
  return listed.stdout.split("\0").filter((f) => f && existsSync(join(ROOT, f)));
}

/** What `git status` says of this checkout (the leg must leave it as it found it). */
function checkoutStatus(): string {
  return spawnSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: ROOT, encoding: "utf8" })
    .stdout;
}

/**
 * Copies this checkout into `dir` with `"cdktf": "npm:cdktn@<version>"` in package.json (everything else as
 * pinned, the @cdktf/provider-* packages included) and installs it. The copy is a git repository with every
 * file added (some tests read `git ls-files`).
 */
export function prepare(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
  const started = Date.now();
  for (const file of checkoutFiles()) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  const packageJson = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  packageJson.dependencies.cdktf = cdktnAlias();
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(packageJson, null, 2)}\n`);
  log(
    `copied ${ROOT} to ${dir} with "cdktf": "${cdktnAlias()}" in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir, env: npmEnv() });
  run("git", ["init", "-q"], { cwd: dir });
  run("git", ["add", "-A"], { cwd: dir });
}

/** Jest's counts from its --json report. */
function testCounts(file: string): string {
  const r = JSON.parse(readFileSync(file, "utf8"));
  return `${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`;
}

/** The CI leg (see the header); returns the exit code. */
function check(): number {
  const started = Date.now();
  const statusBefore = checkoutStatus();
  const scratch = mkdtempSync(join(tmpdir(), "eksmon-cdktn-"));
  const copy = join(scratch, "checkout");
  // The reference material kept beside the checkout (../shared), beside the copy too: the tests that need
  // it run there as they run here.
  const shared = join(ROOT, "..", "shared");
  if (existsSync(shared)) symlinkSync(realpathSync(shared), join(scratch, "shared"));
  const out = join(scratch, "out");
  const cleanUp = () => rmSync(scratch, { recursive: true, force: true });
  const onSignal = () => {
    cleanUp();
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const report: string[] = [];
  let code = 0;
  try {
    prepare(copy);
    // The reference: this checkout's own synth (its launcher, its cdktf), into the scratch folder.
    run(process.execPath, [join(ROOT, "scripts", "app.cjs"), "--synth", "--output", join(out, "cdktf")], {
      cwd: ROOT,
    });
    run("npm", ["run", "synth", "--", "--output", join(out, "cdktn")], { cwd: copy, env: npmEnv() });
    const comparison = compareSynths(join(out, "cdktf"), join(out, "cdktn"));
    report.push(renderComparison(comparison, { left: "cdktf", right: "cdktn" }));
    process.stdout.write(`${report.at(-1)}\n`);
    if (!sameTerraform(comparison)) code = 1;
    run("npm", ["run", "typecheck"], { cwd: copy, env: npmEnv() });
    const results = join(out, "jest.json");
    const tests = spawnSync("npx", ["jest", "--ci", "--json", `--outputFile=${results}`], {
      cwd: copy,
      env: npmEnv(),
      stdio: ["ignore", process.stderr, process.stderr],
    });
    const counts = existsSync(results) ? testCounts(results) : "no report";
    report.push(`tests on cdktn: ${counts}`);
    process.stdout.write(`${report.at(-1)}\n`);
    if (tests.status !== 0) code = 1;
  } catch (error) {
    process.stdout.write(`cdktn leg: ${(error as Error).message}\n`);
    code = 1;
  } finally {
    cleanUp();
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
  if (checkoutStatus() !== statusBefore) {
    process.stdout.write(`cdktn leg: ${ROOT} changed while it ran (git status differs)\n`);
    code = 1;
  }
  process.stdout.write(
    `cdktn leg ${code === 0 ? "passed" : "FAILED"} in ${Math.round((Date.now() - started) / 1000)} s (scratch copy removed)\n`,
  );
  return code;
}

function main(argv: string[]): number {
  const [command, ...args] = argv;
  switch (command) {
    case "check":
      return check();
    case "prepare":
      if (args.length !== 1) break;
      prepare(resolve(args[0]));
      return 0;
    case "compare": {
      if (args.length !== 2) break;
      const comparison = compareSynths(resolve(args[0]), resolve(args[1]));
      process.stdout.write(`${renderComparison(comparison, { left: args[0], right: args[1] })}\n`);
      return sameTerraform(comparison) ? 0 : 1;
    }
  }
  process.stderr.write(
    "usage: npm run cdktn -- check | prepare <dir> | compare <cdktf.out> <other cdktf.out>\n",
  );
  return 2;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`[cdktn] ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
