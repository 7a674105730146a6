import { TerraformStack } from "cdktf";
import { prepareStack, stackToTerraform } from "../lib/cdktf-internals";
import { type RequiredProvider, requiredProviders, type StackTerraformJson } from "../lib/provider-lock";
import { requireTerraform } from "../lib/terraform";

/**
 * The base of every stack of this project. Stacks share values only through named outputs read from the
 * upstream's state (lib/backend.ts), never through cdktf's implicit cross-stack references, so the
 * preparation pass cdktf runs before synthesis, which resolves every token of the stack once more only to
 * discover such references, is skipped (docs/performance.md), and the document is resolved without walking
 * its settled parts twice: two patches of cdktf's internals (lib/cdktf-internals/, where each is explained;
 * EKSMON_CDKTF_PATCHES=off runs cdktf's own code instead). A token of another stack, used by mistake, then
 * renders as an address this stack does not declare, which `terraform validate` refuses; a test keeps every
 * example stack free of them.
 */
export abstract class ProjectStack extends TerraformStack {
  override prepareStack(): void {
    prepareStack(this, () => super.prepareStack());
  }

  /**
   * cdktf asks this at synth and, for a stack with `moved` blocks, adds a validation that runs
   * `terraform version` (100-200 ms a stack, every synth). The requirement is written into the stack instead
   * (`required_version`, checked by Terraform at init, like every other floor here), and the probe never runs.
   */
  override hasResourceMove(): boolean {
    if (super.hasResourceMove()) requireTerraform(this, "1.5.0");
    return false;
  }

  override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    const document = stackToTerraform(this, () => super.toTerraform());
    this.documentProviders = requiredProviders(document as StackTerraformJson);
    return document;
  }

  /**
   * The providers the stack's synthesized document requires (its `terraform.required_providers`), which its
   * lock file must cover: read from the document at hand rather than from the file cdktf writes.
   * @throws Error before the stack is synthesized
   */
  synthesizedProviders(): RequiredProvider[] {
    if (!this.documentProviders) throw new Error(`${this.node.id} has not been synthesized yet`);
    return this.documentProviders;
  }
  private documentProviders?: RequiredProvider[];
}
