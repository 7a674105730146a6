/**
 * State backends and the remote-state reads that wire stacks together.
 *
 * Stacks share values through explicit outputs read with `terraform_remote_state` (not cdktf's implicit
 * cross-stack references): the outputs are named, documented and not `sensitive`, the same code works on
 * S3, Terraform Cloud and local state, and a PR plan can tell "upstream not applied yet" apart from an error.
 */
import {
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  NamedCloudWorkspace,
  NamedRemoteWorkspace,
  S3Backend,
  type TerraformRemoteState,
  type TerraformStack,
} from "cdktf";
import type { Construct } from "constructs";
import type { BackendConfig, CloudBackendConfig, EnvironmentConfig } from "../config/environment";
import { dropTerraformVersionProbe } from "./cdktf-internals";
import { MIN_TERRAFORM_VERSION, requireTerraform } from "./terraform";

/**
 * CloudBackend without the `terraform version` subprocess it adds as a validation (Terraform >= 1.1).
 * That probe slows every synth (docs/performance.md) and fails it on a machine without Terraform, although
 * synth never runs Terraform; the project requires Terraform >= 1.10 anyway (README prerequisites). A patch
 * of cdktf's internals: lib/cdktf-internals/validations.ts.
 */
class CloudBackendWithoutVersionProbe extends CloudBackend {
  constructor(scope: Construct, props: ConstructorParameters<typeof CloudBackend>[1]) {
    super(scope, props);
    dropTerraformVersionProbe(this);
  }
}

/** Local state lives at the project root: `cdktf.out/stacks/<stack>/../../../terraform.<stack>.tfstate`. */
function localStatePath(stack: string): string {
  return `../../../terraform.${stack}.tfstate`;
}

/** The cloud backend of an environment (throws for any other backend). */
export function cloudBackendOf(env: EnvironmentConfig): CloudBackendConfig {
  if (env.backend.type !== "cloud") throw new Error(`${env.name}: expected a Terraform Cloud backend`);
  return env.backend;
}

export function s3StateKey(keyPrefix: string, stack: string): string {
  return `${keyPrefix}/${stack}.tfstate`;
}

export function cloudWorkspaceName(prefix: string, stack: string): string {
  return `${prefix}-${stack}`;
}

/** Configures the stack's backend: S3 (encrypted, S3-native lock file), Terraform Cloud or local. */
export function configureBackend(stack: TerraformStack, backend: BackendConfig, name: string): void {
  switch (backend.type) {
    case "s3":
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: s3StateKey(backend.keyPrefix, name),
        region: backend.region,
        encrypt: true,
        kmsKeyId: backend.kmsKeyArn,
      });
      useS3Lockfile(stack);
      return;
    case "cloud":
      new CloudBackendWithoutVersionProbe(stack, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedCloudWorkspace(
          cloudWorkspaceName(backend.workspacePrefix, name),
          backend.project,
        ),
      });
      return;
    case "local":
      new LocalBackend(stack, { path: localStatePath(name) });
      return;
  }
}

/**
 * Backend of a bootstrap stack: local state first (the bucket or workspaces do not exist yet); once the
 * state bucket exists, the state bootstrap can move its own state into it (`inBucket`, then
 * `terraform init -migrate-state`, see docs/delivery.md).
 */
export function configureBootstrapBackend(
  stack: TerraformStack,
  name: string,
  inBucket?: { bucket: string; region: string; kmsKeyArn?: string },
): void {
  if (!inBucket) {
    new LocalBackend(stack, { path: localStatePath(name) });
    return;
  }
  new S3Backend(stack, {
    bucket: inBucket.bucket,
    key: s3StateKey("bootstrap", name),
    region: inBucket.region,
    encrypt: true,
    kmsKeyId: inBucket.kmsKeyArn,
  });
  useS3Lockfile(stack);
}

/**
 * S3-native locking (a `<key>.tflock` object, no DynamoDB table), and the Terraform it needs: an older one
 * stops at `terraform init` saying which version the stack requires, instead of failing on an unknown
 * backend argument. cdktf 0.21's S3BackendConfig has no field for it.
 */
function useS3Lockfile(stack: TerraformStack): void {
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
  requireTerraform(stack, MIN_TERRAFORM_VERSION);
}

/**
 * Reads the outputs of stack `name` (of the same environment and backend) from its state; `kind` names the
 * data source (`<kind>-state`).
 */
export function upstreamState(
  scope: Construct,
  backend: BackendConfig,
  name: string,
  kind: string,
): TerraformRemoteState {
  const id = `${kind}-state`;
  switch (backend.type) {
    case "s3":
      return new DataTerraformRemoteStateS3(scope, id, {
        bucket: backend.bucket,
        key: s3StateKey(backend.keyPrefix, name),
        region: backend.region,
      });
    case "cloud":
      return new DataTerraformRemoteState(scope, id, {
        hostname: backend.hostname,
        organization: backend.organization,
        workspaces: new NamedRemoteWorkspace(cloudWorkspaceName(backend.workspacePrefix, name)),
      });
    case "local":
      return new DataTerraformRemoteStateLocal(scope, id, { path: localStatePath(name) });
  }
}
