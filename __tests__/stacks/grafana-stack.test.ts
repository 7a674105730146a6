import { exampleEnv, onlyResource, resourcesOf, synthEnvironment } from "../helpers";

describe("GrafanaStack", () => {
  it.each(["dev", "staging", "prod"])("%s matches the reviewed snapshot", (name) => {
    expect(synthEnvironment(exampleEnv(name)).raw.grafana).toMatchSnapshot();
  });

  it("scopes the workspace role to the AMP workspace ARN read from cluster-monitoring state", () => {
    const { json } = synthEnvironment(exampleEnv("dev"));
    const policy = JSON.parse(onlyResource(json.grafana, "aws_iam_role_policy").policy as string);
    expect(policy.Statement[0].Resource).toBe(
      "${data.terraform_remote_state.cluster-monitoring-state.outputs.amp_workspace_arn}",
    );
  });

  it("creates the workspace after the policy of the role it queries with", () => {
    const { json } = synthEnvironment(exampleEnv("dev"));
    const workspace = onlyResource(json.grafana, "aws_grafana_workspace") as { depends_on: string[] };
    expect(workspace.depends_on).toEqual([expect.stringMatching(/^aws_iam_role_policy\.amg_policy/)]);
  });

  it("publishes the workspace URL and id", () => {
    const out = synthEnvironment(exampleEnv("dev")).json.grafana.output ?? {};
    expect(out.grafana_workspace_url.value).toMatch(
      /^https:\/\/\$\{aws_grafana_workspace\.[^.]+\.endpoint\}$/,
    );
    expect(out.grafana_workspace_id.value).toMatch(/^\$\{aws_grafana_workspace\.[^.]+\.id\}$/);
  });

  it("assigns ADMIN to configured groups and users, including looked-up user names", () => {
    const { json } = synthEnvironment(exampleEnv("staging"));
    const assoc = Object.values(resourcesOf(json.grafana, "aws_grafana_role_association"));
    expect(assoc.map((a) => a.role)).toEqual(["ADMIN", "ADMIN"]);
    expect(Object.keys(json.grafana.data?.aws_identitystore_user ?? {})).toHaveLength(1);
  });
});

describe("GrafanaStack: admins looked up in IAM Identity Center's own account and region", () => {
  const grafana = synthEnvironment(exampleEnv("staging")).json.grafana;
  const providers = grafana.provider?.aws as Record<string, any>[];

  it("looks user names up through a provider of Identity Center's account and home region, assuming its lookup role", () => {
    const ic = providers.find((p) => p.alias === "identity-center")!;
    expect(ic).toMatchObject({
      region: "us-east-1",
      allowed_account_ids: ["444444444444"],
      assume_role: [
        {
          role_arn: "arn:aws:iam::444444444444:role/eksmon-identity-lookup",
          session_name: "eksmon-staging-identity-lookup",
        },
      ],
    });
    for (const user of Object.values(grafana.data?.aws_identitystore_user ?? {}))
      expect(user.provider).toBe("aws.identity-center");
    // Everything else stays with the environment's own provider and account.
    const own = providers.find((p) => p.alias === undefined)!;
    expect(own.allowed_account_ids).toEqual(["222222222222"]);
    expect(JSON.stringify(grafana.resource)).not.toContain("aws.identity-center");
  });

  it("needs no Identity Center provider without user names", () => {
    const dev = synthEnvironment(exampleEnv("dev")).json.grafana;
    expect(((dev.provider?.aws ?? []) as { alias?: string }[]).map((p) => p.alias)).toEqual([undefined]);
    expect(dev.data?.aws_identitystore_user).toBeUndefined();
  });

  /** The ADMIN associations of an edited staging, by construct id: who is admin, and how. */
  function admins(edit: (a: { userIds?: string[]; groupIds?: string[]; userNames?: string[] }) => void) {
    const env = exampleEnv("staging", (e) => edit(e.grafana.admins as never));
    const json = synthEnvironment(env).json.grafana;
    const assoc = resourcesOf(json, "aws_grafana_role_association");
    return {
      users: Object.entries(assoc).find(([, a]) => a.user_ids)?.[0],
      userIds: Object.values(assoc).find((a) => a.user_ids)?.user_ids as string[] | undefined,
      groups: Object.values(assoc).find((a) => a.group_ids)?.group_ids as string[] | undefined,
      lookups: Object.values(json.data?.aws_identitystore_user ?? {}).map(
        (u: any) => u.alternate_identifier.unique_attribute.attribute_value,
      ),
      icProvider: ((json.provider?.aws ?? []) as { alias?: string }[]).some(
        (p) => p.alias === "identity-center",
      ),
    };
  }
  const USER = "9067729b3d-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

  it("adds and removes looked-up admins in both directions, changing the one users association in place", () => {
    const one = admins(() => undefined);
    const two = admins((a) => a.userNames?.push("john.roe@example.com"));
    const none = admins((a) => (a.userNames = []));
    expect(one.lookups).toEqual(["jane.doe@example.com"]);
    expect(two.lookups).toEqual(["jane.doe@example.com", "john.roe@example.com"]);
    expect(two.users).toBe(one.users); // same address: an in-place update of user_ids
    expect(two.userIds).toHaveLength(2);
    // Back to none: no lookup, no Identity Center provider, no empty association (the API refuses one).
    expect(none).toMatchObject({ users: undefined, lookups: [], icProvider: false });
    expect(none.groups).toEqual(one.groups); // the groups association is untouched either way
    // And from none back to one: the same association address as before.
    expect(admins((a) => (a.userNames = ["jane.doe@example.com"])).users).toBe(one.users);
  });

  it("mixes ids and looked-up names in one association, and drops either without touching the other", () => {
    const both = admins((a) => (a.userIds = [USER]));
    expect(both.userIds).toEqual([USER, expect.stringMatching(/^\$\{data\.aws_identitystore_user\./)]);
    const idsOnly = admins((a) => {
      a.userIds = [USER];
      a.userNames = [];
    });
    expect(idsOnly).toMatchObject({ userIds: [USER], lookups: [], icProvider: false, users: both.users });
    const noGroups = admins((a) => (a.groupIds = []));
    expect(noGroups.groups).toBeUndefined();
    expect(noGroups.users).toBe(both.users);
  });
});
