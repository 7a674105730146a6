/**
 * What the e2e prints: checks (PASS / FAIL / SKIPPED / NOT PROVEN), and the closing table per stack of
 * resources applied vs excluded and the wall time of each phase. Pure formatting, unit-tested in
 * __tests__/e2e/lib/report.test.ts.
 */
import type { PhaseTime } from "./stack-runner";

export type CheckStatus = "PASS" | "FAIL" | "SKIPPED" | "NOT PROVEN";

export interface CheckResult {
  readonly status: CheckStatus;
  readonly name: string;
  readonly detail?: string;
}

export function checkLine(c: CheckResult): string {
  return `  ${c.status} ${c.name}${c.detail ? `: ${c.detail}` : ""}`;
}

/** One stack's line in the summary. */
export interface StackSummary {
  readonly stack: string;
  readonly applied: number;
  readonly excluded: number;
  /** `type (n): reason` per excluded type. */
  readonly excludedTypes: readonly string[];
  readonly times: readonly PhaseTime[];
}

/** Phase times summed by phase name, in first-seen order: `init 1.0s, plan 13.8s`. */
export function phaseTimes(times: readonly PhaseTime[]): string {
  const sums = new Map<string, number>();
  for (const t of times) sums.set(t.phase, (sums.get(t.phase) ?? 0) + t.seconds);
  return [...sums].map(([phase, s]) => `${phase} ${s.toFixed(1)}s`).join(", ");
}

/** The closing summary: per stack applied/excluded counts, excluded types, phase times; then the checks. */
export function summaryLines(stacks: readonly StackSummary[], checks: readonly CheckResult[]): string[] {
  const lines = ["", "== summary"];
  for (const s of stacks) {
    lines.push(`${s.stack}: ${s.applied} applied, ${s.excluded} excluded`);
    for (const t of s.excludedTypes) lines.push(`    excluded ${t}`);
    if (s.times.length > 0) lines.push(`    ${phaseTimes(s.times)}`);
  }
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
  lines.push(
    `checks: ${count("PASS")} passed, ${count("FAIL")} failed, ${count("SKIPPED")} skipped, ${count("NOT PROVEN")} not proven`,
  );
  for (const c of checks.filter((x) => x.status === "FAIL")) lines.push(checkLine(c));
  return lines;
}

/** The run's output and check record: one per run (the harness is one process). */
export class Reporter {
  readonly started = Date.now();
  readonly checks: CheckResult[] = [];
  /** By label (a stack deployed in two shapes has two). */
  readonly summaries = new Map<string, StackSummary>();

  say(line = ""): void {
    process.stdout.write(`${line}\n`);
  }

  section(title: string): void {
    this.say(`\n== ${title} (${((Date.now() - this.started) / 1000).toFixed(0)}s)`);
  }

  private record(c: CheckResult): void {
    this.checks.push(c);
    this.say(checkLine(c));
  }

  /** A check: PASS (with `passInfo` when given) or FAIL with `failDetail` saying what was found. */
  check(name: string, ok: boolean, failDetail?: string, passInfo?: string): boolean {
    const detail = ok ? passInfo : failDetail;
    this.record({
      status: ok ? "PASS" : "FAIL",
      name,
      detail: detail && detail.length > 600 ? `${detail.slice(0, 600)}...` : detail,
    });
    return ok;
  }

  skipped(name: string, reason: string): void {
    this.record({ status: "SKIPPED", name, detail: reason });
  }

  notProven(name: string, reason: string): void {
    this.record({ status: "NOT PROVEN", name, detail: reason });
  }

  async timed<T>(what: string, task: () => Promise<T>): Promise<T> {
    const t0 = Date.now();
    const value = await task();
    this.say(`  ${what} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    return value;
  }

  get failed(): boolean {
    return this.failures > 0;
  }

  /** How many checks failed so far. */
  get failures(): number {
    return this.checks.filter((c) => c.status === "FAIL").length;
  }

  seconds(): number {
    return (Date.now() - this.started) / 1000;
  }
}

/** The run's reporter. */
export const out = new Reporter();
