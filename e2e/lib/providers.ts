/**
 * Which Terraform providers the e2e can use: it never downloads. It looks in local filesystem mirrors for
 * the exact pinned version (scripts/lib/provider-packages.ts); for the AWS provider only, the image's 5.100.0
 * stands in for the pinned 6.x, which cannot be built on this machine (docs/validation.md). A provider found
 * nowhere excludes the resources that need it, with the reason printed.
 *
 * Each stack's copy gets a lock file the way `npm run validate` makes one (scripts/lib/validate.ts): the
 * project's entry where the mirror package is the official build; otherwise (a stand-in version, or a package
 * compiled from source whose checksum the project's lock does not hold) an entry pinning that package's own
 * checksum, printed. The repository's .terraform.lock.hcl stays the contract for plan and deploy.
 * Pure parts unit-tested in __tests__/e2e/lib/providers.test.ts.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { type LockedProvider, type RequiredProvider, renderLockFile } from "../../lib/provider-lock";
import {
  findPackage,
  mirrorCliConfig,
  packageChecksum,
  terraformPlatform,
} from "../../scripts/lib/provider-packages";
import {
  copyLockEntries,
  type PackageLookup,
  type ProviderUse,
  providerUse,
  shortName,
} from "../../scripts/lib/validate";

/** Mirrors searched, in order (E2E_PROVIDER_MIRRORS, colon-separated, replaces them); only existing ones. */
export function defaultMirrorRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.E2E_PROVIDER_MIRRORS) return env.E2E_PROVIDER_MIRRORS.split(":").filter(Boolean);
  const cache = env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return [
    join(cache, "eksmon", "terraform-mirror"),
    join(cache, "eksmon", "terraform", "mirror"),
    "/opt/tf-plugins",
  ].filter((m) => existsSync(m));
}

/** The AWS provider of the image, 5.100.0, stands in for any pinned aws version the mirrors lack. */
export const STAND_IN_VERSIONS: Readonly<Record<string, string>> = {
  "registry.terraform.io/hashicorp/aws": "5.100.0",
};

/** A provider the stacks require, and the package the run uses for it (or why there is none). */
export interface ProviderResolution {
  readonly required: RequiredProvider;
  readonly use?: ProviderUse;
  readonly missing?: string;
}

/** A lookup of packages in the mirrors, each checksum computed once. */
export function mirrorLookup(
  mirrors: readonly string[],
  osArch = terraformPlatform(),
): (address: string, version: string) => PackageLookup {
  const checksums = new Map<string, string>();
  return (address, version) => {
    const pkg = findPackage(mirrors, address, version, osArch);
    if (!pkg) return { kind: "missing", reason: shortName(address, version) };
    if (!checksums.has(pkg.path)) checksums.set(pkg.path, packageChecksum(pkg));
    return { kind: "found", from: pkg.path, checksum: checksums.get(pkg.path)! };
  };
}

/** Finds each required provider (or its stand-in) through `lookup`, checked against the project's lock. */
export function resolveProviders(
  required: readonly RequiredProvider[],
  lock: readonly LockedProvider[],
  lookup: (address: string, version: string) => PackageLookup,
  searched: string,
): ProviderResolution[] {
  return required.map((r) => {
    const pinned = lookup(r.address, r.version);
    const standIn = STAND_IN_VERSIONS[r.address];
    const overrides = new Map<string, string>(
      pinned.kind === "missing" && standIn ? [[r.address, standIn]] : [],
    );
    const use = providerUse(r, overrides, lock, lookup);
    if ("missing" in use)
      return {
        required: r,
        missing: `provider ${shortName(r.address, r.version)} is in no local mirror (searched ${searched}); nothing is downloaded`,
      };
    return { required: r, use };
  });
}

/** How a provider is used, for the run's output. */
export function resolutionLine(p: ProviderResolution): string {
  if (!p.use) return `${shortName(p.required.address, p.required.version)}: MISSING (${p.missing})`;
  const u = p.use;
  const how = {
    locked: "official package, checksum in .terraform.lock.hcl",
    unpinned: "locked by version only",
    override: `stands in for the pinned ${u.pinned}; its own checksum ${u.checksum} pinned in the copies`,
    relaxed: `not the official build (checksum ${u.checksum} not in .terraform.lock.hcl): pinned in the copies`,
  }[u.check];
  return `${shortName(u.address, u.version)} from ${u.from}: ${how}`;
}

/** The lock file of a stack's copy: the entries for the providers it still requires. */
export function copyLockFile(
  required: readonly RequiredProvider[],
  resolved: readonly ProviderResolution[],
  lock: readonly LockedProvider[],
): string {
  const uses = required.flatMap((r) => {
    const use = resolved.find((p) => p.required.address === r.address)?.use;
    return use ? [use] : [];
  });
  return renderLockFile(copyLockEntries(uses, lock), {
    header:
      "The e2e's copy: the project's entries where the mirror package is the official build, else the\nchecksum of the package the run uses (e2e/lib/providers.ts).",
  });
}

/** A Terraform CLI configuration that installs only from these mirrors, never from a registry. */
export const cliConfig = mirrorCliConfig;
