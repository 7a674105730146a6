/** Test helpers: build environments from the example configs (or variations) and read the synthesized JSON. */
import { type TerraformStack, Testing } from "cdktf";
import { addEnvironment, type EnvironmentStacks } from "../app";
import type { EnvironmentConfig, EnvironmentInput } from "../config/environment";
import { ConfigError, validateEnvironments } from "../config/validate";
import type { IEksCluster } from "../constructs/cluster/existing-eks-cluster";
import { environments } from "../environments";
import type { AwsTarget } from "../lib/aws";
import { type RuleParams, ruleParamsOf } from "../monitoring/rules";
import type { StackKind } from "../stacks/graph";

/** The example environment named `name`, as its file writes it. */
export function exampleInput(name: string): EnvironmentInput {
  const found = environments.find((e) => e.name === name);
  if (!found) throw new Error(`no example environment ${name}`);
  return structuredClone(found);
}

/** The example environment named `name`, changed by `edit` (not validated). */
export function editedExample(name: string, edit: (env: EnvironmentInput) => void): EnvironmentInput {
  const input = exampleInput(name);
  edit(input);
  return input;
}

/** Every problem validation reports for the inputs (`<env>.<field>: ...`), or none when they are valid. */
export function configProblems(...inputs: EnvironmentInput[]): string[] {
  try {
    validateEnvironments(inputs);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** A validated example environment, optionally changed by `edit` before validation. */
export function exampleEnv(name: string, edit?: (env: EnvironmentInput) => void): EnvironmentConfig {
  const input = exampleInput(name);
  edit?.(input);
  return validateEnvironments([input])[0];
}

/** The rule parameters of an example environment (optionally edited), as its stacks build them. */
export function exampleRuleParams(name: string, edit?: (env: EnvironmentInput) => void): RuleParams {
  return ruleParamsOf(exampleEnv(name, edit));
}

/** Rule parameters for construct tests: the default thresholds, environment "test". */
export const TEST_RULE_PARAMS: RuleParams = {
  environment: "test",
  thresholds: {
    remoteWriteLagSeconds: 300,
    remoteWriteFailedPercent: 1,
    apiServerErrorPercent: 5,
    apiServerLatencyP99Seconds: 1,
    persistentVolumeUsedPercent: 85,
    persistentVolumeCriticalPercent: 97,
    apiServerAvailabilitySloPercent: 99,
    apiServerLatencySloPercent: 99,
    ingestionBudgetPercent: 80,
    forMinutes: 10,
  },
  runbookBaseUrl: "https://github.com/example-org/eksmon/blob/main/docs/runbooks/",
};

/** Synthesized Terraform JSON of one stack (parsed). */
export type StackJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: string; description?: string }>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
};

export interface SynthesizedEnvironment {
  stacks: EnvironmentStacks;
  /** Each kind's stack; `cluster` is the first cluster's (`clusters` has them all). */
  json: Record<StackKind, StackJson>;
  /** The synthesized documents as JSON text, for cdktf's jest matchers and the snapshots (canonicalSynth). */
  raw: Record<StackKind, string>;
  /** Each cluster's stack, by cluster key (its id, or name). */
  clusters: Record<string, StackJson>;
}

/**
 * Testing.synth's text, written the same way whichever cdktf is installed: cdktf 0.21 serializes an empty
 * object as `{` and `}` on two lines, cdktn 0.24 as `{}`; keys are sorted by both, so parsing and writing
 * it again with JSON.stringify keeps their order and settles the layout. Snapshots then hold the document,
 * not the serializer of the day.
 */
export function canonicalSynth(stack: TerraformStack): string {
  return JSON.stringify(JSON.parse(Testing.synth(stack)), null, 2);
}

/** Builds an environment's stacks in a test app and synthesizes each one. */
export function synthEnvironment(env: EnvironmentConfig): SynthesizedEnvironment {
  const app = Testing.app();
  const stacks = addEnvironment(app, env);
  const clusterRaw = stacks.clusters.map((c) => [c.clusterConfig.key, canonicalSynth(c)] as const);
  const raw = {
    network: canonicalSynth(stacks.network),
    "cluster-monitoring": canonicalSynth(stacks.clusterMonitoring),
    cluster: clusterRaw[0][1],
    grafana: canonicalSynth(stacks.grafana),
    "grafana-token": canonicalSynth(stacks.grafanaToken),
    "grafana-config": canonicalSynth(stacks.grafanaConfig),
  };
  const json = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v)])) as Record<
    StackKind,
    StackJson
  >;
  const clusters = Object.fromEntries(clusterRaw.map(([key, text]) => [key, JSON.parse(text) as StackJson]));
  return { stacks, json, raw, clusters };
}

/** All resources of a type in a stack, keyed by logical id. */
export function resourcesOf(stack: StackJson, type: string): Record<string, Record<string, unknown>> {
  return stack.resource?.[type] ?? {};
}

/** The only resource of a type in a stack (fails if there are none or several). */
export function onlyResource(stack: StackJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(stack, type));
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** The only resource of a type whose logical id starts with `prefix` (its construct path), e.g. `alerting_key`. */
export function resourceAt(stack: StackJson, type: string, prefix: string): Record<string, unknown> {
  const all = Object.entries(resourcesOf(stack, type)).filter(([id]) => id.startsWith(prefix));
  if (all.length !== 1) throw new Error(`expected one ${type} at ${prefix}, found ${all.length}`);
  return all[0][1];
}

/** An EKS cluster as constructs see it, with literal values (construct tests need no data sources). */
export function fakeCluster(overrides: Partial<IEksCluster> = {}): IEksCluster {
  return {
    name: "eks",
    arn: "arn:aws:eks:eu-central-1:123456789012:cluster/eks",
    clusterSecurityGroupId: "sg-0123456789abcdef0",
    oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC",
    oidcIssuerHost: "oidc.eks.eu-central-1.amazonaws.com/id/ABC",
    kubernetesVersion: "1.31",
    authenticationMode: "API_AND_CONFIG_MAP",
    endpointPrivateAccess: true,
    region: "eu-central-1",
    ...overrides,
  };
}

/** The account, region and partition construct tests use. */
export const TEST_TARGET: AwsTarget = { accountId: "123456789012", region: "eu-central-1", partition: "aws" };
