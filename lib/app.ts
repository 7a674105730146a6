import { App } from "cdktf";
import { ClusterMonitoringStack } from "../stacks/cluster-monitoring-stack";
import { GrafanaStack } from "../stacks/grafana-stack";
import { NetworkStack } from "../stacks/network-stack";
import { ruleViolations } from "./aspects";
import type { EnvironmentConfig, EnvironmentInput } from "./config/schema";
import { validateEnvironments } from "./config/validate";

/** The stacks of one environment, in deploy order. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
  readonly clusterMonitoring: ClusterMonitoringStack;
  readonly grafana: GrafanaStack;
}

/** Adds an environment's stacks to the app; each reads the one before it from remote state. */
export function addEnvironment(app: App, env: EnvironmentConfig): EnvironmentStacks {
  const network = new NetworkStack(app, env);
  const clusterMonitoring = new ClusterMonitoringStack(app, env, network);
  const grafana = new GrafanaStack(app, env, clusterMonitoring);
  return { network, clusterMonitoring, grafana };
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
 * Validates every environment, then synthesizes all their stacks into `outdir` (cdktf's default when
 * omitted). Throws ConfigError before any construct exists, so a bad config writes nothing; throws
 * RuleViolationError when a stack breaks a security rule (cdktf stops at the first such stack).
 */
export function synthesizeApp(inputs: readonly EnvironmentInput[], outdir?: string): App {
  const configs = validateEnvironments(inputs);
  const app = new App(outdir ? { outdir } : {});
  for (const env of configs) addEnvironment(app, env);
  synthesizeOrReport(app);
  return app;
}

/** `app.synth()`, turning cdktf's error on rule violations into a RuleViolationError listing them. */
export function synthesizeOrReport(app: App): void {
  try {
    app.synth();
  } catch (error) {
    const violations = ruleViolations(app);
    if (violations.length === 0) throw error;
    throw new RuleViolationError(violations);
  }
}
