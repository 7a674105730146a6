import { GrafanaWorkspaceServiceAccount } from "@cdktf/provider-aws/lib/grafana-workspace-service-account";
import { GrafanaWorkspaceServiceAccountToken } from "@cdktf/provider-aws/lib/grafana-workspace-service-account-token";
import { TimeProvider } from "@cdktf/provider-time/lib/provider";
import { Rotating } from "@cdktf/provider-time/lib/rotating";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { ensureProvider } from "../../lib/providers";
import type { IAmgWorkspace } from "./amg-workspace";

/** AMG accepts service-account tokens that live at most 30 days. */
export const MAX_TOKEN_TTL_DAYS = 30;
const DAY_SECONDS = 86_400;

/** Why a token lifetime and rotation period do not work together, or undefined when they do. */
export function tokenRotationProblem(ttlDays: number, rotationDays: number): string | undefined {
  if (rotationDays >= ttlDays)
    return `${rotationDays} is not below ttlDays ${ttlDays} (expected the token to be replaced before it expires)`;
  return undefined;
}

export interface GrafanaServiceAccountProps {
  /** The AMG workspace. */
  readonly workspace: IAmgWorkspace;
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
 * Uses the stack's `time` provider (created when missing). Keep the consumers of `token` in another stack (here `<env>-grafana-config`): a provider configured
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
    const rotation =
      props.rotationDays < 1
        ? "must be at least 1"
        : tokenRotationProblem(props.tokenTtlDays, props.rotationDays);
    if (rotation) throw new Error(`GrafanaServiceAccount: rotationDays ${rotation}`);
    ensureProvider(this, "time", (stack) => new TimeProvider(stack, "time"));
    this.serviceAccount = new GrafanaWorkspaceServiceAccount(this, "account", {
      workspaceId: props.workspace.workspaceId,
      name: props.name,
      grafanaRole: props.grafanaRole,
    });
    this.rotation = new Rotating(this, "rotation", { rotationDays: props.rotationDays });
    this.tokenResource = new GrafanaWorkspaceServiceAccountToken(this, "token", {
      workspaceId: props.workspace.workspaceId,
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
