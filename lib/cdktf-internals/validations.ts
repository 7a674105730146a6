/**
 * Patch no-terraform-version-probe (patches.cjs): CloudBackend (lib/backend.ts) and importFrom
 * (lib/adoption.ts) add a validation that runs `terraform version` during synth; it is removed from the
 * construct, so synth runs no subprocess (the README requires Terraform >= 1.10 anyway).
 */
import type { IConstruct } from "constructs";
import { notice, patchesEnabled } from "./patches.cjs";

/** The class of the validation dropped, by name: the bundle keeps class names (scripts/app.cjs). */
const PROBE_CLASS = "ValidateTerraformVersion";

/**
 * Removes the `terraform version` validations cdktf added to `construct` (call it right after the call that
 * adds them). With the patches off, or when the node keeps its validations otherwise, they stay and run.
 */
export function dropTerraformVersionProbe(construct: IConstruct): void {
  if (!patchesEnabled()) return;
  const node = construct.node as unknown as { _validations?: unknown };
  if (!Array.isArray(node._validations)) {
    notice("no-terraform-version-probe", "the construct's node keeps no _validations list");
    return;
  }
  const kept = node._validations.filter((v) => v?.constructor?.name !== PROBE_CLASS);
  if (kept.length === node._validations.length) {
    notice("no-terraform-version-probe", `no ${PROBE_CLASS} among the node's validations`);
    return;
  }
  node._validations = kept;
}
