import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { AmgWorkspace } from "../constructs/grafana/amg-workspace";
import { GrafanaServiceAccount } from "../constructs/grafana/service-account";
import { EnvironmentStack, type Upstreams } from "./environment-stack";

/**
 * `<env>-grafana-token`: the service account (ADMIN) Terraform signs into the AMG workspace with, and its
 * token, rotated every grafana.token.rotationDays. The token is a secret in this stack's state (the
 * provider stores it), so the state is kept apart: readable by the identities that apply this stack and
 * `<env>-grafana-config`, denied to pull-request plan roles, and never planned by pull requests
 * (docs/operations.md, "what runs with which identity").
 */
export class GrafanaTokenStack extends EnvironmentStack<"grafana-token"> {
  readonly serviceAccount: GrafanaServiceAccount;

  constructor(scope: Construct, env: EnvironmentConfig, props: { upstream: Upstreams<"grafana-token"> }) {
    super(scope, env, "grafana-token", props.upstream);
    this.serviceAccount = new GrafanaServiceAccount(this, "terraform-service-account", {
      workspace: AmgWorkspace.fromAttributes(this, "grafana-workspace", {
        workspaceId: this.upstream.grafana.get("grafanaWorkspaceId"),
      }),
      name: "terraform",
      grafanaRole: "ADMIN",
      tokenTtlDays: env.grafana.token.ttlDays,
      rotationDays: env.grafana.token.rotationDays,
    });
    this.output("serviceAccountToken", this.serviceAccount.token, { sensitive: true });
    this.output("serviceAccountTokenExpiresAt", this.serviceAccount.tokenResource.expiresAt);
  }
}
