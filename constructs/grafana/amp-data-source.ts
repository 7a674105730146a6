import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { IAmpWorkspace } from "../amp/workspace";
import { GrafanaDataSource } from "./bindings/data-source";

export interface AmpDataSourceProps {
  /** Name shown in Grafana. */
  readonly name: string;
  /** Stable uid the dashboards refer to. */
  readonly uid: string;
  /** The AMP workspace queried (through its Prometheus endpoint, `https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/`). */
  readonly workspace: IAmpWorkspace;
  /** Region of the AMP workspace (SigV4 signing region). */
  readonly region: string;
}

/** Grafana `jsonData` for AMP: SigV4 signed with the workspace's IAM role, in the workspace's region. */
export function ampJsonData(region: string): Record<string, unknown> {
  return {
    httpMethod: "POST",
    sigV4Auth: true,
    // "Workspace IAM role" in the AMG console: the credentials AMG's own role provides.
    sigV4AuthType: "ec2_iam_role",
    sigV4Region: region,
    timeInterval: "1m",
    // Grafana's alert list shows AMP's rules and alerts (read-only: AMP rules change through this project).
    manageAlerts: true,
  };
}

/** The AMP workspace as Grafana's default Prometheus data source. */
export class AmpDataSource extends Construct {
  /** The data source. */
  readonly dataSource: GrafanaDataSource;
  /** Its uid (a reference: dashboards are created after it). */
  readonly uid: string;

  constructor(scope: Construct, id: string, props: AmpDataSourceProps) {
    super(scope, id);
    this.dataSource = new GrafanaDataSource(this, "data-source", {
      name: props.name,
      type: "prometheus",
      uid: props.uid,
      // Query URL: the endpoint itself (never `.../api/v1/remote_write`), without its trailing slash.
      url: Fn.trimsuffix(props.workspace.prometheusEndpoint, "/"),
      accessMode: "proxy",
      isDefault: true,
      jsonData: ampJsonData(props.region),
    });
    this.uid = this.dataSource.uid;
  }
}
