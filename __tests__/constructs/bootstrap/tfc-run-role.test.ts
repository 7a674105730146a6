/**
 * TfcRunRole: the role HCP Terraform runs assume through workload identity, trusted only for the listed
 * workspaces of one organization and project (any run phase), with the HCP Terraform audience.
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

  it("trusts the hostname's provider for the listed workspaces only, exact but for the run phase", () => {
    expect(trust).toEqual([
      {
        Sid: "TerraformCloudRuns",
        Effect: "Allow",
        Principal: { Federated: PROVIDER },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "app.terraform.io:aud": "aws.workload.identity" },
          StringLike: {
            "app.terraform.io:sub": [
              "organization:acme:project:eksmon:workspace:eksmon-prod-network:run_phase:*",
              "organization:acme:project:eksmon:workspace:eksmon-prod-grafana:run_phase:*",
            ],
          },
        },
      },
    ]);
    expect(role.subjects).toEqual(trust[0].Condition?.StringLike["app.terraform.io:sub"]);
  });

  it("keeps the only wildcard in the run phase", () => {
    const subject = tfcRunSubject("acme", "eksmon", "eksmon-prod-network");
    expect(subject.indexOf("*")).toBe(subject.length - 1);
    expect(subject).toMatch(/:run_phase:\*$/);
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
