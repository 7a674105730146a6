import { DataAwsIdentitystoreUser } from "@cdktf/provider-aws/lib/data-aws-identitystore-user";
import { GrafanaRoleAssociation } from "@cdktf/provider-aws/lib/grafana-role-association";
import { DataResource, type TerraformProvider, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { dropTerraformVersionProbe } from "../../lib/cdktf-internals";
import { forgetResources } from "../../lib/removed";
import type { IAmgWorkspace } from "./amg-workspace";

/** Grafana's roles, as AMG names them. */
export type GrafanaRole = "ADMIN" | "EDITOR" | "VIEWER";

/** Who holds one role: Identity Center users (by id or user name) and groups (by id). */
export interface RoleMembers {
  /** Identity Center user ids. @default none */
  readonly userIds?: readonly string[];
  /** Identity Center group ids. @default none */
  readonly groupIds?: readonly string[];
  /** Identity Center user names, looked up in the identity store at plan time. @default none */
  readonly userNames?: readonly string[];
}

export interface GrafanaUsersProps {
  /** The AMG workspace. */
  readonly workspace: IAmgWorkspace;
  /** Who holds each role; a role with nobody is not assigned at all (the API refuses an empty list). */
  readonly roles: Readonly<Partial<Record<GrafanaRole, RoleMembers>>>;
  /** Identity store id (required when any role lists userNames). @default none: no user names */
  readonly identityStoreId?: string;
  /**
   * AWS provider of Identity Center's account and home region, for the userNames lookup (the identity
   * store answers there only). @default the stack's provider (Identity Center in the same account and region)
   */
  readonly lookupProvider?: TerraformProvider;
}

/**
 * Who may sign in to the workspace, with which role: ONE `aws_grafana_role_association` per role, holding
 * its users and groups. The provider reads every user and group of a role into each association of that
 * role and only ever sends ADD on update (hashicorp/terraform-provider-aws#37777,
 * internal/service/grafana/role_association.go), so two associations of one role fight forever, and a
 * removed member keeps access. Hence, per role: one association, replaced whenever its membership changes
 * (`replace_triggered_by` a `terraform_data` holding the members): the replacement deletes the old one, which
 * REVOKEs every member the role had, then creates the new one, which ADDs the members listed. Removal
 * really revokes; for the seconds between the two calls the role has nobody (docs/operations.md).
 */
export class GrafanaUsers extends Construct {
  /** The association of each role that has members. */
  readonly associations: Partial<Record<GrafanaRole, GrafanaRoleAssociation>> = {};

  constructor(scope: Construct, id: string, props: GrafanaUsersProps) {
    super(scope, id);
    const named = Object.values(props.roles).some((m) => (m?.userNames?.length ?? 0) > 0);
    if (named && !props.identityStoreId)
      throw new Error("GrafanaUsers: identityStoreId is required to look up userNames");
    const lookups = new Map<string, string>();
    const lookUp = (userName: string) => {
      const known = lookups.get(userName);
      if (known) return known;
      const userId = new DataAwsIdentitystoreUser(this, `user-${userName}`, {
        identityStoreId: props.identityStoreId!,
        provider: props.lookupProvider,
        alternateIdentifier: { uniqueAttribute: { attributePath: "UserName", attributeValue: userName } },
      }).userId;
      lookups.set(userName, userId);
      return userId;
    };
    for (const role of ["ADMIN", "EDITOR", "VIEWER"] as const) {
      const members = props.roles[role];
      const userIds = [...(members?.userIds ?? []), ...(members?.userNames ?? []).map(lookUp)];
      const groupIds = [...(members?.groupIds ?? [])];
      if (userIds.length + groupIds.length === 0) continue;
      const name = role.toLowerCase();
      // The members as written in the config, known at plan: any change replaces the association below.
      const listed = new DataResource(this, `${name}-members`, {
        input: {
          user_ids: [...new Set([...(members?.userIds ?? []), ...(members?.userNames ?? [])])].sort(),
          group_ids: [...new Set(groupIds)].sort(),
        },
      });
      // terraform_data needs Terraform >= 1.4, which cdktf checks by running `terraform version` at synth.
      dropTerraformVersionProbe(listed);
      const association = new GrafanaRoleAssociation(this, name, {
        workspaceId: props.workspace.workspaceId,
        role,
        userIds: userIds.length ? userIds : undefined,
        groupIds: groupIds.length ? groupIds : undefined,
      });
      // A bare address: Terraform's JSON syntax refuses the "${...}" cdktf writes for replaceTriggeredBy.
      association.addOverride("lifecycle.replace_triggered_by", [
        `terraform_data.${listed.friendlyUniqueId}`,
      ]);
      this.associations[role] = association;
    }
  }

  /**
   * Forgets (Terraform `removed`, destroy = false) the two ADMIN associations of earlier versions (`<id>/users`
   * and `<id>/groups` of the construct that held them): deleting either would REVOKE every admin, since each
   * held the whole role after a refresh. The ADMIN association of this construct adopts the role's members
   * from AWS on its first apply (UpdatePermissions ADD is idempotent).
   */
  forgetEarlierAdminAssociations(earlierId: string): void {
    const type = "aws_grafana_role_association";
    forgetResources(TerraformStack.of(this), [
      { type, path: [earlierId, "users"] },
      { type, path: [earlierId, "groups"] },
    ]);
  }
}
