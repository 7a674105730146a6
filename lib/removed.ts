/**
 * Handing objects over: Terraform `removed` blocks (Terraform >= 1.7) that forget a resource the
 * configuration no longer declares (dropped from state, left running) instead of destroying it. cdktf 0.21
 * has no construct for them: they are written into the stack's JSON, one list per stack. An address not in
 * state is ignored (checked with Terraform 1.11.4), so the blocks may stay for good.
 */
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { requireTerraform } from "./terraform";

const forgotten = new WeakMap<TerraformStack, string[]>();

/** Forgets `address` (`<type>.<name>`) in `stack`'s state on the next apply; the object itself is kept. */
export function forget(stack: TerraformStack, address: string): void {
  const addresses = forgotten.get(stack) ?? [];
  if (addresses.includes(address)) return;
  addresses.push(address);
  forgotten.set(stack, addresses);
  stack.addOverride(
    "removed",
    addresses.map((from) => ({ from, lifecycle: { destroy: false } })),
  );
  requireTerraform(stack, "1.7.0");
}

/** A resource a construct no longer declares: its type and its construct path below that construct. */
export interface FormerResource {
  readonly type: string;
  readonly path: readonly string[];
}

/**
 * Forgets resources `scope` declared under an earlier configuration and declares no more, at the addresses
 * cdktf gave them at those paths (deleting the block instead would destroy them, prevent_destroy or not).
 * Returns the addresses.
 */
export function forgetResources(scope: Construct, resources: readonly FormerResource[]): string[] {
  const stack = TerraformStack.of(scope);
  const addresses = resources.map((r) => `${r.type}.${logicalIdAt(stack, scope, r.path)}`);
  for (const address of addresses) forget(stack, address);
  return addresses;
}

/** The logical id cdktf allocates to an element at `path` below `scope` (placeholders made, then taken away). */
export function logicalIdAt(stack: TerraformStack, scope: Construct, path: readonly string[]): string {
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
