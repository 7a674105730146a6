import { adoptionFlags } from "../../../config/adoption";
import {
  adoptionFailureHint,
  classifyPlanFailure,
  countsFromPlanText,
  errorBlocks,
  summarizePlan,
  summaryLine,
} from "../../../scripts/lib/plan";
import { exampleEnv } from "../../helpers";

const change = (actions: string[], mode = "managed") => ({ mode, change: { actions } });

describe("summarizePlan (terraform show -json)", () => {
  it("counts creates, updates and deletes; a replacement is one add and one destroy", () => {
    const show = {
      resource_changes: [
        change(["create"]),
        change(["create"]),
        change(["update"]),
        change(["delete"]),
        change(["delete", "create"]),
        change(["create", "delete"]),
        change(["no-op"]),
        change(["read"], "data"),
      ],
    };
    expect(summarizePlan(show)).toEqual({ add: 4, change: 1, destroy: 3 });
  });

  it("reads an empty plan as no changes", () => {
    expect(summarizePlan({})).toEqual({ add: 0, change: 0, destroy: 0 });
  });
});

describe("summaryLine", () => {
  it("prints <stack>: +A ~C -D, or why there is no count", () => {
    expect(
      summaryLine({
        stack: "dev-network",
        status: "changes",
        counts: { add: 3, change: 1, destroy: 0 },
        output: "",
      }),
    ).toBe("dev-network: +3 ~1 -0");
    expect(
      summaryLine({
        stack: "dev-grafana",
        status: "upstream-missing",
        upstream: ["dev-cluster-monitoring"],
        output: "",
      }),
    ).toBe("dev-grafana: upstream not applied yet (dev-cluster-monitoring)");
    expect(summaryLine({ stack: "dev-grafana", status: "error", output: "" })).toBe("dev-grafana: error");
  });
});

// Verbatim Terraform 1.11 output (-no-color) for a local/S3 upstream with no state, and one with no such output.
const NO_STATE = `
Planning failed. Terraform encountered an error while generating this plan.

Error: Unable to find remote state

  with data.terraform_remote_state.network-state,
  on cdk.tf.json line 2, in data.terraform_remote_state.network-state.config:
   2:   "data": {"terraform_remote_state": {"network-state": {"backend": "local"}}},

No stored state was found for the given workspace in the given backend.
`;

const NO_OUTPUT = `
Error: Unsupported attribute

  on cdk.tf.json line 3, in output.x:
   3:   "output": {"x": {"value": "\${data.terraform_remote_state.cluster-monitoring-state.outputs.amp_workspace_arn}"}}
    ├────────────────
    │ data.terraform_remote_state.cluster-monitoring-state.outputs is object with no attributes

This object does not have an attribute named "amp_workspace_arn".
`;

const ACCESS_DENIED = `
Error: reading EC2 VPC (vpc-0a1b2c3d4e5f67890): operation error EC2: DescribeVpcs, https response error StatusCode: 403, api error UnauthorizedOperation
`;

describe("classifyPlanFailure", () => {
  it("reads a missing upstream state as 'upstream not applied yet', naming the upstream", () => {
    expect(classifyPlanFailure(NO_STATE)).toEqual({ status: "upstream-missing", upstream: ["network"] });
  });

  it("reads a missing upstream output (state exists, new output not applied) the same way", () => {
    expect(classifyPlanFailure(NO_OUTPUT)).toEqual({
      status: "upstream-missing",
      upstream: ["cluster-monitoring"],
    });
  });

  it("reads the same errors inside the boxes Terraform draws with color on", () => {
    const boxed = NO_STATE.split("\n")
      .map((l) => `│ ${l}`)
      .join("\n");
    expect(classifyPlanFailure(`╷\n${boxed}\n╵`).status).toBe("upstream-missing");
  });

  it("is an error when any other error comes with the missing state", () => {
    expect(classifyPlanFailure(`${NO_STATE}\n${ACCESS_DENIED}`)).toEqual({ status: "error", upstream: [] });
  });

  it("is an error for an unsupported attribute that is not about remote state", () => {
    const typo = `Error: Unsupported attribute\n\n  on cdk.tf.json line 9:\n    │ aws_vpc.main is object with 12 attributes\n\nThis object does not have an attribute named "idd".`;
    expect(classifyPlanFailure(typo).status).toBe("error");
  });

  it("is an error when the output has no Terraform error at all (crash, killed)", () => {
    expect(classifyPlanFailure("panic: runtime error")).toEqual({ status: "error", upstream: [] });
  });

  it("splits errors and ignores warnings after them", () => {
    expect(errorBlocks(`Warning: x\n\nError: a\n\nWarning: deprecated\nError: b`)).toEqual([
      "Error: a",
      "Error: b",
    ]);
  });
});

describe("countsFromPlanText (Terraform Cloud speculative plans)", () => {
  it("reads Terraform's plan line, with or without imports", () => {
    expect(countsFromPlanText("...\nPlan: 2 to add, 1 to change, 0 to destroy.\n")).toEqual({
      add: 2,
      change: 1,
      destroy: 0,
    });
    expect(countsFromPlanText("Plan: 1 to import, 0 to add, 0 to change, 3 to destroy.")).toEqual({
      add: 0,
      change: 0,
      destroy: 3,
    });
  });

  it("reads 'No changes.' as zero and anything else as unknown", () => {
    expect(countsFromPlanText("No changes. Your infrastructure matches the configuration.")).toEqual({
      add: 0,
      change: 0,
      destroy: 0,
    });
    expect(countsFromPlanText("Run canceled")).toBeUndefined();
  });
});

describe("adoptionFailureHint", () => {
  const flags = adoptionFlags(exampleEnv("dev"));
  // What Terraform 1.11 prints when an import block names an object that is gone.
  const failed = `Error: Cannot import non-existent remote object

While attempting to import an existing object to "helm_release.prometheus_release_1BA974E1", the provider
detected that no object exists with the given id. Only pre-existing objects can be imported; check that the
id is correct and that it is associated with the provider's configured region or endpoint, or use
"terraform apply" to create a new remote object for this resource.`;

  it("names the adoption field behind a failed import, and what to do", () => {
    expect(adoptionFailureHint(failed, "dev", flags)).toBe(
      'dev: an adoption field names something that does not exist (any more): clusters[0].collector.adopt.release (the Helm release prometheus/prometheus of dev-eks). Adoption imports once, at the first apply; after a destroy, or in a new environment copied from another, remove the field from environments/dev.ts (ebsCsi.driver back to "addon").',
    );
  });

  it("says nothing for other failures, or without adoption fields", () => {
    expect(adoptionFailureHint("Error: Unauthorized", "dev", flags)).toBeUndefined();
    expect(adoptionFailureHint(failed, "prod", [])).toBeUndefined();
  });
});
