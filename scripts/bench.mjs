#!/usr/bin/env node
// Benchmark of the app command: wall time and peak RSS against the `node -e "require('cdktf')"` floor,
// measured in the same run, for the example environments and for generated ones (cost must grow linearly).
// Usage: npm run bench [-- --runs 5]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);
const root = join(import.meta.dirname, "..");
const app = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")).app;
const rssProbe = join(import.meta.dirname, "bench", "report-rss.cjs");

/** Runs a shell command `runs` times; returns the median wall seconds and the peak RSS in MB. */
function measure(command) {
  const walls = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    const work = mkdtempSync(join(tmpdir(), "bench-"));
    const rssFile = join(work, "rss");
    writeFileSync(rssFile, "");
    const start = process.hrtime.bigint();
    const run = spawnSync("sh", ["-c", command], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
      env: {
        ...process.env,
        CDKTF_OUTDIR: join(work, "out"),
        BENCH_RSS_FILE: rssFile,
        NODE_OPTIONS: `--require ${rssProbe}`,
        CHECKPOINT_DISABLE: "1",
      },
    });
    walls.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (run.status !== 0) throw new Error(`${command} failed:\n${run.stderr}`);
    const rss = readFileSync(rssFile, "utf8").trim().split("\n").map(Number);
    peak = Math.max(peak, ...rss.map((kb) => kb / 1024));
    rmSync(work, { recursive: true, force: true });
  }
  walls.sort((a, b) => a - b);
  return { wall: walls[Math.floor(walls.length / 2)], peak };
}

const row = (label, m, floor) =>
  `${label.padEnd(44)} ${m.wall.toFixed(3).padStart(7)} s ${m.peak.toFixed(0).padStart(6)} MB ${floor ? `${(m.wall / floor.wall).toFixed(2)}x floor` : ""}`;

const floor = measure(`node -e "require('cdktf')"`);
const examples = measure(app);
const generated = Object.fromEntries(
  [3, 10, 30].map((n) => [n, measure(`node scripts/app.cjs scripts/bench/synth-generated.ts ${n}`)]),
);

console.log(`median of ${runs} runs each, node ${process.version}\n`);
console.log(row("floor: node -e \"require('cdktf')\"", floor));
console.log(row(`app (${app}), example envs`, examples, floor));
for (const [n, m] of Object.entries(generated)) console.log(row(`generated environments: ${n}`, m, floor));

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
    `linear growth: 10->30 per-env cost within 1.5x of 3->10`,
    perEnvLarge <= 1.5 * Math.max(perEnvSmall, 0.005),
  ],
];
for (const [label, ok] of checks) console.log(`${ok ? "PASS" : "MISS"} ${label}`);
