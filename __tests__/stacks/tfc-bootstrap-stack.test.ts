import { Testing } from "cdktf";
import { addBootstrap } from "../../app";
import type { EnvironmentConfig } from "../../config/environment";
import { exampleEnv, onlyResource, resourcesOf, type StackJson } from "../helpers";

function synthBootstrap(envs: EnvironmentConfig[]) {
  const app = Testing.app();
  const stacks = addBootstrap(app, envs);
  const json = (s: Parameters<typeof Testing.synth>[0]) => JSON.parse(Testing.synth(s)) as StackJson;
  return {
    stacks,
    tfc: Object.fromEntries(stacks.tfc.map((s) => [s.stackName, json(s)])),
    aws: Object.fromEntries(stacks.tfcAws.map((s) => [s.stackName, json(s)])),
  };
}

/** Logical id of the resource whose `name` is `name`. */
function idOfNamed(stack: StackJson, type: string, name: string): string {
  const found = Object.entries(resourcesOf(stack, type)).find(([, r]) => r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found[0];
}

describe("TfcBootstrapStack", () => {
  const prod = exampleEnv("prod");
  const { tfc } = synthBootstrap([prod]);
  const stack = tfc["bootstrap-tfc-example-org"];

  it("matches the reviewed snapshot", () => {
    expect(stack).toMatchSnapshot();
  });

  it("is one stack per organization, never matched by an environment glob", () => {
    expect(Object.keys(tfc)).toEqual(["bootstrap-tfc-example-org"]);
  });

  it("creates the project and the workspaces <prefix>-<env>-<stack> in it, pinned to a Terraform version", () => {
    const project = Object.keys(resourcesOf(stack, "tfe_project"))[0];
    expect(onlyResource(stack, "tfe_project")).toMatchObject({
      name: "eksmon",
      organization: "example-org",
    });
    const workspaces = Object.values(resourcesOf(stack, "tfe_workspace"));
    expect(workspaces.map((w) => w.name).sort()).toEqual([
      "eksmon-prod-cluster-monitoring",
      "eksmon-prod-cluster-prod-eks", // one per cluster
      "eksmon-prod-grafana",
      "eksmon-prod-grafana-config",
      "eksmon-prod-grafana-token",
      "eksmon-prod-network",
    ]);
    for (const w of workspaces)
      expect(w).toMatchObject({
        project_id: `\${tfe_project.${project}.id}`,
        terraform_version: "1.11.4",
        auto_apply: false,
        allow_destroy_plan: false, // prod is protected
      });
  });

  it("shares each workspace's state with exactly the workspaces that read it, never globally", () => {
    const ws = (name: string) => `\${tfe_workspace.${idOfNamed(stack, "tfe_workspace", name)}.id}`;
    const settingsOf = (name: string) =>
      Object.values(resourcesOf(stack, "tfe_workspace_settings")).find((s) => s.workspace_id === ws(name))!;
    expect(settingsOf("eksmon-prod-network")).toMatchObject({
      global_remote_state: false,
      remote_state_consumer_ids: [ws("eksmon-prod-cluster-prod-eks")],
    });
    expect(settingsOf("eksmon-prod-cluster-monitoring")).toMatchObject({
      global_remote_state: false,
      remote_state_consumer_ids: [
        ws("eksmon-prod-cluster-prod-eks"),
        ws("eksmon-prod-grafana"),
        ws("eksmon-prod-grafana-config"),
      ],
    });
    expect(settingsOf("eksmon-prod-cluster-prod-eks")).toMatchObject({
      global_remote_state: false,
      remote_state_consumer_ids: [],
    });
    expect(settingsOf("eksmon-prod-grafana")).toMatchObject({
      global_remote_state: false,
      remote_state_consumer_ids: [ws("eksmon-prod-grafana-token"), ws("eksmon-prod-grafana-config")],
    });
    // The token's workspace shares its state (which holds the token) with grafana-config only.
    expect(settingsOf("eksmon-prod-grafana-token")).toMatchObject({
      global_remote_state: false,
      remote_state_consumer_ids: [ws("eksmon-prod-grafana-config")],
    });
    expect(settingsOf("eksmon-prod-grafana-config")).toMatchObject({
      global_remote_state: false,
      remote_state_consumer_ids: [],
    });
  });

  it("sets the execution mode, with the agent pool only in agent mode", () => {
    for (const s of Object.values(resourcesOf(stack, "tfe_workspace_settings"))) {
      expect(s.execution_mode).toBe("remote");
      expect(s.agent_pool_id).toBeUndefined();
    }
    const agent = synthBootstrap([
      exampleEnv("prod", (e) => {
        if (e.backend.type === "cloud")
          Object.assign(e.backend, { executionMode: "agent", agentPoolId: "apool-ABCDEFGH12345678" });
      }),
    ]).tfc["bootstrap-tfc-example-org"];
    for (const s of Object.values(resourcesOf(agent, "tfe_workspace_settings")))
      expect(s).toMatchObject({ execution_mode: "agent", agent_pool_id: "apool-ABCDEFGH12345678" });
  });

  it("gives every workspace dynamic AWS credentials: the apply role for applies, the plan role for plans", () => {
    const vars = Object.values(resourcesOf(stack, "tfe_variable"));
    const byKey = (key: string) => vars.filter((v) => v.key === key);
    expect(byKey("TFC_AWS_PROVIDER_AUTH")).toHaveLength(6);
    for (const v of byKey("TFC_AWS_PROVIDER_AUTH"))
      expect(v).toMatchObject({ category: "env", value: "true" });
    for (const [key, role] of [
      ["TFC_AWS_APPLY_ROLE_ARN", "eksmon-prod-tfc-run"],
      ["TFC_AWS_PLAN_ROLE_ARN", "eksmon-prod-tfc-plan"],
    ]) {
      expect(byKey(key)).toHaveLength(6);
      for (const v of byKey(key))
        expect(v).toMatchObject({ category: "env", value: `arn:aws:iam::333333333333:role/${role}` });
    }
    expect(byKey("TFC_AWS_RUN_ROLE_ARN")).toEqual([]);
    expect(new Set(vars.map((v) => v.workspace_id)).size).toBe(6);
  });

  it("allows destroy plans only for unprotected environments", () => {
    const open = synthBootstrap([
      exampleEnv("prod", (e) => {
        e.protect = false;
      }),
    ]).tfc["bootstrap-tfc-example-org"];
    for (const w of Object.values(resourcesOf(open, "tfe_workspace")))
      expect(w.allow_destroy_plan).toBe(true);
  });

  it("keeps its state local and configures the tfe provider for the organization", () => {
    expect(stack.terraform?.backend).toHaveProperty("local");
    expect(stack.provider?.tfe?.[0]).toEqual({ hostname: "app.terraform.io", organization: "example-org" });
  });
});

describe("TfcAwsBootstrapStack", () => {
  const { aws } = synthBootstrap([exampleEnv("prod")]);
  const stack = aws["bootstrap-tfc-aws-333333333333"];
  const roles = resourcesOf(stack, "aws_iam_role");
  const roleNamed = (name: string) => Object.entries(roles).find(([, r]) => r.name === name)!;
  const [applyId, apply] = roleNamed("eksmon-prod-tfc-run");
  const [planId, plan] = roleNamed("eksmon-prod-tfc-plan");
  const subjectsOf = (role: Record<string, unknown>): string[] =>
    JSON.parse(role.assume_role_policy as string).Statement[0].Condition.StringEquals["app.terraform.io:sub"];
  const workspaces = [
    "network",
    "cluster-monitoring",
    "cluster-prod-eks",
    "grafana",
    "grafana-token",
    "grafana-config",
  ];

  it("matches the reviewed snapshot", () => {
    expect(stack).toMatchSnapshot();
  });

  it("creates an OIDC provider for the Terraform Cloud hostname with the workload identity audience", () => {
    expect(onlyResource(stack, "aws_iam_openid_connect_provider")).toMatchObject({
      url: "https://app.terraform.io",
      client_id_list: ["aws.workload.identity"],
    });
    expect(stack.provider?.aws?.[0]).toMatchObject({ allowed_account_ids: ["333333333333"] });
  });

  it("trusts, for each role, exactly the environment's workspaces (one per cluster among them) in its organization and project, in one run phase", () => {
    const provider = Object.keys(resourcesOf(stack, "aws_iam_openid_connect_provider"))[0];
    expect(Object.keys(roles)).toHaveLength(2);
    for (const [role, phase] of [
      [apply, "apply"],
      [plan, "plan"],
    ] as const) {
      expect(JSON.parse(role.assume_role_policy as string).Statement).toEqual([
        {
          Sid: "TerraformCloudRuns",
          Effect: "Allow",
          Principal: { Federated: `\${aws_iam_openid_connect_provider.${provider}.arn}` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "app.terraform.io:aud": "aws.workload.identity",
              "app.terraform.io:sub": workspaces.map(
                (w) =>
                  `organization:example-org:project:eksmon:workspace:eksmon-prod-${w}:run_phase:${phase}`,
              ),
            },
          },
        },
      ]);
      expect(role.assume_role_policy).not.toContain("*");
    }
  });

  it("attaches the configured policies and permissions boundaries, each to its role, nothing else", () => {
    const attached = Object.values(resourcesOf(stack, "aws_iam_role_policy_attachment")).map((a) => [
      a.role,
      a.policy_arn,
    ]);
    expect(attached.sort()).toEqual(
      [
        [`\${aws_iam_role.${applyId}.name}`, "arn:aws:iam::333333333333:policy/eksmon-deployer"],
        [`\${aws_iam_role.${planId}.name}`, "arn:aws:iam::aws:policy/ReadOnlyAccess"],
      ].sort(),
    );
    expect(resourcesOf(stack, "aws_iam_role_policy")).toEqual({});
    const bounded = synthBootstrap([
      exampleEnv("prod", (e) => {
        if (e.backend.type !== "cloud") return;
        e.backend.runRole = { permissionsBoundaryArn: "arn:aws:iam::333333333333:policy/boundary" };
        e.backend.planRole = { permissionsBoundaryArn: "arn:aws:iam::333333333333:policy/read-boundary" };
      }),
    ]).aws["bootstrap-tfc-aws-333333333333"];
    expect(
      Object.values(resourcesOf(bounded, "aws_iam_role"))
        .map((r) => r.permissions_boundary)
        .sort(),
    ).toEqual([
      "arn:aws:iam::333333333333:policy/boundary",
      "arn:aws:iam::333333333333:policy/read-boundary",
    ]);
    expect(resourcesOf(bounded, "aws_iam_role_policy_attachment")).toEqual({});
  });

  it("gives the role ARNs the TFC workspaces are told to assume, each for its phase", () => {
    const { tfc } = synthBootstrap([exampleEnv("prod")]);
    const values = (key: string) =>
      new Set(
        Object.values(resourcesOf(tfc["bootstrap-tfc-example-org"], "tfe_variable"))
          .filter((v) => v.key === key)
          .map((v) => v.value),
      );
    expect(values("TFC_AWS_APPLY_ROLE_ARN")).toEqual(
      new Set([`arn:aws:iam::333333333333:role/${apply.name}`]),
    );
    expect(values("TFC_AWS_PLAN_ROLE_ARN")).toEqual(new Set([`arn:aws:iam::333333333333:role/${plan.name}`]));
  });

  it("shares one OIDC provider between environments of an account, two roles each", () => {
    const prod2 = exampleEnv("prod", (e) => {
      e.name = "prod2";
      if (e.backend.type === "cloud") e.backend.workspacePrefix = "eksmon";
    });
    const both = synthBootstrap([exampleEnv("prod"), prod2]).aws["bootstrap-tfc-aws-333333333333"];
    expect(Object.keys(resourcesOf(both, "aws_iam_openid_connect_provider"))).toHaveLength(1);
    const names = Object.values(resourcesOf(both, "aws_iam_role")).map((r) => r.name as string);
    expect(names.sort()).toEqual([
      "eksmon-prod-tfc-plan",
      "eksmon-prod-tfc-run",
      "eksmon-prod2-tfc-plan",
      "eksmon-prod2-tfc-run",
    ]);
    for (const role of Object.values(resourcesOf(both, "aws_iam_role")).filter((r) =>
      String(r.name).startsWith("eksmon-prod2-"),
    ))
      expect(subjectsOf(role).every((s) => s.includes(":workspace:eksmon-prod2-"))).toBe(true);
  });
});
