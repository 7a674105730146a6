/** Helpers for text that goes into Terraform JSON. */
import type { TerraformStack } from "cdktf";

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

/**
 * The oldest Terraform this project's stacks run with (README "Prerequisites"): S3-native state locking
 * (`use_lockfile`) and ephemeral resources (the cluster token) arrived in 1.10.
 */
export const MIN_TERRAFORM_VERSION = "1.10.0";

const requiredTerraform = new WeakMap<TerraformStack, string>();

/**
 * Refuses Terraform older than `version` for the stack at `terraform init` (`required_version`), with
 * Terraform's own message: for what the stack uses (S3-native locking and ephemeral resources need 1.10,
 * `removed` blocks 1.7, import blocks 1.5). The highest requirement wins, whoever asks first.
 */
export function requireTerraform(stack: TerraformStack, version: string): void {
  const current = requiredTerraform.get(stack);
  if (current && compareVersions(version, current) <= 0) return;
  requiredTerraform.set(stack, version);
  stack.addOverride("terraform.required_version", `>= ${version}`);
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

/**
 * The condition "add-on version `left` >= `right`" for a precondition or check block, where each side is a
 * version string known at synth (compared as its number) or held by Terraform (a reference such as a data
 * source's `version`, computed in HCL with regex and tonumber). An error in that computation (AWS answering
 * a version of another shape) makes the condition true: the check steps aside rather than blocking a plan.
 *
 * Written as HCL text around the references rather than built with Fn and Op: cdktf resolves such a nested
 * expression once per level of nesting (slow: docs/performance.md), while a reference inside `${...}` text
 * resolves once. The text is what Fn.try/Op.gte/Fn.regex would render, byte for byte.
 */
export function addonVersionAtLeast(left: AddonVersionSide, right: AddonVersionSide): string {
  return `\${try((${addonVersionNumberHcl(left)} >= ${addonVersionNumberHcl(right)}), true)}`;
}

/** One side of addonVersionAtLeast: a version string, or a reference to one held by Terraform. */
export type AddonVersionSide = { readonly version: string } | { readonly reference: string };

/** The number of one side, as HCL (inside `${...}`). */
function addonVersionNumberHcl(side: AddonVersionSide): string {
  if ("version" in side) return String(addonVersionNumber(side.version));
  const parts = `regex(${JSON.stringify(ADDON_VERSION_HCL_REGEX)}, ${side.reference})`;
  const weighted = ADDON_VERSION_WEIGHTS.map(
    (weight, i) => `(tonumber(element(${parts}, ${i})) * ${weight})`,
  );
  return weighted.slice(1).reduce((sum, part) => `(${sum} + ${part})`, weighted[0]);
}

/**
 * Sets `for_each` of a resource or data source to the HCL expression `hcl` (text around references, in the
 * form of `addonVersionAtLeast`: cdktf resolves the references inside once, where Fn/Op nesting costs a
 * resolution per level). The element is `each.value` (give the resource `TerraformIterator.fromList([])`'s
 * iterator for it); `hcl` must evaluate to a set or a list of strings (it is passed through `toset`).
 */
export function forEachOf(element: { addOverride(path: string, value: unknown): void }, hcl: string): void {
  element.addOverride("for_each", `\${toset(${hcl})}`);
}
