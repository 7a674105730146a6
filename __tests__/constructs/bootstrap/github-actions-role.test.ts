/**
 * GithubActionsRole: a role GitHub Actions assumes with its OIDC token, trusted for one exact subject with
 * the STS audience; managed policies keyed by ARN; attachments of the index-keyed version moved.
 */
import { TerraformStack, Testing } from "cdktf";
import {
  GithubActionsRole,
  type GithubActionsRoleProps,
} from "../../../constructs/bootstrap/github-actions-role";
import type { PolicyStatement } from "../../../lib/iam";
import { onlyResource, resourcesOf, type StackJson } from "../../helpers";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const SUBJECT = "repo:example-org/eksmon:environment:dev";
const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const base: GithubActionsRoleProps = {
  roleName: "eksmon-dev-deploy",
  description: "Deploys eksmon dev",
  oidcProviderArn: PROVIDER,
  subject: SUBJECT,
};

function build(props: Partial<GithubActionsRoleProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const role = new GithubActionsRole(stack, "role", { ...base, ...props });
  return {
    role,
    json: JSON.parse(Testing.synth(stack)) as StackJson & { moved?: { from: string; to: string }[] },
  };
}

describe("GithubActionsRole", () => {
  const { json } = build();
  const role = onlyResource(json, "aws_iam_role");
  const trust = JSON.parse(role.assume_role_policy as string).Statement as PolicyStatement[];

  it("trusts only GitHub's OIDC provider, for exactly the one subject and the STS audience", () => {
    expect(trust).toEqual([
      {
        Sid: "GithubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: PROVIDER },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": SUBJECT,
          },
        },
      },
    ]);
    expect(JSON.stringify(trust)).not.toContain("StringLike");
  });

  it("names the role, and limits sessions to an hour unless told otherwise", () => {
    expect(role).toMatchObject({
      name: "eksmon-dev-deploy",
      description: "Deploys eksmon dev",
      max_session_duration: 3600,
    });
    expect(onlyResource(build({ maxSessionSeconds: 7200 }).json, "aws_iam_role").max_session_duration).toBe(
      7200,
    );
  });

  it("attaches nothing and sets no boundary unless given", () => {
    expect(resourcesOf(json, "aws_iam_role_policy_attachment")).toEqual({});
    expect(role).not.toHaveProperty("permissions_boundary");
    expect(json.moved ?? []).toEqual([]);
  });

  it("attaches the given managed policies and boundary, moving attachments addressed by position to their ARN keys", () => {
    const boundary = "arn:aws:iam::123456789012:policy/boundary";
    const { json: withPolicies } = build({ policyArns: [READ_ONLY], permissionsBoundaryArn: boundary });
    expect(
      Object.values(resourcesOf(withPolicies, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn),
    ).toEqual([READ_ONLY]);
    expect(onlyResource(withPolicies, "aws_iam_role").permissions_boundary).toBe(boundary);
    expect(withPolicies.moved).toEqual([
      {
        from: expect.stringMatching(/^aws_iam_role_policy_attachment\.role_policy-0_/),
        to: `aws_iam_role_policy_attachment.${Object.keys(resourcesOf(withPolicies, "aws_iam_role_policy_attachment"))[0]}`,
      },
    ]);
  });

  it("takes grants into one inline policy", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    const role = new GithubActionsRole(stack, "role", base);
    role.addToPolicy({ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k" });
    const policy = onlyResource(JSON.parse(Testing.synth(stack)), "aws_iam_role_policy");
    expect(JSON.parse(policy.policy as string).Statement.map((s: PolicyStatement) => s.Sid)).toEqual(["A"]);
  });
});
