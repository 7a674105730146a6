import { TerraformStack, Testing } from "cdktf";
import { GrafanaServiceAccount } from "../../../constructs/grafana/service-account";

const props = {
  workspace: { workspaceId: "g-1", url: "https://g-1.grafana-workspace.us-east-1.amazonaws.com" },
  name: "terraform",
  grafanaRole: "ADMIN" as const,
};

describe("GrafanaServiceAccount", () => {
  it.each([
    [{ tokenTtlDays: 31, rotationDays: 7 }, /tokenTtlDays must be 1-30/],
    [{ tokenTtlDays: 30, rotationDays: 30 }, /rotationDays 30 is not below ttlDays 30/],
    [{ tokenTtlDays: 30, rotationDays: 0 }, /rotationDays must be at least 1/],
  ])("refuses a token that could expire before it is rotated: %p", (days, message) => {
    const stack = new TerraformStack(Testing.app(), "t");
    expect(() => new GrafanaServiceAccount(stack, "sa", { ...props, ...days })).toThrow(message);
  });

  it("names each token after its rotation period, so a new period creates a new token", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    const sa = new GrafanaServiceAccount(stack, "sa", { ...props, tokenTtlDays: 30, rotationDays: 20 });
    const json = JSON.parse(Testing.synth(stack));
    const token = Object.values(json.resource.aws_grafana_workspace_service_account_token)[0] as Record<
      string,
      unknown
    >;
    expect(token.name).toBe(`terraform-\${time_rotating.${sa.rotation.friendlyUniqueId}.unix}`);
    expect(token.seconds_to_live).toBe(30 * 86_400);
    expect((token.lifecycle as Record<string, unknown>).replace_triggered_by).toEqual([
      `time_rotating.${sa.rotation.friendlyUniqueId}`,
    ]);
  });
});
