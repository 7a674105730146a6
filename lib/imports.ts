/**
 * Adopting objects that already exist (a namespace or add-on made by hand, the tutorial's workspace):
 * Terraform `import` blocks (Terraform >= 1.5), written next to the resource they import into; and the
 * reverse, handing objects over: `removed` blocks (Terraform >= 1.7) that forget them without deleting.
 */
import { type TerraformResource, TerraformStack } from "cdktf";
import { Construct, type IValidation } from "constructs";
import { requireTerraform } from "./terraform";

/**
 * Imports the existing object `id` into `resource` on the next plan. cdktf's `importFrom` also adds a
 * validation that runs `terraform version` during synth; it is removed (as lib/backend.ts does for the
 * cloud backend): synth runs no subprocess, and the stacks require a recent Terraform anyway.
 *
 * Terraform imports once: when the resource is already in state the block is ignored (checked with
 * Terraform 1.11.4, even with another id), so it may stay in the configuration after the first apply. An
 * id that does not exist fails the plan ("Cannot import non-existent remote object"): adoption is
 * therefore asked for per environment, never guessed.
 */
export function importExisting(resource: TerraformResource, id: string): void {
  resource.importFrom(id);
  const node = resource.node as unknown as { _validations?: IValidation[] };
  node._validations = node._validations?.filter((v) => v.constructor.name !== "ValidateTerraformVersion");
}

/** A resource a construct no longer declares: its type and its construct path below that construct. */
export interface FormerResource {
  readonly type: string;
  readonly path: readonly string[];
}

const forgotten = new WeakMap<TerraformStack, string[]>();

/**
 * Forgets resources `scope` declared under an earlier configuration and declares no more: a `removed`
 * block with `destroy = false` per address, so a plan drops them from state and leaves the objects as they
 * are (deleting the block instead would destroy them, prevent_destroy or not: that lives in the block).
 * An address not in state is ignored (checked with Terraform 1.11.4), so the blocks stay for good.
 * The addresses are the ones cdktf gives the resources at those paths. Returns them.
 */
export function forgetResources(scope: Construct, resources: readonly FormerResource[]): string[] {
  const stack = TerraformStack.of(scope);
  const addresses = resources.map((r) => `${r.type}.${logicalIdAt(stack, scope, r.path)}`);
  const all = [...(forgotten.get(stack) ?? []), ...addresses];
  forgotten.set(stack, all);
  stack.addOverride(
    "removed",
    all.map((from) => ({ from, lifecycle: { destroy: false } })),
  );
  requireTerraform(stack, "1.7.0");
  return addresses;
}

/** The logical id cdktf allocates to an element at `path` below `scope` (placeholders made, then taken away). */
function logicalIdAt(stack: TerraformStack, scope: Construct, path: readonly string[]): string {
  const made: Construct[] = [];
  let node = scope;
  for (const id of path) {
    const child = node.node.tryFindChild(id) as Construct | undefined;
    node = child ?? new Construct(node, id);
    if (!child) made.push(node);
  }
  const id = stack.getLogicalId(node.node);
  for (const placeholder of made.reverse()) placeholder.node.scope?.node.tryRemoveChild(placeholder.node.id);
  return id;
}
