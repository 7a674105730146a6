import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { policyDocument } from "../../lib/iam";

export interface StateBucketProps {
  /** Bucket name (globally unique). */
  readonly bucketName: string;
  /** Customer-managed KMS key for default encryption (SSE-KMS). @default the AWS managed aws/s3 key */
  readonly kmsKeyArn?: string;
  /** Days a noncurrent (overwritten or deleted) state version is kept before it expires. */
  readonly noncurrentVersionExpiryDays: number;
  /** Refuse any plan that destroys the bucket (and every state file in it). */
  readonly preventDestroy: boolean;
  /**
   * State objects (keys) these principals (IAM role ARNs) may never read, any version, whatever their own
   * policies allow (e.g. ReadOnlyAccess): the state holding the Grafana token, kept from pull-request plan
   * roles. @default none
   */
  readonly readDeniedTo?: { readonly principalArns: readonly string[]; readonly keys: readonly string[] };
}

/**
 * An S3 bucket for Terraform state: versioned, encrypted by default, never public, owner-enforced
 * (no ACLs), reachable over TLS 1.2+ only, old versions expired after a while.
 */
export class StateBucket extends Construct {
  /** The bucket. */
  readonly bucket: S3Bucket;
  /** Bucket name. */
  readonly bucketName: string;
  /** Bucket ARN. */
  readonly arn: string;
  /** The bucket policy (TLS only). */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;

    new S3BucketOwnershipControls(this, "ownership", {
      bucket: this.bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketVersioningA(this, "versioning", {
      bucket: this.bucket.id,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [
        {
          // SSE-KMS always: with the customer key when given, else the account's AWS managed aws/s3 key
          // (key use shows in CloudTrail; no key policy to manage).
          applyServerSideEncryptionByDefault: props.kmsKeyArn
            ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyArn }
            : { sseAlgorithm: "aws:kms" },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-noncurrent-state-versions",
          status: "Enabled",
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpiryDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const objects = `${this.bucket.arn}/*`;
    this.policy = new S3BucketPolicy(this, "policy", {
      bucket: this.bucket.id,
      policy: policyDocument(
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, objects],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Sid: "DenyOutdatedTls",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [this.bucket.arn, objects],
          Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
        },
        ...(props.readDeniedTo?.principalArns.length && props.readDeniedTo.keys.length
          ? [
              {
                // An explicit Deny wins over any Allow the roles get elsewhere. aws:PrincipalArn is the
                // role's ARN for its sessions; a condition names roles that may not exist yet.
                Sid: "DenyPlanRolesTheGrafanaTokenState",
                Effect: "Deny" as const,
                Principal: "*" as const,
                Action: ["s3:GetObject", "s3:GetObjectVersion"],
                Resource: props.readDeniedTo.keys.map((key) => `${this.bucket.arn}/${key}`),
                Condition: { ArnEquals: { "aws:PrincipalArn": [...props.readDeniedTo.principalArns] } },
              },
            ]
          : []),
      ),
      // S3 rejects a policy put while the public access block is being created.
      dependsOn: [publicAccess],
    });
  }
}
