/**
 * Validates every environment before any construct is created, so a bad config never writes `cdktf.out`.
 * Each problem is reported as `<env>.<field>: <what is wrong> (expected ...)`. The rules of one environment
 * live in its schema (schema.ts); the rules across environments (unique names, state keys, run roles, one
 * state bucket per account) are here.
 */
import type * as z from "zod";
import { tfcRunRoleName } from "../naming";
import { type EnvironmentConfig, type EnvironmentInput, environmentSchema } from "./schema";

/** Thrown with every problem found, one per line; `main.ts` prints it without a stack trace. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid environment configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

/** Settings of the S3 state bucket: environments sharing an account share the bucket, so they must agree. */
const STATE_BUCKET_FIELDS = [
  "bucket",
  "region",
  "kmsKeyArn",
  "noncurrentVersionExpiryDays",
  "bootstrapStateInBucket",
] as const;

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    "",
  );
}

/** Generic messages for issues the schema does not word itself (missing fields, unknown fields, wrong types). */
const errorMap: z.core.$ZodErrorMap = (iss) => {
  if (iss.code === "unrecognized_keys") {
    return `unknown field${iss.keys.length > 1 ? "s" : ""} ${iss.keys.map((k) => `"${k}"`).join(", ")} (expected only the fields documented in docs/configuration.md)`;
  }
  if (iss.code === "invalid_type") {
    return iss.input === undefined
      ? `is required (expected ${iss.expected})`
      : `must be ${iss.expected === "object" ? "an object" : `a ${iss.expected}`} (got ${typeof iss.input})`;
  }
  if (iss.code === "invalid_union" && iss.input === undefined) return "is required";
  // z.record reports a bad key as "invalid_key" and keeps the key's own message in its issues.
  if (iss.code === "invalid_key") return iss.issues[0]?.message;
  return undefined;
};

/**
 * Validates all environments and resolves their defaults.
 * @throws ConfigError listing every problem, in every environment, at once.
 */
export function validateEnvironments(inputs: readonly EnvironmentInput[]): EnvironmentConfig[] {
  const problems: string[] = [];
  const configs: EnvironmentConfig[] = [];
  inputs.forEach((input, index) => {
    const label =
      input && typeof input === "object" && typeof input.name === "string" && input.name
        ? input.name
        : `environments[${index}]`;
    const parsed = environmentSchema.safeParse(input, { error: errorMap });
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push(`${label}.${fieldPath(issue.path) || "(root)"}: ${issue.message}`);
      return;
    }
    configs.push(parsed.data);
  });

  // Rules across environments.
  const seen = new Map<string, EnvironmentConfig>();
  for (const env of configs) {
    const claim = (key: string, field: string, what: string) => {
      const other = seen.get(key);
      if (other && other !== env)
        problems.push(
          `${env.name}.${field}: ${what} is already used by environment "${other.name}" (expected a unique value per environment)`,
        );
      else seen.set(key, env);
    };
    claim(`name:${env.name}`, "name", `"${env.name}"`);
    if (env.backend.type === "s3") {
      claim(
        `s3:${env.backend.bucket}/${env.backend.keyPrefix}`,
        "backend.keyPrefix",
        `state key prefix s3://${env.backend.bucket}/${env.backend.keyPrefix}`,
      );
    }
    if (env.backend.type === "cloud") {
      const roleName = tfcRunRoleName(env.name, env.backend.runRole.name);
      claim(
        `role:${env.accountId}:${roleName}`,
        "backend.runRole.name",
        `run role ${roleName} in account ${env.accountId}`,
      );
    }
  }
  // One GitHub Actions OIDC provider per account: the environments of an account agree on whether to create it.
  const githubByAccount = new Map<string, EnvironmentConfig>();
  for (const env of configs) {
    if (!env.github) continue;
    const first = githubByAccount.get(env.accountId);
    if (!first?.github) {
      githubByAccount.set(env.accountId, env);
      continue;
    }
    if (first.github.oidcProvider !== env.github.oidcProvider)
      problems.push(
        `${env.name}.github.oidcProvider: "${env.github.oidcProvider}" differs from environment "${first.name}" in the same account ${env.accountId} (expected "${first.github.oidcProvider}": one GitHub OIDC provider per account, made or looked up by its bootstrap stack)`,
      );
  }
  // One state bucket per account: the state bootstrap stack of an account creates exactly one bucket.
  const stateByAccount = new Map<string, EnvironmentConfig>();
  for (const env of configs) {
    if (env.backend.type !== "s3") continue;
    const first = stateByAccount.get(env.accountId);
    if (first?.backend.type !== "s3") {
      stateByAccount.set(env.accountId, env);
      continue;
    }
    for (const field of STATE_BUCKET_FIELDS) {
      const mine = env.backend[field];
      const theirs = first.backend[field];
      if (mine !== theirs)
        problems.push(
          `${env.name}.backend.${field}: ${JSON.stringify(mine) ?? "unset"} differs from environment "${first.name}" in the same account ${env.accountId} (expected ${JSON.stringify(theirs) ?? "unset"}: one state bucket per account, created by its bootstrap stack)`,
        );
    }
  }
  if (inputs.length === 0)
    problems.push("environments: none defined (expected at least one environment in environments/index.ts)");
  if (problems.length) throw new ConfigError(problems);
  return configs;
}
