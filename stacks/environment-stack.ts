import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Aspects, TerraformOutput, type TerraformRemoteState, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { ClusterConfig, EnvironmentConfig } from "../config/environment";
import { SecurityRules } from "../lib/aspects";
import type { AwsTarget } from "../lib/aws";
import { configureBackend, upstreamState } from "../lib/backend";
import { PROJECT, resourceName } from "../lib/naming";
import { requireTerraform } from "../lib/terraform";
import {
  type OutputKey,
  outputOf,
  STACK_GRAPH,
  type StackKind,
  stackNameOf,
  type UpstreamKind,
} from "./graph";
import { ProjectStack } from "./project-stack";

/** A stack of an environment, as another stack of it sees it. */
export type KindedStack<K extends StackKind> = TerraformStack & { readonly kind: K };

/** The upstream stacks a stack of kind `K` is given, by kind (the graph in graph.ts says which). */
export type Upstreams<K extends StackKind> = { readonly [U in UpstreamKind<K>]: KindedStack<U> };

/** The outputs of one upstream stack, read from its state (`terraform_remote_state`) on first use. */
export class UpstreamOutputs<K extends StackKind> {
  private state?: TerraformRemoteState;

  constructor(
    private readonly reader: TerraformStack,
    private readonly env: EnvironmentConfig,
    /** The kind of the stack read. */
    readonly kind: K,
  ) {}

  /** One of its outputs (a reference, resolved when the reading stack plans). */
  get(key: OutputKey<K>): string {
    return this.read().getString(outputOf(this.kind, key).name);
  }

  /**
   * The entry `entry` of one of its map outputs (failing the plan when it is missing), as an attribute
   * (`outputs.ids.vpc-0a1b...`): the reference goes into JSON documents (IAM policies) too, where the quotes
   * of `["vpc-..."]` are escaped and Terraform then refuses the `\"` inside `${...}` ("Invalid character").
   * Hence only keys that are HCL identifiers (VPC ids are).
   */
  entry(key: OutputKey<K>, entry: string): string {
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(entry))
      throw new Error(
        `${this.kind} output ${String(key)}: key ${JSON.stringify(entry)} is not an HCL identifier`,
      );
    const state = this.read();
    return `\${${state.fqn}.outputs.${outputOf(this.kind, key).name}.${entry}}`;
  }

  private read(): TerraformRemoteState {
    this.state ??= upstreamState(
      this.reader,
      this.env.backend,
      stackNameOf(this.env.name, this.kind),
      this.kind,
    );
    return this.state;
  }
}

/** Tag keys AWS services add to this project's resources. */
export const EXTERNALLY_ADDED_TAGS = ["AMPAgentlessScraper"] as const;

/** Tags every provider of an environment stack puts on every resource (and a cluster stack's `cluster`). */
export function defaultTags(
  env: EnvironmentConfig,
  kind: string,
  cluster?: ClusterConfig,
): Record<string, string> {
  return {
    ...env.tags,
    project: PROJECT,
    environment: env.name,
    stack: kind,
    ...(cluster ? { cluster: cluster.name } : {}),
    "managed-by": "cdktf",
  };
}

/** Namespaces whose deletion loses data: the Prometheus server's (its volume claim), when it runs. */
export function statefulNamespaces(cluster?: ClusterConfig): string[] {
  return cluster?.collector.type === "prometheus" ? [cluster.collector.namespace] : [];
}

/**
 * One stack of one environment: named `<env>-<kind>`, with its state backend and an AWS provider pinned
 * to the environment's account (`allowed_account_ids`, so a dev config can never apply to prod) and region.
 * The synth-time security rules (lib/aspects.ts) check everything in it: a violation fails synth.
 */
export abstract class EnvironmentStack<K extends StackKind = StackKind> extends ProjectStack {
  /** The validated environment. */
  readonly env: EnvironmentConfig;
  /** Which of the environment's stacks this is. */
  readonly kind: K;
  /** The environment's account, region and partition, for constructs. */
  readonly aws: AwsTarget;
  /** The cluster of a per-cluster stack. */
  readonly clusterConfig?: ClusterConfig;
  /** The outputs of the stacks this one reads, by kind (each deploys before this one). */
  readonly upstream: { readonly [U in UpstreamKind<K>]: UpstreamOutputs<U> };

  /**
   * @param upstream the stacks of the kinds the graph (graph.ts) lists as this kind's upstream: this stack
   *   deploys after them and reads their outputs through `this.upstream`
   * @param cluster the cluster of a per-cluster kind (`<env>-<kind>-<cluster key>`)
   */
  constructor(
    scope: Construct,
    env: EnvironmentConfig,
    kind: K,
    upstream: Upstreams<K>,
    cluster?: ClusterConfig,
  ) {
    const name = stackNameOf(env.name, kind, cluster?.key);
    super(scope, name);
    this.env = env;
    this.kind = kind;
    this.clusterConfig = cluster;
    this.aws = { accountId: env.accountId, region: env.region, partition: env.partition };
    configureBackend(this, env.backend, name);
    const given = upstream as unknown as Readonly<Record<string, KindedStack<StackKind> | undefined>>;
    const outputs: Record<string, UpstreamOutputs<StackKind>> = {};
    for (const upstreamKind of STACK_GRAPH[kind].upstream as readonly StackKind[]) {
      const stack = given[upstreamKind];
      if (stack?.kind !== upstreamKind)
        throw new Error(
          `${this.node.id}: expected the ${upstreamKind} stack as its upstream "${upstreamKind}"`,
        );
      this.addDependency(stack);
      outputs[upstreamKind] = new UpstreamOutputs(this, env, upstreamKind);
    }
    this.upstream = outputs as unknown as EnvironmentStack<K>["upstream"];
    new AwsProvider(this, "aws", {
      region: env.region,
      allowedAccountIds: [env.accountId],
      defaultTags: [{ tags: defaultTags(env, kind, cluster) }],
      // Tags AWS services add to our resources (the managed collector tags the AMP workspace): ignored
      // provider-wide, so neither `tags` nor `tags_all` ever shows a diff for them.
      ignoreTags: [{ keys: [...EXTERNALLY_ADDED_TAGS] }],
    });
    Aspects.of(this).add(
      new SecurityRules({ protect: env.protect, statefulNamespaces: statefulNamespaces(cluster) }),
    );
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

  /** Publishes one of this kind's outputs (graph.ts names and describes it) for downstream stacks and operators. */
  protected output(key: OutputKey<K>, value: string, options: { sensitive?: boolean } = {}): TerraformOutput {
    const { name, description } = outputOf(this.kind, key);
    return new TerraformOutput(this, name, { value, description, ...options });
  }

  /** Publishes one of this kind's map outputs (read downstream with `UpstreamOutputs.entry`). */
  protected outputMap(key: OutputKey<K>, value: Readonly<Record<string, string>>): TerraformOutput {
    const { name, description } = outputOf(this.kind, key);
    return new TerraformOutput(this, name, { value, description });
  }
}
