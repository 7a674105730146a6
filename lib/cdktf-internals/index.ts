/**
 * The door to every patch of cdktf's internals (the list, with why and the version each was written for, is
 * ./patches.cjs; the switch EKSMON_CDKTF_PATCHES=off turns them all off). Code outside this folder imports
 * from here, never a private cdktf module.
 */
export { synthesizedAttributes } from "./attributes";
export { patchesEnabled } from "./patches.cjs";
export { isSettled, resolveUnsettled } from "./settled";
export { prepareStack, type StackDocument, stackToTerraform } from "./stack";
export { dropTerraformVersionProbe } from "./validations";
