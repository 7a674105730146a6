import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { DataAwsIamPolicy } from "@cdktf/provider-aws/lib/data-aws-iam-policy";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { importExisting } from "../../lib/adoption";
import { forgetResources } from "../../lib/removed";
import { addonVersionAtLeast } from "../../lib/terraform";
import { ROLE_RESOURCES } from "../iam/role";
import type { IEksCluster } from "./existing-eks-cluster";
import { IrsaRole } from "./irsa-role";

/** The add-on's controller service account, fixed by the add-on. */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: "kube-system", name: "ebs-csi-controller-sa" } as const;
/** The AWS managed policy the driver's role needs. */
export const EBS_CSI_MANAGED_POLICY = "AmazonEBSCSIDriverPolicy";
/** The add-on's name in EKS. */
export const EBS_CSI_ADDON_NAME = "aws-ebs-csi-driver";

/** Construct ids of the add-on and its role (their Terraform addresses derive from them). */
const ADDON_ID = "addon";
const ROLE_ID = "irsa";

/** The add-on this construct installs, or adopts. */
export interface EbsCsiAddonSettings {
  /** Exact add-on version, e.g. v1.38.1-eksbuild.1. @default AWS's default version for the cluster's Kubernetes version */
  readonly version?: string;
  /** The add-on already exists on the cluster: import it instead of creating it. @default false */
  readonly adoptExisting?: boolean;
  /** Refuse any plan that destroys the add-on or its role (protected environments, adopted add-ons). @default false */
  readonly preventDestroy?: boolean;
}

export interface EbsCsiDriverProps {
  /** EKS cluster to install the add-on into (its OIDC provider trusts the driver's role). */
  readonly cluster: IEksCluster;
  /**
   * The add-on to install or adopt; omit it when the driver is installed and managed elsewhere (another
   * add-on owner, or self-managed): an add-on and role this construct managed before are then forgotten,
   * not deleted. @default none
   */
  readonly addon?: EbsCsiAddonSettings;
  /** Name of the driver's IAM role (created with the add-on). */
  readonly roleName: string;
  /** Name of the StorageClass created for Prometheus data. */
  readonly storageClassName: string;
  /** Customer KMS key for volumes of the StorageClass. @default the AWS managed aws/ebs key */
  readonly kmsKeyArn?: string;
}

/**
 * The EBS CSI driver as an EKS managed add-on with its own IRSA role (without one the add-on goes
 * DEGRADED), and an encrypted gp3 StorageClass that keeps volumes (Retain) and binds them in the pod's AZ.
 * An add-on that already exists is imported; a driver someone else manages is left alone (StorageClass
 * only). Without a pinned version the add-on runs AWS's default version for the cluster's Kubernetes
 * version; a pinned version newer than any the cluster can run fails the plan.
 *
 * Every workload's EBS volumes need the driver, not only this project's: deleting the add-on keeps its
 * software on the cluster (`preserve`); it is deleted after the StorageClass, which goes after whatever
 * uses it (the Prometheus release), and before its role. Leaving the add-on to someone else (props.addon
 * omitted) forgets the add-on and its role (`removed` blocks), so both keep working.
 */
export class EbsCsiDriver extends Construct {
  /** The driver's IRSA role, when this construct manages the add-on. */
  readonly role?: IrsaRole;
  /** The add-on, when this construct manages it. */
  readonly addon?: EksAddon;
  /** The StorageClass for Prometheus data. */
  readonly storageClass: StorageClassV1;
  /** Name of that StorageClass. */
  readonly storageClassName: string;
  private readonly clusterName: string;

  constructor(scope: Construct, id: string, props: EbsCsiDriverProps) {
    super(scope, id);
    this.clusterName = props.cluster.name;
    if (props.addon) {
      const { role, addon } = this.installAddon(props, props.addon);
      this.role = role;
      this.addon = addon;
    } else {
      // What an earlier "addon" or "adopt" configuration managed (the resources installAddon declares).
      forgetResources(this, [
        { type: "aws_eks_addon", path: [ADDON_ID] },
        ...[
          ROLE_RESOURCES.role,
          ROLE_RESOURCES.inlinePolicy,
          ROLE_RESOURCES.managedPolicy(EBS_CSI_MANAGED_POLICY),
          // 0.2.0 addressed the attachment by position: forgotten too, should the switch come with the upgrade.
          ROLE_RESOURCES.managedPolicy("0"),
        ].map(({ type, id }) => ({ type, path: [ROLE_ID, id] })),
      ]);
    }
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
      dependsOn: this.addon ? [this.addon] : undefined,
    });
    this.storageClassName = props.storageClassName;
  }

  /**
   * Imports what this construct declares as it exists (the add-on, its role, the StorageClass) instead of
   * creating it: for taking them over from another stack's state, which forgets them.
   */
  importExisting(): void {
    this.role?.importExisting();
    if (this.addon) importExisting(this.addon, `${this.clusterName}:${EBS_CSI_ADDON_NAME}`);
    importExisting(this.storageClass, this.storageClassName);
  }

  private installAddon(props: EbsCsiDriverProps, settings: EbsCsiAddonSettings) {
    const managed = new DataAwsIamPolicy(this, "managed-policy", { name: EBS_CSI_MANAGED_POLICY });
    const role = new IrsaRole(this, ROLE_ID, {
      cluster: props.cluster,
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
      roleName: props.roleName,
      description: "EBS CSI driver controller (aws-ebs-csi-driver add-on)",
      preventDestroy: settings.preventDestroy,
    });
    // The policy's ARN is a data source's (known at apply): keyed by its name. It was attachment 0 before.
    role.attachManagedPolicy(managed.arn, EBS_CSI_MANAGED_POLICY);
    role.movedAttachmentsFromIndex("managed-", [managed.arn], [EBS_CSI_MANAGED_POLICY]);
    if (props.kmsKeyArn)
      role.addToPolicy(
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
    const versionFor = (id: string, mostRecent: boolean) =>
      new DataAwsEksAddonVersion(this, id, {
        addonName: EBS_CSI_ADDON_NAME,
        kubernetesVersion: props.cluster.kubernetesVersion,
        mostRecent,
      });
    const defaultVersion = versionFor("default-version", false);
    const pinned = settings.version;
    const precondition = pinned
      ? [this.notNewerThanTheClusterRuns(pinned, versionFor("latest-version", true), props.cluster)]
      : undefined;
    const addon = new EksAddon(this, ADDON_ID, {
      clusterName: props.cluster.name,
      addonName: EBS_CSI_ADDON_NAME,
      addonVersion: pinned ?? defaultVersion.version,
      serviceAccountRoleArn: role.roleArn,
      // Take over a driver installed by hand on create; keep the cluster's own settings on upgrade.
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      // Deleting the add-on (a destroy) leaves the driver running: other workloads' volumes need it.
      preserve: true,
      // The controller calls EC2 as soon as it runs: wait for the role's policies, not only the role.
      dependsOn: role.permissions,
      lifecycle:
        precondition || settings.preventDestroy
          ? { precondition, preventDestroy: settings.preventDestroy || undefined }
          : undefined,
    });
    if (pinned) this.warnWhenOlderThanDefault(pinned, defaultVersion, props.cluster);
    if (settings.adoptExisting) importExisting(addon, `${props.cluster.name}:${EBS_CSI_ADDON_NAME}`);
    return { role, addon };
  }

  /** Plan-time refusal of a pinned version newer than any AWS offers for the cluster's Kubernetes version. */
  private notNewerThanTheClusterRuns(pinned: string, latest: DataAwsEksAddonVersion, cluster: IEksCluster) {
    // try(..., true): should AWS ever answer a version of another shape, the check steps aside.
    return {
      condition: addonVersionAtLeast({ reference: latest.version }, { version: pinned }),
      errorMessage: `ebsCsi.addonVersion ${pinned} is newer than any ${EBS_CSI_ADDON_NAME} version for this cluster's Kubernetes ${cluster.kubernetesVersion} (most recent: ${latest.version}). Pin a version that "aws eks describe-addon-versions --addon-name ${EBS_CSI_ADDON_NAME} --kubernetes-version ${cluster.kubernetesVersion}" lists, or leave addonVersion unset to run AWS's default.`,
    };
  }

  /** A plan-time warning (a check block) when the pinned version is older than AWS's default: it may not be offered for this Kubernetes version any more. */
  private warnWhenOlderThanDefault(
    pinned: string,
    defaultVersion: DataAwsEksAddonVersion,
    cluster: IEksCluster,
  ) {
    const name = `${this.node.id.replace(/[^A-Za-z0-9_-]/g, "_")}_addon_version`;
    TerraformStack.of(this).addOverride(`check.${name}`, {
      assert: [
        {
          condition: addonVersionAtLeast({ version: pinned }, { reference: defaultVersion.version }),
          error_message: `ebsCsi.addonVersion ${pinned} is older than AWS's default (${defaultVersion.version}) for Kubernetes ${cluster.kubernetesVersion}, and may not be offered for it (the usual cause: the cluster was upgraded). If the apply fails with InvalidParameterException, pin a version that "aws eks describe-addon-versions --addon-name ${EBS_CSI_ADDON_NAME} --kubernetes-version ${cluster.kubernetesVersion}" lists, or leave addonVersion unset.`,
        },
      ],
    });
  }
}
