/**
 * `npm run validate`: synthesizes the app, then checks every stack with Terraform itself (`terraform init
 * -backend=false`, `terraform validate -json`) in a copy of the stacks, so nothing it does reaches
 * cdktf.out. Prints one line per stack, `PASS <stack> [providers]`, `FAIL <stack>: <first error>` or
 * `NOT VALIDATED <stack>: <why>`, then every provider package used (where from, and how far the lock file
 * vouches for it), then `N validated (N passed, N failed), N not validated`. Exits 1 on a failure.
 *
 * Usage: npm run validate [-- [--skip-synth] [--strict] [--mirror DIR ...] [--override NAME=VERSION ...]
 *                              [stack or glob, e.g. 'prod-*' ...]]
 *
 *   --strict    also exit 1 when a stack is not validated, or validated with an override or a relaxed lock
 *               check (the pull-request workflow: every stack, pinned and checksum-checked providers)
 *   --mirror    install providers only from these filesystem mirrors (either layout); repeatable. Stacks
 *               needing a package no mirror holds are NOT VALIDATED. A package whose checksum is not in
 *               .terraform.lock.hcl (a local build) is used, loudly, its copy's lock pinning that checksum.
 *   --override  validate with another provider version than the stacks pin (mirrors holding another
 *               version, e.g. air-gapped ones), printed as a banner; never applies to plan or deploy.
 *   --suggest-overrides  only print, comma-separated, `<provider>=<version>` for each pinned provider the
 *               mirrors lack while holding another version (the newest), for VALIDATE_PROVIDER_OVERRIDES
 *
 * Environment:
 *   VALIDATE_PROVIDER_MIRRORS    like --mirror, colon-separated
 *   VALIDATE_PROVIDER_OVERRIDES  like --override, comma-separated (e.g. aws=5.100.0)
 *   TERRAFORM_BINARY_NAME        Terraform (>= 1.10) or OpenTofu binary (default: terraform; scripts/lib/terraform-env.ts)
 *   TF_CLI_CONFIG_FILE           without mirrors, Terraform's own provider installation settings apply
 *   TF_PLUGIN_CACHE_DIR          the shared plugin cache (scripts/lib/terraform-env.ts); runs with an
 *                                override or relaxed lock use <cache root>/plugin-cache-unverified instead
 *   VALIDATE_PARALLELISM         stacks checked at once (default 2)
 *   CDKTF_OUTDIR                 synth output (default cdktf.out)
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  LOCK_FILE_NAME,
  type LockedProvider,
  readProjectLock,
  renderLockFile,
  requiredProviders,
  type StackTerraformJson,
} from "../lib/provider-lock";
import {
  outdirOf,
  readStack as readSynthesizedStack,
  STACK_FILE,
  stackDir,
  stackNames,
} from "../lib/synth-output.cjs";
import { projectProviders } from "./lib/project-providers";
import {
  findPackage,
  mirrorCliConfig,
  mirrorVersions,
  packageChecksum,
  terraformPlatform,
} from "./lib/provider-packages";
import { pluginCacheDir, terraformBinary, terraformCacheRoot, terraformEnv } from "./lib/terraform-env";
import {
  copyLockEntries,
  exitCode,
  firstInitError,
  mapLimit,
  overrideBanner,
  type PackageLookup,
  type ProviderUse,
  parseOverrides,
  parseValidateOutput,
  providerReportLine,
  providerUnavailable,
  providerUse,
  relaxedBanner,
  resultLine,
  type StackResult,
  shortName,
  summaryLine,
  unavailableReason,
} from "./lib/validate";

const root = resolve(__dirname, "..");
const outdir = resolve(root, outdirOf());
const terraform = terraformBinary();
const parallelism = Math.max(1, Number(process.env.VALIDATE_PARALLELISM ?? 2) || 2);

function log(message: string): void {
  process.stderr.write(`[validate] ${message}\n`);
}

function die(message: string): never {
  log(message);
  process.exit(2);
}

interface Options {
  readonly suggest: boolean;
  readonly skipSynth: boolean;
  readonly strict: boolean;
  readonly mirrors: string[];
  readonly overrides: Map<string, string>;
  readonly patterns: string[];
}

function options(argv: string[]): Options {
  const mirrors = (process.env.VALIDATE_PROVIDER_MIRRORS ?? "").split(":").filter(Boolean);
  let overrideText = process.env.VALIDATE_PROVIDER_OVERRIDES ?? "";
  const patterns: string[] = [];
  let skipSynth = false;
  let strict = false;
  let suggest = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? die(`${arg} needs a value`);
    if (arg === "--skip-synth") skipSynth = true;
    else if (arg === "--suggest-overrides") suggest = true;
    else if (arg === "--strict") strict = true;
    else if (arg === "--mirror") mirrors.push(value());
    else if (arg === "--override") overrideText += `,${value()}`;
    else if (arg.startsWith("--")) die(`unknown option ${arg} (see the header of scripts/validate.ts)`);
    else patterns.push(arg);
  }
  let overrides: Map<string, string>;
  try {
    overrides = parseOverrides(overrideText);
  } catch (error) {
    die((error as Error).message);
  }
  for (const m of mirrors) if (!existsSync(m)) die(`provider mirror ${m} does not exist`);
  return { suggest, skipSynth, strict, mirrors: mirrors.map((m) => resolve(m)), overrides, patterns };
}

/** `npm run synth` into outdir (the launcher every synth goes through), its summary line on stderr. */
function synth(): void {
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(root, "scripts", "app.cjs"), "--synth", "--output", outdir], {
    cwd: root,
    // stdout carries only the PASS/FAIL lines and the total.
    stdio: ["inherit", process.stderr, "inherit"],
  });
  if (run.status !== 0) die(`synth failed (scripts/app.cjs --synth exited ${run.status ?? run.signal})`);
  log(`synthesized into ${outdir} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

function readStack(stack: string): StackTerraformJson & { terraform?: Record<string, unknown> } {
  return readSynthesizedStack(outdir, stack);
}

/** Shell-style patterns (`prod-*`) to a matcher; no patterns match everything. */
function matcher(patterns: string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => true;
  const res = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      ),
  );
  return (name) => res.some((re) => re.test(name));
}

function run(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(terraform, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", (e) =>
      done({ code: 127, out, err: `${err}Error: cannot run ${terraform}: ${e.message}` }),
    );
    child.on("close", (code) => done({ code: code ?? 1, out, err }));
  });
}

/** A stack to check: its copy's folder and the providers it is checked with, or why it cannot be. */
interface Plan {
  readonly stack: string;
  readonly dir: string;
  readonly uses: ProviderUse[];
  readonly missing: string[];
}

/**
 * Copies a stack into `work`, with the overridden versions in `required_providers` and the lock entries
 * of the packages it is checked with (copyLockEntries); nothing in cdktf.out changes.
 */
function prepare(
  stack: string,
  work: string,
  uses: readonly ProviderUse[],
  lock: readonly LockedProvider[],
): string {
  const src = stackDir(outdir, stack);
  const dir = join(work, stack);
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(src)) {
    if (entry === ".terraform" || entry === LOCK_FILE_NAME || entry === STACK_FILE) continue;
    cpSync(join(src, entry), join(dir, entry), { recursive: true }); // assets, if any
  }
  const json = readStack(stack);
  const required = (json.terraform?.required_providers ?? {}) as Record<string, { version?: string }>;
  for (const name of Object.keys(required)) {
    const address = requiredProviders({ terraform: { required_providers: { [name]: required[name] } } })[0]
      .address;
    const use = uses.find((u) => u.address === address);
    if (use) required[name] = { ...required[name], version: use.version };
  }
  writeFileSync(join(dir, STACK_FILE), JSON.stringify(json, null, 2));
  const kept = copyLockEntries(uses, lock);
  if (kept.length > 0) writeFileSync(join(dir, LOCK_FILE_NAME), renderLockFile(kept));
  return dir;
}

/** `terraform init` of a stack's copy: undefined when it worked, else the stack's result. */
async function initStack(plan: Plan, env: NodeJS.ProcessEnv): Promise<StackResult | undefined> {
  const started = Date.now();
  const init = await run(["init", "-backend=false", "-input=false", "-no-color"], plan.dir, env);
  if (init.code === 0) return undefined;
  const base = { stack: plan.stack, providers: plan.uses, warnings: 0 };
  const problem = firstInitError(`${init.err}\n${init.out}`);
  if (providerUnavailable(problem))
    return { ...base, status: "not-validated", problem: unavailableReason(problem) };
  return { ...base, status: "fail", problem: `init: ${problem}`, seconds: (Date.now() - started) / 1000 };
}

async function validateStack(plan: Plan, env: NodeJS.ProcessEnv): Promise<StackResult> {
  const started = Date.now();
  const validate = await run(["validate", "-json", "-no-color"], plan.dir, env);
  return {
    ...parseValidateOutput(plan.stack, validate.out),
    providers: plan.uses,
    seconds: (Date.now() - started) / 1000,
  };
}

/** `aws=5.100.0` for each pinned provider the mirrors lack in its pinned version but hold in another. */
function suggestOverrides(mirrors: readonly string[]): string {
  const osArch = terraformPlatform();
  return projectProviders()
    .flatMap((p) => {
      if (findPackage(mirrors, p.address, p.version, osArch)) return [];
      const held = mirrorVersions(mirrors, p.address, osArch);
      return held.length > 0 ? [`${shortName(p.address)}=${held[0]}`] : [];
    })
    .join(",");
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  if (opts.suggest) {
    process.stdout.write(`${suggestOverrides(opts.mirrors)}\n`);
    return;
  }
  const version = spawnSync(terraform, ["version"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  });
  if (version.status !== 0)
    die(
      `cannot run ${terraform} (${version.error?.message ?? version.stderr.trim()}); install Terraform >= 1.10 or set TERRAFORM_BINARY_NAME`,
    );
  const terraformVersion = version.stdout.split("\n")[0];
  log(terraformVersion);

  if (!opts.skipSynth) synth();
  const stacks = stackNames(outdir).filter(matcher(opts.patterns));
  if (stacks.length === 0)
    die(
      `no stacks to validate in ${outdir}/stacks${opts.patterns.length ? ` matching ${opts.patterns.join(" ")}` : ""}`,
    );

  const lock = readProjectLock();
  const osArch = terraformPlatform();
  const work = mkdtempSync(join(tmpdir(), "eksmon-validate-"));
  const checksums = new Map<string, string>();
  const cliConfig = process.env.TF_CLI_CONFIG_FILE;
  const terraformSource =
    cliConfig && existsSync(cliConfig) ? `the installation settings in ${cliConfig}` : "the registry";
  const lookup = (address: string, v: string): PackageLookup => {
    if (opts.mirrors.length === 0) return { kind: "terraform", from: terraformSource };
    const pkg = findPackage(opts.mirrors, address, v, osArch);
    if (!pkg) return { kind: "missing", reason: shortName(address, v) };
    const key = pkg.path;
    if (!checksums.has(key)) checksums.set(key, packageChecksum(pkg));
    return { kind: "found", from: pkg.path, checksum: checksums.get(key)! };
  };

  const plans: Plan[] = stacks.map((stack) => {
    const uses: ProviderUse[] = [];
    const missing: string[] = [];
    for (const required of requiredProviders(readStack(stack))) {
      const use = providerUse(required, opts.overrides, lock, lookup);
      if ("missing" in use) missing.push(use.missing);
      else uses.push(use);
    }
    return { stack, dir: missing.length ? "" : prepare(stack, work, uses, lock), uses, missing };
  });

  const allUses = new Map<string, ProviderUse>();
  for (const p of plans) for (const u of p.uses) allUses.set(`${u.address}@${u.version}`, u);
  const used = [...allUses.values()].sort((a, b) => a.address.localeCompare(b.address));
  const overridden = used.filter((u) => u.check === "override");
  const relaxed = used.filter((u) => u.check === "relaxed");
  for (const [address] of opts.overrides)
    if (!used.some((u) => u.address === address))
      log(`override ${shortName(address)}: no stack validated here requires it`);
  if (overridden.length > 0)
    process.stdout.write(
      `${overrideBanner(overridden.map((u) => ({ address: u.address, pinned: u.pinned!, version: u.version })))}\n`,
    );
  if (relaxed.length > 0) process.stdout.write(`${relaxedBanner(relaxed)}\n`);

  // Packages the lock file does not vouch for never enter the shared cache that plan and deploy use.
  const unverified = overridden.length > 0 || relaxed.length > 0;
  const cacheDir = unverified ? join(terraformCacheRoot(), "plugin-cache-unverified") : pluginCacheDir();
  const env = terraformEnv(process.env, cacheDir);
  env.TF_INPUT = "0";
  if (opts.mirrors.length > 0) {
    const config = join(work, "terraformrc");
    writeFileSync(config, mirrorCliConfig(opts.mirrors));
    env.TF_CLI_CONFIG_FILE = config;
    log(`providers only from the mirrors ${opts.mirrors.join(", ")} (${osArch})`);
  } else {
    log(`providers from ${terraformSource}`);
  }
  log(`plugin cache ${cacheDir}`);

  const started = Date.now();
  const results: StackResult[] = [];
  const report = (r: StackResult) => {
    process.stdout.write(`${resultLine(r)}\n`);
    return r;
  };
  for (const p of plans.filter((p) => p.missing.length > 0))
    results.push(
      report({
        stack: p.stack,
        status: "not-validated",
        problem: `not in the mirrors (${opts.mirrors.join(", ")}) for ${osArch}: ${p.missing.join(", ")}`,
        warnings: 0,
      }),
    );
  // The plugin cache is not safe for concurrent use while Terraform installs into it (two inits of stacks
  // sharing a provider can race), so every init runs on its own, and only `terraform validate` (CPU-bound:
  // the providers' schemas) runs in parallel.
  const ready: Plan[] = [];
  for (const p of plans.filter((p) => p.missing.length === 0)) {
    const failed = await initStack(p, env);
    if (failed) results.push(report(failed));
    else ready.push(p);
  }
  results.push(...(await mapLimit(ready, parallelism, async (p) => report(await validateStack(p, env)))));
  log(
    `${ready.length} stacks initialized one by one, validated ${parallelism} at a time, in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
  rmSync(work, { recursive: true, force: true });

  const order = (r: StackResult) => stacks.indexOf(r.stack);
  const checkedWith = used.filter((u) =>
    results.some(
      (r) =>
        r.status !== "not-validated" &&
        r.providers?.some((p) => p.address === u.address && p.version === u.version),
    ),
  );
  const sorted = [...results].sort((a, b) => order(a) - order(b));
  const lines = [
    "",
    `== validate summary (${terraformVersion}, ${osArch})`,
    ...sorted.map(resultLine),
    "provider packages used:",
    ...(checkedWith.length ? checkedWith.map(providerReportLine) : ["  (none)"]),
    summaryLine(sorted),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  process.exitCode = exitCode(sorted, opts.strict);
  if (process.exitCode !== 0 && opts.strict && !sorted.some((r) => r.status === "fail"))
    log("--strict: every stack must be validated with the pinned, checksum-checked providers");
}

main().catch((error) => die(error instanceof Error ? (error.stack ?? error.message) : String(error)));
