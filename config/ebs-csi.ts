/**
 * `ebsCsi`: the aws-ebs-csi-driver EKS add-on and the StorageClass for Prometheus data.
 */
import * as z from "zod";
import { kmsKeyArn, pattern, patterns, show } from "./fields";

export const ebsCsiSchema = z.strictObject({
  driver: z
    .enum(["addon", "adopt", "existing"], {
      error: (iss) => `${show(iss.input)} is not a driver source (expected "addon", "adopt" or "existing")`,
    })
    .default("addon")
    .describe(
      'Who runs the EBS CSI driver: "addon" (this project creates the EKS add-on), "adopt" (the add-on exists: import it, then manage it), "existing" (installed and managed elsewhere, add-on or self-managed: only the StorageClass is created).',
    ),
  addonVersion: pattern(
    patterns.addonVersion,
    "an EKS add-on version",
    'a version such as "v1.38.1-eksbuild.1"',
  )
    .optional()
    .describe(
      "aws-ebs-csi-driver add-on version; unset: AWS's default for the cluster's Kubernetes version, resolved at plan.",
    ),
  storageClassName: pattern(patterns.k8sName, "a StorageClass name", "a DNS-1123 label")
    .default("prometheus-gp3")
    .describe("StorageClass for Prometheus data (gp3, encrypted, Retain, WaitForFirstConsumer)."),
  kmsKeyArn: kmsKeyArn
    .optional()
    .describe("Customer-managed KMS key for the volumes; the driver's role gets the grants it needs."),
});
