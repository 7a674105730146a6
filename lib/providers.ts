import { TerraformProvider, TerraformStack } from "cdktf";
import type { Construct } from "constructs";

/**
 * The stack's default provider of a type, created the first time a construct needs it: a construct that
 * uses the `time` or `http` provider calls this instead of relying on the stack to have made one.
 */
export function ensureProvider(
  scope: Construct,
  type: string,
  create: (stack: TerraformStack) => TerraformProvider,
): TerraformProvider {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.children.find(
    (c): c is TerraformProvider =>
      TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === type && c.alias === undefined,
  );
  return existing ?? create(stack);
}
