/**
 * Reading Terraform's machine-readable output (`plan|apply|destroy -json`, one JSON object per line): what
 * was planned and applied, in which order, and the errors. Pure, unit-tested in
 * __tests__/e2e/lib/terraform-events.test.ts.
 */

/** The fields of a `-json` line this module reads. */
interface EventLine {
  readonly type?: string;
  readonly "@message"?: string;
  readonly "@timestamp"?: string;
  readonly "@level"?: string;
  readonly hook?: { resource?: { addr?: string }; action?: string };
  readonly change?: { resource?: { addr?: string }; action?: string };
  readonly changes?: { add: number; change: number; remove: number; import?: number; operation?: string };
  readonly diagnostic?: { severity: string; summary: string; detail?: string; address?: string };
}

/** One resource operation of an apply (or destroy): when it started, ended, and how. */
export interface Operation {
  readonly address: string;
  readonly action: string;
  readonly start?: number;
  readonly end?: number;
  readonly status: "started" | "complete" | "errored";
}

/** What one `-json` run said. */
export interface RunReport {
  readonly operations: Operation[];
  /** `planned_change` events: `<action> <address>`. */
  readonly planned: string[];
  readonly summary?: { add: number; change: number; remove: number; import: number; operation: string };
  /** `<summary>: <detail>` of each error diagnostic. */
  readonly errors: string[];
  /** Error diagnostics with the resource they are about, when Terraform names one. */
  readonly diagnostics: { summary: string; detail: string; address?: string }[];
}

/** Parses `-json` output; lines that are not JSON (e.g. a crash on stderr) are ignored. */
export function parseEvents(output: string): RunReport {
  const ops = new Map<
    string,
    { address: string; action: string; start?: number; end?: number; status: Operation["status"] }
  >();
  const planned: string[] = [];
  const errors: string[] = [];
  const diagnostics: RunReport["diagnostics"] = [];
  let summary: RunReport["summary"];
  for (const raw of output.split("\n")) {
    if (!raw.startsWith("{")) continue;
    let e: EventLine;
    try {
      e = JSON.parse(raw);
    } catch {
      continue;
    }
    const at = e["@timestamp"] ? Date.parse(e["@timestamp"]) : undefined;
    const address = e.hook?.resource?.addr;
    switch (e.type) {
      case "apply_start":
        // Data sources read during apply also report apply_start; only managed resources count here.
        if (address && !address.startsWith("data.") && e.hook?.action !== "read")
          ops.set(address, { address, action: e.hook?.action ?? "?", start: at, status: "started" });
        break;
      case "apply_complete":
      case "apply_errored": {
        const op = address ? ops.get(address) : undefined;
        if (op) {
          op.end = at;
          op.status = e.type === "apply_complete" ? "complete" : "errored";
        }
        break;
      }
      case "planned_change":
        if (e.change?.resource?.addr) planned.push(`${e.change.action} ${e.change.resource.addr}`);
        break;
      case "change_summary":
        if (e.changes)
          summary = {
            add: e.changes.add,
            change: e.changes.change,
            remove: e.changes.remove,
            import: e.changes.import ?? 0,
            operation: e.changes.operation ?? "",
          };
        break;
      case "diagnostic":
        if (e.diagnostic?.severity === "error")
          diagnostics.push({
            summary: e.diagnostic.summary,
            detail: e.diagnostic.detail ?? "",
            address: e.diagnostic.address,
          });
        if (e.diagnostic?.severity === "error")
          errors.push(
            [
              e.diagnostic.summary,
              e.diagnostic.detail
                ?.split("\n")
                .find((l) => l.trim())
                ?.trim(),
            ]
              .filter(Boolean)
              .join(": "),
          );
        break;
    }
  }
  return { operations: [...ops.values()], planned, summary, errors, diagnostics };
}

/** `before` must have completed before `after` started (both matched by address prefix). */
export interface OrderingRule {
  readonly before: string;
  readonly after: string;
  readonly why: string;
}

/**
 * Ordering violations in an apply: for each rule whose two sides both ran, every `after` operation must
 * start after every `before` operation completed. Returns one line per violation.
 */
export function orderingViolations(ops: readonly Operation[], rules: readonly OrderingRule[]): string[] {
  const problems: string[] = [];
  for (const rule of rules) {
    const befores = ops.filter((o) => o.address.startsWith(rule.before));
    const afters = ops.filter((o) => o.address.startsWith(rule.after));
    for (const a of afters)
      for (const b of befores) {
        if (b.end === undefined || a.start === undefined || a.start < b.end)
          problems.push(`${a.address} started before ${b.address} completed (${rule.why})`);
      }
  }
  return problems;
}

/** Operations by status, e.g. `{ create: 12 }` of those complete. */
export function completedByAction(ops: readonly Operation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of ops) if (o.status === "complete") counts[o.action] = (counts[o.action] ?? 0) + 1;
  return counts;
}

/** Errors saying an object already exists: what a create finds when an earlier, unrecorded run made it. */
export const ALREADY_EXISTS =
  /already exists|\.Duplicate|AlreadyExists|EntityAlreadyExists|cannot re-use a name that is still in use/i;

/**
 * Splits an apply's errors into objects that already exist (by address: created by an earlier run that did
 * not record them) and every other error.
 */
export function alreadyExisting(report: RunReport): { addresses: string[]; others: string[] } {
  const addresses: string[] = [];
  const others: string[] = [];
  for (const d of report.diagnostics) {
    if (d.address && ALREADY_EXISTS.test(`${d.summary} ${d.detail}`)) addresses.push(d.address);
    else others.push(d.summary);
  }
  return { addresses: [...new Set(addresses)], others };
}
