/**
 * scripts/app.cjs, the launcher every synth goes through: `npm run synth` writes what `cdktf synth` writes, and
 * its bundle cache never serves another checkout's code.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { stripVTControlCharacters } from "node:util";

// Each synth here may build a bundle first (a few seconds on a busy machine); no timing is asserted.
jest.setTimeout(120_000);

const root = join(__dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "launcher-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `checkout`'s own launcher there, into the output folder `work/<name>`. */
function synth(checkout: string, name: string) {
  const outdir = join(work, name);
  const run = spawnSync(process.execPath, [join(checkout, "scripts", "app.cjs")], {
    cwd: checkout,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: "utf8",
  });
  return { status: run.status, stderr: run.stderr, outdir };
}

/** The AMP workspace alias dev's cluster-monitoring stack was synthesized with. */
function devAmpAlias(outdir: string): string {
  const stack = JSON.parse(
    readFileSync(join(outdir, "stacks", "dev-cluster-monitoring", "cdk.tf.json"), "utf8"),
  );
  return (Object.values(stack.resource.aws_prometheus_workspace)[0] as { alias: string }).alias;
}

/** Every file under `dir`, by path relative to it. */
function files(dir: string, prefix = ""): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = join(prefix, entry.name);
    if (entry.isDirectory()) for (const [p, b] of files(dir, path)) found.set(p, b);
    else found.set(path, readFileSync(join(dir, path)));
  }
  return found;
}

describe("npm run synth, against cdktf synth", () => {
  const cli = join(work, "cdktf-synth");
  const ours = join(work, "npm-run-synth");
  let cliOut: string;
  let oursOut: string;
  beforeAll(() => {
    // Both start from the same earlier output: a stack that no longer exists, and Terraform's own files.
    for (const dir of [cli, ours]) {
      mkdirSync(join(dir, "stacks", "removed-stack"), { recursive: true });
      writeFileSync(join(dir, "stacks", "removed-stack", "cdk.tf.json"), "{}");
      mkdirSync(join(dir, "stacks", "dev-network", ".terraform"), { recursive: true });
      writeFileSync(join(dir, "stacks", "dev-network", ".terraform", "environment"), "kept\n");
      // The lock file is the app's to write (from .terraform.lock.hcl at the root): a stale one is replaced.
      writeFileSync(join(dir, "stacks", "dev-network", ".terraform.lock.hcl"), "# stale\n");
    }
    const cdktf = spawnSync(join(root, "node_modules", ".bin", "cdktf"), ["synth", "--output", cli], {
      cwd: root,
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
    });
    expect(cdktf.status).toBe(0);
    // The CLI draws with ink: colours, spinner frames, the summary wrapped at the terminal width.
    cliOut = stripVTControlCharacters(cdktf.stdout).replace(/\s+/g, " ");
    const npm = spawnSync("npm", ["run", "synth", "--", "--output", ours], { cwd: root, encoding: "utf8" });
    // Nothing on stderr but what npm itself may say about its own configuration.
    expect(npm.stderr.split("\n").filter((line) => line && !/^npm (warn|notice)/.test(line))).toEqual([]);
    expect(npm.status).toBe(0);
    oursOut = npm.stdout;
  });

  it("writes the same files, byte for byte, manifest.json included", () => {
    const expected = files(cli);
    const written = files(ours);
    expect([...written.keys()].sort()).toEqual([...expected.keys()].sort());
    const differing = [...expected]
      .filter(([path, bytes]) => !written.get(path)?.equals(bytes))
      .map(([p]) => p);
    expect(differing).toEqual([]);
    expect(expected.has("manifest.json")).toBe(true);
  });

  it("removes the folders of stacks that no longer exist and keeps Terraform's files, as cdktf synth does", () => {
    expect(existsSync(join(ours, "stacks", "removed-stack"))).toBe(false);
    expect(readFileSync(join(ours, "stacks", "dev-network", ".terraform", "environment"), "utf8")).toBe(
      "kept\n",
    );
    expect(readFileSync(join(ours, "stacks", "dev-network", ".terraform.lock.hcl"), "utf8")).toMatch(
      /^provider "registry\.terraform\.io\/hashicorp\/aws" \{$/m,
    );
  });

  it("prints the CLI's summary, on one line", () => {
    const summary = oursOut.trimEnd().split("\n").pop() ?? "";
    expect(summary).toMatch(/^Generated Terraform code for the stacks: [a-z0-9-]+(, [a-z0-9-]+)+$/);
    expect(cliOut).toContain(summary);
  });
});

describe("a sibling checkout sharing this one's node_modules through a symlink", () => {
  // A copy of the project without its generated folders, node_modules linked to this checkout's.
  const sibling = join(work, "sibling");
  const generated = new Set(["node_modules", ".git", ".cache", "cdktf.out", "coverage"]);
  cpSync(root, sibling, {
    recursive: true,
    filter: (src) => !generated.has(relative(root, src).split(sep)[0]),
  });
  symlinkSync(join(root, "node_modules"), join(sibling, "node_modules"));
  const siblingDev = join(sibling, "environments", "dev.ts");
  const devSource = readFileSync(siblingDev, "utf8");

  it("never makes this checkout synthesize the sibling's configuration", () => {
    // This checkout's bundle exists first, as after any earlier synth here.
    const before = synth(root, "before");
    expect(before.stderr).toBe("");
    expect(devAmpAlias(before.outdir)).toBe("dev-eks-metrics");

    writeFileSync(siblingDev, devSource.replace('alias: "dev-eks-metrics"', 'alias: "sibling-eks-metrics"'));
    const inSibling = synth(sibling, "sibling");
    expect(inSibling.status).toBe(0);
    expect(devAmpAlias(inSibling.outdir)).toBe("sibling-eks-metrics");

    const after = synth(root, "after");
    expect(after.status).toBe(0);
    expect(devAmpAlias(after.outdir)).toBe("dev-eks-metrics");
  });

  it("never makes this checkout fail with the sibling's validation error", () => {
    writeFileSync(siblingDev, devSource.replace('accountId: "111111111111"', 'accountId: "1111"'));
    const inSibling = synth(sibling, "sibling-invalid");
    expect(inSibling.status).toBe(1);
    expect(inSibling.stderr).toMatch(
      /^Invalid environment configuration \(1 problem\):\n {2}- dev\.accountId: /,
    );

    const after = synth(root, "after-invalid");
    expect(after.stderr).toBe("");
    expect(after.status).toBe(0);
    expect(devAmpAlias(after.outdir)).toBe("dev-eks-metrics");
  });
});

describe("concurrent runs", () => {
  it("that all rebuild the same bundle at once all run it whole", async () => {
    const runs = [1, 2, 3].map(
      (i) =>
        new Promise<{ code: number | null; stderr: string; outdir: string }>((done) => {
          const outdir = join(work, `concurrent-${i}`);
          const child = spawn(process.execPath, [join(root, "scripts", "app.cjs")], {
            cwd: root,
            env: { ...process.env, CDKTF_OUTDIR: outdir, APP_REBUILD: "1" },
          });
          let stderr = "";
          child.stderr.on("data", (d) => {
            stderr += d;
          });
          child.on("close", (code) => done({ code, stderr, outdir }));
        }),
    );
    for (const run of await Promise.all(runs)) {
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(devAmpAlias(run.outdir)).toBe("dev-eks-metrics");
    }
  });
});

describe("the V8 code cache beside a bundle", () => {
  it("is written by a first run, and a damaged one is rejected and rewritten, not trusted", () => {
    const first = synth(root, "code-cache-first");
    expect(first.status).toBe(0);
    const dir = join(root, ".cache", "app", "main_ts");
    const caches = readdirSync(dir).filter((f) => f.endsWith(".v8cache"));
    expect(caches.length).toBeGreaterThan(0);
    for (const file of caches) writeFileSync(join(dir, file), "not a code cache");

    const damaged = synth(root, "code-cache-damaged");
    expect(damaged.stderr).toBe("");
    expect(damaged.status).toBe(0);
    expect(readFileSync(join(damaged.outdir, "manifest.json"))).toEqual(
      readFileSync(join(first.outdir, "manifest.json")),
    );
    expect(devAmpAlias(damaged.outdir)).toBe("dev-eks-metrics");
    // The run rewrote the cache of its own flags (the others belong to other flags, e.g. the cdktf CLI's).
    const sizes = caches.map((f) => readFileSync(join(dir, f)).length);
    expect(Math.max(...sizes)).toBeGreaterThan(1000);
  });
});

describe("npm run synth of an app that is not done when its module returns", () => {
  it("reports the stacks once the app has written them, not before", () => {
    // Each into an empty folder: a report read from an earlier run's manifest would hide an early one.
    const synthAsync = (outdir: string) =>
      spawnSync(
        process.execPath,
        [join(root, "scripts", "app.cjs"), "--synth", "--output", outdir, "__tests__/fixtures/async-app.ts"],
        { cwd: root, encoding: "utf8" },
      );
    // The first run may build the bundle (and so start the app later); the second runs the cached one.
    for (const run of [synthAsync(join(work, "async-1")), synthAsync(join(work, "async-2"))]) {
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).toBe("Generated Terraform code for the stacks: late-stack\n");
    }
  });
});

describe("the bundle's lazily formatted creation stacks", () => {
  it("still tell where a token that fails to resolve was created", () => {
    const run = spawnSync(
      process.execPath,
      [join(root, "scripts", "app.cjs"), "__tests__/fixtures/failing-token.ts"],
      { cwd: root, env: { ...process.env, CDKTF_OUTDIR: join(work, "failing-token") }, encoding: "utf8" },
    );
    expect(run.status).not.toBe(0);
    const creation = run.stderr.slice(run.stderr.indexOf("Object creation stack:"));
    expect(creation).toMatch(/^Object creation stack:\n {2}at new LazyBase /);
    expect(creation).toMatch(/\n {2}at Lazy\d*\.stringValue /);
  });
});
