/** clusters[]: each cluster's auth (defaults by backend, impossible pairs refused), and the rules that tell an environment's clusters apart. */
import type { EnvironmentInput } from "../../config/environment";
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

describe("clusters of one environment", () => {
  /** staging (blue: no id, managed; green: id "green", its own VPC) changed by `edit`. */
  const problems = (edit: (e: EnvironmentInput) => void) => configProblems(editedExample("staging", edit));
  const green = (e: EnvironmentInput) => e.clusters[1];

  it("are at least one", () => {
    expect(problems((e) => (e.clusters = []))).toEqual([
      "staging.clusters: is empty (expected at least one cluster: { name, collector, ... })",
    ]);
  });

  it("are each EKS cluster once, each with its own stack", () => {
    expect(problems((e) => (green(e).name = "staging-eks"))).toEqual([
      'staging.clusters[1].name: "staging-eks" is already clusters[0] (expected each EKS cluster once)',
    ]);
    expect(
      problems((e) => {
        green(e).id = undefined;
        e.clusters.push({ ...structuredClone(green(e)), name: "staging-eks-teal", id: "staging-eks" });
      }),
    ).toContain(
      'staging.clusters[2].id: "staging-eks" names clusters[0]\'s stack too (staging-cluster-staging-eks) (expected another id)',
    );
  });

  it("leave one cluster at most without an id: it keeps the environment's resource names", () => {
    expect(problems((e) => delete green(e).id)).toEqual([
      'staging.clusters[1].id: is required: clusters[0] has no id already, and the cluster without one keeps the environment\'s resource names (eksmon-staging-amp-ingest, ...), which two clusters cannot share (expected a short key, e.g. "green")',
    ]);
  });

  it("never name a stack <env>-cluster-monitoring, the workspace's", () => {
    expect(problems((e) => (green(e).id = "monitoring"))).toEqual([
      "staging.clusters[1].id: \"monitoring\" would name this cluster's stack staging-cluster-monitoring, the workspace's stack (expected another id)",
    ]);
  });

  it("name their own network only for another VPC, and agree on a VPC they share", () => {
    expect(
      problems((e) => {
        green(e).network = structuredClone(e.network);
      }),
    ).toEqual([
      "staging.clusters[1].network: is the environment's VPC vpc-0b2c3d4e5f6a78901 (expected no network on a cluster in the environment's VPC: it shares the environment's endpoint)",
    ]);
    expect(
      problems((e) => {
        e.clusters.push({
          ...structuredClone(green(e)),
          name: "staging-eks-teal",
          id: "teal",
          network: { ...structuredClone(green(e).network!), vpcCidrs: ["10.99.0.0/16"] },
        });
      }),
    ).toEqual([
      "staging.clusters[2].network: differs from clusters[1].network, in the same VPC vpc-0d4e5f6a7b8c90123 (expected the same settings: clusters sharing a VPC share its endpoint)",
    ]);
  });

  it("take the resources of 0.2's cluster-monitoring over once, on the cluster without an id, naming a managed scraper", () => {
    expect(
      problems((e) => {
        e.clusters[0].adopt = { clusterMonitoringStack: true };
        green(e).adopt = { clusterMonitoringStack: true };
      }),
    ).toEqual([
      "staging.clusters[1].adopt.clusterMonitoringStack: is true for staging-eks-green too, but <env>-cluster-monitoring held one cluster's resources (expected it on staging-eks only)",
      "staging.clusters[1].id: is set, but adopt.clusterMonitoringStack takes over resources named after the environment (eksmon-staging-amp-ingest, ...), which a cluster with an id would rename and so replace (expected no id on this cluster)",
      'staging.clusters[0].adopt.managedScraper: is required with adopt.clusterMonitoringStack and the managed collector: the scraper has no data source to be found by, so its id and role are given (expected { id: "s-...", roleArn: "arn:aws:iam::..." }, from: aws amp list-scrapers --region us-east-1 --filters alias=eksmon-staging-scraper --query \'scrapers[].{id:scraperId,roleArn:roleArn}\')',
    ]);
    expect(
      problems((e) => {
        e.clusters[0].adopt = {
          managedScraper: { id: "s-0123", roleArn: "arn:aws:iam::222222222222:role/scraper" },
        };
      }),
    ).toEqual([
      "staging.clusters[0].adopt.managedScraper: is only read with adopt.clusterMonitoringStack: true (expected both, or neither)",
    ]);
  });
});
