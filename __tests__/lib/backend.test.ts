// require, not import: the spy must patch the module object cdktf calls through.
const childProcess = require("node:child_process") as typeof import("node:child_process");

import { exampleEnv, synthEnvironment } from "../helpers";

describe("state backends", () => {
  it("local: each stack's state sits at the project root and the next stack reads exactly that file", () => {
    const { json } = synthEnvironment(
      exampleEnv("dev", (e) => {
        e.backend = { type: "local" };
        delete e.github; // deploys and plans from a pipeline need S3 state
        e.amp.requireVpcEndpoint = true; // cluster-monitoring reads the endpoint id from network
      }),
    );
    const networkPath = (json.network.terraform as any).backend.local.path;
    expect(networkPath).toBe("../../../terraform.dev-network.tfstate"); // relative to cdktf.out/stacks/<stack>
    expect((json["cluster-monitoring"].data!.terraform_remote_state as any)["network-state"]).toEqual({
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
