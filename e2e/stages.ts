/**
 * Named stages of the loopback deploy, after terratest's `test_structure.RunTestStage`:
 *
 * - a stage runs when it is reached, unless `E2E_SKIP` names it (`E2E_SKIP=faults,switch`): one line says so;
 * - a stage that needs what an earlier stage makes is skipped, with the reason, when that stage was skipped,
 *   instead of failing on the missing output;
 * - a stage that throws stops the run (every later stage is NOT RUN); one whose checks failed lets the run
 *   go on, as a failed check always has;
 * - teardown is registered before the stage that creates what it tears down (terratest's
 *   `defer test_structure.RunTestStage(t, "teardown", ...)`) and runs at the end, last registered first,
 *   also after a failure; a teardown that throws does not stop the ones after it.
 *
 * Each stage prints its duration; `summaryLines` is the closing table. No I/O but the `say` callback:
 * unit-tested in __tests__/e2e/stages.test.ts.
 */

/** A stage of the run. */
export interface StageSpec {
  readonly name: string;
  /** What it does, printed when it starts. */
  readonly about: string;
  /**
   * Stages whose output it uses. A stage runs only when they ran; a teardown stage runs when they started
   * (something may exist to tear down), and is skipped when they never did.
   * @default none
   */
  readonly needs?: readonly string[];
}

/** The loopback deploy's stages, in the order they run (destroy, a teardown, runs at the end): e2e/main.ts. */
export const STAGES: readonly StageSpec[] = [
  {
    name: "seed",
    about:
      "the tools, moto, what the user already has, the environment synthesized, the providers, Kubernetes",
  },
  {
    name: "bootstrap",
    about: "the bootstrap stacks (local state): the state bucket, the GitHub roles",
    needs: ["seed"],
  },
  {
    name: "deploy",
    about: "each environment stack in order: init, plan, apply, a plan that must be empty; checked",
    needs: ["bootstrap"],
  },
  { name: "faults", about: "two applies of one stack at once (S3 lock)", needs: ["deploy"] },
  {
    name: "switch",
    about:
      "the first cluster to the managed collector (exec credentials), a change of its stack only; applies interrupted and killed halfway",
    needs: ["deploy"],
  },
  {
    name: "remove-cluster",
    about:
      "the second cluster's stack destroyed while in the configuration, the cluster dropped, every remaining stack planned: nothing else moves",
    needs: ["deploy"],
  },
  {
    name: "upgrade",
    about:
      "an environment of its own deployed with the previous release (0.2.0), then with this one taking its cluster over (adopt.clusterMonitoringStack): imports and forgets only",
    needs: ["bootstrap"],
  },
  {
    name: "proofs",
    about:
      "issue 16 on the emptied second cluster: a wrong OIDC provider ARN and an existing node-exporter refuse the plan; a gp2 release adopted keeps gp2",
    needs: ["remove-cluster"],
  },
  {
    name: "destroy",
    about: "teardown: every stack the run applied, in reverse order, also after a failure",
    needs: ["bootstrap"],
  },
];

export type StageStatus = "PASSED" | "FAILED" | "ERROR" | "SKIPPED" | "NOT RUN";

export interface StageResult {
  readonly name: string;
  readonly status: StageStatus;
  /** Wall time, when it ran. */
  readonly seconds?: number;
  /** Why it was skipped or not run, how many checks failed, or the error. */
  readonly note?: string;
}

/** What a stage's body may do besides its work. */
export interface StageControl {
  /** Ends the run after this stage (e.g. no Terraform on the machine): every later stage is SKIPPED with `reason`. */
  end(reason: string): void;
}

export type StageBody = (stage: StageControl) => Promise<void> | void;

/** The stages `E2E_SKIP` names; an unknown name is an error that lists the valid ones. */
export function parseSkip(value: string | undefined, stages: readonly StageSpec[]): Set<string> {
  const names = (value ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  const valid = stages.map((s) => s.name);
  const unknown = names.filter((n) => !valid.includes(n));
  if (unknown.length > 0)
    throw new Error(
      `E2E_SKIP names ${unknown.length === 1 ? "an unknown stage" : "unknown stages"} ${unknown.map((n) => `"${n}"`).join(", ")} (the stages: ${valid.join(", ")})`,
    );
  return new Set(names);
}

export interface StagesOptions {
  /** Where lines go. @default stdout */
  readonly say?: (line: string) => void;
  /** How many checks have failed so far: a stage that adds some is FAILED (the run goes on). @default none counted */
  readonly failedChecks?: () => number;
  /** Clock in ms. @default Date.now */
  readonly now?: () => number;
}

interface Teardown {
  /** A stage name, or the label of a step that always runs. */
  readonly name: string;
  readonly stage: boolean;
  readonly body: StageBody;
}

export class Stages {
  private readonly specs: ReadonlyMap<string, StageSpec>;
  private readonly results = new Map<string, StageResult>();
  private readonly steps: StageResult[] = [];
  private readonly teardowns: Teardown[] = [];
  private readonly say: (line: string) => void;
  private readonly failedChecks: () => number;
  private readonly now: () => number;
  private ended?: { stage: string; reason: string };
  private errorStage?: string;
  /** The first error a stage or teardown threw. */
  error?: unknown;

  constructor(
    specs: readonly StageSpec[],
    private readonly skip: ReadonlySet<string>,
    options: StagesOptions = {},
  ) {
    this.specs = new Map(specs.map((s) => [s.name, s]));
    for (const s of specs)
      for (const n of s.needs ?? [])
        if (!this.specs.has(n)) throw new Error(`stage ${s.name} needs ${n}, which is not a stage`);
    this.say = options.say ?? ((line) => process.stdout.write(`${line}\n`));
    this.failedChecks = options.failedChecks ?? (() => 0);
    this.now = options.now ?? Date.now;
  }

  /** Runs stage `name` now, unless it is skipped or the run stopped. True when it ran without an error. */
  async run(name: string, body: StageBody): Promise<boolean> {
    const spec = this.spec(name);
    if (this.results.has(name)) throw new Error(`stage ${name} ran twice`);
    const why = this.ended
      ? { status: "SKIPPED" as const, note: `${this.ended.stage} ended the run` }
      : this.errorStage
        ? { status: "NOT RUN" as const, note: `stopped after the error in ${this.errorStage}` }
        : this.skipReason(spec, false);
    if (why) {
      this.record({ name, ...why });
      return false;
    }
    return this.execute(spec, body);
  }

  /**
   * Registers teardown stage `name`, to run at the end (last registered first), also after a failure;
   * skippable like any stage. Register it before the stage that creates what it tears down.
   */
  defer(name: string, body: StageBody): void {
    this.spec(name);
    this.teardowns.push({ name, stage: true, body });
  }

  /** Registers a teardown step that always runs at the end (stopping processes), not skippable. */
  always(label: string, body: () => Promise<void> | void): void {
    this.teardowns.push({ name: label, stage: false, body });
  }

  /** Runs every teardown, last registered first; each runs even when one before it threw. */
  async finish(): Promise<void> {
    for (const t of this.teardowns.splice(0).reverse()) {
      if (!t.stage) {
        const start = this.now();
        try {
          await t.body({ end: () => {} });
          this.steps.push({ name: t.name, status: "PASSED", seconds: this.seconds(start) });
        } catch (error) {
          this.error ??= error;
          this.steps.push({
            name: t.name,
            status: "ERROR",
            seconds: this.seconds(start),
            note: message(error),
          });
        }
        continue;
      }
      const spec = this.spec(t.name);
      const why = this.skipReason(spec, true);
      if (why) this.record({ name: t.name, ...why });
      else await this.execute(spec, t.body);
    }
  }

  /** Results in the order the stages are declared, then the teardown steps. */
  get summary(): StageResult[] {
    return [
      ...[...this.specs.keys()].map(
        (name) => this.results.get(name) ?? { name, status: "NOT RUN" as const, note: "never reached" },
      ),
      ...this.steps,
    ];
  }

  /** True when a stage or teardown threw or a stage's checks failed. */
  get failed(): boolean {
    return this.summary.some((r) => r.status === "FAILED" || r.status === "ERROR");
  }

  private spec(name: string): StageSpec {
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`no stage named ${name} (the stages: ${[...this.specs.keys()].join(", ")})`);
    return spec;
  }

  private skipReason(spec: StageSpec, teardown: boolean): Omit<StageResult, "name"> | undefined {
    if (this.skip.has(spec.name)) return { status: "SKIPPED", note: "E2E_SKIP" };
    for (const need of spec.needs ?? []) {
      const status = this.results.get(need)?.status;
      // A teardown runs when its need started: it may have made something before it failed.
      if (teardown && (status === undefined || status === "SKIPPED" || status === "NOT RUN"))
        return { status: "SKIPPED", note: `${need} did not run: nothing to tear down` };
      // A need that ran with failed checks still made its output; one that was skipped did not.
      if (!teardown && status !== "PASSED" && status !== "FAILED")
        return {
          status: "SKIPPED",
          note: `needs ${need}, which ${status === "SKIPPED" ? "was skipped" : "did not run"}`,
        };
    }
    return undefined;
  }

  private async execute(spec: StageSpec, body: StageBody): Promise<boolean> {
    this.say(`\n### stage ${spec.name}: ${spec.about}`);
    const start = this.now();
    const checksBefore = this.failedChecks();
    try {
      await body({
        end: (reason) => {
          this.ended = { stage: spec.name, reason };
        },
      });
    } catch (error) {
      this.error ??= error;
      this.errorStage ??= spec.name;
      this.record({ name: spec.name, status: "ERROR", seconds: this.seconds(start), note: message(error) });
      return false;
    }
    const failed = this.failedChecks() - checksBefore;
    const ended = this.ended?.stage === spec.name ? `ended the run: ${this.ended.reason}` : undefined;
    this.record(
      failed > 0
        ? {
            name: spec.name,
            status: "FAILED",
            seconds: this.seconds(start),
            note: [`${failed} check${failed === 1 ? "" : "s"} failed`, ended].filter(Boolean).join("; "),
          }
        : { name: spec.name, status: "PASSED", seconds: this.seconds(start), note: ended },
    );
    return true;
  }

  private record(r: StageResult): void {
    this.results.set(r.name, r);
    if (r.seconds === undefined) this.say(`${r.status} stage ${r.name} (${r.note})`);
    else
      this.say(
        `### stage ${r.name} ${r.status} in ${r.seconds.toFixed(1)}s${r.note ? ` (${firstLine(r.note)})` : ""}`,
      );
  }

  private seconds(start: number): number {
    return (this.now() - start) / 1000;
  }
}

/** The closing table: stage, status, seconds, and why (skipped, not run, failed). */
export function summaryLines(results: readonly StageResult[]): string[] {
  const rows = [
    ["stage", "status", "seconds", ""],
    ...results.map((r) => [
      r.name,
      r.status,
      r.seconds === undefined ? "-" : r.seconds.toFixed(1),
      r.note ? firstLine(r.note) : "",
    ]),
  ];
  const width = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length)));
  return [
    "",
    "== stages",
    ...rows.map((row) =>
      [row[0].padEnd(width[0]), row[1].padEnd(width[1]), row[2].padStart(width[2]), row[3]]
        .join("  ")
        .trimEnd(),
    ),
  ];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The first line (with the next when it ends in a colon: `terraform apply exited 1:` says little alone). */
function firstLine(text: string): string {
  const [head, ...rest] = text.split("\n");
  const next = rest.find((l) => l.trim())?.trim();
  const line = head.endsWith(":") && next ? `${head} ${next}` : head;
  return line.length > 160 ? `${line.slice(0, 160)}...` : line;
}
