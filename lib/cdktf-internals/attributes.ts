/**
 * Patch synthesize-attributes (patches.cjs): the security rules (lib/aspects.ts) read a resource's or a
 * provider's attributes through its protected synthesizeAttributes(), without building its Terraform fragment.
 */
import { type TerraformProvider, TerraformResource } from "cdktf";
import { notice, patchesEnabled } from "./patches.cjs";

type Attributes = Record<string, unknown>;

/** The attributes in the element's public Terraform fragment (meta-arguments and overrides merged in). */
function fragmentAttributes(element: TerraformResource | TerraformProvider): Attributes {
  const type = element.terraformResourceType;
  if (TerraformResource.isTerraformResource(element))
    return element.toTerraform().resource?.[type]?.[element.friendlyUniqueId] ?? {};
  return element.toTerraform().provider?.[type]?.[0] ?? {};
}

/**
 * The synthesized Terraform attributes of a resource or provider (snake_case, tokens unresolved). With the
 * patches off, or where synthesizeAttributes() is missing, read from its public toTerraform(): the same
 * attributes, with the meta-arguments (count, lifecycle...) and overrides merged in.
 */
export function synthesizedAttributes(element: TerraformResource | TerraformProvider): Attributes {
  if (patchesEnabled()) {
    const synthesize = (element as unknown as { synthesizeAttributes?: () => Attributes })
      .synthesizeAttributes;
    if (typeof synthesize === "function") return synthesize.call(element);
    notice("synthesize-attributes", `${element.constructor.name} has no synthesizeAttributes()`);
  }
  return fragmentAttributes(element);
}
