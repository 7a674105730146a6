/**
 * Upgrading this project must not make Terraform destroy and recreate what an environment already has: every
 * resource address the example environments had at an earlier release (a fixture written from that release's
 * synth) still exists, or is moved by a `moved` block to an address that exists, or is retired here with the
 * reason. A refactor that renames a construct fails here until it keeps the address (see the "Default"
 * constructs), adds a `moved` block (see Role.movedAttachmentsFromIndex) or says why not.
 * The loopback deploy applies a release's layout and plans the next one for real (docs/validation.md).
 */
import { App } from "cdktf";
import { addBootstrap, addEnvironment } from "../../app";
import type { EnvironmentInput } from "../../config/environment";
import { validateEnvironments } from "../../config/validate";
import { environments } from "../../environments";
import release010 from "../fixtures/addresses-0.1.0.json";
import release020 from "../fixtures/addresses-0.2.0.json";

/** Addresses of 0.1.0 that may disappear, and why (each one is in docs/upgrading.md). */
const RETIRED_SINCE_010: Record<string, string> = {
  "grafana_dashboard.dashboards_collector-health_19C342E6":
    "collector-health.json became prometheus-collector.json (new uid, only for the prometheus collector)",
  // The token left <env>-grafana for <env>-grafana-token (same addresses there): its state is kept from
  // pull-request plan roles. `terraform state mv` across the two states keeps the token (docs/upgrading.md).
  "aws_grafana_workspace_service_account.terraform-service-account_F345419E": "moved to <env>-grafana-token",
  "aws_grafana_workspace_service_account_token.terraform-service-account_token_CE8AB4D9":
    "moved to <env>-grafana-token",
  "time_rotating.terraform-service-account_rotation_25E4D853": "moved to <env>-grafana-token",
  // Named after backend.project, whose default became "eksmon": `project: "eks-monitoring"` keeps it.
  "tfe_project.project-eks-monitoring":
    "named after backend.project, whose default changed (docs/upgrading.md)",
};

/** Stacks added since 0.1.0, and why (each one is in docs/upgrading.md). */
const ADDED_SINCE_010 = [
  /-grafana-token$/, // holds the Grafana service-account token, apart from the state pull requests plan
  /^bootstrap-github-aws-/, // GitHub Actions identities, optional
  /-cluster-(?!monitoring$)/, // one stack per cluster since 0.3
];

/** Stacks added since 0.2.0, and why (each one is in docs/upgrading.md). */
const ADDED_SINCE_020 = [
  /-cluster-(?!monitoring$)/, // one stack per cluster: its resources were <env>-cluster-monitoring's
];

interface StackAddresses {
  /** Addresses of resources in the configuration. */
  readonly resources: Set<string>;
  /** `from` -> `to` of its moved blocks. */
  readonly moved: Map<string, string>;
  /** Addresses its `removed` blocks forget without destroying them (`destroy = false`). */
  readonly forgotten: Set<string>;
  /** Addresses its `import` blocks import into. */
  readonly imported: Set<string>;
}

/** Every stack the example environments synthesize today (bootstrap stacks included), with its addresses. */
function currentStacks(inputs: readonly EnvironmentInput[] = environments): Map<string, StackAddresses> {
  const app = new App({ outdir: "unused", skipValidation: true });
  const configs = validateEnvironments(inputs);
  for (const env of configs) addEnvironment(app, env);
  addBootstrap(app, configs);
  const out = new Map<string, StackAddresses>();
  for (const child of app.node.children) {
    const json = (child as unknown as { toTerraform(): Record<string, unknown> }).toTerraform() as {
      resource?: Record<string, Record<string, unknown>>;
      moved?: { from: string; to: string }[];
      removed?: { from: string; lifecycle?: { destroy?: boolean } }[];
      import?: { to: string; id: string }[];
    };
    const resources = new Set<string>();
    for (const [type, byId] of Object.entries(json.resource ?? {}))
      for (const id of Object.keys(byId)) resources.add(`${type}.${id}`);
    out.set(child.node.id, {
      resources,
      moved: new Map((json.moved ?? []).map((m) => [m.from, m.to])),
      forgotten: new Set(
        (json.removed ?? []).filter((r) => r.lifecycle?.destroy === false).map((r) => r.from),
      ),
      imported: new Set((json.import ?? []).map((i) => i.to)),
    });
  }
  return out;
}

const current = currentStacks();

/**
 * An address of a release that is not kept: neither in the configuration, nor moved to an address that is,
 * nor forgotten by a `removed` block (left running, never destroyed).
 */
function lost(stack: StackAddresses | undefined, address: string): boolean {
  if (!stack) return true;
  if (stack.resources.has(address) || stack.forgotten.has(address)) return false;
  const to = stack.moved.get(address);
  return !(to && stack.resources.has(to));
}

describe.each([
  ["0.1.0", release010 as Record<string, string[]>, RETIRED_SINCE_010, ADDED_SINCE_010],
  ["0.2.0", release020 as Record<string, string[]>, {}, ADDED_SINCE_020],
])("upgrading from %s", (_version, released, retired: Record<string, string>, added: RegExp[]) => {
  const stacks = Object.entries(released).filter(([name]) => current.has(name));

  it.each(stacks)(
    "%s keeps every resource address (or moves or forgets it, or retires it with a reason)",
    (name, addresses) => {
      expect(addresses.filter((a) => lost(current.get(name), a) && !(a in retired))).toEqual([]);
    },
  );

  it("covers every stack synthesized today, but those of kinds added since", () => {
    const isAdded = (name: string) => added.some((pattern) => pattern.test(name));
    expect(stacks.map(([name]) => name).sort()).toEqual(
      [...current.keys()].filter((n) => !isAdded(n)).sort(),
    );
  });
});

describe("moved blocks", () => {
  it("move only to addresses in the configuration, from addresses that are not", () => {
    const wrong = [...current].flatMap(([name, s]) =>
      [...s.moved]
        .filter(([from, to]) => !s.resources.has(to) || s.resources.has(from))
        .map((m) => `${name}: ${m}`),
    );
    expect(wrong).toEqual([]);
  });
});

/**
 * 0.2 kept one cluster's resources in `<env>-cluster-monitoring`; they are the cluster's stack's now. The
 * upgrade (docs/upgrading.md) sets `adopt.clusterMonitoringStack` on the cluster without an id: the workspace
 * stack forgets each address (never destroys it) and the cluster's stack imports it at the same address.
 */
describe("upgrading from 0.2.0 to one stack per cluster", () => {
  /** The examples as an upgrade from 0.2 writes them: the flag on the cluster that was 0.2's one cluster. */
  const upgrading = environments.map((input) => {
    const env = structuredClone(input);
    const cluster = env.clusters.find((c) => !c.id)!;
    cluster.adopt = {
      clusterMonitoringStack: true,
      ...(cluster.collector?.type === "managed"
        ? {
            managedScraper: {
              id: "s-0123abcd-4567-89ef-0123-456789abcdef",
              roleArn: `arn:aws:iam::${env.accountId}:role/aws-service-role/scraper.aps.amazonaws.com/AWSServiceRoleForAmazonPrometheusScraper_0123abc`,
            },
          }
        : {}),
    };
    return env;
  });
  const after = currentStacks(upgrading);
  const released = release020 as Record<string, string[]>;
  const cases = upgrading.map((env) => {
    const cluster = env.clusters.find((c) => !c.id)!;
    return [env.name, `${env.name}-cluster-${cluster.name}`] as const;
  });

  it.each(cases)(
    "%s: every 0.2 address stays in the workspace stack, or is forgotten there and imported by %s",
    (env, clusterStack) => {
      const workspace = after.get(`${env}-cluster-monitoring`)!;
      const cluster = after.get(clusterStack)!;
      const problems = released[`${env}-cluster-monitoring`].flatMap((address) => {
        if (workspace.resources.has(address)) return [];
        if (!workspace.forgotten.has(address)) return [`${address}: destroyed (neither kept nor forgotten)`];
        const at = cluster.resources.has(address) ? address : cluster.moved.get(address);
        if (!at || !cluster.resources.has(at)) return [`${address}: forgotten, but not in ${clusterStack}`];
        return cluster.imported.has(at)
          ? []
          : [`${address}: in ${clusterStack} as ${at}, created anew, not imported`];
      });
      expect(problems).toEqual([]);
    },
  );

  it.each(cases)("%s: %s imports only what 0.2 had", (env, clusterStack) => {
    const had = new Set(released[`${env}-cluster-monitoring`]);
    const cluster = after.get(clusterStack)!;
    const movedTo = new Map([...cluster.moved].map(([from, to]) => [to, from]));
    const invented = [...cluster.imported].filter((a) => !had.has(a) && !had.has(movedTo.get(a) ?? ""));
    expect(invented).toEqual([]);
    expect(cluster.imported.size).toBeGreaterThan(5);
  });

  it("changes no other stack of an environment than its workspace and cluster stacks (nothing else moves)", () => {
    const today = currentStacks();
    for (const [name, stack] of after) {
      if (/-cluster-/.test(name)) continue;
      expect({ name, resources: [...stack.resources].sort() }).toEqual({
        name,
        resources: [...today.get(name)!.resources].sort(),
      });
    }
  });
});
