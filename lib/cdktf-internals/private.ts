/**
 * cdktf's private modules the patches use (patches.cjs: settled-to-terraform), loaded on first use inside a
 * try: a cdktf without them makes that patch skip itself with a notice instead of failing to load the app.
 * esbuild still bundles them (a `require` of a string it can resolve); one it cannot resolve stays a require
 * that fails at run time, here.
 */
import type * as Resolve from "cdktf/lib/tokens/private/resolve";
import type * as Util from "cdktf/lib/util";

export interface PrivateModules {
  /** cdktf's resolver (Tokenization.resolve without the path, which its error messages name). */
  readonly resolve: typeof Resolve.resolve;
  /** cdktf's merge, so that overrides combine with the elements exactly as cdktf combines them. */
  readonly deepMerge: typeof Util.deepMerge;
}

let loaded: PrivateModules | string | undefined;

/** cdktf's private modules, or why they cannot be had (cached: a process has one cdktf). */
export function privateModules(): PrivateModules | string {
  if (loaded !== undefined) return loaded;
  try {
    const { resolve } = require("cdktf/lib/tokens/private/resolve") as typeof Resolve;
    const { deepMerge } = require("cdktf/lib/util") as typeof Util;
    loaded =
      typeof resolve === "function" && typeof deepMerge === "function"
        ? { resolve, deepMerge }
        : "cdktf/lib/tokens/private/resolve has no resolve() or cdktf/lib/util no deepMerge()";
  } catch (error) {
    loaded = `cannot load cdktf's resolver or merge: ${(error as Error).message.split("\n")[0]}`;
  }
  return loaded;
}
