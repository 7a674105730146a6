import { TerraformStack } from "cdktf";

/**
 * The base of every stack of this project. Stacks share values only through named outputs read from the
 * upstream's state (lib/backend.ts), never through cdktf's implicit cross-stack references, so the
 * preparation pass cdktf runs before synthesis, which resolves every token of the stack once more only to
 * discover such references, is skipped: it was a third of a synth. A token of another stack, used by
 * mistake, then renders as an address this stack does not declare, which `terraform validate` refuses; a
 * test keeps every example stack free of them.
 */
export abstract class ProjectStack extends TerraformStack {
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
