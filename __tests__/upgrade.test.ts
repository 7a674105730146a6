/**
 * Upgrading this project must not make Terraform destroy and recreate what an environment already has: every
 * resource address the example environments had at the last release (a fixture written from that release's
 * synth) still exists, or is retired here with the reason, or is moved by a `moved` block. A refactor that
 * renames a construct fails here until it keeps the address (see the "Default" collector construct) or says
 * why not.
 */

import { validateEnvironments } from "../config/validate";
import { environments } from "../environments";
import { STACK_KINDS, stackName } from "../lib/naming";
import released from "./fixtures/addresses-0.1.0.json";
import { synthEnvironment } from "./helpers";

/** Addresses that may disappear, and why (each one is in docs/upgrading.md). */
const RETIRED: Record<string, string> = {
  "grafana_dashboard.dashboards_collector-health_19C342E6":
    "collector-health.json became prometheus-collector.json (new uid, only for the prometheus collector)",
  // The token left <env>-grafana for <env>-grafana-token (same addresses there): its state is kept from
  // pull-request plan roles. `terraform state mv` across the two states keeps the token (docs/upgrading.md).
  "aws_grafana_workspace_service_account.terraform-service-account_F345419E": "moved to <env>-grafana-token",
  "aws_grafana_workspace_service_account_token.terraform-service-account_token_CE8AB4D9":
    "moved to <env>-grafana-token",
  "time_rotating.terraform-service-account_rotation_25E4D853": "moved to <env>-grafana-token",
};

/** Stack kinds added since the release, and why (each one is in docs/upgrading.md). */
const ADDED_STACKS: Record<string, string> = {
  "grafana-token": "holds the Grafana service-account token, apart from the state pull requests plan",
};

const current = new Map<string, Set<string>>();
for (const env of validateEnvironments(environments)) {
  const { json } = synthEnvironment(env);
  for (const kind of STACK_KINDS) {
    const stack = json[kind] as {
      resource?: Record<string, Record<string, unknown>>;
      moved?: { from: string }[];
    };
    const addresses = new Set<string>();
    for (const [type, byId] of Object.entries(stack.resource ?? {}))
      for (const id of Object.keys(byId)) addresses.add(`${type}.${id}`);
    for (const move of stack.moved ?? []) addresses.add(move.from);
    current.set(stackName(env.name, kind), addresses);
  }
}

describe("upgrading from 0.1.0", () => {
  const stacks = Object.entries(released as Record<string, string[]>).filter(([name]) => current.has(name));

  it.each(stacks)(
    "%s keeps every resource address (or moves it, or retires it with a reason)",
    (name, addresses) => {
      const lost = addresses.filter((a) => !current.get(name)?.has(a) && !(a in RETIRED));
      expect(lost).toEqual([]);
    },
  );

  it("covers every stack of every example environment, but those of stack kinds added since", () => {
    const added = (name: string) => Object.keys(ADDED_STACKS).some((kind) => name.endsWith(`-${kind}`));
    expect(stacks.map(([name]) => name).sort()).toEqual([...current.keys()].filter((n) => !added(n)).sort());
  });
});
