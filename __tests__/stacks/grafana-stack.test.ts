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

  it("may publish to each severity's mail topic (and use their key), read from cluster-monitoring state", () => {
    const { json } = synthEnvironment(exampleEnv("dev"));
    const statements = JSON.parse(
      onlyResource(json.grafana, "aws_iam_role_policy").policy as string,
    ).Statement;
    const out = (name: string) => `\${data.terraform_remote_state.cluster-monitoring-state.outputs.${name}}`;
    expect(statements.find((s: { Sid: string }) => s.Sid === "PublishAlerts")).toEqual({
      Sid: "PublishAlerts",
      Effect: "Allow",
      Action: "sns:Publish",
      Resource: [
        "arn:aws:sns:us-east-1:111111111111:grafana*",
        out("alert_topic_arn"),
        out("alert_warning_topic_arn"),
        out("alert_info_topic_arn"),
      ],
    });
    expect(statements.find((s: { Sid: string }) => s.Sid === "EncryptAlertsForTopics").Resource).toEqual([
      out("alert_topic_key_arn"),
    ]);
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

  it("assigns each role once, to configured groups and users, including looked-up user names", () => {
    const { json } = synthEnvironment(exampleEnv("staging"));
    const assoc = Object.values(resourcesOf(json.grafana, "aws_grafana_role_association"));
    expect(assoc.map((a) => a.role)).toEqual(["ADMIN", "EDITOR", "VIEWER"]);
    expect(Object.keys(json.grafana.data?.aws_identitystore_user ?? {})).toHaveLength(2);
  });

  it("forgets 0.2.0's two ADMIN associations, never destroys them", () => {
    const { json } = synthEnvironment(exampleEnv("dev"));
    expect((json.grafana as { removed?: unknown[] }).removed).toEqual([
      { from: "aws_grafana_role_association.admins_users_229536E1", lifecycle: { destroy: false } },
      { from: "aws_grafana_role_association.admins_groups_BFB914D3", lifecycle: { destroy: false } },
    ]);
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

  /** The ADMIN association of an edited staging: its address, members, lookups, and the trigger's list. */
  function admins(edit: (a: { userIds?: string[]; groupIds?: string[]; userNames?: string[] }) => void) {
    const env = exampleEnv("staging", (e) => edit(e.grafana.admins as never));
    const json = synthEnvironment(env).json.grafana;
    const assoc = Object.entries(resourcesOf(json, "aws_grafana_role_association")).find(
      ([, a]) => a.role === "ADMIN",
    );
    const trigger = (
      assoc?.[1].lifecycle as { replace_triggered_by?: string[] } | undefined
    )?.replace_triggered_by?.[0]?.split(".")[1];
    return {
      address: assoc?.[0],
      userIds: assoc?.[1].user_ids as string[] | undefined,
      groups: assoc?.[1].group_ids as string[] | undefined,
      listed: trigger
        ? (resourcesOf(json, "terraform_data")[trigger].input as Record<string, string[]>)
        : undefined,
      lookups: Object.values(json.data?.aws_identitystore_user ?? {}).map(
        (u: any) => u.alternate_identifier.unique_attribute.attribute_value,
      ),
    };
  }
  const USER = "9067729b3d-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

  it("adds and removes looked-up admins in both directions: same address, and the listed members change (replacement)", () => {
    const one = admins(() => undefined);
    const two = admins((a) => a.userNames?.push("john.roe@example.com"));
    const none = admins((a) => (a.userNames = []));
    expect(one.lookups).toContain("jane.doe@example.com");
    expect(two.lookups).toContain("john.roe@example.com");
    expect(two.address).toBe(one.address);
    expect(two.userIds).toHaveLength(2);
    expect(two.listed?.user_ids).toEqual(["jane.doe@example.com", "john.roe@example.com"]);
    // Without user names the role keeps its groups in the same association, with the new list.
    expect(none).toMatchObject({ address: one.address, userIds: undefined, groups: one.groups });
    expect(none.listed).toEqual({ user_ids: [], group_ids: one.groups });
    expect(admins((a) => (a.userNames = ["jane.doe@example.com"])).listed).toEqual(one.listed);
  });

  it("mixes ids and looked-up names in one association of the role", () => {
    const both = admins((a) => (a.userIds = [USER]));
    expect(both.userIds).toEqual([USER, expect.stringMatching(/^\$\{data\.aws_identitystore_user\./)]);
    expect(both.listed?.user_ids).toEqual([USER, "jane.doe@example.com"].sort());
    const noGroups = admins((a) => (a.groupIds = []));
    expect(noGroups.groups).toBeUndefined();
    expect(noGroups.address).toBe(both.address);
  });
});
