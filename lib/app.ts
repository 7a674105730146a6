import type { App } from "cdktf";
import { ClusterMonitoringStack } from "../stacks/cluster-monitoring-stack";
import { GrafanaConfigStack } from "../stacks/grafana-config-stack";
import { GrafanaStack } from "../stacks/grafana-stack";
import { NetworkStack } from "../stacks/network-stack";
import type { EnvironmentConfig } from "./config/schema";

/** The stacks of one environment, in deploy order. */
export interface EnvironmentStacks {
  readonly network: NetworkStack;
  readonly clusterMonitoring: ClusterMonitoringStack;
  readonly grafana: GrafanaStack;
  readonly grafanaConfig: GrafanaConfigStack;
}

/** Adds an environment's stacks to the app; each reads the one before it from remote state. */
export function addEnvironment(app: App, env: EnvironmentConfig): EnvironmentStacks {
  const network = new NetworkStack(app, env);
  const clusterMonitoring = new ClusterMonitoringStack(app, env, network);
  const grafana = new GrafanaStack(app, env, clusterMonitoring);
  const grafanaConfig = new GrafanaConfigStack(app, env, clusterMonitoring, grafana);
  return { network, clusterMonitoring, grafana, grafanaConfig };
}
