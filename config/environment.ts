/**
 * One environment, validated at synth time: the shape (shape.ts, one file per section), the rules across its
 * sections (rules.ts), and the defaults that depend on other fields. What environment files write
 * (`EnvironmentInput`) and what stacks receive (`EnvironmentConfig`).
 */
import type * as z from "zod";
import { dashboardsFor } from "../lib/catalogue";
import { PROJECT } from "../lib/naming";
import { defaultAuthMethod, type KubernetesAuth } from "./cluster";
import { ENVIRONMENT_RULES } from "./rules";
import { type EnvironmentShape, environmentShape } from "./shape";

/**
 * Defaults that depend on other fields: the S3 key prefix and region, each cluster's token method, stack key
 * and network (the environment's unless its own), the dashboards of the environment's collectors.
 */
function resolveDefaults({
  prometheus: _p,
  managedCollector: _m,
  cluster: _c,
  collector: _co,
  ebsCsi: _e,
  ...env
}: EnvironmentShape) {
  const backend =
    env.backend.type === "s3"
      ? {
          ...env.backend,
          region: env.backend.region ?? env.region,
          keyPrefix: env.backend.keyPrefix ?? `${PROJECT}/${env.name}`,
        }
      : env.backend;
  const dashboards =
    env.grafana.dashboards ?? dashboardsFor([...new Set(env.clusters.map((c) => c.collector.type))]);
  const clusters = env.clusters.map((cluster) => {
    const method = cluster.auth.method ?? defaultAuthMethod(env.backend);
    const auth: KubernetesAuth =
      method === "exec"
        ? { method, ...(cluster.auth.roleArn ? { roleArn: cluster.auth.roleArn } : {}) }
        : { method };
    return {
      ...cluster,
      auth,
      /** Its stack's key: `<env>-cluster-<key>`. */
      key: cluster.id ?? cluster.name,
      network: cluster.network ?? env.network,
    };
  });
  return { ...env, backend, clusters, grafana: { ...env.grafana, dashboards } };
}

export const environmentSchema = environmentShape
  .superRefine((env, ctx) => {
    for (const rule of ENVIRONMENT_RULES) rule(env, ctx);
  })
  .transform(resolveDefaults);

/** What an environment file writes (defaults may be omitted). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** A validated environment with every default resolved: what stacks receive. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type BackendConfig = EnvironmentConfig["backend"];
export type S3BackendConfig = Extract<BackendConfig, { type: "s3" }>;
export type CloudBackendConfig = Extract<BackendConfig, { type: "cloud" }>;
/** One cluster of an environment, defaults resolved (its network is the environment's unless its own). */
export type ClusterConfig = EnvironmentConfig["clusters"][number];
export type CollectorConfig = ClusterConfig["collector"];
export type PrometheusCollectorConfig = Extract<CollectorConfig, { type: "prometheus" }>;
export type ManagedCollectorConfig = Extract<CollectorConfig, { type: "managed" }>;
export type MetricsConfig = EnvironmentConfig["metrics"];
export type SizingConfig = EnvironmentConfig["sizing"];
export type ClusterSizingConfig = ClusterConfig["sizing"];
export type NetworkConfig = ClusterConfig["network"];

/** Type helper for environment files: `export const dev = defineEnvironment({ ... })`. */
export function defineEnvironment(env: EnvironmentInput): EnvironmentInput {
  return env;
}
