/**
 * Adopting objects that already exist (a namespace or add-on made by hand, the tutorial's workspace):
 * Terraform `import` blocks (Terraform >= 1.5), written next to the resource they import into.
 */
import { type TerraformResource, TerraformStack } from "cdktf";
import { dropTerraformVersionProbe } from "./cdktf-internals";

/**
 * Imports the existing object `id` into `resource` on the next plan. cdktf's `importFrom` also adds a
 * validation that runs `terraform version` during synth; it is removed (lib/cdktf-internals/validations.ts,
 * as for the cloud backend): synth runs no subprocess, and the stacks require a recent Terraform anyway.
 *
 * Terraform imports once: when the resource is already in state the block is ignored (checked with
 * Terraform 1.11.4, even with another id), so it may stay in the configuration after the first apply. An
 * id that does not exist fails the plan ("Cannot import non-existent remote object"): adoption is
 * therefore asked for per environment, never guessed.
 */
export function importExisting(resource: TerraformResource, id: string): void {
  resource.importFrom(id);
  dropTerraformVersionProbe(resource);
  const stack = TerraformStack.of(resource);
  const list = imported.get(stack) ?? new Set<TerraformResource>();
  list.add(resource);
  imported.set(stack, list);
}

const imported = new WeakMap<TerraformStack, Set<TerraformResource>>();

/** The addresses (`<type>.<name>`) of the resources `stack` imports. */
export function importedAddresses(stack: TerraformStack): string[] {
  return [...(imported.get(stack) ?? [])].map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`);
}
