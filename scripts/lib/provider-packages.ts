/**
 * Provider packages on this machine: where a filesystem mirror holds one, and its checksum in the form the
 * dependency lock file records (`h1:` for an unpacked package, `zh:` for a release zip), so `npm run validate`
 * can tell an official build (its checksum is in .terraform.lock.hcl) from a local one before running
 * Terraform. The checksum algorithms are Terraform's (internal/getproviders/hash.go): h1 is Go's dirhash
 * "Hash1" over the unpacked files, zh the SHA-256 of the zip.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { arch, platform } from "node:os";
import { join } from "node:path";

/** Terraform's name for this machine's platform, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
  const os = platform() === "win32" ? "windows" : platform();
  const cpu = ({ x64: "amd64", ia32: "386", arm64: "arm64", arm: "arm" } as Record<string, string>)[arch()];
  return `${os}_${cpu ?? arch()}`;
}

function filesUnder(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel)).flatMap((name) => {
    const path = rel ? `${rel}/${name}` : name;
    return statSync(join(dir, path)).isDirectory() ? filesUnder(dir, path) : [path];
  });
}

/** `h1:` checksum of an unpacked provider package (what `terraform init` compares with the lock file). */
export function packageHashV1(dir: string): string {
  const root = realpathSync(dir);
  const summary = createHash("sha256");
  for (const file of filesUnder(root).sort()) {
    const digest = createHash("sha256")
      .update(readFileSync(join(root, file)))
      .digest("hex");
    summary.update(`${digest}  ${file}\n`);
  }
  return `h1:${summary.digest("base64")}`;
}

/** `zh:` checksum of a provider release zip. */
export function zipHash(file: string): string {
  return `zh:${createHash("sha256").update(readFileSync(file)).digest("hex")}`;
}

/** A provider package found in a filesystem mirror. */
export interface MirrorPackage {
  readonly mirror: string;
  readonly path: string;
  readonly layout: "unpacked" | "packed";
}

/**
 * The package of `address` (`host/namespace/type`) at `version` for `os_arch` in the first mirror holding it,
 * in either layout Terraform reads: `<host>/<ns>/<type>/<version>/<os_arch>/` (unpacked) or
 * `<host>/<ns>/<type>/terraform-provider-<type>_<version>_<os_arch>.zip` (packed).
 */
export function findPackage(
  mirrors: readonly string[],
  address: string,
  version: string,
  osArch: string = terraformPlatform(),
): MirrorPackage | undefined {
  const type = address.split("/")[2];
  for (const mirror of mirrors) {
    const unpacked = join(mirror, address, version, osArch);
    if (existsSync(unpacked) && statSync(unpacked).isDirectory())
      return { mirror, path: unpacked, layout: "unpacked" };
    const packed = join(mirror, address, `terraform-provider-${type}_${version}_${osArch}.zip`);
    if (existsSync(packed)) return { mirror, path: packed, layout: "packed" };
  }
  return undefined;
}

/** Versions of `address` for `os_arch` that the mirrors hold, newest first by semantic version. */
export function mirrorVersions(
  mirrors: readonly string[],
  address: string,
  osArch: string = terraformPlatform(),
): string[] {
  const type = address.split("/")[2];
  const found = new Set<string>();
  for (const mirror of mirrors) {
    const dir = join(mirror, address);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir)) {
      if (existsSync(join(dir, entry, osArch))) found.add(entry);
      const zip = new RegExp(`^terraform-provider-${type}_(.+)_${osArch}\\.zip$`).exec(entry);
      if (zip) found.add(zip[1]);
    }
  }
  const key = (v: string) => v.split(/[.-]/).map((p) => Number(p) || 0);
  return [...found].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++)
      if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
    return 0;
  });
}

/** The checksum of a found package in the lock file's notation. */
export function packageChecksum(pkg: MirrorPackage): string {
  return pkg.layout === "unpacked" ? packageHashV1(pkg.path) : zipHash(pkg.path);
}

/** A Terraform CLI configuration that installs every provider from these filesystem mirrors, nothing else. */
export function mirrorCliConfig(mirrors: readonly string[]): string {
  const blocks = mirrors.map(
    (m) => `  filesystem_mirror {\n    path    = ${JSON.stringify(m)}\n    include = ["*/*/*"]\n  }`,
  );
  return `provider_installation {\n${blocks.join("\n")}\n  direct {\n    exclude = ["*/*/*"]\n  }\n}\n`;
}
