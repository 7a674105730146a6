import { Fn, Op } from "cdktf";

/** Helpers for text that goes into Terraform JSON. */

/** Escapes Terraform template sequences in literal text: `${` -> `$${`, `%{` -> `%%{`. */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** Compares dotted numeric versions ("1.10.0" vs "1.9.8"): negative, zero or positive, like a sort function. */
export function compareVersions(a: string, b: string): number {
  const x = a.split(".").map(Number);
  const y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** An EKS add-on version, `v<major>.<minor>.<patch>-eksbuild.<build>`, in HCL's regex syntax (no backslashes). */
const ADDON_VERSION_HCL_REGEX = "^v([0-9]+)[.]([0-9]+)[.]([0-9]+)-eksbuild[.]([0-9]+)$";
const ADDON_VERSION_WEIGHTS = [1e9, 1e6, 1e3, 1];

/** An add-on version as one comparable number (major, minor, patch and build, 3 digits each below major). */
export function addonVersionNumber(version: string): number {
  const m = /^v(\d+)\.(\d+)\.(\d+)-eksbuild\.(\d+)$/.exec(version);
  if (!m)
    throw new Error(`"${version}" is not an EKS add-on version (v<major>.<minor>.<patch>-eksbuild.<n>)`);
  return m.slice(1).reduce((sum, part, i) => sum + Number(part) * ADDON_VERSION_WEIGHTS[i], 0);
}

/** The same number, computed by Terraform from a version string (e.g. a data source's attribute). */
export function addonVersionNumberExpression(version: string): number {
  const parts = Fn.regex(ADDON_VERSION_HCL_REGEX, version);
  const weighted = ADDON_VERSION_WEIGHTS.map((weight, i) =>
    Op.mul(Fn.tonumber(Fn.element(parts, i)), weight),
  );
  return weighted.slice(1).reduce((sum, part) => Op.add(sum, part), weighted[0]);
}
