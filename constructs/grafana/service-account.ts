import { GrafanaWorkspaceServiceAccount } from "@cdktf/provider-aws/lib/grafana-workspace-service-account";
import { GrafanaWorkspaceServiceAccountToken } from "@cdktf/provider-aws/lib/grafana-workspace-service-account-token";
import { Rotating } from "@cdktf/provider-time/lib/rotating";
import { Token } from "cdktf";
import { Construct } from "constructs";

/** AMG accepts service-account tokens that live at most 30 days. */
export const MAX_TOKEN_TTL_DAYS = 30;
const DAY_SECONDS = 86_400;

export interface GrafanaServiceAccountProps {
  /** AMG workspace id. */
  readonly workspaceId: string;
  /** Service account name (unique in the workspace). */
  readonly name: string;
  /** Grafana role of the account: the provider manages data sources and folders, so ADMIN. */
  readonly grafanaRole: "ADMIN" | "EDITOR" | "VIEWER";
  /** Token lifetime in days (at most 30). */
  readonly tokenTtlDays: number;
  /** Replace the token after this many days (below tokenTtlDays, so an apply in between renews it in time). */
  readonly rotationDays: number;
}

/**
 * A workspace service account and its token, renewed on the first apply after `rotationDays`: a
 * `time_rotating` resource expires, which renames (hence replaces) the token, new one first.
 * The stack needs a `time` provider. Keep the consumers of `token` in another stack (here `<env>-grafana-config`): a provider configured
 * from a token replaced in the same plan would get an unknown value and fail.
 */
export class GrafanaServiceAccount extends Construct {
  /** The service account. */
  readonly serviceAccount: GrafanaWorkspaceServiceAccount;
  /** The rotation clock. */
  readonly rotation: Rotating;
  /** The current token. */
  readonly tokenResource: GrafanaWorkspaceServiceAccountToken;
  /** The token's secret (sensitive). */
  readonly token: string;

  constructor(scope: Construct, id: string, props: GrafanaServiceAccountProps) {
    super(scope, id);
    if (props.tokenTtlDays < 1 || props.tokenTtlDays > MAX_TOKEN_TTL_DAYS)
      throw new Error(`GrafanaServiceAccount: tokenTtlDays must be 1-${MAX_TOKEN_TTL_DAYS}`);
    if (props.rotationDays < 1 || props.rotationDays >= props.tokenTtlDays)
      throw new Error("GrafanaServiceAccount: rotationDays must be at least 1 and below tokenTtlDays");
    this.serviceAccount = new GrafanaWorkspaceServiceAccount(this, "account", {
      workspaceId: props.workspaceId,
      name: props.name,
      grafanaRole: props.grafanaRole,
    });
    this.rotation = new Rotating(this, "rotation", { rotationDays: props.rotationDays });
    this.tokenResource = new GrafanaWorkspaceServiceAccountToken(this, "token", {
      workspaceId: props.workspaceId,
      serviceAccountId: this.serviceAccount.serviceAccountId,
      // The rotation time in the name: a new period means a new name, so a new token (names are unique).
      name: `${props.name}-${Token.asString(this.rotation.unix)}`,
      secondsToLive: props.tokenTtlDays * DAY_SECONDS,
      lifecycle: { createBeforeDestroy: true },
    });
    // Also replace it whenever the clock is replaced. Written as a bare address: cdktf 0.21 renders
    // `replaceTriggeredBy` as "${...}", which Terraform rejects (hashicorp/terraform-cdk#3196).
    this.tokenResource.addOverride("lifecycle.replace_triggered_by", [
      `${Rotating.tfResourceType}.${this.rotation.friendlyUniqueId}`,
    ]);
    this.token = this.tokenResource.key;
  }
}
