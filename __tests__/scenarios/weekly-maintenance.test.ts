/**
 * `npm run maintain -- <env>` (scripts/stacks.ts) against a stand-in `terraform` that records every call:
 * the token and config stacks are applied from their saved plans only when those change something, then
 * every stack is planned without the lock, and a change there fails the run as drift.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAINTAINED_STACKS } from "../../scripts/lib/cli";
import { type MaintenanceReport, maintenanceVerdict } from "../../scripts/lib/plan";

const ROOT = join(__dirname, "..", "..");

/**
 * A terraform stand-in: `plan` exits 2 (changes) for the stacks named in FAKE_CHANGES (`<stack>` for the
 * locked plans, `<stack>:drift` for the -lock=false ones) and writes a plan file `show -json` prints.
 */
const FAKE_TERRAFORM = `#!/bin/sh
stack=$(basename "$PWD")
echo "$stack $*" >> "$FAKE_TF_LOG"
case "$1" in
  init) exit 0 ;;
  plan)
    key="$stack"
    case " $* " in *" -lock=false "*) key="$stack:drift" ;; esac
    case " $FAKE_CHANGES " in
      *" $key "*) echo '{"resource_changes":[{"mode":"managed","change":{"actions":["create","delete"]}}]}' > tfplan; exit 2 ;;
    esac
    echo '{"resource_changes":[]}' > tfplan; exit 0 ;;
  show) if [ "$2" = "-json" ]; then cat tfplan; else echo "plan of $stack"; fi; exit 0 ;;
  apply) [ "$stack" = "$FAKE_APPLY_FAILS" ] && { echo "apply failed" >&2; exit 1; }; exit 0 ;;
esac
exit 1
`;

function runMaintain(changes: string[], extraEnv: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "maintain-"));
  const terraform = join(dir, "terraform");
  writeFileSync(terraform, FAKE_TERRAFORM);
  chmodSync(terraform, 0o755);
  for (const kind of [
    "network",
    "cluster-monitoring",
    "cluster-dev-eks",
    "grafana",
    "grafana-token",
    "grafana-config",
  ])
    mkdirSync(join(dir, "out", "stacks", `dev-${kind}`), { recursive: true });
  const log = join(dir, "terraform.log");
  writeFileSync(log, "");
  const report = join(dir, "report.json");
  const result = spawnSync(
    process.execPath,
    ["-r", "esbuild-register", "scripts/stacks.ts", "maintain", "dev", "--skip-synth", "--report", report],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        TERRAFORM_BINARY_NAME: terraform,
        CDKTF_OUTDIR: join(dir, "out"),
        TF_PLUGIN_CACHE_DIR: join(dir, "plugin-cache"),
        FAKE_TF_LOG: log,
        FAKE_CHANGES: changes.join(" "),
        ...extraEnv,
      },
    },
  );
  const calls = readFileSync(log, "utf8").trim().split("\n");
  return {
    status: result.status,
    stdout: result.stdout,
    calls,
    report: () => JSON.parse(readFileSync(report, "utf8")),
  };
}

describe("npm run maintain", () => {
  it("renews the token (applies the saved plan that changes), leaves the rest alone, and finds no drift", () => {
    const run = runMaintain(["dev-grafana-token"]);
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => / apply /.test(` ${c} `))).toEqual([
      "dev-grafana-token apply -input=false -no-color tfplan",
    ]);
    // every stack planned for drift, without the lock, after the renewal
    const driftPlans = run.calls.filter((c) => c.includes("plan") && c.includes("-lock=false"));
    expect(driftPlans.map((c) => c.split(" ")[0])).toEqual([
      "dev-network",
      "dev-cluster-monitoring",
      "dev-cluster-dev-eks",
      "dev-grafana",
      "dev-grafana-token",
      "dev-grafana-config",
    ]);
    expect(run.calls.indexOf("dev-grafana-token apply -input=false -no-color tfplan")).toBeLessThan(
      run.calls.findIndex((c) => c.includes("-lock=false")),
    );
    expect(run.stdout).toContain("dev-grafana-token: applied +1 ~0 -1");
    expect(run.stdout).toContain("dev-grafana-config: nothing to renew");
    expect(run.stdout).toContain("dev: no drift (6 stacks planned, no changes)");
    const report = run.report() as MaintenanceReport;
    expect(report.applied.map((r) => [r.stack, r.status])).toEqual([
      ["dev-grafana-token", "changes"],
      ["dev-grafana-config", "no-changes"],
    ]);
  });

  it("fails on a change nobody made, naming the stack", () => {
    const run = runMaintain(["dev-network:drift"]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("drift: dev-network: +1 ~0 -1");
    expect(run.calls.some((c) => c.includes(" apply "))).toBe(false);
  });

  it("stops when the renewal cannot be applied: no drift check on a half-renewed environment", () => {
    const run = runMaintain(["dev-grafana-token"], { FAKE_APPLY_FAILS: "dev-grafana-token" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("dev-grafana-token: error (not applied)");
    expect(run.stdout).toContain("dev: drift not checked (the renewal failed)");
    expect(run.calls.some((c) => c.startsWith("dev-grafana-config"))).toBe(false);
  });
});

describe("maintenanceVerdict", () => {
  it("applies only the token and config stacks", () => {
    expect(MAINTAINED_STACKS).toEqual(["grafana-token", "grafana-config"]);
  });

  it("counts an upstream that is missing as a failure (a deployed environment has every state)", () => {
    const verdict = maintenanceVerdict({
      environment: "dev",
      applied: [],
      drift: [
        {
          stack: "dev-grafana",
          status: "upstream-missing",
          upstream: ["dev-cluster-monitoring"],
          output: "",
        },
      ],
    });
    expect(verdict).toEqual({
      lines: ["dev-grafana: upstream not applied yet (dev-cluster-monitoring)"],
      failed: true,
    });
  });
});
