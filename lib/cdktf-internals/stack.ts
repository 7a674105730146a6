/**
 * The patches of TerraformStack (patches.cjs: skip-stack-preparation, settled-to-terraform), for
 * ProjectStack (stacks/project-stack.ts), the base of every stack of this project.
 */
import { TerraformElement, TerraformOutput, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { notice, patchesEnabled } from "./patches.cjs";
import { privateModules } from "./private";
import { resolveUnsettled } from "./settled";

/** A synthesized stack document, as TerraformStack.toTerraform returns it. */
// biome-ignore lint/suspicious/noExplicitAny: cdktf types it so
export type StackDocument = Record<string, any>;

/**
 * TerraformStack.prepareStack for a stack that shares values only through named outputs read from the
 * upstream's state (lib/backend.ts), never through cdktf's implicit cross-stack references: only
 * ensureBackendExists(), without the pass that resolves every token of the stack once more to discover such
 * references (a third of a synth). A token of another stack, used by mistake, then renders as an address this
 * stack does not declare, which `terraform validate` refuses; a test keeps every example stack free of them.
 * @param cdktfPrepare cdktf's own prepareStack (`() => super.prepareStack()`), run with the patches off
 */
export function prepareStack(stack: TerraformStack, cdktfPrepare: () => void): void {
  if (patchesEnabled()) stack.ensureBackendExists();
  else cdktfPrepare();
}

/** The elements of a stack, in construct order, not descending into nested stacks (as cdktf lists them). */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) if (!TerraformStack.isStack(child)) terraformElements(child, into);
  return into;
}

/** The private state of cdktf's TerraformStack that its toTerraform reads. */
interface StackInternals {
  readonly cdktfVersion?: string;
  readonly rawOverrides: Record<string, unknown>;
}

/** The stack's internals, or why they are not what settledToTerraform was written against. */
function internalsOf(stack: TerraformStack): StackInternals | string {
  const internals = stack as unknown as Partial<StackInternals>;
  if (typeof internals.rawOverrides !== "object" || internals.rawOverrides === null)
    return "TerraformStack has no rawOverrides object";
  if (!("cdktfVersion" in stack)) return "TerraformStack has no cdktfVersion field";
  return internals as StackInternals;
}

/**
 * TerraformStack.toTerraform (cdktf 0.21.0 and cdktn 0.24.0 alike), step for step, resolving through
 * ./settled.ts: the parts of a document that hold no token are kept rather than rebuilt, and the merged
 * document is not walked a second time for the few override values that hold one. The same document (a test
 * holds the two to each other for every example stack and for tokens in overrides); ~5% of a synth less
 * (418 -> 395 ms, median of 25).
 * @param cdktfToTerraform cdktf's own toTerraform (`() => super.toTerraform()`), run with the patches off or
 *   when the stack's internals are not those it was written against (said once on stderr)
 */
export function stackToTerraform(
  stack: TerraformStack,
  cdktfToTerraform: () => StackDocument,
): StackDocument {
  if (!patchesEnabled()) return cdktfToTerraform();
  const modules = privateModules();
  const internals = internalsOf(stack);
  if (typeof modules === "string" || typeof internals === "string") {
    notice("settled-to-terraform", typeof modules === "string" ? modules : (internals as string));
    return cdktfToTerraform();
  }
  const { deepMerge } = modules;
  const { cdktfVersion, rawOverrides } = internals;
  const metadata = {
    version: cdktfVersion,
    stackName: stack.node.id,
    backend: "local", // overwritten by the backend's metadata
    cloud: undefined, // overwritten by a cloud or remote backend's metadata
    ...(Object.keys(rawOverrides).length > 0 ? { overrides: { stack: Object.keys(rawOverrides) } } : {}),
  };
  const elements = terraformElements(stack);
  const metadatas = elements.map((e) => resolveUnsettled(stack, e.toMetadata()));
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
  const fragments = elements.map((e) => resolveUnsettled(stack, e.toTerraform()));
  for (const fragment of fragments) deepMerge(tf, fragment);
  deepMerge(tf, rawOverrides);
  return resolveUnsettled(stack, tf) as StackDocument;
}
