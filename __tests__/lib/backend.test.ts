// require, not import: the spy must patch the module object cdktf calls through.
const childProcess = require("node:child_process") as typeof import("node:child_process");

import { Testing } from "cdktf";
import { addBootstrap, addEnvironment } from "../../app";
import { validateEnvironments } from "../../config/validate";
import { environments } from "../../environments";
import { compareVersions } from "../../lib/terraform";
import { configProblems, editedExample, exampleEnv, synthEnvironment } from "../helpers";

describe("state backends", () => {
  it("local: each stack's state sits at the project root and the next stack reads exactly that file", () => {
    const { json } = synthEnvironment(
      exampleEnv("dev", (e) => {
        e.backend = { type: "local" };
        delete e.github; // deploys and plans from a pipeline need S3 state
        e.amp.requireVpcEndpoint = true; // each cluster's stack reads its endpoint id from network
      }),
    );
    const networkPath = (json.network.terraform as any).backend.local.path;
    expect(networkPath).toBe("../../../terraform.dev-network.tfstate"); // relative to cdktf.out/stacks/<stack>
    expect((json.cluster.data!.terraform_remote_state as any)["network-state"]).toEqual({
      backend: "local",
      config: { path: networkPath },
    });
  });

  it("s3: a custom key prefix, state region and KMS key are used by the backend and by the readers", () => {
    const kms = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { json } = synthEnvironment(
      exampleEnv("dev", (e) => {
        e.backend = {
          type: "s3",
          bucket: "state-bucket",
          keyPrefix: "team/monitoring",
          region: "eu-west-1",
          kmsKeyArn: kms,
        };
      }),
    );
    expect((json.grafana.terraform as any).backend.s3).toEqual({
      bucket: "state-bucket",
      key: "team/monitoring/dev-grafana.tfstate",
      region: "eu-west-1",
      encrypt: true,
      kms_key_id: kms,
      use_lockfile: true,
    });
    expect((json.grafana.data!.terraform_remote_state as any)["cluster-monitoring-state"].config).toEqual({
      bucket: "state-bucket",
      key: "team/monitoring/dev-cluster-monitoring.tfstate",
      region: "eu-west-1",
    });
  });
});

describe("the Terraform Cloud backend", () => {
  it("synthesizes without running `terraform version` (no Terraform needed, no subprocess per stack)", () => {
    const { stacks } = synthEnvironment(exampleEnv("prod"));
    const backend = stacks.grafana.node.findAll().find((c) => c.node.id === "backend")!;
    const execSync = jest.spyOn(childProcess, "execSync");
    try {
      expect(backend.node.validate()).toEqual([]);
      expect(execSync).not.toHaveBeenCalled(); // cdktf's own CloudBackend runs `terraform version` here
    } finally {
      execSync.mockRestore();
    }
  });
});

describe("the Terraform every stack needs", () => {
  /** Every stack of the example app, with the state bootstrap's own state in the bucket too (S3 locking). */
  function synthesizedApp() {
    const configs = validateEnvironments(
      environments.map((e) =>
        e.backend.type === "s3" ? { ...e, backend: { ...e.backend, bootstrapStateInBucket: true } } : e,
      ),
    );
    const app = Testing.app();
    const stacks = [
      ...configs.flatMap((env) => Object.values(addEnvironment(app, env)).flat()),
      ...Object.values(addBootstrap(app, configs)).flat(),
    ];
    return stacks.map((stack) => ({ name: stack.node.id, json: JSON.parse(Testing.synth(stack)) }));
  }

  it("every stack with S3-native locking (use_lockfile) refuses Terraform older than 1.10 at init", () => {
    const stacks = synthesizedApp();
    const locking = stacks.filter((s) => s.json.terraform?.backend?.s3?.use_lockfile === true);
    // environment stacks of dev and staging, and both accounts' state bootstraps
    expect(locking.map((s) => s.name)).toEqual(
      expect.arrayContaining(["dev-network", "staging-grafana-config", "bootstrap-state-111111111111"]),
    );
    for (const { name, json } of locking) {
      const floor = /^>= (\d+\.\d+\.\d+)$/.exec(json.terraform.required_version ?? "")?.[1];
      expect({ name, floor: floor && compareVersions(floor, "1.10.0") >= 0 }).toEqual({ name, floor: true });
    }
  });

  it("Terraform Cloud workspaces may not pin a Terraform older than 1.10, whatever the token method", () => {
    const pinned = (version: string) =>
      editedExample("prod", (e) => {
        e.clusters[0].auth = { method: "exec" };
        if (e.backend.type === "cloud")
          Object.assign(e.backend, {
            terraformVersion: version,
            executionMode: "agent",
            agentPoolId: "apool-0123456789abcdef",
          });
      });
    expect(configProblems(pinned("1.9.8"))).toEqual([
      'prod.backend.terraformVersion: "1.9.8" is older than 1.10.0, the oldest Terraform this project supports (README "Prerequisites"; the ephemeral cluster token needs it) (expected 1.10.0 or later, e.g. "1.11.4")',
    ]);
    expect(configProblems(pinned("1.10.0"))).toEqual([]);
  });
});
