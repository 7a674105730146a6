/** backend: the state backend's defaults and fields, bad input naming the field and the expectation. */
import type { EnvironmentInput } from "../../config/environment";
import { validateEnvironments } from "../../config/validate";
import { configProblems, exampleEnv, exampleInput } from "../helpers";

/** Every problem validation reports for the inputs, one per line ("" when valid). */
const problemsOf = (inputs: EnvironmentInput[]) => configProblems(...inputs).join("\n");

function withBackend(name: string, backend: Record<string, unknown>): EnvironmentInput {
  const input = exampleInput(name);
  input.backend = { ...input.backend, ...backend } as EnvironmentInput["backend"];
  return input;
}

describe("backend defaults", () => {
  it("defaults the Terraform Cloud settings the bootstrap needs", () => {
    const env = exampleEnv("prod", (e) => {
      e.backend = { type: "cloud", organization: "acme" };
    });
    expect(env.backend).toMatchObject({
      project: "eksmon",
      terraformVersion: "1.11.4",
      executionMode: "remote",
      runRole: { policyArns: [] },
    });
  });

  it("defaults the state bucket's noncurrent-version expiry and keeps bootstrap state local", () => {
    expect(exampleEnv("dev").backend).toMatchObject({
      noncurrentVersionExpiryDays: 90,
      bootstrapStateInBucket: false,
    });
  });
});

describe("backend: bad input fails with the field and the expectation", () => {
  it.each([
    [
      "agent mode without a pool",
      () => withBackend("prod", { executionMode: "agent" }),
      `prod.backend.agentPoolId: is required when executionMode is "agent" (expected the agent pool id, apool-...)`,
    ],
    [
      "an agent pool in remote mode",
      () => withBackend("prod", { agentPoolId: "apool-ABCDEFGH12345678" }),
      `prod.backend.agentPoolId: is set but executionMode is "remote" (expected executionMode "agent", or no agentPoolId)`,
    ],
    [
      "an unknown execution mode",
      () => withBackend("prod", { executionMode: "local" }),
      `prod.backend.executionMode: "local" is not an execution mode (expected "remote" or "agent")`,
    ],
    [
      "a malformed agent pool id",
      () => withBackend("prod", { executionMode: "agent", agentPoolId: "pool-1" }),
      `prod.backend.agentPoolId: "pool-1" is not an agent pool id (expected apool- followed by 16 characters)`,
    ],
    [
      "a Terraform version range",
      () => withBackend("prod", { terraformVersion: "~> 1.11" }),
      `prod.backend.terraformVersion: "~> 1.11" is not a Terraform version (expected an exact version such as "1.11.4")`,
    ],
    [
      "a project name with a slash",
      () => withBackend("prod", { project: "eks/monitoring" }),
      `prod.backend.project: "eks/monitoring" is not a Terraform Cloud project name (expected letters, digits, spaces, _ and -)`,
    ],
    [
      "a run-role policy that is not an ARN",
      () => withBackend("prod", { runRole: { policyArns: ["AdministratorAccess"] } }),
      `prod.backend.runRole.policyArns[0]: "AdministratorAccess" is not an IAM policy ARN (expected arn:aws:iam::<account>:policy/<name>`,
    ],
    [
      "a run-role policy of another account",
      () => withBackend("prod", { runRole: { policyArns: ["arn:aws:iam::444444444444:policy/deployer"] } }),
      `prod.backend.runRole.policyArns[0]: belongs to account 444444444444 (expected a policy in the environment's account 333333333333, or an AWS managed policy)`,
    ],
    [
      "a run-role boundary in another partition",
      () =>
        withBackend("prod", {
          runRole: { permissionsBoundaryArn: "arn:aws-cn:iam::333333333333:policy/boundary" },
        }),
      `prod.backend.runRole.permissionsBoundaryArn: is in partition "aws-cn" (expected the environment's partition "aws")`,
    ],
    [
      "an unknown run-role field",
      () => withBackend("prod", { runRole: { policies: [] } }),
      `prod.backend.runRole: unknown field "policies"`,
    ],
    [
      "a zero-day noncurrent expiry",
      () => withBackend("dev", { noncurrentVersionExpiryDays: 0 }),
      "dev.backend.noncurrentVersionExpiryDays: 0 is too small (expected days to keep old state versions, 1-3650)",
    ],
  ])("%s", (_what, input, message) => {
    expect(problemsOf([input()])).toContain(message);
  });

  it("accepts AWS managed policies for the run role", () => {
    expect(() =>
      validateEnvironments([
        withBackend("prod", { runRole: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } }),
      ]),
    ).not.toThrow();
  });
});
