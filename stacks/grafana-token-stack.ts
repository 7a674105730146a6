import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { AmgWorkspace } from "../constructs/grafana/amg-workspace";
import { GrafanaServiceAccount } from "../constructs/grafana/service-account";
import { GRAFANA_OUTPUTS, GRAFANA_TOKEN_OUTPUTS as OUT } from "../lib/outputs";
import { EnvironmentStack } from "./environment-stack";
import type { GrafanaStack } from "./grafana-stack";

/**
 * `<env>-grafana-token`: the service account (ADMIN) Terraform signs into the AMG workspace with, and its
 * token, rotated every grafana.token.rotationDays. The token is a secret in this stack's state (the
 * provider stores it), so the state is kept apart: readable by the identities that apply this stack and
 * `<env>-grafana-config`, denied to pull-request plan roles, and never planned by pull requests
 * (docs/operations.md, "what runs with which identity").
 */
export class GrafanaTokenStack extends EnvironmentStack {
  readonly serviceAccount: GrafanaServiceAccount;

  constructor(scope: Construct, env: EnvironmentConfig, grafana: GrafanaStack) {
    super(scope, env, "grafana-token");
    const grafanaState = this.readUpstream(grafana);
    this.serviceAccount = new GrafanaServiceAccount(this, "terraform-service-account", {
      workspace: AmgWorkspace.fromAttributes(this, "grafana-workspace", {
        workspaceId: grafanaState.getString(GRAFANA_OUTPUTS.grafanaWorkspaceId),
      }),
      name: "terraform",
      grafanaRole: "ADMIN",
      tokenTtlDays: env.grafana.token.ttlDays,
      rotationDays: env.grafana.token.rotationDays,
    });
    new TerraformOutput(this, OUT.serviceAccountToken, {
      value: this.serviceAccount.token,
      description: "Token of the terraform service account (ADMIN), rotated every grafana.token.rotationDays",
      sensitive: true,
    });
    this.output(
      OUT.serviceAccountTokenExpiresAt,
      this.serviceAccount.tokenResource.expiresAt,
      "When the service-account token expires: apply this stack before then",
    );
  }
}
