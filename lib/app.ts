import { App } from "cdktf";
import { ClusterMonitoringStack } from "../stacks/cluster-monitoring-stack";
import { GrafanaStack } from "../stacks/grafana-stack";
import { NetworkStack } from "../stacks/network-stack";
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

/**
 * Validates every environment, then synthesizes all their stacks into `outdir` (cdktf's default when
 * omitted). Throws ConfigError before any construct exists, so a bad config writes nothing.
 */
export function synthesizeApp(inputs: readonly EnvironmentInput[], outdir?: string): App {
  const configs = validateEnvironments(inputs);
  const app = new App(outdir ? { outdir } : {});
  for (const env of configs) addEnvironment(app, env);
  app.synth();
  return app;
}
