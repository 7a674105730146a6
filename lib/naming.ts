/** Names shared by stacks, tests and scripts: one place decides how things are called. */

/** The project's name, in tags and default prefixes. */
export const PROJECT = "eks-amp-amg-monitoring";

/** The stacks of an environment, in dependency order. */
export const STACK_KINDS = ["network", "cluster-monitoring", "grafana", "grafana-config"] as const;
export type StackKind = (typeof STACK_KINDS)[number];

/** `<env>-<kind>`: so `cdktf deploy '<env>-*'` deploys one environment. */
export function stackName(env: string, kind: StackKind): string {
  return `${env}-${kind}`;
}

export function stackNames(env: string): Record<StackKind, string> {
  return Object.fromEntries(STACK_KINDS.map((kind) => [kind, stackName(env, kind)])) as Record<
    StackKind,
    string
  >;
}

/** Name of an IAM role or other account-wide resource of an environment (<= 64 characters). */
export function resourceName(env: string, purpose: string): string {
  return `eksmon-${env}-${purpose}`;
}
