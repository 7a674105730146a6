import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { GrafanaAdmins, type GrafanaAdminsProps } from "../../../constructs/grafana/admins";

const USER = "9067729b3d-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const GROUP = "9067729b3d-94f1e0bb-2a6c-4c3f-8d1e-5b7a9c0d1e2f";
const base: GrafanaAdminsProps = {
  workspace: { workspaceId: "g-123", url: "https://g-123.grafana-workspace.us-east-1.amazonaws.com" },
  userIds: [],
  groupIds: [],
  userNames: [],
};

function associations(p: GrafanaAdminsProps): Record<string, any> {
  const json = JSON.parse(Testing.synthScope((scope) => new GrafanaAdmins(scope, "admins", p)));
  return json.resource?.aws_grafana_role_association ?? {};
}

describe("GrafanaAdmins", () => {
  it("makes users and groups ADMIN through one association each", () => {
    const all = Object.values(associations({ ...base, userIds: [USER], groupIds: [GROUP] }));
    expect(all).toHaveLength(2);
    expect(all).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: "ADMIN", workspace_id: "g-123", user_ids: [USER] }),
        expect.objectContaining({ role: "ADMIN", workspace_id: "g-123", group_ids: [GROUP] }),
      ]),
    );
  });

  it("adding and then removing a user changes the user association only, in both directions", () => {
    const before = associations({ ...base, groupIds: [GROUP] });
    const added = associations({ ...base, groupIds: [GROUP], userIds: [USER] });
    const removed = associations({ ...base, groupIds: [GROUP] });
    const groupsOf = (a: Record<string, any>) => Object.entries(a).filter(([, v]) => v.group_ids);
    expect(groupsOf(added)).toEqual(groupsOf(before)); // the group association is untouched
    expect(Object.values(added).filter((v) => v.user_ids)).toHaveLength(1);
    // No association with an empty list is left behind (the API rejects one): the resource goes away.
    expect(removed).toEqual(before);
  });

  it("looks up user names in the identity store through the provider of Identity Center's account and region", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        const lookupProvider = new AwsProvider(scope, "ic", {
          alias: "identity-center",
          region: "eu-west-1",
        });
        new GrafanaAdmins(scope, "admins", {
          ...base,
          userNames: ["jane@example.com"],
          identityStoreId: "d-1234567890",
          lookupProvider,
        });
      }),
    );
    const user = Object.values(json.data.aws_identitystore_user)[0] as any;
    expect(user).toMatchObject({
      identity_store_id: "d-1234567890",
      provider: "aws.identity-center",
      alternate_identifier: {
        unique_attribute: { attribute_path: "UserName", attribute_value: "jane@example.com" },
      },
    });
    expect(user.region).toBeUndefined();
    const assoc = Object.values(json.resource.aws_grafana_role_association)[0] as any;
    expect(assoc.user_ids).toEqual([
      expect.stringMatching(/^\$\{data\.aws_identitystore_user\..*\.user_id\}$/),
    ]);
  });
});
