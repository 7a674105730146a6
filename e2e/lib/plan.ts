/**
 * What a saved plan does, resource by resource (`terraform show -json <plan>`): the classes the upgrade and
 * cluster-removal checks count. Pure, unit-tested in __tests__/e2e/lib/plan.test.ts.
 */
import { changedAttributes, type ResourceChange } from "./drift";

/** Addresses of a plan's managed resources, by what the plan does to them. */
export interface PlanClasses {
  /** Brought into state by an `import` block (with or without an update). */
  readonly imports: string[];
  /** Left in the infrastructure and dropped from state (`removed`, `destroy = false`). */
  readonly forgets: string[];
  readonly creates: string[];
  /** Updated in place, imported or not: `address (attributes)`. */
  readonly updates: string[];
  readonly deletes: string[];
  /** Destroyed and created again, either order. */
  readonly replaces: string[];
  /** Carried to a new address by a `moved` block: `from -> to`. */
  readonly moves: string[];
}

/** Sorts a plan's resource changes into `PlanClasses`; data sources (reads) and no-ops are left out. */
export function classifyPlan(changes: readonly ResourceChange[]): PlanClasses {
  const c: PlanClasses = {
    imports: [],
    forgets: [],
    creates: [],
    updates: [],
    deletes: [],
    replaces: [],
    moves: [],
  };
  for (const r of changes) {
    if ((r.mode ?? "managed") !== "managed") continue;
    const actions = r.change.actions.join(",");
    if (r.change.importing) c.imports.push(r.address);
    if (r.previous_address && r.previous_address !== r.address)
      c.moves.push(`${r.previous_address} -> ${r.address}`);
    if (actions === "forget") c.forgets.push(r.address);
    else if (actions === "create") c.creates.push(r.address);
    else if (actions === "update") c.updates.push(`${r.address} (${changedAttributes(r).join(", ")})`);
    else if (actions === "delete") c.deletes.push(r.address);
    else if (actions === "delete,create" || actions === "create,delete") c.replaces.push(r.address);
  }
  return c;
}

/** `imports 12, forgets 0, ...` of the classes that are not empty, or `no change`. */
export function classesLine(c: PlanClasses): string {
  const parts = (Object.keys(c) as (keyof PlanClasses)[])
    .filter((k) => c[k].length > 0)
    .map((k) => `${k} ${c[k].length}`);
  return parts.join(", ") || "no change";
}

/** The address without its resource instance key: `aws_iam_role.x["a"]` -> `aws_iam_role.x`. */
export function baseAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, "");
}

/**
 * What identifies the object a resource manages, from its values: the role and policy of an IAM policy
 * attachment (its `id` is random per create, and set otherwise on import), else the `id`.
 */
export function objectKey(type: string, values: Record<string, unknown> | null | undefined): string {
  const v = values ?? {};
  if (type === "aws_iam_role_policy_attachment") return `${type} ${v.role}|${v.policy_arn}`;
  return `${type} ${v.id}`;
}

/**
 * Which objects one stack forgets and another imports (a take-over): each forgotten object matched to the
 * import of the same object (`objectKey`: the forget's values before, the import's values as imported),
 * whatever its address; `lost` are those no import brings back.
 */
export function takeOver(
  forgets: readonly ResourceChange[],
  imports: readonly ResourceChange[],
): { carried: string[]; lost: string[] } {
  const imported = new Map(
    imports
      .filter((r) => r.change.importing)
      .map((r) => [objectKey(r.type, r.change.before), r.address] as const),
  );
  const carried: string[] = [];
  const lost: string[] = [];
  for (const f of forgets) {
    if (f.change.actions.join(",") !== "forget") continue;
    const to = imported.get(objectKey(f.type, f.change.before));
    if (!to) lost.push(f.address);
    else carried.push(to === f.address ? f.address : `${f.address} -> ${to}`);
  }
  return { carried, lost };
}
