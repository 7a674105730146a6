/**
 * EksClusterAccess: access entries for the identities that run Terraform. Deploy roles get cluster admin at
 * cluster scope; plan roles only the plan readers' group and no access policy; every entry fails the plan
 * on a cluster without access entries, saying how to switch.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import {
  CLUSTER_ADMIN_POLICY,
  EksClusterAccess,
  PLAN_READER_GROUP,
} from "../../../constructs/cluster/cluster-access";
import { resourcesOf, type StackJson } from "../../helpers";

const DEPLOY = "arn:aws:iam::123456789012:role/eksmon-deploy";
const PLAN = "arn:aws:iam::123456789012:role/eksmon-plan";

function build(grant: (access: EksClusterAccess) => void, partition = "aws") {
  const stack = new TerraformStack(Testing.app(), "test");
  const access = new EksClusterAccess(stack, "access", {
    clusterName: "eks-test",
    region: "eu-west-1",
    partition,
  });
  grant(access);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

const entries = (json: StackJson) => Object.values(resourcesOf(json, "aws_eks_access_entry"));
const associations = (json: StackJson) =>
  Object.values(resourcesOf(json, "aws_eks_access_policy_association"));

describe("EksClusterAccess", () => {
  it("gives a deploy role cluster admin at cluster scope, for exactly that role", () => {
    const json = build((a) => a.grantDeploy("deploy", DEPLOY));
    expect(entries(json)).toEqual([
      expect.objectContaining({ cluster_name: "eks-test", principal_arn: DEPLOY, type: "STANDARD" }),
    ]);
    expect(entries(json)[0]).not.toHaveProperty("kubernetes_groups");
    expect(associations(json)).toEqual([
      expect.objectContaining({
        cluster_name: "eks-test",
        policy_arn: `arn:aws:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`,
        access_scope: { type: "cluster" },
        // The association waits for the entry (a reference to the entry's principal).
        principal_arn: expect.stringMatching(/^\$\{aws_eks_access_entry\..+\.principal_arn\}$/),
      }),
    ]);
  });

  it("names the access policy in the cluster's partition", () => {
    const json = build((a) => a.grantDeploy("deploy", DEPLOY), "aws-us-gov");
    expect(associations(json)[0].policy_arn).toBe(
      `arn:aws-us-gov:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`,
    );
  });

  it("gives a plan role only the plan readers' group: no access policy, so it reads only what the RBAC allows", () => {
    const json = build((a) => a.grantPlan("plan", PLAN));
    expect(entries(json)).toEqual([
      expect.objectContaining({
        principal_arn: PLAN,
        type: "STANDARD",
        kubernetes_groups: [PLAN_READER_GROUP],
      }),
    ]);
    expect(associations(json)).toEqual([]);
    expect(PLAN_READER_GROUP).not.toMatch(/^(system|eks|aws|amazon|iam):/);
  });

  it("fails the plan of every entry on a cluster that has no access entries, saying how to switch", () => {
    const json = build((a) => {
      a.grantDeploy("deploy", DEPLOY);
      a.grantPlan("plan", PLAN);
    });
    const cluster = Object.keys(json.data?.aws_eks_cluster ?? {})[0];
    for (const entry of entries(json)) {
      const [precondition] = (
        entry.lifecycle as { precondition: { condition: string; error_message: string }[] }
      ).precondition;
      expect(precondition.condition).toBe(
        `\${contains(["API", "API_AND_CONFIG_MAP"], data.aws_eks_cluster.${cluster}.access_config[0].authentication_mode)}`,
      );
      expect(precondition.error_message).toContain(
        "aws eks update-cluster-config --name eks-test --region eu-west-1 --access-config authenticationMode=API_AND_CONFIG_MAP",
      );
    }
  });

  it("reads the cluster, and creates every entry, with the provider of the cluster's region when given one", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const provider = new AwsProvider(stack, "cluster-region", { region: "eu-west-1", alias: "cluster" });
    const access = new EksClusterAccess(stack, "access", {
      clusterName: "eks-test",
      region: "eu-west-1",
      partition: "aws",
      provider,
    });
    access.grantDeploy("deploy", DEPLOY);
    const json = JSON.parse(Testing.synth(stack)) as StackJson;
    const all = [...Object.values(json.data?.aws_eks_cluster ?? {}), ...entries(json), ...associations(json)];
    expect(all).toHaveLength(3);
    for (const r of all) expect(r.provider).toBe("aws.cluster");
  });
});
