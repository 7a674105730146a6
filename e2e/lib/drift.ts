/**
 * The plan after an apply must show no changes: a change there is drift from our own configuration, a bug.
 * Except where the emulator answers differently from AWS, for a documented reason: those changes are
 * listed here (type, attributes, reason) and printed when they occur, never dropped silently. Pure,
 * unit-tested in __tests__/e2e/lib/drift.test.ts.
 */

/** One resource change of `terraform show -json <plan>` (the fields read here). */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  /** "managed" or "data". @default "managed" */
  readonly mode?: string;
  /** The address it had before a `moved` block. @default not moved */
  readonly previous_address?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: Record<string, unknown> | null;
    readonly after?: Record<string, unknown> | null;
    /** Set when an `import` block brings it into state in this plan. @default not imported */
    readonly importing?: { readonly id?: string } | null;
  };
}

/** Top-level attributes whose value differs between before and after (a create or delete: all of them). */
export function changedAttributes(c: ResourceChange): string[] {
  const before = c.change.before ?? {};
  const after = c.change.after ?? {};
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
    .sort();
}

/** An emulator difference that shows as a change: which type, which attributes, when, and why. */
export interface KnownDrift {
  readonly type: RegExp;
  readonly attributes: readonly string[];
  readonly when: (c: ResourceChange) => boolean;
  readonly reason: string;
}

export const KNOWN_DRIFT: readonly KnownDrift[] = [
  {
    type: /^aws_vpc_security_group_(ingress|egress)_rule$/,
    attributes: ["description"],
    when: (c) => Boolean(c.change.after?.referenced_security_group_id) && !c.change.before?.description,
    reason:
      "moto 5.2.5 drops the description of a rule that references a security group (AuthorizeSecurityGroup*), so the next plan sets it again",
  },
];

/** Planned changes that are not no-ops, each explained by a known drift or not. */
export function classifyChanges(
  changes: readonly ResourceChange[],
  known: readonly KnownDrift[] = KNOWN_DRIFT,
): { explained: { change: ResourceChange; attributes: string[]; reason: string }[]; unexplained: string[] } {
  const explained: { change: ResourceChange; attributes: string[]; reason: string }[] = [];
  const unexplained: string[] = [];
  for (const c of changes) {
    const actions = c.change.actions;
    if (actions.length === 1 && (actions[0] === "no-op" || actions[0] === "read")) continue;
    const attributes = changedAttributes(c);
    const drift =
      actions.length === 1 && actions[0] === "update"
        ? known.find(
            (d) => d.type.test(c.type) && attributes.every((a) => d.attributes.includes(a)) && d.when(c),
          )
        : undefined;
    if (drift) explained.push({ change: c, attributes, reason: drift.reason });
    else unexplained.push(`${actions.join("+")} ${c.address} (${attributes.join(", ")})`);
  }
  return { explained, unexplained };
}
