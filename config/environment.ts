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

/** Defaults that depend on other fields: the S3 key prefix and region, the token method, the collector's dashboards. */
function resolveDefaults({ prometheus: _p, managedCollector: _m, ...env }: EnvironmentShape) {
  const backend =
    env.backend.type === "s3"
      ? {
          ...env.backend,
          region: env.backend.region ?? env.region,
          keyPrefix: env.backend.keyPrefix ?? `${PROJECT}/${env.name}`,
        }
      : env.backend;
  const dashboards = env.grafana.dashboards ?? dashboardsFor(env.collector.type);
  const method = env.cluster.auth.method ?? defaultAuthMethod(env.backend);
  const auth: KubernetesAuth =
    method === "exec"
      ? { method, ...(env.cluster.auth.roleArn ? { roleArn: env.cluster.auth.roleArn } : {}) }
      : { method };
  return { ...env, backend, cluster: { ...env.cluster, auth }, grafana: { ...env.grafana, dashboards } };
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
export type CollectorConfig = EnvironmentConfig["collector"];
export type PrometheusCollectorConfig = Extract<CollectorConfig, { type: "prometheus" }>;
export type ManagedCollectorConfig = Extract<CollectorConfig, { type: "managed" }>;
export type MetricsConfig = EnvironmentConfig["metrics"];
export type SizingConfig = EnvironmentConfig["sizing"];

/** Type helper for environment files: `export const dev = defineEnvironment({ ... })`. */
export function defineEnvironment(env: EnvironmentInput): EnvironmentInput {
  return env;
}
