import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import type { EnvironmentConfig, EnvironmentInput } from "./config/environment";
import { ConfigError, validateEnvironments } from "./config/validate";
import { ruleViolations } from "./lib/aspects";
import { ProviderLockError, writeStackLocks } from "./lib/provider-lock";
import { moveInto, outdirOf } from "./lib/synth-output.cjs";
import { ClusterMonitoringStack } from "./stacks/cluster-monitoring-stack";
import { ClusterStack } from "./stacks/cluster-stack";
import { GithubAwsBootstrapStack } from "./stacks/github-aws-bootstrap-stack";
import { GrafanaConfigStack } from "./stacks/grafana-config-stack";
import { GrafanaStack } from "./stacks/grafana-stack";
import { GrafanaTokenStack } from "./stacks/grafana-token-stack";
import { NetworkStack } from "./stacks/network-stack";
import { ProjectStack } from "./stacks/project-stack";
import { StateBootstrapStack } from "./stacks/state-bootstrap-stack";
import { TfcAwsBootstrapStack } from "./stacks/tfc-aws-bootstrap-stack";
import { TfcBootstrapStack } from "./stacks/tfc-bootstrap-stack";

/** The stacks of one environment, in deploy order. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
  readonly clusterMonitoring: ClusterMonitoringStack;
  /** One per cluster, in the order of `clusters`. */
  readonly clusters: readonly ClusterStack[];
  readonly grafana: GrafanaStack;
  readonly grafanaToken: GrafanaTokenStack;
  readonly grafanaConfig: GrafanaConfigStack;
}

/** Adds an environment's stacks to the app; each reads the ones before it from remote state. */
export function addEnvironment(app: App, env: EnvironmentConfig): EnvironmentStacks {
  const network = new NetworkStack(app, env);
  const clusterMonitoring = new ClusterMonitoringStack(app, env);
  const clusters = env.clusters.map(
    (cluster) =>
      new ClusterStack(app, env, cluster, {
        upstream: { network, "cluster-monitoring": clusterMonitoring },
      }),
  );
  const grafana = new GrafanaStack(app, env, { upstream: { "cluster-monitoring": clusterMonitoring } });
  const grafanaToken = new GrafanaTokenStack(app, env, { upstream: { grafana } });
  const grafanaConfig = new GrafanaConfigStack(app, env, {
    upstream: { "cluster-monitoring": clusterMonitoring, grafana, "grafana-token": grafanaToken },
  });
  return { network, clusterMonitoring, clusters, grafana, grafanaToken, grafanaConfig };
}

/** The bootstrap stacks: applied once, before the environments that need them. */
export interface BootstrapStacks {
  /** S3 state bucket per account with S3-backed environments. */
  readonly state: StateBootstrapStack[];
  /** Terraform Cloud projects and workspaces per organization. */
  readonly tfc: TfcBootstrapStack[];
  /** Terraform Cloud workload identity (OIDC provider, run roles) per account. */
  readonly tfcAws: TfcAwsBootstrapStack[];
  /** GitHub Actions identities (OIDC provider, deploy and plan roles) per account. */
  readonly githubAws: GithubAwsBootstrapStack[];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}

/** Adds the bootstrap stacks the environments' backends need (none for local state). */
export function addBootstrap(app: App, envs: readonly EnvironmentConfig[]): BootstrapStacks {
  const s3 = envs.filter((e) => e.backend.type === "s3");
  const cloud = envs.filter((e) => e.backend.type === "cloud");
  return {
    state: groupBy(s3, (e) => e.accountId).map((g) => new StateBootstrapStack(app, g[0].accountId, g)),
    tfc: groupBy(cloud, (e) =>
      e.backend.type === "cloud" ? `${e.backend.hostname}/${e.backend.organization}` : "",
    ).map((g) => new TfcBootstrapStack(app, g)),
    tfcAws: groupBy(cloud, (e) => e.accountId).map((g) => new TfcAwsBootstrapStack(app, g[0].accountId, g)),
    githubAws: groupBy(
      envs.filter((e) => e.github),
      (e) => e.accountId,
    ).map((g) => new GithubAwsBootstrapStack(app, g[0].accountId, g)),
  };
}

/** A synth-time security rule failed (lib/aspects.ts): the message lists `[construct path] rule: ...` lines. */
export class RuleViolationError extends Error {
  constructor(readonly violations: string[]) {
    super(
      `Security rule violations (${violations.length}):\n${violations.map((v) => `  - ${v}`).join("\n")}`,
    );
    this.name = "RuleViolationError";
  }
}

/**
 * Whether `error` is one `synthesizeApp` reports to the user as its message alone (a configuration problem,
 * a security rule, a provider version the lock file lacks), as opposed to a bug, shown with its stack.
 */
export function isReportedError(error: unknown): error is Error {
  return (
    error instanceof ConfigError || error instanceof RuleViolationError || error instanceof ProviderLockError
  );
}

/**
 * Validates every environment, then synthesizes their stacks and the bootstrap stacks their backends need
 * into `outdir` (CDKTF_OUTDIR or cdktf.out when omitted). Throws ConfigError before any construct exists,
 * and RuleViolationError when a stack breaks a security rule. cdktf writes stack by stack, so the app
 * synthesizes into a scratch folder (`outdir/.synth-*`) and moves the result into `outdir` only once every
 * stack succeeded: whatever fails, `outdir` is left as it was (Terraform's own files in it, such as
 * .terraform/, are kept).
 * Each stack gets its dependency lock file from the project's (lib/provider-lock.ts); a provider version
 * that file does not record throws ProviderLockError.
 */
export function synthesizeApp(inputs: readonly EnvironmentInput[], outdir: string = outdirOf()): App {
  const configs = validateEnvironments(inputs);
  // The scratch folder lives in outdir: on its file system, so that every move is a rename, and not in a
  // crowded system temporary folder, where each file written cost this VM several times more. An outdir
  // this synth had to create is removed again when it fails.
  const createdOutdir = !existsSync(outdir);
  mkdirSync(outdir, { recursive: true });
  const scratch = mkdtempSync(join(outdir, ".synth-"));
  let succeeded = false;
  try {
    const app = new App({ outdir: scratch });
    for (const env of configs) addEnvironment(app, env);
    addBootstrap(app, configs);
    synthesizeOrReport(app);
    // The stacks are at hand: their providers need not be read back from the files just written.
    const stacks = new Map(
      app.node.children.filter((c) => c instanceof ProjectStack).map((s) => [s.node.id, s]),
    );
    writeStackLocks(scratch, (name) => stacks.get(name)!.synthesizedProviders());
    moveInto(scratch, outdir);
    succeeded = true;
    return app;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    if (!succeeded && createdOutdir) rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * `app.synth()`, turning rule violations into a RuleViolationError listing them: cdktf's own error on the
 * first stack with violations, or, when CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set (`cdktf synth` and
 * `npm run synth` set it), the violations of every stack once all are synthesized.
 */
export function synthesizeOrReport(app: App): void {
  try {
    app.synth();
  } catch (error) {
    const violations = ruleViolations(app);
    if (violations.length === 0) throw error;
    throw new RuleViolationError(violations);
  }
  // With that variable cdktf writes stacks despite error annotations: refuse them before they reach outdir.
  const violations = ruleViolations(app);
  if (violations.length > 0) throw new RuleViolationError(violations);
}
