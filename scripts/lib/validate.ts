/**
 * The pure parts of `npm run validate`: reading `terraform validate -json` and `terraform init` output,
 * and the lines it prints. No I/O here, so every case is unit-tested (__tests__/scripts/validate.test.ts).
 */

/** One diagnostic of `terraform validate -json` (the fields used here). */
export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
}

/** Outcome of one stack. */
export interface StackResult {
  readonly stack: string;
  readonly ok: boolean;
  /** First error (or why the stack could not be validated), when not ok. */
  readonly problem?: string;
  readonly warnings: number;
  /** Seconds spent on the stack (init + validate). */
  readonly seconds?: number;
}

/** `summary: first line of detail (file:line)` of a diagnostic. */
export function describeDiagnostic(d: Diagnostic): string {
  const detail = d.detail?.split("\n").find((line) => line.trim() !== "");
  const where = d.address ?? (d.range ? `${d.range.filename}:${d.range.start.line}` : undefined);
  return [d.summary, detail ? `: ${detail.trim()}` : "", where ? ` (${where})` : ""].join("");
}

/** Reads the JSON `terraform validate -json` prints (also on failure) into a result for `stack`. */
export function parseValidateOutput(stack: string, stdout: string): StackResult {
  let report: { valid?: boolean; diagnostics?: Diagnostic[] };
  try {
    report = JSON.parse(stdout);
  } catch {
    const first = stdout.trim().split("\n")[0] || "no output";
    return { stack, ok: false, problem: `validate did not print JSON: ${first}`, warnings: 0 };
  }
  const diagnostics = report.diagnostics ?? [];
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  const firstError = diagnostics.find((d) => d.severity === "error");
  if (report.valid === true && !firstError) return { stack, ok: true, warnings };
  return {
    stack,
    ok: false,
    problem: firstError ? describeDiagnostic(firstError) : "invalid configuration (no diagnostic given)",
    warnings,
  };
}

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");

/**
 * The first `Error: ...` of `terraform init` output and the paragraph after it, on one line (ANSI colours
 * and box drawing removed, at most 300 characters).
 */
export function firstInitError(output: string): string {
  const lines = output
    .replace(ANSI_COLOUR, "")
    .split("\n")
    .map((l) => l.replace(/^[\s│╷╵]+/, "").trim());
  const i = lines.findIndex((l) => l.startsWith("Error:"));
  if (i < 0) return lines.find((l) => l !== "") ?? "terraform init failed";
  let start = i + 1;
  while (start < lines.length && lines[start] === "") start++;
  let end = start;
  while (end < lines.length && lines[end] !== "") end++;
  const text = [lines[i], ...lines.slice(start, end)].join(" ");
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/** `PASS <stack>` or `FAIL <stack>: <problem>`, with warnings and time when known. */
export function resultLine(r: StackResult): string {
  const extras = [
    r.warnings > 0 ? `${r.warnings} warning${r.warnings === 1 ? "" : "s"}` : undefined,
    r.seconds !== undefined ? `${r.seconds.toFixed(1)}s` : undefined,
  ].filter(Boolean);
  const suffix = extras.length > 0 ? ` (${extras.join(", ")})` : "";
  return r.ok ? `PASS ${r.stack}${suffix}` : `FAIL ${r.stack}: ${r.problem}${suffix}`;
}

/** The final line: exactly `N passed, N failed`. */
export function summaryLine(results: readonly StackResult[]): string {
  const passed = results.filter((r) => r.ok).length;
  return `${passed} passed, ${results.length - passed} failed`;
}

/** A hint when stacks failed because Terraform could not get a provider (no mirror and no registry). */
export function missingProviderHint(results: readonly StackResult[]): string | undefined {
  const missing = results.some((r) =>
    /not found in any of the search locations|could not connect to registry/.test(r.problem ?? ""),
  );
  return missing
    ? "providers are missing: without registry access, run `bash scripts/terraform-providers.sh` first (it builds them into the local mirror)"
    : undefined;
}

/** Runs `task` over `items` with at most `limit` at a time; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
