/**
 * Pure parts of scripts/stacks.ts (`npm run plan|deploy|destroy -- <env>`): argument parsing, stack
 * order and the destroy guard. No I/O, so they are unit-tested (__tests__/scripts/lib/cli.test.ts).
 */

import { parseArgs } from "node:util";
import type { AdoptionFlag } from "../../config/adoption";
import { type StackKind, stacksOf, TOKEN_STACKS } from "../../stacks/graph";

export const COMMANDS = ["plan", "deploy", "destroy", "maintain", "env-info"] as const;
export type Command = (typeof COMMANDS)[number];

/** What the user asked for. */
export interface Invocation {
  readonly command: Command;
  readonly environment: string;
  /** destroy: go ahead although the environment is protected. */
  readonly forceUnprotected: boolean;
  /** plan: `-lock=false` (PR plans must not take the state lock). */
  readonly noLock: boolean;
  /** plan: as a pull request: `-lock=false`, and the stacks in TOKEN_STACKS skipped with their reason. */
  readonly pullRequest: boolean;
  /** plan, maintain: write the JSON report here. */
  readonly report?: string;
  /** plan, maintain: reuse cdktf.out instead of synthesizing first. */
  readonly skipSynth: boolean;
  /** deploy/destroy: pass --auto-approve to cdktf. */
  readonly autoApprove: boolean;
}

/** A usage mistake: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const USAGE = `usage: npm run <plan|deploy|destroy> -- <environment> [options]
  plan     synthesize, then terraform init + plan every stack of the environment in dependency order,
           one line per stack: <stack>: +add ~change -destroy
           --no-lock          plan with -lock=false
           --pull-request     plan as a pull request: -lock=false, and skip the stacks whose state holds
                              the Grafana admin token (reported as skipped, with the reason)
           --report <file>    also write a JSON report (input of scripts/pr-plan.ts)
           --skip-synth       reuse cdktf.out
  deploy   cdktf deploy '<environment>-*' (dependency order)     --auto-approve
  destroy  cdktf destroy, reverse dependency order; refuses a protected environment
           --force-unprotected  destroy it anyway (prevent_destroy still guards stateful resources)
           --auto-approve
  maintain the scheduled run (.github/workflows/maintain.yml), on the commit last deployed: apply the
           stacks that renew the Grafana token (grafana-token, then grafana-config) where their plan
           changes something, then plan every stack without the lock and fail on any change (drift)
           --report <file>    also write a JSON report       --skip-synth  reuse cdktf.out
  env-info print region, backend and Terraform Cloud hostname as key=value lines (for CI)`;

const OPTIONS = {
  "force-unprotected": { type: "boolean", default: false },
  "no-lock": { type: "boolean", default: false },
  "pull-request": { type: "boolean", default: false },
  report: { type: "string" },
  "skip-synth": { type: "boolean", default: false },
  "auto-approve": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** Which options each command accepts (anything else is a usage error, not silently ignored). */
const ALLOWED: Record<Command, readonly (keyof typeof OPTIONS)[]> = {
  plan: ["no-lock", "pull-request", "report", "skip-synth"],
  deploy: ["auto-approve"],
  destroy: ["force-unprotected", "auto-approve"],
  maintain: ["report", "skip-synth"],
  "env-info": [],
};

/**
 * Parses `<command> <environment> [options]`.
 * @throws UsageError naming the problem, and for an unknown environment the known ones.
 */
export function parseCommandLine(argv: readonly string[], knownEnvironments: readonly string[]): Invocation {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError(USAGE);
  const [command, environment, ...extra] = positionals;
  if (!command || !(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(
      `${command ? `unknown command "${command}"` : "no command"} (expected one of: ${COMMANDS.join(", ")})\n${USAGE}`,
    );
  const known = knownEnvironments.join(", ");
  if (!environment)
    throw new UsageError(
      `${command}: no environment given (expected one of: ${known}), e.g. npm run ${command} -- dev`,
    );
  if (!knownEnvironments.includes(environment))
    throw new UsageError(
      `unknown environment "${environment}" (expected one of: ${known}; see environments/index.ts)`,
    );
  if (extra.length)
    throw new UsageError(`${command}: unexpected argument "${extra[0]}" (one environment at a time)`);
  const cmd = command as Command;
  for (const [name, value] of Object.entries(values)) {
    if (name === "help") continue;
    const given = value !== undefined && value !== false;
    if (given && !ALLOWED[cmd].includes(name as keyof typeof OPTIONS))
      throw new UsageError(
        `${cmd}: --${name} does not apply (expected ${ALLOWED[cmd].length ? ALLOWED[cmd].map((o) => `--${o}`).join(", ") : "no options"})`,
      );
  }
  return {
    command: cmd,
    environment,
    forceUnprotected: values["force-unprotected"],
    noLock: values["no-lock"] || values["pull-request"],
    pullRequest: values["pull-request"],
    report: values.report,
    skipSynth: values["skip-synth"],
    autoApprove: values["auto-approve"],
  };
}

/** The environment's stacks in the order a command touches them: dependency order, reversed for destroy. */
export function stacksInOrder(
  env: { readonly name: string; readonly clusters: readonly { readonly key: string }[] },
  command: Command,
): string[] {
  const names = stacksOf(env).map((stack) => stack.name);
  return command === "destroy" ? names.reverse() : names;
}

/** Why destroy must not run, or undefined when it may. */
export function destroyRefusal(
  environment: string,
  isProtected: boolean,
  forceUnprotected: boolean,
  adoption: readonly AdoptionFlag[] = [],
): string | undefined {
  if (isProtected && !forceUnprotected)
    return `refusing to destroy "${environment}": it is protected (protect: true in environments/${environment}.ts). If you really mean it, run: npm run destroy -- ${environment} --force-unprotected (stateful resources still carry prevent_destroy: set protect: false and deploy first)`;
  if (adoption.length > 0)
    return `refusing to destroy "${environment}": environments/${environment}.ts still adopts what existed before this project (${adoption.map((f) => f.field).join(", ")}). Adoption imports once: after a destroy those objects are gone, and the next plan would fail with "Cannot import non-existent remote object". Remove ${adoption.length === 1 ? "that field" : "those fields"} (they did their work at the first apply; ebsCsi.driver back to "addon"), then destroy again.`;
  return undefined;
}

/** What `npm run deploy` says after a deploy of an environment that still sets adoption fields. */
export function adoptionReminder(environment: string, adoption: readonly AdoptionFlag[]): string | undefined {
  if (adoption.length === 0) return undefined;
  return `${environment}: adoption done. Remove ${adoption.map((f) => f.field).join(", ")} from environments/${environment}.ts now (ebsCsi.driver back to "addon"): an import runs once, and kept past a destroy, or copied into another environment, it fails the plan ("Cannot import non-existent remote object").`;
}

/**
 * The stacks a scheduled maintenance run applies: the one that renews the Grafana token once its rotation
 * period has passed (it expires otherwise), then the one that signs in with it. Every other stack changes
 * only through a deploy.
 */
export const MAINTAINED_STACKS: readonly StackKind[] = ["grafana-token", "grafana-config"];

/** Why a pull request does not plan a stack (its state holds, or its plan needs, the Grafana admin token), or undefined. */
export function pullRequestSkipReason(stack: string, environment: string): string | undefined {
  const kind = stack.slice(environment.length + 1) as StackKind;
  return TOKEN_STACKS[kind];
}
