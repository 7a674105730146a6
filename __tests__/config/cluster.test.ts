/** cluster.auth: how the Kubernetes and Helm providers get a token, defaults by backend, impossible pairs refused. */
import { configProblems, editedExample, exampleEnv } from "../helpers";

describe("cluster.auth defaults", () => {
  it("is exec where Terraform runs with the aws CLI (S3 and local state: CI, laptops)", () => {
    expect(exampleEnv("dev").clusters[0].auth).toEqual({ method: "exec" });
    const local = exampleEnv("dev", (e) => {
      e.backend = { type: "local" };
      delete e.github; // deploys and plans from a pipeline need S3 state
    });
    expect(local.clusters[0].auth).toEqual({
      method: "exec",
    });
  });

  it("is ephemeral on Terraform Cloud, whose runners have no aws CLI", () => {
    expect(exampleEnv("prod").clusters[0].auth).toEqual({ method: "ephemeral" });
  });

  it("keeps an explicit choice, and the exec role", () => {
    const role = "arn:aws:iam::111111111111:role/path/eks-deployer";
    expect(
      exampleEnv("prod", (e) => {
        e.clusters[0].auth = { method: "exec", roleArn: role };
        if (e.backend.type === "cloud")
          e.backend = { ...e.backend, executionMode: "agent", agentPoolId: "apool-ABCDEFGH12345678" };
      }).clusters[0].auth,
    ).toEqual({ method: "exec", roleArn: role });
  });
});

describe("cluster.auth refuses combinations that cannot work", () => {
  it("exec on Terraform Cloud's remote runners (no aws CLI there)", () => {
    expect(configProblems(editedExample("prod", (e) => (e.clusters[0].auth = { method: "exec" })))).toEqual([
      'prod.clusters[0].auth.method: "exec" runs the aws CLI, which Terraform Cloud\'s remote runners do not have (expected "ephemeral", or backend.executionMode "agent" with the aws CLI on the agents)',
    ]);
  });

  it("ephemeral with a pinned Terraform older than 1.10 (explicit or by default)", () => {
    const old = (explicit: boolean) =>
      editedExample("prod", (e) => {
        if (explicit) e.clusters[0].auth = { method: "ephemeral" };
        if (e.backend.type === "cloud") e.backend.terraformVersion = "1.9.8";
      });
    for (const input of [old(true), old(false)])
      expect(configProblems(input)).toEqual([
        'prod.backend.terraformVersion: "1.9.8" is older than 1.10.0, the oldest Terraform this project supports (README "Prerequisites"; the ephemeral cluster token needs it) (expected 1.10.0 or later, e.g. "1.11.4")',
      ]);
  });

  it("a role for the ephemeral token, which uses the AWS provider's credentials; a session ARN; another partition", () => {
    expect(
      configProblems(
        editedExample(
          "prod",
          (e) => (e.clusters[0].auth = { roleArn: "arn:aws:iam::333333333333:role/eks" }),
        ),
        editedExample("dev", (e) => {
          e.clusters[0].auth = { roleArn: "arn:aws:sts::111111111111:assumed-role/eks/session" };
        }),
        editedExample("staging", (e) => {
          e.clusters[0].auth = { roleArn: "arn:aws-cn:iam::222222222222:role/eks" };
        }),
      ),
    ).toEqual([
      'prod.clusters[0].auth.roleArn: is set, but auth.method is "ephemeral", whose token is made with the AWS provider\'s own credentials (expected method "exec", or no roleArn)',
      'dev.clusters[0].auth.roleArn: "arn:aws:sts::111111111111:assumed-role/eks/session" is not an IAM role ARN (expected arn:aws:iam::<account>:role/<name> (the role, not an assumed-role session ARN))',
      'staging.clusters[0].auth.roleArn: is in partition "aws-cn" (expected the environment\'s partition "aws")',
    ]);
  });

  it("an unknown method", () => {
    expect(
      configProblems(editedExample("dev", (e) => (e.clusters[0].auth = { method: "token" as "exec" }))),
    ).toEqual([
      'dev.clusters[0].auth.method: "token" is not a token method (expected "exec" or "ephemeral")',
    ]);
  });
});
