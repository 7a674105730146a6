import { DataAwsIamPolicy } from "@cdktf/provider-aws/lib/data-aws-iam-policy";
import { TerraformStack, Testing } from "cdktf";
import { Role, type RoleProps } from "../../../constructs/iam/role";

const props: RoleProps = {
  roleName: "eksmon-test-role",
  description: "test",
  trust: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
};
const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
const DEPLOYER = "arn:aws:iam::111111111111:policy/team/eksmon-deployer";

function synth(build: (stack: TerraformStack) => void) {
  const stack = new TerraformStack(Testing.app(), "test");
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

const attachments = (json: Record<string, any>) =>
  Object.fromEntries(
    Object.entries(json.resource.aws_iam_role_policy_attachment ?? {}).map(([id, r]: [string, any]) => [
      id,
      r.policy_arn,
    ]),
  );

describe("Role", () => {
  it("keys managed policies by ARN: aws-<name> for AWS managed ones, <path>-<name> for the account's", () => {
    expect(Role.keyOf(READ_ONLY)).toBe("aws-ReadOnlyAccess");
    expect(Role.keyOf(DEPLOYER)).toBe("team-eksmon-deployer");
  });

  it("removing the first ARN leaves the address of every other attachment as it was", () => {
    const both = attachments(
      synth((s) => new Role(s, "r", { ...props, managedPolicyArns: [READ_ONLY, DEPLOYER] })),
    );
    const second = attachments(synth((s) => new Role(s, "r", { ...props, managedPolicyArns: [DEPLOYER] })));
    const [deployerAddress] = Object.entries(both).find(([, arn]) => arn === DEPLOYER)!;
    expect(second).toEqual({ [deployerAddress]: DEPLOYER });
  });

  it("needs a key for an ARN only known at apply time, and refuses the same key twice", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    const role = new Role(stack, "r", props);
    const policy = new DataAwsIamPolicy(stack, "p", { name: "AmazonEBSCSIDriverPolicy" });
    expect(() => role.attachManagedPolicy(policy.arn)).toThrow(/give attachManagedPolicy a key/);
    role.attachManagedPolicy(policy.arn, "AmazonEBSCSIDriverPolicy");
    expect(() => role.attachManagedPolicy(policy.arn, "AmazonEBSCSIDriverPolicy")).toThrow(/attached twice/);
  });

  it("moves attachments an earlier version addressed by position to their ARN keys", () => {
    // What an index-keyed version wrote: `<role>/managed-<i>`, in the order of the ARNs.
    const before = attachments(
      synth((s) => {
        const r = new Role(s, "r", props);
        for (const [i, arn] of [READ_ONLY, DEPLOYER].entries()) r.attachManagedPolicy(arn, String(i));
      }),
    );
    const json = synth((s) =>
      new Role(s, "r", { ...props, managedPolicyArns: [READ_ONLY, DEPLOYER] }).movedAttachmentsFromIndex(
        "managed-",
        [READ_ONLY, DEPLOYER],
      ),
    );
    const now = attachments(json);
    const byArn = (m: Record<string, string>, arn: string) => Object.keys(m).find((k) => m[k] === arn);
    expect(json.moved).toEqual([
      {
        from: `aws_iam_role_policy_attachment.${byArn(before, READ_ONLY)}`,
        to: `aws_iam_role_policy_attachment.${byArn(now, READ_ONLY)}`,
      },
      {
        from: `aws_iam_role_policy_attachment.${byArn(before, DEPLOYER)}`,
        to: `aws_iam_role_policy_attachment.${byArn(now, DEPLOYER)}`,
      },
    ]);
  });

  it("grants add to one inline policy, which workloads wait for with the attachments", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    const role = new Role(stack, "r", { ...props, managedPolicyArns: [READ_ONLY] });
    expect(role.policy).toBeUndefined();
    role.addToPolicy({ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k" });
    role.addToPolicy({ Sid: "B", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::b/k" });
    const json = JSON.parse(Testing.synth(stack));
    const policies = Object.values(json.resource.aws_iam_role_policy) as { policy: string; name: string }[];
    expect(policies).toHaveLength(1);
    expect(JSON.parse(policies[0].policy).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(["A", "B"]);
    expect(policies[0].name).toBe("eksmon-test-role");
    expect(role.permissions).toHaveLength(3);
  });
});
