import { Testing } from "cdktf";
import { EbsCsiDriver, type EbsCsiDriverProps } from "../../../constructs/cluster/ebs-csi-driver";
import { fakeCluster } from "../../helpers";

const props: EbsCsiDriverProps = {
  cluster: fakeCluster(),
  addonVersion: "v1.38.1-eksbuild.1",
  roleName: "ebs",
  storageClassName: "prometheus-gp3",
};

function synth(p: EbsCsiDriverProps) {
  return JSON.parse(Testing.synthScope((scope) => new EbsCsiDriver(scope, "ebs", p)));
}

describe("EbsCsiDriver", () => {
  const json = synth(props);

  it("installs the pinned add-on with its own role and conflict resolution", () => {
    const addon = Object.values(json.resource.aws_eks_addon)[0] as any;
    expect(addon).toMatchObject({
      addon_name: "aws-ebs-csi-driver",
      addon_version: "v1.38.1-eksbuild.1",
      cluster_name: "eks",
      resolve_conflicts_on_create: "OVERWRITE",
      resolve_conflicts_on_update: "PRESERVE",
    });
    expect(addon.service_account_role_arn).toMatch(/^\$\{aws_iam_role\..*\.arn\}$/);
  });

  it("trusts only kube-system:ebs-csi-controller-sa and attaches AmazonEBSCSIDriverPolicy", () => {
    const role = Object.values(json.resource.aws_iam_role)[0] as any;
    const cond = JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals;
    expect(cond["oidc.eks.eu-central-1.amazonaws.com/id/ABC:sub"]).toBe(
      "system:serviceaccount:kube-system:ebs-csi-controller-sa",
    );
    expect((Object.values(json.data.aws_iam_policy)[0] as any).name).toBe("AmazonEBSCSIDriverPolicy");
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
  });

  it("creates an encrypted gp3 StorageClass that keeps volumes and binds in the pod's zone", () => {
    const sc = Object.values(json.resource.kubernetes_storage_class_v1)[0] as any;
    expect(sc).toMatchObject({
      storage_provisioner: "ebs.csi.aws.com",
      reclaim_policy: "Retain",
      volume_binding_mode: "WaitForFirstConsumer",
      allow_volume_expansion: true,
      parameters: { type: "gp3", encrypted: "true" },
    });
    expect(sc.depends_on).toEqual([expect.stringMatching(/^aws_eks_addon\./)]);
  });

  it("with a customer key, encrypts volumes with it and grants the driver only that key", () => {
    const kms = "arn:aws:kms:eu-central-1:123456789012:key/abc";
    const withKey = synth({ ...props, kmsKeyArn: kms });
    const sc = Object.values(withKey.resource.kubernetes_storage_class_v1)[0] as any;
    expect(sc.parameters.kmsKeyId).toBe(kms);
    const policy = JSON.parse((Object.values(withKey.resource.aws_iam_role_policy)[0] as any).policy);
    for (const s of policy.Statement) expect(s.Resource).toBe(kms);
    expect(policy.Statement[0].Condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": "true" } });
  });
});
