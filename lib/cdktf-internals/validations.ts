/**
 * Patch no-terraform-version-probe (patches.cjs): CloudBackend (lib/backend.ts), importFrom
 * (lib/adoption.ts) and the `terraform_data` resource (constructs/grafana/users.ts) add a validation that runs
 * `terraform version` during synth (100-200 ms each); it is removed from the construct, so synth runs no
 * subprocess (the README requires Terraform >= 1.10 anyway).
 */
import type { IConstruct } from "constructs";
import { notice, patchesEnabled } from "./patches.cjs";

/** The class of the validation dropped, by name: the bundle keeps class names (scripts/app.cjs). */
const PROBE_CLASS = "ValidateTerraformVersion";

/**
 * Whether a validation is the `terraform version` probe: by its class name, or, should a bundler rename the
 * class, by the command it runs (cdktf's ValidateBinaryVersion keeps it in `versionCommand`).
 */
function isProbe(v: unknown): boolean {
  const validation = v as { constructor?: { name?: string }; versionCommand?: unknown } | undefined;
  return (
    validation?.constructor?.name === PROBE_CLASS ||
    (typeof validation?.versionCommand === "string" && /^terraform\b/.test(validation.versionCommand))
  );
}

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
  const kept = node._validations.filter((v) => !isProbe(v));
  if (kept.length === node._validations.length) {
    notice("no-terraform-version-probe", `no ${PROBE_CLASS} among the node's validations`);
    return;
  }
  node._validations = kept;
}
