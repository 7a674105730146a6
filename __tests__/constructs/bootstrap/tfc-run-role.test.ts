/**
 * TfcRunRole: a role HCP Terraform runs of one phase assume through workload identity, trusted only for the
 * listed workspaces of one organization and project, that run phase, with the HCP Terraform audience.
 */
import { TerraformStack, Testing } from "cdktf";
import { TfcRunRole, type TfcRunRoleProps, tfcRunSubject } from "../../../constructs/bootstrap/tfc-run-role";
import type { PolicyStatement } from "../../../lib/iam";
import { onlyResource, resourcesOf, type StackJson } from "../../helpers";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io";
const base: TfcRunRoleProps = {
  roleName: "eksmon-prod-tfc-run",
  description: "HCP Terraform runs of eksmon prod",
  oidcProviderArn: PROVIDER,
  hostname: "app.terraform.io",
  organization: "acme",
  project: "eksmon",
  workspaces: ["eksmon-prod-network", "eksmon-prod-grafana"],
  policyArns: ["arn:aws:iam::123456789012:policy/eksmon-deployer"],
  runPhase: "apply",
};

function build(props: Partial<TfcRunRoleProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const role = new TfcRunRole(stack, "role", { ...base, ...props });
  return { role, json: JSON.parse(Testing.synth(stack)) as StackJson & { moved?: unknown[] } };
}

describe("TfcRunRole", () => {
  const { role, json } = build();
  const iamRole = onlyResource(json, "aws_iam_role");
  const trust = JSON.parse(iamRole.assume_role_policy as string).Statement as PolicyStatement[];

  it("trusts the hostname's provider for the listed workspaces and its one run phase only, exactly", () => {
    expect(trust).toEqual([
      {
        Sid: "TerraformCloudRuns",
        Effect: "Allow",
        Principal: { Federated: PROVIDER },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "app.terraform.io:aud": "aws.workload.identity",
            "app.terraform.io:sub": [
              "organization:acme:project:eksmon:workspace:eksmon-prod-network:run_phase:apply",
              "organization:acme:project:eksmon:workspace:eksmon-prod-grafana:run_phase:apply",
            ],
          },
        },
      },
    ]);
    expect(role.subjects).toEqual(trust[0].Condition?.StringEquals["app.terraform.io:sub"]);
    expect(JSON.stringify(trust)).not.toContain("*");
  });

  it("gives plans a role of their own: a plan token cannot assume the apply role, nor an apply token the plan role", () => {
    const plan = build({ runPhase: "plan" }).role;
    expect(plan.subjects.every((s) => s.endsWith(":run_phase:plan"))).toBe(true);
    expect(tfcRunSubject("acme", "eksmon", "eksmon-prod-network", "plan")).toBe(
      "organization:acme:project:eksmon:workspace:eksmon-prod-network:run_phase:plan",
    );
    expect(role.subjects).not.toContain(plan.subjects[0]);
  });

  it("limits sessions to an hour and attaches the given policies, keyed by ARN", () => {
    expect(iamRole).toMatchObject({ name: "eksmon-prod-tfc-run", max_session_duration: 3600 });
    expect(iamRole).not.toHaveProperty("permissions_boundary");
    expect(
      Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn),
    ).toEqual(base.policyArns);
    expect(json.moved).toHaveLength(1); // from the index-keyed address of the earlier version
  });

  it("sets the permissions boundary when given one", () => {
    const boundary = "arn:aws:iam::123456789012:policy/boundary";
    expect(
      onlyResource(build({ permissionsBoundaryArn: boundary }).json, "aws_iam_role").permissions_boundary,
    ).toBe(boundary);
  });
});
