import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { AmpWorkspace } from "../constructs/amp/workspace";
import { AmgWorkspace } from "../constructs/grafana/amg-workspace";
import { AmpDataSource } from "../constructs/grafana/amp-data-source";
import { GrafanaProvider } from "../constructs/grafana/bindings/provider";
import { CloudWatchDataSource } from "../constructs/grafana/cloudwatch-data-source";
import { GrafanaDashboards } from "../constructs/grafana/dashboards";
import { PRICES } from "../cost/prices";
import {
  CLOUDWATCH_DATASOURCE_UID,
  COST_DASHBOARD,
  costDashboardJson,
  WORKSPACE_ID_PLACEHOLDER,
} from "../monitoring/cost-dashboard";
import { AMP_DATASOURCE_UID, FOLDER_UID, shippedDashboardFor } from "../monitoring/dashboards";
import { EnvironmentStack, type Upstreams } from "./environment-stack";

/**
 * `<env>-grafana-config`: what is inside the AMG workspace (the AMP data source, the project's folder and
 * dashboards), written through the grafana provider with the token `<env>-grafana-token` rotates. A separate
 * stack so the token is known when this one plans: a provider configured from a token replaced in the same
 * plan gets an unknown value and fails (hashicorp/terraform-provider-aws#27123). Its state holds the token
 * too (remote-state reads are stored), so pull requests do not plan it either.
 */
export class GrafanaConfigStack extends EnvironmentStack<"grafana-config"> {
  readonly provider: GrafanaProvider;
  readonly dataSource: AmpDataSource;
  readonly dashboards: GrafanaDashboards;
  /** AMP's usage metrics, for the cost dashboard (only when the environment ships it). */
  readonly cloudWatch?: CloudWatchDataSource;

  constructor(scope: Construct, env: EnvironmentConfig, props: { upstream: Upstreams<"grafana-config"> }) {
    super(scope, env, "grafana-config", props.upstream);
    const monitoring = this.upstream["cluster-monitoring"];
    const grafana = this.upstream.grafana;

    const ampWorkspace = AmpWorkspace.fromAttributes(this, "amp-workspace", {
      workspaceId: monitoring.get("ampWorkspaceId"),
      arn: monitoring.get("ampWorkspaceArn"),
      alias: env.amp.alias,
      prometheusEndpoint: monitoring.get("ampPrometheusEndpoint"),
    });
    const grafanaWorkspace = AmgWorkspace.fromAttributes(this, "grafana-workspace", {
      workspaceId: grafana.get("grafanaWorkspaceId"),
      url: grafana.get("grafanaWorkspaceUrl"),
    });

    this.provider = new GrafanaProvider(this, "grafana", {
      url: grafanaWorkspace.url,
      auth: this.upstream["grafana-token"].get("serviceAccountToken"),
      retries: 5,
    });
    this.dataSource = new AmpDataSource(this, "amp-data-source", {
      name: `AMP ${env.amp.alias}`,
      uid: AMP_DATASOURCE_UID,
      workspace: ampWorkspace,
      region: env.region,
    });
    if (env.grafana.dashboards.includes(COST_DASHBOARD))
      this.cloudWatch = new CloudWatchDataSource(this, "cloudwatch-data-source", {
        name: `CloudWatch ${env.region}`,
        uid: CLOUDWATCH_DATASOURCE_UID,
        region: env.region,
      });
    const collectorTypes = [...new Set(env.clusters.map((c) => c.collector.type))];
    this.dashboards = new GrafanaDashboards(this, "dashboards", {
      folderTitle: env.grafana.folderTitle,
      folderUid: FOLDER_UID,
      dashboards: env.grafana.dashboards.map((file) => {
        // Queries meant for a collector type none of the environment's clusters runs are dropped: they would
        // read series no collector sends (and no allow-list keeps).
        const { json } = shippedDashboardFor(file, collectorTypes);
        const name = file.replace(/\.json$/, "");
        return file === COST_DASHBOARD
          ? {
              name,
              json: costDashboardJson(json, PRICES.amp.ingestion, PRICES.asOf),
              terraformValues: { [WORKSPACE_ID_PLACEHOLDER]: ampWorkspace.workspaceId },
            }
          : { name, json };
      }),
      grafanaComImports: env.grafana.grafanaComDashboards,
      dataSourceUid: this.dataSource.uid,
      dependsOn: [this.dataSource.dataSource, ...(this.cloudWatch ? [this.cloudWatch.dataSource] : [])],
    });
  }
}
