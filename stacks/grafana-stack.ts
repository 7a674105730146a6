import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { AmpWorkspace } from "../constructs/amp/workspace";
import { GrafanaAdmins } from "../constructs/grafana/admins";
import { AmgWorkspace } from "../constructs/grafana/amg-workspace";
import { GrafanaServiceAccount } from "../constructs/grafana/service-account";
import type { EnvironmentConfig } from "../lib/config/schema";
import { CLUSTER_MONITORING_OUTPUTS, GRAFANA_OUTPUTS as OUT } from "../lib/outputs";
import { COST_DASHBOARD } from "../monitoring/cost-dashboard";
import type { ClusterMonitoringStack } from "./cluster-monitoring-stack";
import { EnvironmentStack } from "./environment-stack";

/**
 * `<env>-grafana`: an AMG workspace signed into with IAM Identity Center, allowed to query the AMP workspace
 * and publish to the alert topic, and the rotating service-account token `<env>-grafana-config` uses.
 */
export class GrafanaStack extends EnvironmentStack {
  readonly workspace: AmgWorkspace;
  readonly admins: GrafanaAdmins;
  readonly serviceAccount: GrafanaServiceAccount;

  constructor(scope: Construct, env: EnvironmentConfig, clusterMonitoring: ClusterMonitoringStack) {
    super(scope, env, "grafana");
    const monitoringState = this.readUpstream(clusterMonitoring);
    const shipsCost = env.grafana.dashboards.includes(COST_DASHBOARD);

    this.workspace = new AmgWorkspace(this, "amg", {
      name: env.grafana.name,
      description: `Grafana for EKS cluster ${env.cluster.name} (${env.name})`,
      grafanaVersion: env.grafana.version,
      // The cost dashboard reads AMP's usage metrics through a CloudWatch data source.
      dataSources:
        shipsCost && !env.grafana.dataSources.includes("CLOUDWATCH")
          ? [...env.grafana.dataSources, "CLOUDWATCH"]
          : env.grafana.dataSources,
      notificationDestinations: env.grafana.notificationDestinations,
      roleName: this.resourceName("grafana"),
      ampWorkspace: AmpWorkspace.fromArn(
        this,
        "amp-workspace",
        monitoringState.getString(CLUSTER_MONITORING_OUTPUTS.ampWorkspaceArn),
      ),
      alertTopicArns: [monitoringState.getString(CLUSTER_MONITORING_OUTPUTS.alertTopicArn)],
      alertTopicKeyArns: [monitoringState.getString(CLUSTER_MONITORING_OUTPUTS.alertTopicKeyArn)],
      target: this.aws,
      preventDestroy: env.protect,
    });
    if (shipsCost) this.workspace.allowCloudWatchMetricsRead();
    this.admins = new GrafanaAdmins(this, "admins", {
      workspace: this.workspace,
      ...env.grafana.admins,
    });

    this.serviceAccount = new GrafanaServiceAccount(this, "terraform-service-account", {
      workspace: this.workspace,
      name: "terraform",
      grafanaRole: "ADMIN",
      tokenTtlDays: env.grafana.token.ttlDays,
      rotationDays: env.grafana.token.rotationDays,
    });

    this.output(OUT.grafanaWorkspaceId, this.workspace.workspaceId, "AMG workspace id");
    this.output(OUT.grafanaWorkspaceUrl, this.workspace.url, "AMG workspace URL");
    this.output(OUT.grafanaRoleArn, this.workspace.role.arn, "IAM role the AMG workspace assumes");
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
