import { Construct } from "constructs";
import { GrafanaDataSource } from "./bindings/data-source";

export interface CloudWatchDataSourceProps {
  /** Name shown in Grafana. */
  readonly name: string;
  /** Stable uid the dashboards refer to. */
  readonly uid: string;
  /** Default region of the queries (the environment's: AMP publishes its usage metrics there). */
  readonly region: string;
}

/**
 * A CloudWatch data source signed with the AMG workspace's IAM role (which needs CloudWatch read
 * permissions: `AmgWorkspace.allowCloudWatchMetricsRead`). No keys are stored in Grafana.
 */
export class CloudWatchDataSource extends Construct {
  /** The data source. */
  readonly dataSource: GrafanaDataSource;
  /** Its uid (a reference: dashboards are created after it). */
  readonly uid: string;

  constructor(scope: Construct, id: string, props: CloudWatchDataSourceProps) {
    super(scope, id);
    this.dataSource = new GrafanaDataSource(this, "data-source", {
      name: props.name,
      type: "cloudwatch",
      uid: props.uid,
      accessMode: "proxy",
      // "Workspace IAM role" in the AMG console: the credentials AMG's own role provides.
      jsonData: { authType: "ec2_iam_role", defaultRegion: props.region },
    });
    this.uid = this.dataSource.uid;
  }
}
