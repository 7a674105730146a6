import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { AmpWorkspace } from "../constructs/amp/workspace";
import { AmgWorkspace } from "../constructs/grafana/amg-workspace";
import { GrafanaUsers } from "../constructs/grafana/users";
import { COST_DASHBOARD } from "../monitoring/cost-dashboard";
import { defaultTags, EnvironmentStack, type Upstreams } from "./environment-stack";

/**
 * `<env>-grafana`: an AMG workspace signed into with IAM Identity Center, allowed to query the AMP workspace
 * and publish to the alert topic, and who may sign in with which role. No secret: the service-account token is in
 * `<env>-grafana-token`, so pull requests can plan this stack.
 */
export class GrafanaStack extends EnvironmentStack<"grafana"> {
  readonly workspace: AmgWorkspace;
  /** Who may sign in, with which role. */
  readonly users: GrafanaUsers;

  constructor(scope: Construct, env: EnvironmentConfig, props: { upstream: Upstreams<"grafana"> }) {
    super(scope, env, "grafana", props.upstream);
    const monitoring = this.upstream["cluster-monitoring"];
    const shipsCost = env.grafana.dashboards.includes(COST_DASHBOARD);

    this.workspace = new AmgWorkspace(this, "amg", {
      name: env.grafana.name,
      description: `Grafana for the EKS clusters of ${env.name}`,
      grafanaVersion: env.grafana.version,
      // The cost dashboard reads AMP's usage metrics through a CloudWatch data source.
      dataSources:
        shipsCost && !env.grafana.dataSources.includes("CLOUDWATCH")
          ? [...env.grafana.dataSources, "CLOUDWATCH"]
          : env.grafana.dataSources,
      notificationDestinations: env.grafana.notificationDestinations,
      roleName: this.resourceName("grafana"),
      ampWorkspace: AmpWorkspace.fromAttributes(this, "amp-workspace", {
        workspaceId: monitoring.get("ampWorkspaceId"),
        arn: monitoring.get("ampWorkspaceArn"),
        alias: env.amp.alias,
        prometheusEndpoint: monitoring.get("ampPrometheusEndpoint"),
      }),
      // The mail topic of each severity: a Grafana-managed alert's contact point picks its severity.
      alertTopicArns: [
        monitoring.get("alertTopicArn"),
        monitoring.get("alertWarningTopicArn"),
        monitoring.get("alertInfoTopicArn"),
      ],
      alertTopicKeyArns: [monitoring.get("alertTopicKeyArn")],
      target: this.aws,
      // An adopted workspace holds dashboards and users made before this project: never destroyed by a plan.
      preventDestroy: env.protect || env.grafana.adoptWorkspaceId !== undefined,
      adoptWorkspaceId: env.grafana.adoptWorkspaceId,
    });
    if (env.grafana.adoptWorkspaceId) this.requireTerraform("1.5.0"); // import blocks
    if (shipsCost) this.workspace.allowCloudWatchMetricsRead();
    const { admins, editors, viewers, identityCenter } = env.grafana;
    const named = [admins, editors, viewers].some((role) => role.userNames.length > 0);
    this.users = new GrafanaUsers(this, "users", {
      workspace: this.workspace,
      roles: { ADMIN: admins, EDITOR: editors, VIEWER: viewers },
      identityStoreId: identityCenter?.identityStoreId,
      lookupProvider: identityCenter && named ? this.identityCenterProvider(identityCenter) : undefined,
    });
    // 0.2.0 had two ADMIN associations (users, groups) under "admins": forgotten, never destroyed (a destroy
    // would revoke every admin); the ADMIN association above takes the role over.
    this.users.forgetEarlierAdminAssociations("admins");

    this.output("grafanaWorkspaceId", this.workspace.workspaceId);
    this.output("grafanaWorkspaceUrl", this.workspace.url);
    this.output("grafanaRoleArn", this.workspace.role.roleArn);
  }

  /**
   * The AWS provider the user-name lookup runs with: Identity Center's account (through its lookup role
   * when that is another account) and home region. From a workload account, or another region, the
   * identity store answers AccessDenied or ResourceNotFound.
   */
  private identityCenterProvider(ic: { accountId: string; region: string; lookupRoleArn?: string }) {
    return new AwsProvider(this, "identity-center", {
      alias: "identity-center",
      region: ic.region,
      allowedAccountIds: [ic.accountId],
      assumeRole: ic.lookupRoleArn
        ? [{ roleArn: ic.lookupRoleArn, sessionName: this.resourceName("identity-lookup") }]
        : undefined,
      // It creates nothing; the tags satisfy the rule every AWS provider follows.
      defaultTags: [{ tags: defaultTags(this.env, this.kind) }],
    });
  }
}
