import { PrometheusWorkspace } from "@cdktf/provider-aws/lib/prometheus-workspace";
import { PrometheusWorkspaceConfiguration } from "@cdktf/provider-aws/lib/prometheus-workspace-configuration";
import { Construct } from "constructs";

export interface AmpWorkspaceProps {
  /** Workspace alias. */
  readonly alias: string;
  /** Days AMP keeps samples. */
  readonly retentionDays: number;
  /** Customer-managed KMS key (AWS-owned key when omitted). */
  readonly kmsKeyArn?: string;
  /** Refuse any plan that destroys the workspace (and its metrics). */
  readonly preventDestroy: boolean;
  /** Tag keys other services add to the workspace (e.g. `AMPAgentlessScraper`), left alone by plans. */
  readonly ignoredTagKeys?: string[];
}

/** An Amazon Managed Service for Prometheus workspace with its retention setting. */
export class AmpWorkspace extends Construct {
  /** The workspace. */
  readonly workspace: PrometheusWorkspace;
  /** Workspace id (ws-...). */
  readonly workspaceId: string;
  /** Workspace ARN. */
  readonly arn: string;
  /** Prometheus-compatible endpoint, ending in `/`. */
  readonly prometheusEndpoint: string;
  /** `<endpoint>api/v1/remote_write`. */
  readonly remoteWriteUrl: string;

  constructor(scope: Construct, id: string, props: AmpWorkspaceProps) {
    super(scope, id);
    this.workspace = new PrometheusWorkspace(this, "workspace", {
      alias: props.alias,
      kmsKeyArn: props.kmsKeyArn,
      lifecycle: {
        preventDestroy: props.preventDestroy,
        ...(props.ignoredTagKeys?.length
          ? { ignoreChanges: props.ignoredTagKeys.map((key) => `tags["${key}"]`) }
          : {}),
      },
    });
    new PrometheusWorkspaceConfiguration(this, "configuration", {
      workspaceId: this.workspace.id,
      retentionPeriodInDays: props.retentionDays,
    });
    this.workspaceId = this.workspace.id;
    this.arn = this.workspace.arn;
    this.prometheusEndpoint = this.workspace.prometheusEndpoint;
    this.remoteWriteUrl = `${this.workspace.prometheusEndpoint}api/v1/remote_write`;
  }
}
