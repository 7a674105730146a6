import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { type AwsTarget, arn } from "../../lib/aws";
import { policyDocument } from "../../lib/iam";
import { LOG_RETENTION_DAYS } from "../../lib/limits";

/** The service that writes vended logs (AMP's among them) into CloudWatch Logs. */
const LOG_DELIVERY = "delivery.logs.amazonaws.com";

export interface AmpWorkspaceLogsProps {
  /** Name of the log group; AWS's convention for vended logs is a name under `/aws/vendedlogs/`. */
  readonly logGroupName: string;
  /** Days the log group keeps events (a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, ...). */
  readonly retentionDays: number;
  /**
   * Customer-managed KMS key for the log group; its key policy must let `logs.<region>.amazonaws.com` use it
   * for this log group. @default a key is created for the log group alone
   */
  readonly kmsKeyArn?: string;
  /** Name of the account's CloudWatch Logs resource policy that lets log delivery write here. */
  readonly resourcePolicyName: string;
  /** Account, region and partition of the log group (and of the key's conditions). */
  readonly target: AwsTarget;
  /** Refuse plans that destroy the created key (scheduling its deletion makes the log group unreadable). @default false */
  readonly keyPreventDestroy?: boolean;
}

/**
 * Where an AMP workspace's rule-evaluation and alert-manager errors go: a CloudWatch Logs log group with a
 * retention, encrypted with a KMS key (created unless given), and the account's resource policy that lets
 * CloudWatch Logs' delivery service write AMP's vended logs into this log group only, for this account.
 * The log group holds diagnostics that expire after `retentionDays`: it is not protected from destroy.
 */
export class AmpWorkspaceLogs extends Construct {
  /** The log group. */
  readonly logGroup: CloudwatchLogGroup;
  /** Its name. */
  readonly logGroupName: string;
  /** Its ARN, `arn:...:log-group:<name>` (written out, so policies that name it stay literal JSON). */
  readonly logGroupArn: string;
  /** The key created for the log group, when none was given. */
  readonly key?: KmsKey;
  /** The resource policy letting log delivery write. */
  readonly resourcePolicy: CloudwatchLogResourcePolicy;
  /** What a logging configuration waits for: the log group and the permission to deliver into it. */
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: AmpWorkspaceLogsProps) {
    super(scope, id);
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(props.retentionDays))
      throw new Error(
        `${this.node.path}: retentionDays ${props.retentionDays} is not a retention CloudWatch Logs accepts (expected one of ${LOG_RETENTION_DAYS.join(", ")})`,
      );
    const { target } = props;
    this.logGroupName = props.logGroupName;
    this.logGroupArn = arn(target, "logs", `log-group:${props.logGroupName}`);
    this.key = props.kmsKeyArn ? undefined : this.createKey(props);
    const kmsKeyArn = props.kmsKeyArn ?? (this.key as KmsKey).arn;

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: props.logGroupName,
      retentionInDays: props.retentionDays,
      kmsKeyId: kmsKeyArn,
    });
    // AWS's own policy for vended logs (CloudWatch Logs user guide, "Logs sent to CloudWatch Logs"), limited
    // to this log group. Account-wide: an account has at most 10 per region.
    this.resourcePolicy = new CloudwatchLogResourcePolicy(this, "delivery-policy", {
      policyName: props.resourcePolicyName,
      policyDocument: policyDocument({
        Sid: "LogDeliveryWritesAmpLogs",
        Effect: "Allow",
        Principal: { Service: LOG_DELIVERY },
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${this.logGroupArn}:log-stream:*`,
        Condition: {
          StringEquals: { "aws:SourceAccount": target.accountId },
          ArnLike: { "aws:SourceArn": arn(target, "logs", "*") },
        },
      }),
    });
    this.dependables = [this.logGroup, this.resourcePolicy];
  }

  /** A key for this log group alone: CloudWatch Logs may use it only with the log group's encryption context. */
  private createKey(props: AmpWorkspaceLogsProps): KmsKey {
    const { target } = props;
    const key = new KmsKey(this, "key", {
      description: `Encrypts CloudWatch Logs log group ${props.logGroupName} (AMP rule and alert manager errors)`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy: props.keyPreventDestroy ?? false },
      policy: policyDocument(
        {
          Sid: "AccountAdministersKeyThroughIam",
          Effect: "Allow",
          Principal: { AWS: arn(target, "iam", "root", { region: "" }) },
          Action: "kms:*",
          // In a key policy, "*" is this key.
          Resource: "*",
        },
        {
          Sid: "CloudWatchLogsEncryptsThisLogGroup",
          Effect: "Allow",
          Principal: { Service: `logs.${target.region}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          // In a key policy, "*" is this key.
          Resource: "*",
          Condition: {
            // CloudWatch Logs always encrypts with the log group's ARN as context (CloudWatch Logs user guide,
            // "Encrypt log data in CloudWatch Logs using AWS KMS"): the key serves this log group only.
            ArnEquals: { "kms:EncryptionContext:aws:logs:arn": this.logGroupArn },
            // Confused-deputy guard where CloudWatch Logs passes its source on; IfExists, because the guide
            // documents the encryption context, not these keys, and a missing key must not stop the logs.
            StringEqualsIfExists: { "aws:SourceAccount": target.accountId },
            ArnLikeIfExists: { "aws:SourceArn": [this.logGroupArn, `${this.logGroupArn}:*`] },
          },
        },
      ),
    });
    new KmsAlias(this, "key-alias", {
      name: `alias/${props.resourcePolicyName}`,
      targetKeyId: key.keyId,
    });
    return key;
  }
}
