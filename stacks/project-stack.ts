import { TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
// cdktf's own merge, so that overrides combine with the elements exactly as cdktf combines them.
import { deepMerge } from "cdktf/lib/util";
import type { IConstruct } from "constructs";
import { type RequiredProvider, requiredProviders, type StackTerraformJson } from "../lib/provider-lock";
import { resolveUnsettled } from "../lib/settled";

/** The elements of a stack, in construct order, not descending into nested stacks (as cdktf lists them). */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) if (!TerraformStack.isStack(child)) terraformElements(child, into);
  return into;
}

/** The private state of cdktf's TerraformStack that its toTerraform reads. */
interface StackInternals {
  readonly cdktfVersion: string;
  readonly rawOverrides: Record<string, unknown>;
}

/**
 * The base of every stack of this project. Stacks share values only through named outputs read from the
 * upstream's state (lib/backend.ts), never through cdktf's implicit cross-stack references, so the
 * preparation pass cdktf runs before synthesis, which resolves every token of the stack once more only to
 * discover such references, is skipped (docs/performance.md). A token of another stack, used by
 * mistake, then renders as an address this stack does not declare, which `terraform validate` refuses; a
 * test keeps every example stack free of them.
 */
export abstract class ProjectStack extends TerraformStack {
  override prepareStack(): void {
    this.ensureBackendExists();
  }

  /**
   * cdktf 0.21's TerraformStack.toTerraform, step for step, resolving through lib/settled.ts: the parts of a
   * document that hold no token are kept rather than rebuilt, and the merged document is not walked a second
   * time for the few override values that hold one. The same document (a test holds the two to each other
   * for every example stack and for tokens in overrides), in less time (docs/performance.md).
   */
  override toTerraform(): ReturnType<TerraformStack["toTerraform"]> {
    const { cdktfVersion, rawOverrides } = this as unknown as StackInternals;
    const metadata = {
      version: cdktfVersion,
      stackName: this.node.id,
      backend: "local", // overwritten by the backend's metadata
      cloud: undefined, // overwritten by a cloud or remote backend's metadata
      ...(Object.keys(rawOverrides).length > 0 ? { overrides: { stack: Object.keys(rawOverrides) } } : {}),
    };
    const elements = terraformElements(this);
    const metadatas = elements.map((e) => resolveUnsettled(this, e.toMetadata()));
    for (const meta of metadatas) deepMerge(metadata, meta);
    const outputs = {};
    for (const output of elements.filter(TerraformOutput.isTerraformOutput)) {
      const nested = output.node.path
        .split("/")
        .reduceRight<object>(
          (inner, part) =>
            Object.keys(inner).length === 0 ? { [part]: output.friendlyUniqueId } : { [part]: inner },
          {},
        );
      deepMerge(outputs, nested);
    }
    const tf = { "//": { metadata, outputs } };
    const fragments = elements.map((e) => resolveUnsettled(this, e.toTerraform()));
    for (const fragment of fragments) deepMerge(tf, fragment);
    deepMerge(tf, rawOverrides);
    const document = resolveUnsettled(this, tf) as StackTerraformJson;
    this.documentProviders = requiredProviders(document);
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
