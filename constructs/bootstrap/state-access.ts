/**
 * What an identity needs of the S3 state of an environment: the grant functions of the state bucket, by
 * object key, so an identity reads (or writes) exactly the state of the stacks it runs.
 */
import type { IGrantable } from "../../lib/iam";

/** Where an environment keeps its state. */
export interface StateLocation {
  /** The bucket. */
  readonly bucket: string;
  /** Key prefix of the environment's state objects. */
  readonly keyPrefix: string;
  /** Customer KMS key encrypting the state. @default none: the bucket's default encryption, no key grant */
  readonly kmsKeyArn?: string;
  /** Partition of the bucket. */
  readonly partition: string;
}

const objectArn = (s: StateLocation, key: string) => `arn:${s.partition}:s3:::${s.bucket}/${key}`;
const bucketArn = (s: StateLocation) => `arn:${s.partition}:s3:::${s.bucket}`;

/** Listing the environment's own keys: Terraform lists the prefix (workspaces, state discovery). */
const listEnvironmentState = (state: StateLocation) => ({
  Sid: "ListEnvironmentState",
  Effect: "Allow" as const,
  Action: "s3:ListBucket",
  Resource: bucketArn(state),
  Condition: { StringLike: { "s3:prefix": `${state.keyPrefix}/*` } },
});

/**
 * Plans and applies every stack of the environment: read and write its state objects, and create and
 * delete the S3-native lock files next to them (`<key>.tflock`).
 */
export function grantStateReadWrite(grantee: IGrantable, state: StateLocation): void {
  grantee.addToPolicy(
    listEnvironmentState(state),
    {
      Sid: "ReadWriteEnvironmentState",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: objectArn(state, `${state.keyPrefix}/*`),
    },
    {
      Sid: "ReleaseStateLocks",
      Effect: "Allow",
      Action: "s3:DeleteObject",
      Resource: objectArn(state, `${state.keyPrefix}/*.tflock`),
    },
    ...(state.kmsKeyArn
      ? [
          {
            Sid: "EncryptEnvironmentState",
            Effect: "Allow" as const,
            Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            Resource: state.kmsKeyArn,
          },
        ]
      : []),
  );
}

/** Plans `-lock=false`: read these state objects (`<keyPrefix>/<stack>.tfstate` keys) and nothing else. */
export function grantStateRead(grantee: IGrantable, state: StateLocation, keys: readonly string[]): void {
  grantee.addToPolicy(
    listEnvironmentState(state),
    {
      Sid: "ReadPlannedStacksState",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: keys.map((key) => objectArn(state, key)),
    },
    ...(state.kmsKeyArn
      ? [
          {
            Sid: "DecryptEnvironmentState",
            Effect: "Allow" as const,
            Action: "kms:Decrypt",
            Resource: state.kmsKeyArn,
          },
        ]
      : []),
  );
}

/** The S3 object ARN of a state key (for bucket policies). */
export function stateObjectArn(state: StateLocation, key: string): string {
  return objectArn(state, key);
}
