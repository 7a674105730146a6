/**
 * Pure helpers of `npm run plan` and the pull-request plan: what a plan changes, and why a plan failed.
 * No I/O here, so every rule is unit-tested (__tests__/scripts/lib/plan.test.ts).
 */
import type { AdoptionFlag } from "../../config/adoption";

/** Resource counts of a plan, as Terraform's own "Plan: A to add, C to change, D to destroy." line counts them. */
export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
}

/** The part of `terraform show -json <planfile>` this project reads. */
export interface ShowJson {
  readonly resource_changes?: readonly {
    readonly address?: string;
    readonly mode?: string;
    readonly change?: { readonly actions?: readonly string[] };
  }[];
}

/**
 * Counts a plan's changes from `terraform show -json`: a replacement (delete+create in either order)
 * counts as one add and one destroy, like Terraform's summary; reads and no-ops count as nothing.
 */
export function summarizePlan(show: ShowJson): PlanCounts {
  let add = 0;
  let change = 0;
  let destroy = 0;
  for (const rc of show.resource_changes ?? []) {
    if (rc.mode === "data") continue;
    const actions = rc.change?.actions ?? [];
    if (actions.includes("create")) add++;
    if (actions.includes("delete")) destroy++;
    if (actions.includes("update")) change++;
  }
  return { add, change, destroy };
}

/**
 * Counts from the human plan output, for Terraform Cloud speculative plans (no plan file to show):
 * `Plan: [N to import, ]A to add, C to change, D to destroy.` or `No changes.`; undefined if neither.
 */
export function countsFromPlanText(text: string): PlanCounts | undefined {
  const m = /Plan: (?:\d+ to import, )?(\d+) to add, (\d+) to change, (\d+) to destroy/.exec(text);
  if (m) return { add: Number(m[1]), change: Number(m[2]), destroy: Number(m[3]) };
  return /No changes\./.test(text) ? { add: 0, change: 0, destroy: 0 } : undefined;
}

/** `+A ~C -D`. */
export function formatCounts(c: PlanCounts): string {
  return `+${c.add} ~${c.change} -${c.destroy}`;
}

/** How one stack's plan ended ("skipped": not planned, on purpose, with a reason). */
export type StackPlanStatus = "changes" | "no-changes" | "upstream-missing" | "skipped" | "error";

/** The result of planning one stack (the JSON report holds a list of these). */
export interface StackPlanResult {
  /** Stack name, `<env>-<kind>`. */
  readonly stack: string;
  readonly status: StackPlanStatus;
  /** Set for "changes" and "no-changes". */
  readonly counts?: PlanCounts;
  /** Upstream stacks (remote-state reads) whose state is missing, for "upstream-missing". */
  readonly upstream?: readonly string[];
  /** Why the stack was not planned, for "skipped". */
  readonly reason?: string;
  /** Plan text, or the error output. */
  readonly output: string;
}

/** What `npm run plan -- <env> --report <file>` writes: the input of the PR comment. */
export interface EnvironmentPlanReport {
  readonly environment: string;
  readonly stacks: readonly StackPlanResult[];
}

/** One line per stack: `<stack>: +A ~C -D`, `<stack>: upstream not applied yet (...)`, `<stack>: skipped (...)`, `<stack>: error`. */
export function summaryLine(r: StackPlanResult): string {
  switch (r.status) {
    case "changes":
    case "no-changes":
      return `${r.stack}: ${formatCounts(r.counts ?? { add: 0, change: 0, destroy: 0 })}`;
    case "upstream-missing":
      return `${r.stack}: upstream not applied yet${r.upstream?.length ? ` (${r.upstream.join(", ")})` : ""}`;
    case "skipped":
      return `${r.stack}: skipped (${r.reason ?? "not planned"})`;
    case "error":
      return `${r.stack}: error`;
  }
}

/** Splits Terraform's diagnostics output (with or without -no-color boxes) into error blocks. */
export function errorBlocks(output: string): string[] {
  const text = output
    .split("\n")
    .map((line) => line.replace(/^[│╷╵]\s?/, ""))
    .join("\n");
  return text
    .split(/^Error: /m)
    .slice(1)
    .map((block) => `Error: ${block.split(/^Warning: /m)[0].trimEnd()}`);
}

/** Name of the remote-state data source a block is about (`network-state` for `data.terraform_remote_state.network-state`). */
function remoteStateId(block: string): string | undefined {
  return /data\.terraform_remote_state\.([A-Za-z0-9_-]+)/.exec(block)?.[1];
}

/**
 * Why a plan failed: "upstream-missing" when every error says an upstream stack's state (or an output in
 * it) does not exist yet, which is the normal state of a downstream stack before its upstream is
 * applied (cdktf issue 3514); "error" for anything else, or for no recognizable error at all.
 */
export function classifyPlanFailure(output: string): {
  status: "upstream-missing" | "error";
  upstream: string[];
} {
  const blocks = errorBlocks(output);
  const upstream = new Set<string>();
  for (const block of blocks) {
    const id = remoteStateId(block);
    const missingState = /^Error: Unable to find remote state/.test(block);
    const missingOutput =
      /^Error: Unsupported attribute/.test(block) &&
      /data\.terraform_remote_state\.[A-Za-z0-9_-]+\.outputs is object with/.test(block) &&
      /does not have an attribute named/.test(block);
    if (!id || !(missingState || missingOutput)) return { status: "error", upstream: [] };
    upstream.add(id.replace(/-state$/, ""));
  }
  return blocks.length
    ? { status: "upstream-missing", upstream: [...upstream] }
    : { status: "error", upstream: [] };
}

/**
 * When a plan failed because an import block names an object that does not exist, the adoption fields of
 * the environment behind it (by the resource type imported), with what to do; undefined otherwise.
 */
export function adoptionFailureHint(
  output: string,
  environment: string,
  adoption: readonly AdoptionFlag[],
): string | undefined {
  if (!/Cannot import non-existent remote object/.test(output)) return undefined;
  const types = new Set([...output.matchAll(/\b([a-z0-9]+_[a-z0-9_]+)\.[A-Za-z0-9_-]+/g)].map((m) => m[1]));
  const named = adoption.filter((f) => types.has(f.resourceType));
  const fields = (named.length ? named : adoption).map((f) => `${f.field} (${f.imports})`);
  if (fields.length === 0) return undefined;
  return `${environment}: an adoption field names something that does not exist (any more): ${fields.join(", ")}. Adoption imports once, at the first apply; after a destroy, or in a new environment copied from another, remove the field from environments/${environment}.ts (ebsCsi.driver back to "addon").`;
}

/** What `npm run maintain -- <env> --report <file>` writes. */
export interface MaintenanceReport {
  readonly environment: string;
  /** The token and config stacks: planned, and applied where the plan changed something. */
  readonly applied: readonly StackPlanResult[];
  /** Then every stack planned again: on the commit last deployed, any change is one nobody made. */
  readonly drift: readonly StackPlanResult[];
}

/**
 * The lines a maintenance run prints, and whether it failed: a stack that could not be planned or applied,
 * or any change left in the plans after the token was renewed (drift: the deployed commit no longer
 * describes what runs). `applied` lines say what the renewal changed.
 */
export function maintenanceVerdict(report: MaintenanceReport): { lines: string[]; failed: boolean } {
  const lines: string[] = [];
  let failed = false;
  for (const r of report.applied) {
    if (r.status === "changes") lines.push(`${r.stack}: applied ${formatCounts(r.counts ?? ZERO)}`);
    else if (r.status === "no-changes") lines.push(`${r.stack}: nothing to renew`);
    else {
      lines.push(`${summaryLine(r)} (not applied)`);
      failed = true;
    }
  }
  if (report.applied.length > 0 && report.drift.length === 0) {
    lines.push(`${report.environment}: drift not checked (the renewal failed)`);
    failed = true;
  }
  for (const r of report.drift) {
    if (r.status === "no-changes") continue;
    lines.push(r.status === "changes" ? `drift: ${summaryLine(r)}` : summaryLine(r));
    failed = true;
  }
  if (report.drift.length > 0 && report.drift.every((r) => r.status === "no-changes"))
    lines.push(`${report.environment}: no drift (${report.drift.length} stacks planned, no changes)`);
  return { lines, failed };
}

const ZERO: PlanCounts = { add: 0, change: 0, destroy: 0 };
