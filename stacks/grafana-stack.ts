import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { AmpWorkspace } from "../constructs/amp/workspace";
import { GrafanaAdmins } from "../constructs/grafana/admins";
import { AmgWorkspace } from "../constructs/grafana/amg-workspace";
import { COST_DASHBOARD } from "../monitoring/cost-dashboard";
import { defaultTags, EnvironmentStack, type Upstreams } from "./environment-stack";

/**
 * `<env>-grafana`: an AMG workspace signed into with IAM Identity Center, allowed to query the AMP workspace
 * and publish to the alert topic, and its admins. No secret: the service-account token is in
 * `<env>-grafana-token`, so pull requests can plan this stack.
 */
export class GrafanaStack extends EnvironmentStack<"grafana"> {
  readonly workspace: AmgWorkspace;
  readonly admins: GrafanaAdmins;

  constructor(scope: Construct, env: EnvironmentConfig, props: { upstream: Upstreams<"grafana"> }) {
    super(scope, env, "grafana", props.upstream);
    const monitoring = this.upstream["cluster-monitoring"];
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
      ampWorkspace: AmpWorkspace.fromAttributes(this, "amp-workspace", {
        workspaceId: monitoring.get("ampWorkspaceId"),
        arn: monitoring.get("ampWorkspaceArn"),
        alias: env.amp.alias,
        prometheusEndpoint: monitoring.get("ampPrometheusEndpoint"),
      }),
      alertTopicArns: [monitoring.get("alertTopicArn")],
      alertTopicKeyArns: [monitoring.get("alertTopicKeyArn")],
      target: this.aws,
      // An adopted workspace holds dashboards and users made before this project: never destroyed by a plan.
      preventDestroy: env.protect || env.grafana.adoptWorkspaceId !== undefined,
      adoptWorkspaceId: env.grafana.adoptWorkspaceId,
    });
    if (env.grafana.adoptWorkspaceId) this.requireTerraform("1.5.0"); // import blocks
    if (shipsCost) this.workspace.allowCloudWatchMetricsRead();
    const { identityCenter, ...admins } = env.grafana.admins;
    this.admins = new GrafanaAdmins(this, "admins", {
      workspace: this.workspace,
      ...admins,
      lookupProvider:
        identityCenter && admins.userNames.length > 0
          ? this.identityCenterProvider(identityCenter)
          : undefined,
    });

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
