/** The app as `cdktf synth` runs it: every environment, the files it writes, and how stacks are wired. */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateEnvironments } from "../config/validate";
import { environments } from "../environments";
import { LOCK_FILE_NAME, parseLockFile, readProjectLock, requiredProviders } from "../lib/provider-lock";
import { type StackKind, stackNameOf, stacksOf, upstreamsOf } from "../stacks/graph";
import type { StackJson } from "./helpers";

const root = join(__dirname, "..");
const app = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8")).app as string;
const outdir = mkdtempSync(join(tmpdir(), "synth-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

// Run the real app command from cdktf.json once.
const [cmd, ...args] = app.split(" ");
execFileSync(cmd, args, { cwd: root, env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: "pipe" });
const stack = (name: string): StackJson =>
  JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
const configs = validateEnvironments(environments);

describe("the app", () => {
  it("writes the stacks of every environment, and the bootstrap stacks apart from them", () => {
    const expected = configs.flatMap((env) => stacksOf(env).map((s) => s.name));
    // 3 environments x network, cluster-monitoring, grafana, grafana-token, grafana-config, and 4 clusters
    expect(expected).toHaveLength(19);
    const written = readdirSync(join(outdir, "stacks"));
    expect(written.filter((s) => !s.startsWith("bootstrap-")).sort()).toEqual(expected.sort());
    // S3 state buckets of the two S3 accounts; Terraform Cloud workspaces and AWS side for prod.
    expect(written.filter((s) => s.startsWith("bootstrap-")).length).toBeGreaterThanOrEqual(3);
  });

  it("orders each environment's stacks network -> cluster-monitoring -> each cluster, grafana -> grafana-token -> grafana-config", () => {
    for (const env of configs) {
      for (const { kind, name } of stacksOf(env)) {
        const deps = manifest.stacks[name].dependencies;
        expect([name, [...deps].sort()]).toEqual([
          name,
          upstreamsOf(kind)
            .map((k) => stackNameOf(env.name, k))
            .sort(),
        ]);
      }
    }
  });

  it("reads every remote-state output that the upstream stack publishes, from the upstream's own backend", () => {
    let reads = 0;
    for (const env of configs) {
      for (const { kind, name } of stacksOf(env)) {
        const json = stack(name);
        const text = JSON.stringify(json);
        for (const [id, state] of Object.entries(json.data?.terraform_remote_state ?? {})) {
          const upstreamKind = id.replace(/-state$/, "") as StackKind;
          expect(upstreamsOf(kind)).toContain(upstreamKind);
          const upstream = stack(stackNameOf(env.name, upstreamKind));
          // The data source points where the upstream stack keeps its state.
          const backend = upstream.terraform as Record<string, any>;
          const config = (state as any).config;
          if (backend.backend?.s3) {
            expect(config).toEqual({
              bucket: backend.backend.s3.bucket,
              key: backend.backend.s3.key,
              region: backend.backend.s3.region,
            });
          } else if (backend.cloud) {
            expect(config.organization).toBe(backend.cloud.organization);
            expect(config.workspaces.name).toBe(backend.cloud.workspaces.name);
          } else {
            expect(config.path).toBe(backend.backend.local.path);
          }
          // Every output read exists upstream.
          const names = [
            ...text.matchAll(new RegExp(`data\\.terraform_remote_state\\.${id}\\.outputs\\.(\\w+)`, "g")),
          ].map((m) => m[1]);
          expect(names.length).toBeGreaterThan(0);
          for (const name of names) expect(Object.keys(upstream.output ?? {})).toContain(name);
          reads += names.length;
        }
      }
    }
    expect(reads).toBeGreaterThanOrEqual(6);
  });

  it("keeps state per stack: S3 keys encrypted and locked with a lock file, Terraform Cloud workspaces named per stack", () => {
    const dev = stack("dev-network").terraform as any;
    expect(dev.backend.s3).toEqual({
      bucket: "example-dev-terraform-state",
      key: "eksmon/dev/dev-network.tfstate",
      region: "us-east-1",
      encrypt: true,
      use_lockfile: true,
    });
    const prod = stack("prod-grafana").terraform as any;
    expect(prod.cloud.workspaces).toEqual({ name: "eksmon-prod-grafana", project: "eksmon" });
  });

  it("gives every stack a lock file with the project's checksums for exactly the providers it requires", () => {
    const project = readProjectLock();
    for (const name of Object.keys(manifest.stacks)) {
      const written = parseLockFile(readFileSync(join(outdir, "stacks", name, LOCK_FILE_NAME), "utf8"));
      const required = requiredProviders(stack(name));
      expect([name, written.map((p) => `${p.address} ${p.version}`)]).toEqual([
        name,
        required.map((r) => `${r.address} ${r.version}`),
      ]);
      for (const p of written)
        expect(p.hashes).toEqual(
          project.find((l) => l.address === p.address && l.version === p.version)?.hashes,
        );
    }
  });

  it("exits 1 on a bad config, printing every problem without a stack trace, and writes nothing", () => {
    const out = join(outdir, "bad");
    // As `npm run synth` runs main.ts, with a broken environment.
    const run = spawnSync(
      "node",
      ["scripts/app.cjs", "--synth", "--output", out, "__tests__/fixtures/synth-with-bad-env.ts"],
      { cwd: root, encoding: "utf8" },
    );
    expect(run.stdout).toBe("");
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      [
        "Invalid environment configuration (2 problems):",
        '  - staging.accountId: "22222222222" is not an AWS account id (expected 12 digits, e.g. 111111111111)',
        "  - staging.network.endpointSubnetIds: has fewer than 2 subnets (expected at least 2, in different AZs)",
        "",
      ].join("\n"),
    );
    expect(existsSync(out)).toBe(false);
  }, 60_000); // the first run bundles the fixture

  it("exits 1 on rule violations, listing those of every stack, and writes nothing", () => {
    const out = join(outdir, "violations");
    // As `npm run synth` runs main.ts, with a rule that every stack's AWS provider breaks.
    const run = spawnSync(
      "node",
      ["scripts/app.cjs", "--synth", "--output", out, "__tests__/fixtures/synth-with-rule-violation.ts"],
      { cwd: root, encoding: "utf8" },
    );
    expect(run.stdout).toBe("");
    expect(run.status).toBe(1);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe(`Security rule violations (${lines.length - 1}):`);
    for (const name of ["dev-network", "staging-grafana", "prod-cluster-monitoring"])
      expect(lines).toContain(`  - [${name}/aws] test-rule: broken on purpose by the fixture`);
    expect(existsSync(out)).toBe(false);
  }, 60_000); // the first run bundles the fixture
});
