/**
 * The pure parts of `npm run validate`: which provider package each stack is checked with (and whether the
 * lock file still guards it), reading `terraform validate -json` and `terraform init` output, and the lines
 * it prints. No I/O here, so every case is unit-tested (__tests__/scripts/lib/validate.test.ts).
 */
import { type LockedProvider, providerAddress, type RequiredProvider } from "../../lib/provider-lock";

/** One diagnostic of `terraform validate -json` (the fields used here). */
export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
}

/**
 * How a provider is checked:
 * - `locked`: the package's checksum is checked against .terraform.lock.hcl (what plan and deploy do);
 * - `unpinned`: the lock file records its version only (UNPINNED_PROVIDERS in lib/provider-lock.ts);
 * - `override`: another version than the stacks pin, asked for with a provider override;
 * - `relaxed`: the mirror's package is not the official build (its checksum is not in the lock file), so
 *   validate's copy of the stack locks that package's own checksum instead (copyLockEntries).
 */
export type ProviderCheck = "locked" | "unpinned" | "override" | "relaxed";

/** The provider package one validate run uses for an address. */
export interface ProviderUse {
  readonly address: string;
  readonly version: string;
  readonly check: ProviderCheck;
  /** The version the stacks pin, when overridden. */
  readonly pinned?: string;
  /** Where the package comes from: a mirror folder, or Terraform's own installation settings. */
  readonly from: string;
  /** The package's checksum, when read from a mirror. */
  readonly checksum?: string;
}

/** Outcome of one stack. */
export interface StackResult {
  readonly stack: string;
  readonly status: "pass" | "fail" | "not-validated";
  /** First error, or why the stack could not be validated. */
  readonly problem?: string;
  readonly warnings: number;
  /** Seconds spent on the stack (init + validate). */
  readonly seconds?: number;
  /** The providers it was checked with. */
  readonly providers?: readonly ProviderUse[];
}

/** Provider overrides: `aws=5.100.0,grafana/grafana=4.20.0` -> address -> version. Throws on a bad entry. */
export function parseOverrides(text: string, origin = "VALIDATE_PROVIDER_OVERRIDES"): Map<string, string> {
  const overrides = new Map<string, string>();
  for (const entry of text
    .split(/[,\s]+/)
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([A-Za-z0-9._/-]+)=(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(entry);
    if (!match)
      throw new Error(`${origin}: "${entry}" is not <provider>=<version> (expected e.g. aws=5.100.0)`);
    overrides.set(providerAddress(match[1]), match[2]);
  }
  return overrides;
}

/** What validate knows about a provider's package before running Terraform. */
export type PackageLookup =
  /** No mirror given: Terraform installs as its CLI configuration says (registry, or the user's mirrors). */
  | { readonly kind: "terraform"; readonly from: string }
  | { readonly kind: "found"; readonly from: string; readonly checksum: string }
  | { readonly kind: "missing"; readonly reason: string };

/**
 * The package a stack's provider is validated with and how it is checked, or why the stack cannot be
 * validated: the lock entry guards the package unless the version is overridden or the mirror's package is
 * not the official build (its checksum is not among the entry's).
 */
export function providerUse(
  required: RequiredProvider,
  overrides: ReadonlyMap<string, string>,
  lock: readonly LockedProvider[],
  lookup: (address: string, version: string) => PackageLookup,
): ProviderUse | { readonly missing: string } {
  const override = overrides.get(required.address);
  const version = override ?? required.version;
  const found = lookup(required.address, version);
  if (found.kind === "missing") return { missing: found.reason };
  const base = {
    address: required.address,
    version,
    from: found.from,
    ...(found.kind === "found" ? { checksum: found.checksum } : {}),
  };
  if (override !== undefined && override !== required.version)
    return { ...base, check: "override", pinned: required.version };
  const entry = lock.find((l) => l.address === required.address && l.version === version);
  if (!entry || entry.hashes.length === 0) return { ...base, check: "unpinned" };
  if (found.kind === "found" && !entry.hashes.includes(found.checksum)) return { ...base, check: "relaxed" };
  return { ...base, check: "locked" };
}

/**
 * The lock file of validate's copy of a stack: the project's entry for a `locked` or `unpinned` provider; for
 * an `override` or `relaxed` one read from a mirror, an entry with that package's own checksum (the one the
 * banner and summary print), so Terraform still installs exactly the package validate looked at; without a
 * checksum (an override installed by Terraform itself), no entry.
 */
export function copyLockEntries(
  uses: readonly ProviderUse[],
  lock: readonly LockedProvider[],
): LockedProvider[] {
  return uses.flatMap((u) => {
    if (u.check === "locked" || u.check === "unpinned") {
      const entry = lock.find((l) => l.address === u.address && l.version === u.version);
      return entry ? [{ ...entry, constraints: u.version }] : [];
    }
    return u.checksum
      ? [{ address: u.address, version: u.version, constraints: u.version, hashes: [u.checksum] }]
      : [];
  });
}

/** `hashicorp/aws 5.100.0` (the default registry host left out). */
export function shortName(address: string, version?: string): string {
  const name = address.replace(/^registry\.terraform\.io\//, "");
  return version ? `${name} ${version}` : name;
}

const CHECK_LABEL: Record<ProviderCheck, string> = {
  locked: "",
  unpinned: " UNPINNED",
  override: " OVERRIDE",
  relaxed: " LOCK-RELAXED",
};

/** `aws 5.100.0 OVERRIDE, helm 3.1.1 LOCK-RELAXED` */
export function providersLabel(uses: readonly ProviderUse[]): string {
  return uses.map((u) => `${u.address.split("/")[2]} ${u.version}${CHECK_LABEL[u.check]}`).join(", ");
}

/** One line per provider package of the run, saying where it came from and how far the lock file vouches for it. */
export function providerReportLine(u: ProviderUse): string {
  const where = `from ${u.from}${u.checksum ? ` (${u.checksum})` : ""}`;
  const name = shortName(u.address, u.version);
  switch (u.check) {
    case "locked":
      return `  ${name}: ${where}; checksum checked against .terraform.lock.hcl`;
    case "unpinned":
      return `  ${name}: ${where}; UNPINNED: .terraform.lock.hcl records its version only, no checksum`;
    case "override":
      return `  ${name}: ${where}; OVERRIDE of the pinned ${u.pinned}: the lock file's checksums are for ${u.pinned}, not checked against them${u.checksum ? "; the copy's lock pins the checksum shown" : ""}`;
    case "relaxed":
      return `  ${name}: ${where}; LOCK-RELAXED: not an official checksum in .terraform.lock.hcl (a local build): the copy's lock pins the checksum shown; used for validate only`;
  }
}

/** The banner printed before anything else when overrides are in force. */
export function overrideBanner(
  overrides: ReadonlyArray<{ address: string; pinned: string; version: string }>,
): string {
  const rule = "#".repeat(100);
  return [
    rule,
    "# PROVIDER VERSION OVERRIDE (npm run validate only; plan and deploy always use the pinned versions)",
    ...overrides.map((o) => `#   ${shortName(o.address)}: pinned ${o.pinned} -> validated with ${o.version}`),
    "# A PASS below means: valid against the overriding version's schema. Arguments only the pinned version",
    "# knows fail; arguments only the overriding version knows pass. Not a substitute for validating the pins.",
    rule,
  ].join("\n");
}

/** The banner printed when packages that are not the official builds are used (lock relaxed for them). */
export function relaxedBanner(uses: readonly ProviderUse[]): string {
  const rule = "#".repeat(100);
  return [
    rule,
    "# LOCK CHECK RELAXED for these provider packages (npm run validate only, never plan or deploy):",
    ...uses.map(
      (u) => `#   ${shortName(u.address, u.version)} from ${u.from}: ${u.checksum ?? "checksum unknown"}`,
    ),
    "# Their checksums are not the official ones in .terraform.lock.hcl (local builds of the same sources):",
    "# validate's copies of the stacks lock these checksums instead. The repository's lock file is unchanged.",
    rule,
  ].join("\n");
}

/** Reads the JSON `terraform validate -json` prints (also on failure) into a result for `stack`. */
export function parseValidateOutput(stack: string, stdout: string): StackResult {
  let report: { valid?: boolean; diagnostics?: Diagnostic[] };
  try {
    report = JSON.parse(stdout);
  } catch {
    const first = stdout.trim().split("\n")[0] || "no output";
    return { stack, status: "fail", problem: `validate did not print JSON: ${first}`, warnings: 0 };
  }
  const diagnostics = report.diagnostics ?? [];
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const firstError = diagnostics.find((d) => d.severity === "error");
  if (report.valid === true && !firstError) return { stack, status: "pass", warnings };
  return {
    stack,
    status: "fail",
    problem: firstError ? describeDiagnostic(firstError) : "invalid configuration (no diagnostic given)",
    warnings,
  };
}

/** `summary: first line of detail (file:line)` of a diagnostic. */
export function describeDiagnostic(d: Diagnostic): string {
  const detail = d.detail?.split("\n").find((line) => line.trim() !== "");
  const where = d.address ?? (d.range ? `${d.range.filename}:${d.range.start.line}` : undefined);
  return [d.summary, detail ? `: ${detail.trim()}` : "", where ? ` (${where})` : ""].join("");
}

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/**
 * The first `Error: ...` of `terraform init` output and the paragraph after it, on one line (ANSI colours
 * and box drawing removed, at most 300 characters).
 */
export function firstInitError(output: string): string {
  const lines = output
    .replace(ANSI_COLOUR, "")
    .split("\n")
    .map((l) => l.replace(/^[\s│╷╵]+/, "").trim());
  const i = lines.findIndex((l) => l.startsWith("Error:"));
  if (i < 0) return lines.find((l) => l !== "") ?? "terraform init failed";
  let start = i + 1;
  while (start < lines.length && lines[start] === "") start++;
  let end = start;
  while (end < lines.length && lines[end] !== "") end++;
  const text = [lines[i], ...lines.slice(start, end)].join(" ");
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/**
 * True when `terraform init` failed because it could not get a provider package at all (no registry, not in
 * any mirror): the stack is then not validated rather than failed. A checksum mismatch is a failure.
 */
export function providerUnavailable(initError: string): boolean {
  return /could not connect to|failed to request discovery document|not found in any of the search locations|no available releases match/i.test(
    initError,
  );
}

/** Why a stack could not be validated, in one short line, from an init error that providerUnavailable accepts. */
export function unavailableReason(initError: string): string {
  const provider = /for provider ([\w./-]+):/.exec(initError)?.[1];
  const host = /could not connect to ([\w.-]+)/.exec(initError)?.[1];
  if (host)
    return `${host} unreachable${provider ? ` (for ${provider})` : ""}: give a filesystem mirror (--mirror) or run where the registry is reachable`;
  const missing = /provider ([\w./-]+) was not found in any of the search locations/.exec(initError)?.[1];
  if (missing) return `${missing} is not where Terraform's CLI configuration looks for providers`;
  return initError;
}

/** `PASS <stack> [providers] (...)`, `FAIL <stack>: <problem>` or `NOT VALIDATED <stack>: <reason>`. */
export function resultLine(r: StackResult): string {
  const extras = [
    r.warnings > 0 ? `${r.warnings} warning${r.warnings === 1 ? "" : "s"}` : undefined,
    r.seconds !== undefined ? `${r.seconds.toFixed(1)}s` : undefined,
  ].filter(Boolean);
  const suffix = extras.length > 0 ? ` (${extras.join(", ")})` : "";
  const with_ = r.providers?.length ? ` [${providersLabel(r.providers)}]` : "";
  if (r.status === "pass") return `PASS ${r.stack}${with_}${suffix}`;
  if (r.status === "fail") return `FAIL ${r.stack}${with_}: ${r.problem}${suffix}`;
  return `NOT VALIDATED ${r.stack}: ${r.problem}`;
}

/** The final line: `N validated (N passed, N failed), N not validated`. */
export function summaryLine(results: readonly StackResult[]): string {
  const count = (s: StackResult["status"]) => results.filter((r) => r.status === s).length;
  const passed = count("pass");
  const failed = count("fail");
  return `${passed + failed} validated (${passed} passed, ${failed} failed), ${count("not-validated")} not validated`;
}

/**
 * The exit code: 1 on any failure; with `strict` (every stack must be validated with exactly the pinned,
 * checksum-checked providers, as in the pull-request workflow) also on a stack not validated, an override
 * or a relaxed lock check.
 */
export function exitCode(results: readonly StackResult[], strict: boolean): number {
  if (results.some((r) => r.status === "fail")) return 1;
  if (!strict) return 0;
  const weak = results.some(
    (r) =>
      r.status === "not-validated" ||
      r.providers?.some((u) => u.check === "override" || u.check === "relaxed"),
  );
  return weak ? 1 : 0;
}

/** Runs `task` over `items` with at most `limit` at a time; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
