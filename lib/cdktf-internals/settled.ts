/**
 * Resolving a document that is already resolved, without walking it all again (patch settled-to-terraform,
 * patches.cjs).
 *
 * cdktf's TerraformStack.toTerraform resolves every element, merges the results with the stack's raw
 * overrides, and then resolves the merged document once more, for the tokens the overrides may hold. That
 * second pass rebuilds every object and re-parses every string of the stack to change, in practice, a
 * handful of override values. `resolveUnsettled` returns what that pass returns: the parts nothing can
 * change are kept as they are, and only the rest goes through cdktf's own resolver.
 */
import { DefaultTokenResolver, StringConcat, Token, Tokenization } from "cdktf";
import type { IConstruct } from "constructs";
import { type PrivateModules, privateModules } from "./private";

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * cdktf's pattern for numbers written into strings (tokens/private/encoding.ts): a number token interpolated
 * into a string shows as a huge double, e.g. "-1.8881545897087626e+289", which the resolver looks up.
 */
const NUMBER_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;
/** What every match of NUMBER_IN_STRING contains: most strings lack it, and skip the matching. */
const NUMBER_IN_STRING_HINT = /[-|\d.+]e[-|\d.eE+]/;

/**
 * cdktf encodes a number token as a negative double with exponent bits 0x7DF (about -4e298 and beyond), a
 * number-list token with 0x7BF (about -1e289): either is at least 2^960 in magnitude. Anything smaller is
 * an ordinary number, told apart without the resolver's byte-level decoding.
 */
const SMALLEST_NUMBER_TOKEN = 2 ** 960;

/** A number the resolver would replace: a number token, a number-list token or the map-token marker. */
function isNumberToken(value: number): boolean {
  if (value === Token.NUMBER_MAP_TOKEN_VALUE) return true;
  if (!(Math.abs(value) >= SMALLEST_NUMBER_TOKEN)) return false; // NaN too: never a token
  return Token.isUnresolved(value) || Token.isUnresolved([value]);
}

/** Whether the resolver returns `value`, a string, unchanged. */
function settledString(value: string): boolean {
  if (value.includes("TfToken[")) return false; // a string, list or map token marker
  if (value === Token.STRING_MAP_TOKEN_VALUE || value === Token.ANY_MAP_TOKEN_VALUE) return false;
  if (!NUMBER_IN_STRING_HINT.test(value)) return true;
  for (const match of value.matchAll(NUMBER_IN_STRING)) {
    if (isNumberToken(Number.parseFloat(match[0]))) return false;
  }
  return true;
}

/** An object the resolver copies key by key (not a token, a construct or an instance of a class). */
function isPlainData(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return (
    (prototype === Object.prototype || prototype === null) &&
    !Tokenization.isResolvable(value) &&
    !("_children" in value && "_metadata" in value)
  );
}

/**
 * Whether cdktf's resolver would return something equal to `value`, serialized byte for byte the same: no
 * token anywhere in it, no undefined to drop, nothing but plain data. False for anything else (conservative:
 * false only costs the full resolution).
 */
export function isSettled(value: unknown): boolean {
  switch (typeof value) {
    case "boolean":
      return true;
    case "string":
      return settledString(value);
    case "number":
      return !isNumberToken(value);
    case "object":
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isSettled);
      return (
        isPlainData(value) && Object.keys(value).every((key) => settledString(key) && isSettled(value[key]))
      );
    default:
      return false; // undefined (dropped), functions (refused), symbols, bigints
  }
}

/**
 * What cdktf's resolver returns for `value` (as the stack resolves its documents), computed by handing only the
 * unsettled parts to it: a plain object is walked key by key, anything else that is not settled (a token,
 * an array holding one, an undefined) is resolved whole, with the path the full resolution would report
 * in its errors. A plain object's context carries nothing down (cdktf passes escapes and braces only
 * through tokens), so resolving a part on its own gives what resolving it inside the document gives.
 * @throws Error when cdktf's private resolver cannot be loaded (the patch checks that before it applies)
 */
export function resolveUnsettled(scope: IConstruct, value: unknown): unknown {
  const modules = privateModules();
  if (typeof modules === "string") throw new Error(modules);
  return resolveAt(scope, value, [], modules.resolve);
}

/** resolveUnsettled, with `path` the keys from the root to `value` (one array, extended and restored). */
function resolveAt(
  scope: IConstruct,
  value: unknown,
  path: string[],
  resolve: PrivateModules["resolve"],
): unknown {
  // isPlainData is false for arrays (their prototype is Array.prototype): those are resolved whole.
  if (
    typeof value === "object" &&
    value !== null &&
    isPlainData(value) &&
    Object.keys(value).every(settledString)
  ) {
    const result: Record<string, unknown> = {};
    let changed = false;
    for (const key of Object.keys(value)) {
      path.push(key);
      const resolved = resolveAt(scope, value[key], path, resolve);
      path.pop();
      // An undefined value is dropped, as the resolver drops it: a copy without the key.
      if (resolved === undefined || resolved !== value[key]) changed = true;
      if (resolved !== undefined) result[key] = resolved;
    }
    return changed ? result : value;
  }
  if (isSettled(value)) return value;
  return resolve(value, { scope, prefix: [...path], preparing: false, resolver: RESOLVER });
}
