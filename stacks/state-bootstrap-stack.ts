import type { Construct } from "constructs";
import type { EnvironmentConfig, S3BackendConfig } from "../config/environment";
import { StateBucket } from "../constructs/bootstrap/state-bucket";
import { arn } from "../lib/aws";
import { configureBootstrapBackend, s3StateKey } from "../lib/backend";
import { githubPlanRoleName, stateBootstrapStackName } from "../lib/naming";
import { BootstrapStack } from "./bootstrap-stack";
import { stacksOf, TOKEN_STACKS } from "./graph";

/**
 * `bootstrap-state-<account>`: the S3 bucket holding the state of every environment of one account
 * (validation guarantees they agree on it). Always protected by prevent_destroy: it holds all their state.
 * The pull-request plan roles of the account's environments may never read the state of the stacks that
 * hold the Grafana token (`TOKEN_STACKS`), of any environment in the bucket.
 */
export class StateBootstrapStack extends BootstrapStack {
  readonly bucket: StateBucket;
  /** The environments whose state the bucket holds. */
  readonly environments: string[];

  constructor(scope: Construct, accountId: string, envs: readonly EnvironmentConfig[]) {
    super(scope, stateBootstrapStackName(accountId));
    const backend = envs[0]?.backend;
    if (backend?.type !== "s3")
      throw new Error(`${this.stackName}: expected environments with an S3 backend`);
    const s3: S3BackendConfig = backend;
    this.environments = envs.map((e) => e.name);
    configureBootstrapBackend(this, this.stackName, s3.bootstrapStateInBucket ? s3 : undefined);
    this.awsProvider(accountId, s3.region);
    this.bucket = new StateBucket(this, "state", {
      bucketName: s3.bucket,
      kmsKeyArn: s3.kmsKeyArn,
      noncurrentVersionExpiryDays: s3.noncurrentVersionExpiryDays,
      preventDestroy: true,
      readDeniedTo: {
        principalArns: envs
          .filter((e) => e.github)
          .map((e) => arn(e, "iam", `role/${githubPlanRoleName(e.name)}`, { region: "" })),
        keys: envs.flatMap((e) =>
          e.backend.type === "s3"
            ? stacksOf(e)
                .filter((stack) => stack.kind in TOKEN_STACKS)
                .map((stack) => s3StateKey((e.backend as S3BackendConfig).keyPrefix, stack.name))
            : [],
        ),
      },
    });
  }
}
