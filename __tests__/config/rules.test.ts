/** The rules across environments (config/rules.ts): what must be unique, and what one account holds once. */
import type { EnvironmentInput } from "../../config/environment";
import { configProblems, exampleInput } from "../helpers";

const problemsOf = configProblems;

function devWith(edit: (env: Record<string, any>) => void): EnvironmentInput {
  const env = exampleInput("dev") as Record<string, any>;
  edit(env);
  return env as EnvironmentInput;
}

function withBackend(name: string, backend: Record<string, unknown>): EnvironmentInput {
  const input = exampleInput(name);
  input.backend = { ...input.backend, ...backend } as EnvironmentInput["backend"];
  return input;
}

describe("rules across environments", () => {
  it("reject two environments with the same name", () => {
    expect(
      problemsOf(
        exampleInput("dev"),
        devWith((e) => (e.backend.keyPrefix = "other")),
      ).join("\n"),
    ).toMatch(/dev\.name: "dev" is already used by environment "dev"/);
  });

  it("reject two environments sharing a state key", () => {
    const qa = devWith((e) => {
      e.name = "qa";
      e.backend.keyPrefix = "eksmon/dev";
    });
    expect(problemsOf(exampleInput("dev"), qa)).toContain(
      'qa.backend.keyPrefix: state key prefix s3://example-dev-terraform-state/eksmon/dev is already used by environment "dev" (expected a unique value per environment)',
    );
  });

  it("rejects two state buckets in one account (one bootstrap bucket per account)", () => {
    const other = { ...exampleInput("staging"), accountId: "111111111111", github: undefined };
    expect(problemsOf(exampleInput("dev"), other).join("\n")).toContain(
      `staging.backend.bucket: "example-staging-terraform-state" differs from environment "dev" in the same account 111111111111 (expected "example-dev-terraform-state": one state bucket per account`,
    );
  });

  it("rejects two OIDC provider choices in one account", () => {
    const staging = exampleInput("staging");
    const sameAccount = {
      ...staging,
      accountId: "111111111111",
      backend: { type: "s3" as const, bucket: "example-dev-terraform-state", keyPrefix: "eksmon/staging" },
      github: { repository: "example-org/eksmon", oidcProvider: "lookup" as const },
    };
    expect(problemsOf(exampleInput("dev"), sameAccount).join("\n")).toContain(
      'staging.github.oidcProvider: "lookup" differs from environment "dev" in the same account 111111111111 (expected "create": one GitHub OIDC provider per account, made or looked up by its bootstrap stack)',
    );
  });

  it("rejects two environments claiming the same run role in one account", () => {
    const a = withBackend("prod", { runRole: { name: "tfc-run" } });
    const b = {
      ...withBackend("prod", { runRole: { name: "tfc-run" }, workspacePrefix: "other" }),
      name: "prod2",
    };
    expect(problemsOf(a, b).join("\n")).toContain(
      `prod2.backend.runRole.name: run role tfc-run in account 333333333333 is already used by environment "prod" (expected a unique value per environment)`,
    );
  });
});
