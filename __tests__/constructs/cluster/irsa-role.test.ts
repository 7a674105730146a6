import { Testing } from "cdktf";
import { IrsaRole } from "../../../constructs/cluster/irsa-role";
import { fakeCluster } from "../../helpers";

function synth(grants: number) {
  const raw = Testing.synthScope((scope) => {
    const role = new IrsaRole(scope, "irsa", {
      cluster: fakeCluster(),
      serviceAccount: { namespace: "monitoring", name: "writer" },
      roleName: "test-role",
      description: "test",
      managedPolicyArns: ["arn:aws:iam::aws:policy/Example"],
    });
    for (let i = 0; i < grants; i++)
      role.addToPolicy({
        Sid: `Grant${i}`,
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:::b${i}/*`,
      });
  });
  return JSON.parse(raw);
}

describe("IrsaRole", () => {
  it("is assumable only by the one service account, with the STS audience, through the cluster's OIDC provider", () => {
    const role = Object.values(synth(0).resource.aws_iam_role)[0] as { assume_role_policy: string };
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Sid: "ServiceAccountWebIdentity",
        Effect: "Allow",
        Principal: {
          Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC",
        },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "oidc.eks.eu-central-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:monitoring:writer",
            "oidc.eks.eu-central-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
          },
        },
      },
    ]);
  });

  it("attaches the managed policies it is given, and no inline policy before a grant", () => {
    const json = synth(0);
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
    expect(Object.values(json.resource.aws_iam_role_policy_attachment).map((a: any) => a.policy_arn)).toEqual(
      ["arn:aws:iam::aws:policy/Example"],
    );
  });

  it("collects every grant in one inline policy named after the role, in the order granted", () => {
    const policies = Object.values(synth(2).resource.aws_iam_role_policy) as {
      name: string;
      policy: string;
    }[];
    expect(policies).toHaveLength(1);
    expect(policies[0].name).toBe("test-role");
    expect(JSON.parse(policies[0].policy).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      "Grant0",
      "Grant1",
    ]);
  });
});
