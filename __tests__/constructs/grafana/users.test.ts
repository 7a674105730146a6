import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { GrafanaUsers, type GrafanaUsersProps } from "../../../constructs/grafana/users";

const USER = "9067729b3d-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const GROUP = "9067729b3d-94f1e0bb-2a6c-4c3f-8d1e-5b7a9c0d1e2f";
const workspace = { workspaceId: "g-123", url: "https://g-123.grafana-workspace.us-east-1.amazonaws.com" };

function synth(
  roles: GrafanaUsersProps["roles"],
  extra: Partial<GrafanaUsersProps> = {},
): Record<string, any> {
  return JSON.parse(
    Testing.synthScope((scope) => new GrafanaUsers(scope, "users", { workspace, roles, ...extra })),
  );
}
const associations = (json: Record<string, any>) => json.resource?.aws_grafana_role_association ?? {};

describe("GrafanaUsers", () => {
  it("assigns each role through ONE association holding its users and groups (terraform-provider-aws#37777)", () => {
    const all = Object.values(
      associations(synth({ ADMIN: { userIds: [USER], groupIds: [GROUP] }, VIEWER: { groupIds: ["g-v"] } })),
    );
    expect(all).toEqual([
      expect.objectContaining({ role: "ADMIN", workspace_id: "g-123", user_ids: [USER], group_ids: [GROUP] }),
      expect.objectContaining({ role: "VIEWER", workspace_id: "g-123", group_ids: ["g-v"] }),
    ]);
  });

  it("replaces a role's association whenever its members change, so removal really revokes", () => {
    const json = synth({ ADMIN: { userIds: [USER], groupIds: [GROUP] } });
    const [[address, admin]] = Object.entries(associations(json)) as [string, any][];
    const [trigger] = admin.lifecycle.replace_triggered_by;
    // A bare address (Terraform's JSON syntax refuses "${...}" here), of the resource holding the members.
    expect(trigger).toMatch(/^terraform_data\.[\w-]+$/);
    const members = json.resource.terraform_data[trigger.split(".")[1]];
    expect(members.input).toEqual({ user_ids: [USER], group_ids: [GROUP] });
    expect(address).toMatch(/^users_admin_/);
    // The members' order does not matter: no replacement for a reordered list.
    const reordered = synth({ ADMIN: { userIds: [USER], groupIds: [GROUP] } });
    expect(reordered.resource.terraform_data).toEqual(json.resource.terraform_data);
  });

  it("creates nothing for a role with nobody (the API refuses an empty list)", () => {
    expect(
      Object.keys(associations(synth({ ADMIN: { groupIds: [GROUP] }, EDITOR: {}, VIEWER: { userIds: [] } }))),
    ).toEqual([expect.stringMatching(/^users_admin_/)]);
  });

  it("looks up user names once, through the provider of Identity Center's account and region", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const lookupProvider = new AwsProvider(scope, "ic", {
          alias: "identity-center",
          region: "eu-west-1",
        });
        new GrafanaUsers(scope, "users", {
          workspace,
          roles: { ADMIN: { userNames: ["jane@example.com"] }, VIEWER: { userNames: ["bob@example.com"] } },
          identityStoreId: "d-1234567890",
          lookupProvider,
        });
      }),
    );
    const users = Object.values(json.data.aws_identitystore_user) as any[];
    expect(users.map((u) => u.alternate_identifier.unique_attribute.attribute_value).sort()).toEqual([
      "bob@example.com",
      "jane@example.com",
    ]);
    for (const u of users)
      expect(u).toMatchObject({ identity_store_id: "d-1234567890", provider: "aws.identity-center" });
    const admin = Object.values(associations(json))[0] as any;
    expect(admin.user_ids).toEqual([
      expect.stringMatching(/^\$\{data\.aws_identitystore_user\..*\.user_id\}$/),
    ]);
    // The trigger holds the names (known at plan), not the looked-up ids.
    expect(Object.values(json.resource.terraform_data)[0]).toMatchObject({
      input: { user_ids: ["jane@example.com"] },
    });
  });

  it("refuses user names without the identity store to look them up in", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    expect(() => new GrafanaUsers(stack, "u", { workspace, roles: { ADMIN: { userNames: ["a"] } } })).toThrow(
      /identityStoreId is required/,
    );
  });

  it("forgets 0.2.0's two ADMIN associations instead of destroying them (a destroy would revoke every admin)", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) =>
        new GrafanaUsers(scope, "users", {
          workspace,
          roles: { ADMIN: { groupIds: [GROUP] } },
        }).forgetEarlierAdminAssociations("admins"),
      ),
    );
    expect(json.removed).toEqual([
      {
        from: expect.stringMatching(/^aws_grafana_role_association\.admins_users_[0-9A-F]{8}$/),
        lifecycle: { destroy: false },
      },
      {
        from: expect.stringMatching(/^aws_grafana_role_association\.admins_groups_[0-9A-F]{8}$/),
        lifecycle: { destroy: false },
      },
    ]);
  });
});
