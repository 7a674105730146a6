import { Testing } from "cdktf";
import { EbsCsiDriver, type EbsCsiDriverProps } from "../../../constructs/cluster/ebs-csi-driver";
import { fakeCluster } from "../../helpers";

const props: EbsCsiDriverProps = {
  cluster: fakeCluster(),
  addon: { version: "v1.38.1-eksbuild.1" },
  roleName: "ebs",
  storageClassName: "prometheus-gp3",
};

function synth(p: EbsCsiDriverProps) {
  return JSON.parse(Testing.synthScope((scope) => new EbsCsiDriver(scope, "ebs", p)));
}

/** What Terraform computes from an add-on version string: one comparable number. */
function versionNumber(ref: string): string {
  const part = (i: number) =>
    `tonumber(element(regex("^v([0-9]+)[.]([0-9]+)[.]([0-9]+)-eksbuild[.]([0-9]+)$", ${ref}), ${i}))`;
  return `((((${part(0)} * 1000000000) + (${part(1)} * 1000000)) + (${part(2)} * 1000)) + (${part(3)} * 1))`;
}

const onlyOf = (json: any, type: string) => Object.values(json.resource[type] ?? {})[0] as any;

describe("EbsCsiDriver", () => {
  const json = synth(props);

  it("installs the pinned add-on with its own role and conflict resolution", () => {
    const addon = onlyOf(json, "aws_eks_addon");
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
    const role = onlyOf(json, "aws_iam_role");
    const cond = JSON.parse(role.assume_role_policy).Statement[0].Condition.StringEquals;
    expect(cond["oidc.eks.eu-central-1.amazonaws.com/id/ABC:sub"]).toBe(
      "system:serviceaccount:kube-system:ebs-csi-controller-sa",
    );
    expect((Object.values(json.data.aws_iam_policy)[0] as any).name).toBe("AmazonEBSCSIDriverPolicy");
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
  });

  it("creates an encrypted gp3 StorageClass that keeps volumes and binds in the pod's zone", () => {
    const sc = onlyOf(json, "kubernetes_storage_class_v1");
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
    const sc = onlyOf(withKey, "kubernetes_storage_class_v1");
    expect(sc.parameters.kmsKeyId).toBe(kms);
    const policy = JSON.parse(onlyOf(withKey, "aws_iam_role_policy").policy);
    for (const s of policy.Statement) expect(s.Resource).toBe(kms);
    expect(policy.Statement[0].Condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": "true" } });
  });
});

describe("EbsCsiDriver add-on version", () => {
  it("unpinned: AWS's default version for the cluster's Kubernetes version, resolved at plan", () => {
    const json = synth({ ...props, addon: {} });
    const versions = Object.entries(json.data.aws_eks_addon_version) as [string, any][];
    expect(versions).toHaveLength(1);
    const [id, version] = versions[0];
    expect(version).toEqual({
      addon_name: "aws-ebs-csi-driver",
      kubernetes_version: "1.31",
      most_recent: false,
    });
    const addon = onlyOf(json, "aws_eks_addon");
    expect(addon.addon_version).toBe(`\${data.aws_eks_addon_version.${id}.version}`);
    expect(addon.lifecycle).toBeUndefined();
    expect(json.check).toBeUndefined();
  });

  it("pinned: the plan fails when the version is newer than any the cluster's Kubernetes version can run", () => {
    const json = synth(props);
    const latest = Object.entries(json.data.aws_eks_addon_version).find(([, v]: any) => v.most_recent)!;
    const [precondition] = onlyOf(json, "aws_eks_addon").lifecycle.precondition;
    // v1.38.1-eksbuild.1 as one number (major 1e9, minor 1e6, patch 1e3, build), against AWS's most recent.
    expect(precondition.condition).toBe(
      `\${try((${versionNumber(`data.aws_eks_addon_version.${latest[0]}.version`)} >= 1038001001), true)}`,
    );
    expect(precondition.error_message).toMatch(
      /^ebsCsi\.addonVersion v1\.38\.1-eksbuild\.1 is newer than any aws-ebs-csi-driver version for this cluster's Kubernetes 1\.31 \(most recent: \$\{data\.aws_eks_addon_version\..*\.version\}\)\. Pin a version that "aws eks describe-addon-versions/,
    );
  });

  it("pinned: a plan-time warning (check block) when older than AWS's default", () => {
    const json = synth(props);
    const [assertion] = (Object.values(json.check) as any[])[0].assert;
    expect(assertion.error_message).toMatch(
      /^ebsCsi\.addonVersion v1\.38\.1-eksbuild\.1 is older than AWS's default/,
    );
    const defaultId = Object.entries(json.data.aws_eks_addon_version).find(
      ([, v]: any) => !v.most_recent,
    )![0];
    expect(assertion.condition).toBe(
      `\${try((1038001001 >= ${versionNumber(`data.aws_eks_addon_version.${defaultId}.version`)}), true)}`,
    );
  });
});

describe("EbsCsiDriver on a cluster that already has the driver", () => {
  it("adopts an existing add-on with an import block (cluster:addon), changing nothing else", () => {
    const json = synth({ ...props, addon: { adoptExisting: true } });
    const id = Object.keys(json.resource.aws_eks_addon)[0];
    expect(json.import).toEqual([{ to: `aws_eks_addon.${id}`, id: "eks:aws-ebs-csi-driver" }]);
    expect(synth(props).import).toBeUndefined();
  });

  it("leaves a driver managed elsewhere alone: no add-on, no role, only the StorageClass", () => {
    const json = synth({ ...props, addon: undefined });
    expect(Object.keys(json.resource)).toEqual(["kubernetes_storage_class_v1"]);
    expect(onlyOf(json, "kubernetes_storage_class_v1").depends_on).toBeUndefined();
    expect(json.data).toBeUndefined();
  });
});

describe("EbsCsiDriver when the add-on is deleted or handed over", () => {
  const addressesOf = (json: any, types: string[]) =>
    types.flatMap((type) => Object.keys(json.resource[type] ?? {}).map((id) => `${type}.${id}`));
  const ADDON_AND_ROLE = [
    "aws_eks_addon",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
  ];

  it("keeps the driver's software on the cluster when the add-on is deleted (preserve)", () => {
    expect(onlyOf(synth(props), "aws_eks_addon").preserve).toBe(true);
    expect(onlyOf(synth({ ...props, addon: { adoptExisting: true } }), "aws_eks_addon").preserve).toBe(true);
  });

  it("protects the add-on and its role from destroy when asked, and only then", () => {
    const kms = "arn:aws:kms:eu-central-1:123456789012:key/abc";
    const guarded = synth({ ...props, kmsKeyArn: kms, addon: { ...props.addon, preventDestroy: true } });
    expect(onlyOf(guarded, "aws_eks_addon").lifecycle.prevent_destroy).toBe(true);
    expect(onlyOf(guarded, "aws_iam_role").lifecycle).toEqual({ prevent_destroy: true });
    const plain = synth(props);
    expect(onlyOf(plain, "aws_eks_addon").lifecycle.prevent_destroy).toBeUndefined();
    expect(onlyOf(plain, "aws_iam_role").lifecycle).toBeUndefined();
  });

  it("left to another owner: forgets the add-on, its role and the role's policies (removed, destroy = false)", () => {
    // Everything the managed configuration declares, with a customer key so the inline policy exists too.
    const kms = "arn:aws:kms:eu-central-1:123456789012:key/abc";
    const managed = addressesOf(synth({ ...props, kmsKeyArn: kms }), ADDON_AND_ROLE);
    expect(managed).toHaveLength(4);
    const existing = synth({ ...props, addon: undefined });
    // And the attachment's 0.2.0 address (by position), should the switch come with the upgrade.
    const earlier = expect.stringMatching(/^aws_iam_role_policy_attachment\.ebs_irsa_managed-0_[0-9A-F]{8}$/);
    expect(existing.removed).toEqual(
      [...managed, earlier].map((from) => ({ from, lifecycle: { destroy: false } })),
    );
    expect(existing.terraform.required_version).toBe(">= 1.7.0"); // removed blocks
    expect(synth(props).removed).toBeUndefined();
  });
});
