/**
 * Provider checksums: the project's one dependency lock file (`.terraform.lock.hcl` at the root) and the
 * per-stack lock files the app writes from it, so that `terraform init` in any stack installs only the
 * provider packages whose official checksums are recorded in the repository (docs/validation.md).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./paths";
import { manifestStacks } from "./synth-output.cjs";

/** The file name Terraform reads in a root module (here: each stack's folder under cdktf.out/stacks). */
export const LOCK_FILE_NAME = ".terraform.lock.hcl";

/** The project's lock file: every provider any stack may require, with its official checksums. */
export function projectLockPath(): string {
  return join(projectRoot(), LOCK_FILE_NAME);
}

/** One `provider` block of a lock file. */
export interface LockedProvider {
  /** Fully qualified source address, e.g. `registry.terraform.io/hashicorp/aws`. */
  readonly address: string;
  readonly version: string;
  readonly constraints?: string;
  /** `h1:` and `zh:` checksums; empty for a provider locked by version only (see UNPINNED_PROVIDERS). */
  readonly hashes: readonly string[];
}

/**
 * Providers locked by version only, each with the reason. Their lock entries have no `hashes`, so the first
 * `terraform init` records whatever the registry serves (still signed by the publisher). A test holds this
 * list to the lock file in both directions, so a provider can neither lose its checksums silently nor stay
 * listed here once they are recorded.
 */
export const UNPINNED_PROVIDERS: Readonly<Record<string, string>> = {
  "registry.terraform.io/hashicorp/tfe":
    "no public record of the official 0.71.0 checksums was found; run `npm run providers:lock` where the registry is reachable",
};

/** A provider a stack's `terraform.required_providers` names. */
export interface RequiredProvider {
  /** Local name in the stack, e.g. `aws`. */
  readonly name: string;
  readonly address: string;
  /** The version constraint as written (the project pins exact versions). */
  readonly version: string;
}

/** The part of a synthesized stack this module reads. */
export interface StackTerraformJson {
  readonly terraform?: {
    readonly required_providers?: Record<string, { readonly source?: string; readonly version?: string }>;
  };
}

/**
 * Orders providers by address as Terraform orders them in a lock file (byte order, as Go sorts strings); not
 * localeCompare, whose first call loads ICU's collation (docs/performance.md).
 */
function byAddress(a: { readonly address: string }, b: { readonly address: string }): number {
  return a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

/** `aws` -> `registry.terraform.io/hashicorp/aws`, `grafana/grafana` -> `registry.terraform.io/grafana/grafana`. */
export function providerAddress(source: string): string {
  const parts = source.toLowerCase().split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${parts[0]}/${parts[1]}`;
  if (parts.length === 3) return parts.join("/");
  throw new Error(`not a provider source address: ${source}`);
}

/** The providers a synthesized stack requires, sorted by address. */
export function requiredProviders(stack: StackTerraformJson): RequiredProvider[] {
  return Object.entries(stack.terraform?.required_providers ?? {})
    .map(([name, p]) => ({ name, address: providerAddress(p.source ?? name), version: p.version ?? "" }))
    .sort(byAddress);
}

/**
 * Reads a lock file as Terraform writes it (`provider "<address>" { version, constraints, hashes }`; `#` and
 * `//` comments). Anything else is an error naming the line, rather than a silently ignored entry.
 */
export function parseLockFile(text: string, file = LOCK_FILE_NAME): LockedProvider[] {
  const providers: LockedProvider[] = [];
  let current: { address: string; version?: string; constraints?: string; hashes: string[] } | undefined;
  let inHashes = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const fail = (what: string): never => {
      throw new Error(`${file}:${i + 1}: ${what}: ${raw.trim()}`);
    };
    if (line === "" || line.startsWith("#") || line.startsWith("//")) return;
    if (inHashes) {
      const hash = /^"((?:h1|zh):[^"]+)",?$/.exec(line);
      if (hash) current?.hashes.push(hash[1]);
      else if (line === "]") inHashes = false;
      else fail("expected a quoted h1:/zh: checksum or ]");
      return;
    }
    if (!current) {
      const open = /^provider\s+"([^"]+)"\s*\{$/.exec(line);
      if (!open) fail('expected provider "<address>" {');
      current = { address: open![1], hashes: [] };
      return;
    }
    const attribute = /^(version|constraints)\s*=\s*"([^"]*)"$/.exec(line);
    if (attribute) {
      current[attribute[1] as "version" | "constraints"] = attribute[2];
      return;
    }
    if (/^hashes\s*=\s*\[$/.test(line)) {
      inHashes = true;
      return;
    }
    if (line === "}") {
      if (!current.version) fail(`provider ${current.address} has no version`);
      providers.push({
        address: current.address,
        version: current.version!,
        ...(current.constraints !== undefined ? { constraints: current.constraints } : {}),
        hashes: current.hashes,
      });
      current = undefined;
      return;
    }
    fail("unexpected line");
  });
  if (current || inHashes) throw new Error(`${file}: unterminated provider block ${current?.address ?? ""}`);
  return providers;
}

/** Reads the project's lock file. */
export function readProjectLock(path: string = projectLockPath()): LockedProvider[] {
  return parseLockFile(readFileSync(path, "utf8"), path);
}

const HEADER = [
  '# This file is maintained automatically by "terraform init".',
  "# Manual edits may be lost in future updates.",
].join("\n");

/**
 * A lock file in Terraform's own layout (what `terraform init` would write for the same entries), optionally
 * with a header of its own and a comment above each block (Terraform reads `#` comments and drops them when
 * it rewrites the file).
 */
export function renderLockFile(
  providers: readonly LockedProvider[],
  notes: { readonly header?: string; readonly comment?: (p: LockedProvider) => string } = {},
): string {
  const comment = (p: LockedProvider) =>
    notes.comment
      ? notes
          .comment(p)
          .split("\n")
          .map((l) => `# ${l}`.trimEnd())
      : [];
  const blocks = [...providers].sort(byAddress).map((p) => {
    const lines = [...comment(p), `provider "${p.address}" {`];
    if (p.constraints !== undefined) {
      lines.push(`  version     = "${p.version}"`, `  constraints = "${p.constraints}"`);
    } else {
      lines.push(`  version = "${p.version}"`);
    }
    if (p.hashes.length > 0) {
      lines.push("  hashes = [", ...[...p.hashes].sort().map((h) => `    "${h}",`), "  ]");
    }
    lines.push("}");
    return lines.join("\n");
  });
  const header =
    notes.header === undefined
      ? HEADER
      : notes.header
          .split("\n")
          .map((l) => `# ${l}`.trimEnd())
          .join("\n");
  return `${header}\n\n${blocks.join("\n\n")}\n`;
}

/** Why `lock` does not cover `required` (one line per provider), or nothing when it does. */
export function lockProblems(
  required: readonly RequiredProvider[],
  lock: readonly LockedProvider[],
): string[] {
  return required.flatMap((r) => {
    const locked = lock.find((l) => l.address === r.address);
    if (!/^\d+\.\d+\.\d+$/.test(r.version))
      return [`${r.address} "${r.version}": not an exact version (the project pins exact provider versions)`];
    if (!locked) return [`${r.address} ${r.version}: not in ${LOCK_FILE_NAME}`];
    if (locked.version !== r.version)
      return [`${r.address} ${r.version}: ${LOCK_FILE_NAME} locks ${locked.version}`];
    return [];
  });
}

/** The lock file of one stack: the project's entries for exactly the providers it requires. */
export function stackLock(
  required: readonly RequiredProvider[],
  lock: readonly LockedProvider[],
): LockedProvider[] {
  return required.map((r) => {
    const locked = lock.find((l) => l.address === r.address && l.version === r.version);
    if (!locked) throw new Error(`${r.address} ${r.version} is not locked`);
    return { ...locked, constraints: r.version };
  });
}

/** A stack requires a provider version the project's lock file does not record. */
export class ProviderLockError extends Error {
  constructor(readonly problems: string[]) {
    super(
      [
        `Providers not covered by ${LOCK_FILE_NAME} (${problems.length}):`,
        ...problems.map((p) => `  - ${p}`),
        "Record their official checksums with `npm run providers:lock` (docs/validation.md), then synthesize again.",
      ].join("\n"),
    );
    this.name = "ProviderLockError";
  }
}

/**
 * Writes `<stack>/.terraform.lock.hcl` for every stack of a synthesized app in `outdir` (read from its
 * manifest). Throws ProviderLockError listing every uncovered provider of every stack before writing any.
 * @param requiredOf the providers a stack requires, by stack name (synth takes them from the stacks'
 *   documents: ProjectStack.synthesizedProviders)
 */
export function writeStackLocks(
  outdir: string,
  requiredOf: (stackName: string) => RequiredProvider[],
  lock: readonly LockedProvider[] = readProjectLock(),
): void {
  const stacks = manifestStacks(outdir).map(({ name, dir }) => ({ name, dir, required: requiredOf(name) }));
  const problems = stacks.flatMap((s) => lockProblems(s.required, lock).map((p) => `${s.name}: ${p}`));
  if (problems.length > 0) throw new ProviderLockError(problems);
  for (const s of stacks)
    writeFileSync(join(s.dir, LOCK_FILE_NAME), renderLockFile(stackLock(s.required, lock)));
}
