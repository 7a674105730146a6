import { DataAwsIdentitystoreUser } from "@cdktf/provider-aws/lib/data-aws-identitystore-user";
import { GrafanaRoleAssociation } from "@cdktf/provider-aws/lib/grafana-role-association";
import type { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import type { IAmgWorkspace } from "./amg-workspace";

export interface GrafanaAdminsProps {
  /** The AMG workspace. */
  readonly workspace: IAmgWorkspace;
  /** Identity Center user ids. */
  readonly userIds: string[];
  /** Identity Center group ids. */
  readonly groupIds: string[];
  /** Identity Center user names, looked up in the identity store. */
  readonly userNames: string[];
  /** Identity store id (required with userNames). @default none: only ids are assigned, no user name may be given */
  readonly identityStoreId?: string;
  /**
   * AWS provider of Identity Center's account and home region, for the userNames lookup (the identity
   * store answers there only). @default the stack's provider (Identity Center in the same account and region)
   */
  readonly lookupProvider?: TerraformProvider;
}

/**
 * ADMIN role associations for Identity Center users and groups. Users and groups get one association
 * each, and none is created for an empty list (the API rejects one), so adding or removing people
 * changes one list in place. User names are resolved to ids in the identity store, through the provider
 * of Identity Center's account and region.
 */
export class GrafanaAdmins extends Construct {
  /** Association of the admin users, if any. */
  readonly users?: GrafanaRoleAssociation;
  /** Association of the admin groups, if any. */
  readonly groups?: GrafanaRoleAssociation;

  constructor(scope: Construct, id: string, props: GrafanaAdminsProps) {
    super(scope, id);
    if (props.userNames.length > 0 && !props.identityStoreId) {
      throw new Error("GrafanaAdmins: identityStoreId is required to look up userNames");
    }
    const lookedUp = props.userNames.map(
      (userName) =>
        new DataAwsIdentitystoreUser(this, `user-${userName}`, {
          identityStoreId: props.identityStoreId!,
          provider: props.lookupProvider,
          alternateIdentifier: { uniqueAttribute: { attributePath: "UserName", attributeValue: userName } },
        }).userId,
    );
    const userIds = [...props.userIds, ...lookedUp];
    if (userIds.length > 0) {
      this.users = new GrafanaRoleAssociation(this, "users", {
        workspaceId: props.workspace.workspaceId,
        role: "ADMIN",
        userIds,
      });
    }
    if (props.groupIds.length > 0) {
      this.groups = new GrafanaRoleAssociation(this, "groups", {
        workspaceId: props.workspace.workspaceId,
        role: "ADMIN",
        groupIds: props.groupIds,
      });
    }
  }
}
