/** github: the GitHub Actions roles' section, refused with backends a pipeline cannot share, policies in the environment's account. */
import { configProblems, exampleInput } from "../helpers";

describe("github", () => {
  it("is refused with Terraform Cloud or local state", () => {
    const cloud = { ...exampleInput("prod"), github: { repository: "example-org/eksmon" } };
    const local = { ...exampleInput("dev"), backend: { type: "local" as const } };
    expect(configProblems(cloud, local)).toEqual([
      'prod.github: is set but backend.type is "cloud": Terraform Cloud runs plan and apply with their run role (expected backend.type "s3", or no github section)',
      'dev.github: is set but backend.type is "local": state on one machine cannot be shared with a pipeline (expected backend.type "s3", or no github section)',
    ]);
  });

  it("refuses role policies of another account or partition", () => {
    const input = exampleInput("dev");
    input.github = {
      repository: "example-org/eksmon",
      deployRole: { policyArns: ["arn:aws:iam::999999999999:policy/x"] },
      planRole: { permissionsBoundaryArn: "arn:aws-cn:iam::111111111111:policy/b" },
    };
    expect(configProblems(input)).toEqual([
      "dev.github.deployRole.policyArns[0]: belongs to account 999999999999 (expected a policy in the environment's account 111111111111, or an AWS managed policy)",
      'dev.github.planRole.permissionsBoundaryArn: is in partition "aws-cn" (expected the environment\'s partition "aws")',
    ]);
  });
});
