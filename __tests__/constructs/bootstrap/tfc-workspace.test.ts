/**
 * TfcWorkspace: a CLI-driven HCP Terraform workspace with a pinned Terraform version, no automatic applies,
 * state shared only with the named consumers, and AWS credentials from workload identity (no keys).
 */
import { TerraformStack, Testing } from "cdktf";
import { TfcWorkspace, type TfcWorkspaceProps } from "../../../constructs/bootstrap/tfc-workspace";
import { onlyResource, resourcesOf, type StackJson } from "../../helpers";

const RUN_ROLE = "arn:aws:iam::123456789012:role/eksmon-prod-tfc-run";
const PLAN_ROLE = "arn:aws:iam::123456789012:role/eksmon-prod-tfc-plan";
const base: TfcWorkspaceProps = {
  name: "eksmon-prod-network",
  organization: "acme",
  projectId: "prj-abc",
  description: "eksmon prod network",
  terraformVersion: "1.11.4",
  executionMode: "remote",
  allowDestroyPlan: false,
  remoteStateConsumerIds: ["ws-consumer1"],
  awsApplyRoleArn: RUN_ROLE,
  awsPlanRoleArn: PLAN_ROLE,
};

function build(props: Partial<TfcWorkspaceProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  new TfcWorkspace(stack, "ws", { ...base, ...props });
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

describe("TfcWorkspace", () => {
  const json = build();

  it("pins the Terraform version, never applies on its own, and refuses destroy plans when told", () => {
    expect(onlyResource(json, "tfe_workspace")).toMatchObject({
      name: "eksmon-prod-network",
      organization: "acme",
      project_id: "prj-abc",
      terraform_version: "1.11.4",
      allow_destroy_plan: false,
      auto_apply: false,
      queue_all_runs: false,
    });
    expect(onlyResource(build({ allowDestroyPlan: true }), "tfe_workspace").allow_destroy_plan).toBe(true);
  });

  it("shares its state with the named consumers only", () => {
    expect(onlyResource(json, "tfe_workspace_settings")).toMatchObject({
      execution_mode: "remote",
      global_remote_state: false,
      remote_state_consumer_ids: ["ws-consumer1"],
    });
  });

  it("runs on the agent pool only in agent mode", () => {
    expect(onlyResource(json, "tfe_workspace_settings")).not.toHaveProperty("agent_pool_id");
    expect(onlyResource(build({ agentPoolId: "apool-1" }), "tfe_workspace_settings")).not.toHaveProperty(
      "agent_pool_id",
    );
    expect(
      onlyResource(build({ executionMode: "agent", agentPoolId: "apool-1" }), "tfe_workspace_settings"),
    ).toMatchObject({ execution_mode: "agent", agent_pool_id: "apool-1" });
  });

  it("gets AWS credentials from workload identity, a role per run phase: environment variables, no keys", () => {
    const variables = Object.values(resourcesOf(json, "tfe_variable"));
    expect(variables.map((v) => [v.category, v.key, v.value]).sort()).toEqual([
      ["env", "TFC_AWS_APPLY_ROLE_ARN", RUN_ROLE],
      ["env", "TFC_AWS_PLAN_ROLE_ARN", PLAN_ROLE],
      ["env", "TFC_AWS_PROVIDER_AUTH", "true"],
    ]);
    // No run role for both phases: a plan (the configuration of whoever queued it) never holds the apply role.
    expect(variables.map((v) => v.key)).not.toContain("TFC_AWS_RUN_ROLE_ARN");
    expect(JSON.stringify(variables)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
  });
});
