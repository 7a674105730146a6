/**
 * The faults: two applies of one stack at once (the S3 lock), and applies stopped halfway (SIGINT, then
 * SIGKILL) with what an operator does afterwards (force-unlock, apply, import what the killed apply made
 * but did not record), checking that nothing is duplicated or lost.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { STACK_FILE } from "../../lib/synth-output.cjs";
import type { TfJson } from "./exclusions";
import type { KubeClient } from "./kube";
import { waitFor } from "./processes";
import { out } from "./report";
import { changesOf, E2E, keepTimes, noChanges, type RunContext } from "./run";
import { LIMITS, StackError, type StackRunner } from "./stack-runner";
import { alreadyExisting, completedByAction, parseEvents, type RunReport } from "./terraform-events";

/**
 * Two applies of one stack at once. The second starts the moment the first holds the lock: moto's
 * conditional PUT is check-then-write (not atomic like S3's), so two requests in the same millisecond could
 * both win there; starting on the lock object keeps the race out of the emulator. One apply must fail on the
 * lock with Terraform's message; the state object stays intact and the next plan shows no changes.
 */
export async function concurrentApplies(ctx: RunContext, runner: StackRunner): Promise<void> {
  const { bucket, key } = runner.state!;
  const before = JSON.parse((await ctx.moto.getObject(bucket, key)) ?? "{}") as {
    serial?: number;
    lineage?: string;
  };
  const args = ["apply", "-auto-approve", "-input=false", "-no-color", "-lock-timeout=0s"];
  const first = runner.start(args, LIMITS.apply);
  await waitFor(
    "the first apply's lock",
    async () => (await ctx.moto.listKeys(bucket, `${key}.tflock`)).length > 0,
    120_000,
    50,
  );
  const second = runner.start(args, LIMITS.apply);
  const [a, b] = [
    await runner.finish("concurrent apply 1", first, args),
    await runner.finish("concurrent apply 2", second, args),
  ];
  const lockMessage = /Error acquiring the state lock/;
  out.check("first apply (holding the lock) succeeded", a.code === 0, a.stderr.slice(-500));
  out.check(
    "second apply failed on the S3 lock with Terraform's lock message",
    b.code !== 0 &&
      lockMessage.test(b.stderr + b.stdout) &&
      /412|PreconditionFailed|precondition/i.test(b.stderr + b.stdout),
    (b.stderr + b.stdout).slice(-600),
  );
  const lockInfo = (b.stderr + b.stdout).match(/ID:\s+(\S+)[\s\S]*?Operation:\s+(\S+)/);
  if (lockInfo) out.say(`    the refused apply named the holder: ID ${lockInfo[1]}, ${lockInfo[2]}`);
  const after = JSON.parse((await ctx.moto.getObject(bucket, key)) ?? "{}") as {
    serial?: number;
    lineage?: string;
    resources?: unknown[];
  };
  out.check(
    "state object intact after the race (valid JSON, same lineage, resources kept)",
    after.lineage === before.lineage &&
      (after.resources?.length ?? 0) > 0 &&
      (after.serial ?? 0) >= (before.serial ?? 0),
    `serial ${before.serial} -> ${after.serial}, lineage ${before.lineage} -> ${after.lineage}`,
  );
  out.check("no lock left behind", (await ctx.moto.listKeys(bucket, `${key}.tflock`)).length === 0);
  const plan = await runner.planNoChanges("plan after race");
  noChanges("plan after the race shows no changes", plan);
  keepTimes(runner);
}

/**
 * Switches cluster-monitoring to the managed collector. The plan must leave the AMP workspace alone; the
 * first apply is killed (SIGKILL) halfway; the next apply must finish it, nothing duplicated or lost.
 */
async function stoppedApply(
  runner: StackRunner,
  signal: "SIGINT" | "SIGKILL",
  after: number,
): Promise<{ completed: number; code: number }> {
  const args = ["apply", "-input=false", "-json", "tfplan"];
  const running = runner.start(args, LIMITS.apply);
  const completions = () => (running.stdout().match(/"type":"apply_complete"/g) ?? []).length;
  let ended = false;
  running.result.then(() => {
    ended = true;
  });
  // Ends early when the apply itself ends (it failed, or finished before the count): reported by the caller.
  await waitFor(`${after} completed operations`, () => ended || completions() >= after, LIMITS.apply, 10);
  // The whole process group, as Ctrl-C in a terminal (SIGINT) or an OOM kill of the runner (SIGKILL) would.
  running.kill(signal);
  const r = await runner.finish(signal === "SIGINT" ? "interrupted apply" : "killed apply", running, args);
  return { completed: (r.stdout.match(/"type":"apply_complete"/g) ?? []).length, code: r.code };
}

async function stateSerial(
  ctx: RunContext,
  runner: StackRunner,
): Promise<{ serial?: number; lineage?: string; ok: boolean }> {
  const body = await ctx.moto.getObject(runner.state!.bucket, runner.state!.key);
  try {
    const state = JSON.parse(body ?? "") as { serial?: number; lineage?: string };
    return { serial: state.serial, lineage: state.lineage, ok: Boolean(state.lineage) };
  } catch {
    return { ok: false };
  }
}

/**
 * An apply stopped halfway, twice. First Ctrl-C (SIGINT, what a cancelled CI job gets): Terraform finishes
 * what is in flight, records it and releases the lock; the next apply must do exactly the rest. Then SIGKILL
 * (a lost runner) halfway through the rest: Terraform writes state at most every 20 s during an apply and
 * gets no chance to write at the end, so the objects it created since are unrecorded and its lock stays.
 * What an operator does is checked: force-unlock with the lock's ID, apply; objects the next apply finds
 * already existing are imported (their ids from the emulators), and the apply after that finishes with
 * nothing duplicated.
 */
export async function stoppedApplies(
  ctx: RunContext,
  runner: StackRunner,
  planned: number,
  kube?: KubeClient,
): Promise<void> {
  const { bucket, key } = runner.state!;
  const lockKey = `${key}.tflock`;

  const before = await stateSerial(ctx, runner);
  const first = await stoppedApply(runner, "SIGINT", Math.max(1, Math.floor(planned / 3)));
  const afterInt = await stateSerial(ctx, runner);
  out.say(
    `  apply interrupted (SIGINT) with ${first.completed} of ${planned} operations completed (exit ${first.code})`,
  );
  out.check(
    "interrupted apply recorded what it did (state written, same lineage) and released its lock",
    afterInt.ok &&
      afterInt.lineage === before.lineage &&
      (afterInt.serial ?? 0) > (before.serial ?? 0) &&
      !(await ctx.moto.listKeys(bucket, lockKey)).includes(lockKey),
    `serial ${before.serial} -> ${afterInt.serial}`,
  );
  const rest = await runner.plan("plan after interrupt");
  out.check(
    "the next plan holds exactly the operations the interrupted apply did not do",
    rest.planned.length === planned - first.completed,
    `${rest.planned.length} planned, ${planned - first.completed} expected`,
    `${rest.planned.length} left`,
  );

  if (rest.planned.length < 2) {
    // The interrupted apply got (nearly) everything done before it stopped: nothing left to kill halfway.
    out.notProven(
      "an apply killed halfway",
      `the interrupted apply left ${rest.planned.length} operations, too few to kill one halfway`,
    );
    await runner.apply(ctx.moto, "apply after interrupt");
    noChanges("plan after finishing the interrupted apply shows no changes", await runner.planNoChanges());
    return;
  }
  const second = await stoppedApply(runner, "SIGKILL", Math.ceil(rest.planned.length / 2));
  out.say(
    `  apply killed (SIGKILL) with ${second.completed} of ${rest.planned.length} operations completed (exit ${second.code})`,
  );
  const afterKill = await stateSerial(ctx, runner);
  out.check(
    "state object still valid after the kill (same lineage)",
    afterKill.ok && afterKill.lineage === before.lineage,
  );
  const lock = await ctx.moto.getObject(bucket, lockKey);
  if (lock) {
    const id = (JSON.parse(lock) as { ID: string }).ID;
    out.say(`  the killed apply left its lock (ID ${id}): terraform force-unlock, as an operator would`);
    const unlock = await runner.run("force-unlock", ["force-unlock", "-force", id], LIMITS.init);
    out.check(
      "force-unlock with the ID from the lock object removed the stale lock",
      unlock.code === 0,
      unlock.stderr,
    );
  }
  const plan = await runner.plan("plan after kill");
  out.say(`  plan after the kill: ${changesOf(plan)}`);
  // Each round imports what the last apply found already existing: an object's dependents (a security
  // group's rules) only show up once the object itself is adopted. Bounded.
  let finished: RunReport | undefined;
  const adopted: string[] = [];
  for (let round = 1; !finished; round++) {
    try {
      finished = (await runner.apply(ctx.moto, round === 1 ? "apply after kill" : "apply with imports"))
        .report;
    } catch (error) {
      if (!(error instanceof StackError) || round > 5) throw error;
      const report = parseEvents(error.result.stdout);
      const { addresses, others } = alreadyExisting(report);
      if (others.length > 0 || addresses.length === 0) throw error;
      adopted.push(...addresses.filter((a) => !adopted.includes(a)));
      await importOrphans(ctx, runner, adopted);
    }
  }
  if (adopted.length > 0) {
    out.notProven(
      "a plain apply finishes a SIGKILLed one",
      `${adopted.length} objects the killed apply created were not in its last state snapshot (Terraform persists state every 20 s during an apply and cannot at a SIGKILL): ${adopted.join(", ")}`,
    );
    const recorded = await runner.stateList();
    const missing = adopted.filter((a) => !recorded.includes(a));
    out.check(
      `import blocks adopted the ${adopted.length} unrecorded objects, the apply finished (force-unlock, then import: docs/validation.md)`,
      missing.length === 0,
      `not in state: ${missing.join(", ")}`,
    );
  } else out.check("the apply after the kill finished the job without help", true);
  out.say(
    `  finished: ${
      Object.entries(completedByAction(finished.operations))
        .map(([a, n]) => `${a} ${n}`)
        .join(", ") || "nothing to do"
    }`,
  );
  const again = await runner.planNoChanges();
  noChanges("plan after recovering from the kill shows no changes", again);
  await assertNoDuplicates(ctx, kube);
}

const printed = new Set<string>();

/** Import ids of objects a killed apply created but did not record, from their config and the emulators. */
async function importOrphans(ctx: RunContext, runner: StackRunner, addresses: string[]): Promise<void> {
  const json = JSON.parse(readFileSync(join(runner.dir, STACK_FILE), "utf8")) as TfJson;
  const state = await runner.stateValues();
  const found = new Map<string, Record<string, unknown>>();
  const config = (address: string) => {
    const [type, name] = address.split(".");
    return (json.resource?.[type]?.[name] ?? {}) as Record<string, unknown>;
  };
  /** A literal, or the value of a `${type.name.attr}` reference from the state, found orphans or config. */
  const resolve = (value: unknown): string => {
    const text = String(value ?? "");
    const quoted = text.match(/^\$\{"([^"]*)"\}$/);
    if (quoted) return quoted[1];
    const m = text.match(/^\$\{([\w-]+\.[\w-]+)\.([\w-]+)(?:\[0\]\.([\w-]+))?\}$/);
    if (!m) return text;
    const [, address, attr, nested] = m;
    const known = state.get(address) ?? found.get(address);
    if (known) {
      const v = known[attr];
      return String(nested ? (v as Record<string, unknown>[])[0][nested] : v);
    }
    const c = config(address)[attr];
    return String(nested ? (c as Record<string, unknown>)[nested] : c);
  };
  const imports: { to: string; id: string }[] = [];
  // Security groups first: their rules are found through them.
  for (const address of [...addresses].sort(
    (a, b) => Number(!a.startsWith("aws_security_group.")) - Number(!b.startsWith("aws_security_group.")),
  )) {
    const type = address.split(".")[0];
    const cfg = config(address);
    const meta = (cfg.metadata ?? {}) as { name?: string; namespace?: string };
    let id: string | undefined;
    if (type.startsWith("kubernetes_"))
      id = meta.namespace ? `${resolve(meta.namespace)}/${meta.name}` : meta.name;
    else if (type === "helm_release") id = `${resolve(cfg.namespace)}/${cfg.name}`;
    else if (type === "aws_security_group") {
      const r = await ctx.moto.call<{ SecurityGroups: { GroupId: string }[] }>(
        "ec2",
        "describe_security_groups",
        {
          Filters: [
            { Name: "group-name", Values: [String(cfg.name)] },
            { Name: "vpc-id", Values: [resolve(cfg.vpc_id)] },
          ],
        },
      );
      id = r.SecurityGroups[0]?.GroupId;
      if (id) found.set(address, { id });
    } else if (
      type === "aws_vpc_security_group_ingress_rule" ||
      type === "aws_vpc_security_group_egress_rule"
    ) {
      const group = resolve(cfg.security_group_id);
      const r = await ctx.moto.call<{
        SecurityGroupRules: {
          SecurityGroupRuleId: string;
          IsEgress: boolean;
          FromPort: number;
          ToPort: number;
          ReferencedGroupInfo?: { GroupId: string };
          CidrIpv4?: string;
        }[];
      }>("ec2", "describe_security_group_rules", { Filters: [{ Name: "group-id", Values: [group] }] });
      const egress = type.endsWith("egress_rule");
      const peer = cfg.referenced_security_group_id ? resolve(cfg.referenced_security_group_id) : undefined;
      id = r.SecurityGroupRules.find(
        (x) =>
          x.IsEgress === egress &&
          x.FromPort === cfg.from_port &&
          x.ToPort === cfg.to_port &&
          (peer ? x.ReferencedGroupInfo?.GroupId === peer : x.CidrIpv4 === cfg.cidr_ipv4),
      )?.SecurityGroupRuleId;
    } else if (type === "aws_prometheus_rule_group_namespace")
      id = `arn:aws:aps:${E2E.region}:${E2E.account}:rulegroupsnamespace/${resolve(cfg.workspace_id)}/${cfg.name}`;
    else if (type === "aws_cloudwatch_metric_alarm") id = String(cfg.alarm_name);
    else if (type === "aws_iam_role") id = String(cfg.name);
    if (!id) throw new Error(`no import id for ${address} (type ${type}): the harness cannot adopt it`);
    imports.push({ to: address, id });
    if (!printed.has(address)) out.say(`    import ${address} <- ${id}`);
    printed.add(address);
  }
  writeFileSync(join(runner.dir, "e2e_import.tf.json"), `${JSON.stringify({ import: imports }, null, 2)}\n`);
  await runner.plan("plan with imports");
}

/** Nothing the stacks create exists twice: security groups by name, AMP workspaces, rule groups, Helm releases. */
export async function assertNoDuplicates(ctx: RunContext, kube?: KubeClient): Promise<void> {
  const dupes = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);
  const groups = await ctx.moto.call<{ SecurityGroups: { GroupName: string }[] }>(
    "ec2",
    "describe_security_groups",
    { Filters: [{ Name: "vpc-id", Values: [ctx.vpcId] }] },
  );
  const sgDupes = dupes(groups.SecurityGroups.map((g) => g.GroupName));
  const workspaces = await ctx.moto.call<{ workspaces: { alias?: string; workspaceId: string }[] }>(
    "amp",
    "list_workspaces",
  );
  const ours = workspaces.workspaces.filter((w) => w.alias === "e2e-metrics");
  const rules = ours[0]
    ? await ctx.moto.call<{ ruleGroupsNamespaces: { name: string }[] }>(
        "amp",
        "list_rule_groups_namespaces",
        {
          workspaceId: ours[0].workspaceId,
        },
      )
    : { ruleGroupsNamespaces: [] };
  const roles = await ctx.moto.call<{ Roles: { RoleName: string }[] }>("iam", "list_roles");
  const topics = await ctx.moto.call<{ Topics: { TopicArn: string }[] }>("sns", "list_topics");
  out.check(
    "no duplicates in AWS: security group names, AMP workspace, rule groups, roles, topics",
    sgDupes.length === 0 &&
      ours.length === 1 &&
      dupes(rules.ruleGroupsNamespaces.map((r) => r.name)).length === 0 &&
      dupes(roles.Roles.map((r) => r.RoleName)).length === 0 &&
      topics.Topics.filter((t) => t.TopicArn.endsWith(":eksmon-e2e-alerts")).length === 1,
    `security groups ${sgDupes.join(",") || "ok"}, workspaces ${ours.length}, rule groups ${rules.ruleGroupsNamespaces.map((r) => r.name).join(",")}`,
  );
  if (!kube) return;
  const releases = await kube.list("/api/v1/secrets?labelSelector=owner%3Dhelm");
  const live = releases.filter(
    (r) => r.metadata.labels?.status !== "superseded" && r.metadata.labels?.status !== "uninstalled",
  );
  const keys = live.map((r) => `${r.metadata.namespace}/${r.metadata.labels?.name}`);
  out.check(
    "no duplicate or half-installed Helm release (one deployed record per release)",
    dupes(keys).length === 0 && live.every((r) => r.metadata.labels?.status === "deployed"),
    live.map((r) => `${r.metadata.namespace}/${r.metadata.name}:${r.metadata.labels?.status}`).join(", "),
  );
}

/** The managed collector's part of the cluster: exporters and the scraper's RBAC, checked by the authorizer. */
