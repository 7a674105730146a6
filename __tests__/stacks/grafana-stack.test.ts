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
