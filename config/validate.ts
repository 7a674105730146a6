/**
 * Validates every environment before any construct is created, so a bad config never writes `cdktf.out`.
 * Each problem is reported as `<env>.<field>: <what is wrong> (expected ...)`. The fields and the rules within
 * a section live in the section's file (config/<section>.ts); the rules across sections and across
 * environments are in rules.ts.
 */
import type * as z from "zod";
import { type EnvironmentConfig, type EnvironmentInput, environmentSchema } from "./environment";
import { crossEnvironmentProblems } from "./rules";

/** Thrown with every problem found, one per line; `main.ts` prints it without a stack trace. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid environment configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "ConfigError";
  }
}

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

  problems.push(...crossEnvironmentProblems(configs));
  if (inputs.length === 0)
    problems.push("environments: none defined (expected at least one environment in environments/index.ts)");
  if (problems.length) throw new ConfigError(problems);
  return configs;
}
