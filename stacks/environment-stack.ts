import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, TerraformOutput, type TerraformRemoteState } from "cdktf";
import type { Construct } from "constructs";
import { SecurityRules } from "../lib/aspects";
import type { AwsTarget } from "../lib/aws";
import { configureBackend, upstreamState } from "../lib/backend";
import type { EnvironmentConfig } from "../lib/config/schema";
import { PROJECT, resourceName, type StackKind, stackName } from "../lib/naming";
import { requireTerraform } from "../lib/terraform";
import { ProjectStack } from "./project-stack";

/** Tag keys AWS services add to this project's resources. */
export const EXTERNALLY_ADDED_TAGS = ["AMPAgentlessScraper"] as const;

/** Tags every provider of an environment stack puts on every resource. */
export function defaultTags(env: EnvironmentConfig, kind: StackKind): Record<string, string> {
  return { ...env.tags, project: PROJECT, environment: env.name, stack: kind, "managed-by": "cdktf" };
}

/** Namespaces whose deletion loses data: the Prometheus server's (its volume claim), when it runs. */
export function statefulNamespaces(env: EnvironmentConfig): string[] {
  return env.collector.type === "prometheus" ? [env.collector.namespace] : [];
}

/**
 * One stack of one environment: named `<env>-<kind>`, with its state backend and an AWS provider pinned
 * to the environment's account (`allowed_account_ids`, so a dev config can never apply to prod) and region.
 * The synth-time security rules (lib/aspects.ts) check everything in it: a violation fails synth.
 */
export abstract class EnvironmentStack extends ProjectStack {
  /** The validated environment. */
  readonly env: EnvironmentConfig;
  /** Which of the environment's stacks this is. */
  readonly kind: StackKind;
  /** The environment's account, region and partition, for constructs. */
  readonly aws: AwsTarget;

  constructor(scope: Construct, env: EnvironmentConfig, kind: StackKind) {
    super(scope, stackName(env.name, kind));
    this.env = env;
    this.kind = kind;
    this.aws = { accountId: env.accountId, region: env.region, partition: env.partition };
    configureBackend(this, env.backend, env.name, kind);
    new AwsProvider(this, "aws", {
      region: env.region,
      allowedAccountIds: [env.accountId],
      defaultTags: [{ tags: defaultTags(env, kind) }],
      // Tags AWS services add to our resources (the managed collector tags the AMP workspace): ignored
      // provider-wide, so neither `tags` nor `tags_all` ever shows a diff for them.
      ignoreTags: [{ keys: [...EXTERNALLY_ADDED_TAGS] }],
    });
    Aspects.of(this).add(
      new SecurityRules({ protect: env.protect, statefulNamespaces: statefulNamespaces(env) }),
    );
  }

  /** Reads an upstream stack's outputs (and deploys after it). */
  protected readUpstream(upstream: EnvironmentStack): TerraformRemoteState {
    this.addDependency(upstream);
    return upstreamState(this, this.env.backend, this.env.name, upstream.kind);
  }

  /**
   * Refuses Terraform older than `version` at `terraform init` (`required_version`), with Terraform's own
   * message: for features the stack uses (S3-native locking and ephemeral resources need 1.10, `removed`
   * blocks 1.7, import blocks 1.5). The highest requirement wins.
   */
  requireTerraform(version: string): void {
    requireTerraform(this, version);
  }

  /** Name of an account-wide resource of this environment: `eksmon-<env>-<purpose>`. */
  protected resourceName(purpose: string): string {
    return resourceName(this.env.name, purpose);
  }

  /** Publishes a value for downstream stacks and operators. */
  protected output(name: string, value: string, description: string): TerraformOutput {
    return new TerraformOutput(this, name, { value, description });
  }
}
