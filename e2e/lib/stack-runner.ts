/**
 * Terraform against one prepared stack directory: init with the loopback backend settings, plan, apply,
 * the no-changes plan, destroy; each bounded by a timeout, timed, its output kept in the run's log folder,
 * and read through `-json` events. Applies can be watched for the S3 lock object.
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { MotoClient } from "./aws";
import { classifyChanges, type ResourceChange } from "./drift";
import { type CommandResult, type RunningCommand, runCommand, startCommand } from "./processes";
import { parseEvents, type RunReport } from "./terraform-events";

/** A plan that should show no changes: what it would change, explained or not. */
export interface NoChangesReport extends RunReport {
  /** Changes no known emulator drift explains: findings. */
  readonly unexplained: string[];
  /** Known emulator drift, each with its reason (printed). */
  readonly explained: string[];
}

export const LIMITS = {
  init: 180_000,
  plan: 600_000,
  apply: 900_000,
  destroy: 900_000,
} as const;

/** Where a stack keeps its state, when it is in S3. */
export interface S3State {
  readonly bucket: string;
  readonly key: string;
}

/** The lock a command took, read from the versioned state bucket afterwards. */
export interface LockSighting {
  readonly seen: boolean;
  /** The first lock object version it wrote (Terraform's lock info JSON). */
  readonly body?: string;
  /** Still there after the command ended. */
  readonly leftBehind: boolean;
}

export interface PhaseTime {
  readonly phase: string;
  readonly seconds: number;
}

export class StackRunner {
  readonly times: PhaseTime[] = [];
  /** When the last `apply` ran (ms since the epoch). */
  lastApply?: { start: number; end: number };
  /** `init` succeeded in the stack directory. */
  initialized = false;

  constructor(
    readonly stack: string,
    readonly dir: string,
    private readonly terraform: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logDir: string,
    readonly state?: S3State,
    /** The name its times are reported under (a stack deployed in two shapes is reported twice). */
    readonly label: string = stack,
  ) {}

  private record(phase: string, r: CommandResult, args: readonly string[]): void {
    this.times.push({ phase, seconds: r.seconds });
    appendFileSync(
      join(this.logDir, `${this.stack}.log`),
      `\n### terraform ${args.join(" ")} (exit ${r.code}${r.timedOut ? ", TIMED OUT" : ""}, ${r.seconds.toFixed(1)}s)\n${r.stdout}\n${r.stderr}\n`,
    );
  }

  /** Starts terraform in the stack directory (not waited for). */
  start(args: readonly string[], timeoutMs: number): RunningCommand {
    return startCommand(this.terraform, args, { cwd: this.dir, env: this.env, timeoutMs });
  }

  /** Runs terraform to completion, recording the phase time and the output. */
  async run(phase: string, args: readonly string[], timeoutMs: number): Promise<CommandResult> {
    const r = await runCommand(this.terraform, args, { cwd: this.dir, env: this.env, timeoutMs });
    this.record(phase, r, args);
    return r;
  }

  /** Records a command started with `start`. */
  async finish(phase: string, running: RunningCommand, args: readonly string[]): Promise<CommandResult> {
    const r = await running.result;
    this.record(phase, r, args);
    return r;
  }

  async init(backendConfig?: string): Promise<void> {
    const args = [
      "init",
      "-input=false",
      "-no-color",
      ...(backendConfig ? [`-backend-config=${backendConfig}`] : []),
    ];
    const r = await this.run("init", args, LIMITS.init);
    if (r.code !== 0) throw new StackError(this.stack, "init", r);
    this.initialized = true;
  }

  /** `plan -out=tfplan`; returns the planned changes. */
  async plan(phase = "plan", extra: readonly string[] = []): Promise<RunReport> {
    const args = ["plan", "-input=false", "-json", "-out=tfplan", "-detailed-exitcode", ...extra];
    const r = await this.run(phase, args, LIMITS.plan);
    if (r.code === 1 || r.timedOut) throw new StackError(this.stack, phase, r);
    return parseEvents(r.stdout);
  }

  /** The resource changes of a saved plan (`terraform show -json <file>`). */
  async showPlan(file = "tfplan"): Promise<ResourceChange[]> {
    const r = await this.run("show plan", ["show", "-json", file], LIMITS.init);
    if (r.code !== 0) throw new StackError(this.stack, "show plan", r);
    return (JSON.parse(r.stdout) as { resource_changes?: ResourceChange[] }).resource_changes ?? [];
  }

  /** Applies the saved plan, watching the S3 lock when the stack's state is in S3. */
  async apply(moto?: MotoClient, phase = "apply"): Promise<{ report: RunReport; lock?: LockSighting }> {
    const args = ["apply", "-input=false", "-json", "tfplan"];
    const before = moto && this.state ? await this.lockVersions(moto) : undefined;
    const start = Date.now();
    const running = this.start(args, LIMITS.apply);
    const lock = moto && before ? this.watchLock(moto, running, before) : undefined;
    const r = await this.finish(phase, running, args);
    this.lastApply = { start, end: Date.now() };
    const sighting = lock ? await lock : undefined;
    if (r.code !== 0) throw new StackError(this.stack, phase, r);
    return { report: parseEvents(r.stdout), lock: sighting };
  }

  /**
   * A plan that must show no changes. Returns what it would change, split into known emulator drift
   * (drift.ts, printed by the caller) and the rest, which is a finding.
   */
  async planNoChanges(phase = "plan again"): Promise<NoChangesReport> {
    const args = [
      "plan",
      "-input=false",
      "-json",
      "-detailed-exitcode",
      "-lock-timeout=60s",
      "-out=tfplan-again",
    ];
    const r = await this.run(phase, args, LIMITS.plan);
    if (r.code === 1 || r.timedOut) throw new StackError(this.stack, phase, r);
    const report = parseEvents(r.stdout);
    if (r.code !== 2) return { ...report, unexplained: [], explained: [] };
    const show = await this.run("show plan", ["show", "-json", "tfplan-again"], LIMITS.init);
    const changes =
      (JSON.parse(show.stdout) as { resource_changes?: ResourceChange[] }).resource_changes ?? [];
    const { explained, unexplained } = classifyChanges(changes);
    // Output-only changes have no resource change: still a change.
    if (explained.length === 0 && unexplained.length === 0) unexplained.push("outputs changed");
    return {
      ...report,
      unexplained,
      explained: explained.map((e) => `${e.change.address} (${e.attributes.join(", ")}): ${e.reason}`),
    };
  }

  async destroy(moto?: MotoClient): Promise<{ report: RunReport; lock?: LockSighting }> {
    const args = ["destroy", "-auto-approve", "-input=false", "-json"];
    const before = moto && this.state ? await this.lockVersions(moto) : undefined;
    const running = this.start(args, LIMITS.destroy);
    const lock = moto && before ? this.watchLock(moto, running, before) : undefined;
    const r = await this.finish("destroy", running, args);
    const sighting = lock ? await lock : undefined;
    if (r.code !== 0) throw new StackError(this.stack, "destroy", r);
    return { report: parseEvents(r.stdout), lock: sighting };
  }

  /** `terraform output -json` as name -> value. */
  async outputs(): Promise<Record<string, unknown>> {
    const r = await this.run("output", ["output", "-json"], LIMITS.init);
    if (r.code !== 0) throw new StackError(this.stack, "output", r);
    const parsed = JSON.parse(r.stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
  }

  /** Addresses in the state (`terraform state list`). */
  async stateList(): Promise<string[]> {
    const r = await this.run("state list", ["state", "list"], LIMITS.init);
    if (r.code !== 0) throw new StackError(this.stack, "state list", r);
    return r.stdout.split("\n").filter(Boolean);
  }

  /** Attribute values of every resource in the state, by address (`terraform show -json`). */
  async stateValues(): Promise<Map<string, Record<string, unknown>>> {
    const r = await this.run("show", ["show", "-json"], LIMITS.init);
    if (r.code !== 0) throw new StackError(this.stack, "show", r);
    const values = new Map<string, Record<string, unknown>>();
    const root = (
      JSON.parse(r.stdout) as {
        values?: { root_module?: { resources?: { address: string; values: Record<string, unknown> }[] } };
      }
    ).values?.root_module?.resources;
    for (const res of root ?? []) values.set(res.address, res.values);
    return values;
  }

  /** Version ids of `<key>.tflock` so far (the state bucket is versioned: every lock leaves a version). */
  private async lockVersions(moto: MotoClient): Promise<Set<string>> {
    const { bucket, key } = this.state!;
    const r = await moto.call<{ Versions?: { VersionId: string; Key: string }[] }>(
      "s3",
      "list_object_versions",
      {
        Bucket: bucket,
        Prefix: `${key}.tflock`,
      },
    );
    return new Set((r.Versions ?? []).filter((v) => v.Key === `${key}.tflock`).map((v) => v.VersionId));
  }

  /**
   * Runs `running` and reports the lock it took: the lock object versions written meanwhile (read back by
   * version id, so even a lock held for a few milliseconds is seen), and whether one is left behind.
   */
  private async watchLock(
    moto: MotoClient,
    running: RunningCommand,
    before: Set<string>,
  ): Promise<LockSighting> {
    await running.result;
    const { bucket, key } = this.state!;
    const lockKey = `${key}.tflock`;
    const written = [...(await this.lockVersions(moto))].filter((v) => !before.has(v));
    let body: string | undefined;
    if (written.length > 0) {
      const r = await moto.call<{ Body: string }>("s3", "get_object", {
        Bucket: bucket,
        Key: lockKey,
        VersionId: written[0],
      });
      body = r.Body;
    }
    const leftBehind = (await moto.listKeys(bucket, lockKey)).includes(lockKey);
    return { seen: written.length > 0, body, leftBehind };
  }
}

/** A Terraform command failed: the stack, the phase and Terraform's own errors. */
export class StackError extends Error {
  constructor(
    readonly stack: string,
    readonly phase: string,
    readonly result: CommandResult,
  ) {
    const errors = parseEvents(result.stdout).errors;
    const text =
      errors.length > 0
        ? errors.join("\n    ")
        : `${result.stderr}\n${result.stdout}`.trim().split("\n").slice(-12).join("\n    ");
    super(
      `${stack}: terraform ${phase} ${result.timedOut ? "timed out" : `exited ${result.code}`}:\n    ${text}`,
    );
    this.name = "StackError";
  }
}
