import { Testing } from "cdktf";
import { IrsaRole } from "../../../constructs/cluster/irsa-role";

function synth() {
  const raw = Testing.synthScope(
    (scope) =>
      new IrsaRole(scope, "irsa", {
        roleName: "test-role",
        description: "test",
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC",
        oidcIssuerHost: "oidc.eks.eu-central-1.amazonaws.com/id/ABC",
        namespace: "monitoring",
        serviceAccount: "writer",
        inlinePolicy: '{"Version":"2012-10-17","Statement":[]}',
        managedPolicyArns: ["arn:aws:iam::aws:policy/Example"],
      }),
  );
  return JSON.parse(raw);
}

describe("IrsaRole", () => {
  it("is assumable only by the one service account, with the STS audience, through the cluster's OIDC provider", () => {
    const role = Object.values(synth().resource.aws_iam_role)[0] as { assume_role_policy: string };
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

  it("attaches the inline and managed policies it is given", () => {
    const json = synth();
    expect(Object.values(json.resource.aws_iam_role_policy)).toHaveLength(1);
    expect(Object.values(json.resource.aws_iam_role_policy_attachment).map((a: any) => a.policy_arn)).toEqual(
      ["arn:aws:iam::aws:policy/Example"],
    );
  });
});
