/**
 * Terraform `removed` blocks (Terraform >= 1.7): a resource that leaves the configuration is forgotten
 * (dropped from state, left running) instead of destroyed. cdktf 0.21 has no construct for them: they are
 * written into the stack's JSON, one list per stack.
 */
import type { TerraformStack } from "cdktf";

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
}
