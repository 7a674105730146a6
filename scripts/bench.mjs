#!/usr/bin/env node
// @ts-check
// Benchmark of the app command and of `npm run synth` (the README's command): wall time and peak RSS against
// the `node -e "require('cdktf')"` floor, measured in the same run, for the example environments and for
// generated ones (cost must grow linearly). Each command runs once unmeasured first, so that a bundle rebuild
// or a first code-cache write after a source change is not timed; then the commands take turns.
// Usage: npm run bench [-- --runs 7] [--cli] [--cdktn]
//   --cli    also times `cdktf synth`, the CLI npm run synth replaces
//   --cdktn  also times the same app on CDK Terrain: a scratch copy of the checkout with "cdktf": "npm:cdktn@..."
//            (`npm run cdktn -- prepare`, ~1 min to install), its own floor and its `npm run synth`, in the same
//            rounds; the copy is removed at the end
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

let values;
try {
  ({ values } = parseArgs({
    options: {
      runs: { type: "string", default: "7" },
      cli: { type: "boolean", default: false },
      cdktn: { type: "boolean", default: false },
    },
  }));
} catch (e) {
  console.error(`bench: ${/** @type {Error} */ (e).message} (expected --runs <N>, --cli, --cdktn)`);
  process.exit(2);
}
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench: --runs ${values.runs} is not a whole number of rounds (expected 1 or more)`);
  process.exit(2);
}
const root = join(import.meta.dirname, "..");
const app = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")).app;
const rssProbe = join(import.meta.dirname, "bench", "report-rss.cjs");

/** @typedef {{ wall: number, peak: number }} Measure wall seconds, peak RSS in MB */

/** @typedef {{ command: string, cwd: string, env?: NodeJS.ProcessEnv }} Command a shell command, where it runs */

/**
 * Runs a shell command once; returns its wall seconds and the peak RSS in MB of its node processes.
 * @param {Command} command
 * @returns {Measure}
 */
function runOnce({ command, cwd, env = process.env }) {
  const work = mkdtempSync(join(tmpdir(), "bench-"));
  const rssFile = join(work, "rss");
  writeFileSync(rssFile, "");
  const start = process.hrtime.bigint();
  const run = spawnSync("sh", ["-c", command], {
    cwd,
    stdio: ["ignore", "ignore", "pipe"],
    env: {
      ...env,
      CDKTF_OUTDIR: join(work, "out"),
      BENCH_RSS_FILE: rssFile,
      NODE_OPTIONS: `--require ${rssProbe}`,
      CHECKPOINT_DISABLE: "1",
    },
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`${command} (in ${cwd}) failed:\n${run.stderr}`);
  // Every node process of the command reports (npm's own, then the app's): the peak is the largest.
  const rss = readFileSync(rssFile, "utf8").trim().split("\n").map(Number);
  rmSync(work, { recursive: true, force: true });
  return { wall, peak: Math.max(...rss) / 1024 };
}

/**
 * Runs every command once unmeasured, then `runs` rounds of all of them in turn (so that a change in machine
 * load hits every command alike); returns each command's median wall seconds and peak RSS in MB.
 * @param {readonly Command[]} commands
 * @returns {Measure[]}
 */
function measureAll(commands) {
  for (const command of commands) runOnce(command);
  /** @type {Measure[][]} */
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, command] of commands.entries()) samples[j].push(runOnce(command));
  }
  return samples.map((s) => {
    const walls = s.map((m) => m.wall).sort((a, b) => a - b);
    return { wall: walls[Math.floor(walls.length / 2)], peak: Math.max(...s.map((m) => m.peak)) };
  });
}

/**
 * One line of the report.
 * @param {string} label
 * @param {Measure} m
 * @param {Measure} [floor]
 */
const row = (label, m, floor) =>
  `${label.padEnd(44)} ${m.wall.toFixed(3).padStart(7)} s ${m.peak.toFixed(0).padStart(6)} MB ${floor ? `${(m.wall / floor.wall).toFixed(2)}x floor` : ""}`;

/**
 * The copy on cdktn (--cdktn), made before measuring and removed at the end.
 * @type {string | undefined}
 */
let cdktnCopy;
if (values.cdktn) {
  cdktnCopy = mkdtempSync(join(tmpdir(), "bench-cdktn-"));
  process.on("exit", () => rmSync(/** @type {string} */ (cdktnCopy), { recursive: true, force: true }));
  const prepared = spawnSync(
    process.execPath,
    ["-r", "esbuild-register", "scripts/cdktn.ts", "prepare", join(cdktnCopy, "checkout")],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"] },
  );
  if (prepared.status !== 0) {
    console.error("bench: could not prepare the copy on cdktn (see above)");
    process.exit(1);
  }
}
/**
 * The environment for npm in the copy: without what the `npm run bench` that started us set for this
 * checkout (its prefix, its package's fields), which would point npm back here (as scripts/cdktn.ts does).
 */
const copyEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !/^npm_(config_local_prefix|package_|lifecycle_)/i.test(k) && k !== "INIT_CWD",
  ),
);
const inCopy = (/** @type {string} */ command) => ({
  command,
  cwd: join(/** @type {string} */ (cdktnCopy), "checkout"),
  env: copyEnv,
});

const sizes = [3, 10, 30];
/** Clusters of one generated environment (dev's, and copies), each cluster its own stack. */
const clusterSizes = [1, 10, 30];
const here = (/** @type {string} */ command) => ({ command, cwd: root });
const [floor, examples, npmSynth, ...measured] = measureAll([
  here(`node -e "require('cdktf')"`),
  here(app),
  here("npm run synth"),
  ...clusterSizes.map((n) => here(`node scripts/app.cjs scripts/bench/synth-generated.ts clusters ${n}`)),
  ...sizes.map((n) => here(`node scripts/app.cjs scripts/bench/synth-generated.ts ${n}`)),
  // The CLI writes to --output (it ignores CDKTF_OUTDIR).
  ...(values.cli ? [here('npx cdktf synth --output "$CDKTF_OUTDIR"')] : []),
  ...(cdktnCopy ? [inCopy(`node -e "require('cdktf')"`), inCopy("npm run synth")] : []),
]);
const withClusters = Object.fromEntries(clusterSizes.map((n, i) => [n, measured[i]]));
const rest = measured.slice(clusterSizes.length);
const generated = Object.fromEntries(sizes.map((n, i) => [n, rest[i]]));
const cli = values.cli ? rest[sizes.length] : undefined;
const [cdktnFloor, cdktnSynth] = cdktnCopy ? rest.slice(sizes.length + (values.cli ? 1 : 0)) : [];

/** @param {string} dir */
const cdktfOf = (dir) => {
  const { name, version } = JSON.parse(
    readFileSync(join(dir, "node_modules", "cdktf", "package.json"), "utf8"),
  );
  return `${name} ${version}`;
};
console.log(`median of ${runs} runs each, node ${process.version}, ${cdktfOf(root)}\n`);
console.log(row("floor: node -e \"require('cdktf')\"", floor));
console.log(row(`app (${app}), example envs`, examples, floor));
console.log(row("npm run synth, example envs", npmSynth, floor));
if (cli) console.log(row("cdktf synth (the CLI), example envs", cli, floor));
if (cdktnCopy && cdktnFloor && cdktnSynth) {
  const copy = join(cdktnCopy, "checkout");
  console.log(row(`${cdktfOf(copy)}: floor (its require('cdktf'))`, cdktnFloor, floor));
  console.log(
    `${row(`${cdktfOf(copy)}: npm run synth, example envs`, cdktnSynth, floor)}, ${(cdktnSynth.wall / cdktnFloor.wall).toFixed(2)}x its own floor`,
  );
}
for (const [n, m] of Object.entries(generated)) console.log(row(`generated environments: ${n}`, m, floor));
for (const [n, m] of Object.entries(withClusters))
  console.log(row(`one environment, ${n} cluster${n === "1" ? "" : "s"}`, m, floor));
/** @param {number} a @param {number} b */
const perClusterMs = (a, b) => ((withClusters[b].wall - withClusters[a].wall) / (b - a)) * 1000;
/** @param {number} a @param {number} b */
const perClusterMb = (a, b) => (withClusters[b].peak - withClusters[a].peak) / (b - a);
console.log(
  `marginal cost per cluster: ${perClusterMs(1, 10).toFixed(0)} ms, ${perClusterMb(1, 10).toFixed(1)} MB (1->10); ${perClusterMs(10, 30).toFixed(0)} ms, ${perClusterMb(10, 30).toFixed(1)} MB (10->30)`,
);

const perEnvSmall = (generated[10].wall - generated[3].wall) / 7;
const perEnvLarge = (generated[30].wall - generated[10].wall) / 20;
console.log(
  `\nmarginal cost per environment: ${(perEnvSmall * 1000).toFixed(0)} ms (3->10), ${(perEnvLarge * 1000).toFixed(0)} ms (10->30)`,
);

const checks = [
  [
    `example envs within 3x floor (${(examples.wall / floor.wall).toFixed(2)}x)`,
    examples.wall <= 3 * floor.wall,
  ],
  [`example envs under 250 MB peak (${examples.peak.toFixed(0)} MB)`, examples.peak < 250],
  [
    `npm run synth within 3x floor (${(npmSynth.wall / floor.wall).toFixed(2)}x)`,
    npmSynth.wall <= 3 * floor.wall,
  ],
  [`npm run synth under 250 MB peak (${npmSynth.peak.toFixed(0)} MB)`, npmSynth.peak < 250],
  [
    `linear growth: 10->30 per-env cost within 1.5x of 3->10`,
    perEnvLarge <= 1.5 * Math.max(perEnvSmall, 0.005),
  ],
  [
    `linear growth: 10->30 per-cluster cost within 1.5x of 1->10`,
    perClusterMs(10, 30) <= 1.5 * Math.max(perClusterMs(1, 10), 5),
  ],
];
if (cdktnFloor && cdktnSynth)
  checks.push([
    `cdktn: npm run synth within 3x its floor (${(cdktnSynth.wall / cdktnFloor.wall).toFixed(2)}x)`,
    cdktnSynth.wall <= 3 * cdktnFloor.wall,
  ]);
for (const [label, ok] of checks) console.log(`${ok ? "PASS" : "MISS"} ${label}`);
