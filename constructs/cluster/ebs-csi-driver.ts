import { DataAwsIamPolicy } from "@cdktf/provider-aws/lib/data-aws-iam-policy";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Construct } from "constructs";
import type { IEksCluster } from "./existing-eks-cluster";
import { IrsaRole } from "./irsa-role";

/** The add-on's controller service account, fixed by the add-on. */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;

export interface EbsCsiDriverProps {
  /** EKS cluster to install the add-on into (its OIDC provider trusts the driver's role). */
  readonly cluster: IEksCluster;
  /** Exact add-on version, e.g. v1.38.1-eksbuild.1. */
  readonly addonVersion: string;
  /** Name of the driver's IAM role. */
  readonly roleName: string;
  /** Name of the StorageClass created for Prometheus data. */
  readonly storageClassName: string;
  /** Customer KMS key for volumes of the StorageClass (AWS-managed aws/ebs key when omitted). */
  readonly kmsKeyArn?: string;
}

/**
 * The EBS CSI driver as an EKS managed add-on with its own IRSA role (without one the add-on goes
 * DEGRADED), and an encrypted gp3 StorageClass that keeps volumes (Retain) and binds them in the pod's AZ.
 */
export class EbsCsiDriver extends Construct {
  /** The driver's IRSA role. */
  readonly role: IrsaRole;
  /** The add-on. */
  readonly addon: EksAddon;
  /** The StorageClass for Prometheus data. */
  readonly storageClass: StorageClassV1;
  /** Name of that StorageClass. */
  readonly storageClassName: string;

  constructor(scope: Construct, id: string, props: EbsCsiDriverProps) {
    super(scope, id);
    const managed = new DataAwsIamPolicy(this, "managed-policy", { name: "AmazonEBSCSIDriverPolicy" });
    this.role = new IrsaRole(this, "irsa", {
      cluster: props.cluster,
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
      roleName: props.roleName,
      description: "EBS CSI driver controller (aws-ebs-csi-driver add-on)",
      managedPolicyArns: [managed.arn],
    });
    if (props.kmsKeyArn)
      this.role.addToPolicy(
        {
          Sid: "GrantsForEbsVolumes",
          Effect: "Allow",
          Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
          Resource: props.kmsKeyArn,
          Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
        {
          Sid: "UseKeyForEbsVolumes",
          Effect: "Allow",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
          Resource: props.kmsKeyArn,
        },
      );
    this.addon = new EksAddon(this, "addon", {
      clusterName: props.cluster.name,
      addonName: "aws-ebs-csi-driver",
      addonVersion: props.addonVersion,
      serviceAccountRoleArn: this.role.roleArn,
      // Take over a driver installed by hand on create; keep the cluster's own settings on upgrade.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      // The controller calls EC2 as soon as it runs: wait for the role's policies, not only the role.
      dependsOn: this.role.permissions,
    });
    this.storageClass = new StorageClassV1(this, "storage-class", {
      metadata: { name: props.storageClassName, labels: { "app.kubernetes.io/managed-by": "terraform" } },
      storageProvisioner: "ebs.csi.aws.com",
      reclaimPolicy: "Retain",
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      parameters: {
        type: "gp3",
        encrypted: "true",
        "csi.storage.k8s.io/fstype": "ext4",
        ...(props.kmsKeyArn ? { kmsKeyId: props.kmsKeyArn } : {}),
      },
      dependsOn: [this.addon],
    });
    this.storageClassName = props.storageClassName;
  }
}
