/**
 * Compares two synthesized outputs (two `cdktf.out` folders) file by file, as the cdktn leg of CI does
 * (scripts/cdktn.ts): the same app synthesized with cdktf 0.21 and with its fork cdktn must write the same
 * Terraform. Each package stamps its own version into the manifest (its `version`) and into each stack's
 * metadata (`//.metadata.version`): that stamp is the one difference allowed. JSON files are compared as
 * documents (Terraform reads JSON, not its layout), every other file (lock files) byte for byte.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { MANIFEST_FILE, readManifest } from "../../lib/synth-output.cjs";

/** How one file compares. */
export type FileComparison =
  | { readonly file: string; readonly status: "identical" }
  /** Equal as documents, but written differently (e.g. `{}` on one line or two). */
  | { readonly file: string; readonly status: "layout" }
  /** Equal as documents once the version stamp is set aside. */
  | { readonly file: string; readonly status: "stamp"; readonly layout: boolean }
  | { readonly file: string; readonly status: "different"; readonly detail: string }
  | { readonly file: string; readonly status: "missing"; readonly in: "left" | "right" };

export interface SynthComparison {
  readonly left: { readonly version: string | undefined };
  readonly right: { readonly version: string | undefined };
  readonly stacks: number;
  readonly files: readonly FileComparison[];
}

/** Every file under `dir`, by path relative to it (forward slashes), sorted. */
export function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesUnder(dir, path) : [path];
    })
    .sort();
}

/** The document without the version stamp cdktf writes into it (a copy; other fields untouched). */
export function withoutVersionStamp(file: string, document: unknown): unknown {
  if (typeof document !== "object" || document === null) return document;
  const copy = structuredClone(document) as Record<string, unknown>;
  if (file === MANIFEST_FILE || file.endsWith(`/${MANIFEST_FILE}`)) delete copy.version;
  const meta = (copy["//"] as { metadata?: Record<string, unknown> } | undefined)?.metadata;
  if (meta) delete meta.version;
  return copy;
}

/** The first path at which two JSON values differ, for the report (`a.b[2]: x != y`). */
export function firstDifference(a: unknown, b: unknown, path = ""): string | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  const bothObjects = typeof a === "object" && a !== null && typeof b === "object" && b !== null;
  if (bothObjects && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) {
      const at = Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        at,
      );
      if (found) return found;
    }
  }
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v)?.slice(0, 80));
  return `${path || "(root)"}: ${show(a)} != ${show(b)}`;
}

/** How file `file` of `left` compares with the same file of `right` (both present). */
export function compareFile(file: string, left: Buffer, right: Buffer): FileComparison {
  if (left.equals(right)) return { file, status: "identical" };
  if (!file.endsWith(".json")) return { file, status: "different", detail: "not the same bytes" };
  let a: unknown;
  let b: unknown;
  try {
    a = JSON.parse(left.toString("utf8"));
    b = JSON.parse(right.toString("utf8"));
  } catch (error) {
    return { file, status: "different", detail: `not JSON: ${(error as Error).message}` };
  }
  if (isDeepStrictEqual(a, b)) return { file, status: "layout" };
  const [bareA, bareB] = [withoutVersionStamp(file, a), withoutVersionStamp(file, b)];
  if (isDeepStrictEqual(bareA, bareB)) {
    const layout = JSON.stringify(bareA, null, 2) !== JSON.stringify(bareB, null, 2);
    return { file, status: "stamp", layout };
  }
  return { file, status: "different", detail: firstDifference(bareA, bareB) ?? "differs" };
}

/** Compares every file of the synth in `left` with the synth in `right`. */
export function compareSynths(left: string, right: string): SynthComparison {
  const leftFiles = filesUnder(left);
  const rightFiles = filesUnder(right);
  const all = [...new Set([...leftFiles, ...rightFiles])].sort();
  const files = all.map((file): FileComparison => {
    if (!rightFiles.includes(file)) return { file, status: "missing", in: "right" };
    if (!leftFiles.includes(file)) return { file, status: "missing", in: "left" };
    return compareFile(file, readFileSync(join(left, file)), readFileSync(join(right, file)));
  });
  const manifest = readManifest(left);
  return {
    left: { version: manifest?.version },
    right: { version: readManifest(right)?.version },
    stacks: Object.keys(manifest?.stacks ?? {}).length,
    files,
  };
}

/** Whether the two synths write the same Terraform (the version stamp aside). */
export function sameTerraform(comparison: SynthComparison): boolean {
  return comparison.files.every((f) => f.status !== "different" && f.status !== "missing");
}

/** The report: one summary line per kind of result, then one line per file that differs. */
export function renderComparison(c: SynthComparison, names: { left: string; right: string }): string {
  const count = (status: FileComparison["status"]) => c.files.filter((f) => f.status === status).length;
  const stamped = c.files.filter((f) => f.status === "stamp");
  const lines = [
    `${names.left} (${c.left.version}) vs ${names.right} (${c.right.version}): ${c.stacks} stacks, ${c.files.length} files`,
    `  byte for byte the same: ${count("identical")}`,
    `  the same but for the version stamp (${c.left.version} -> ${c.right.version}): ${stamped.length}` +
      (stamped.some((f) => f.status === "stamp" && f.layout)
        ? ` (of which ${stamped.filter((f) => f.status === "stamp" && f.layout).length} also written differently: an empty object as {} on one line or two)`
        : ""),
    `  the same document, written differently: ${count("layout")}`,
  ];
  for (const f of c.files) {
    if (f.status === "different") lines.push(`  DIFFERENT ${f.file}: ${f.detail}`);
    if (f.status === "missing")
      lines.push(`  MISSING ${f.file}: only in ${f.in === "left" ? names.right : names.left}`);
  }
  lines.push(
    sameTerraform(c)
      ? "same Terraform: every stack identical but for the version stamp"
      : "NOT the same Terraform (see above)",
  );
  return lines.join("\n");
}
