/**
 * Amazon Managed Service for Prometheus actions, by what a client does with a workspace: the one list the
 * IRSA role, the Grafana role, the VPC endpoint policy and the tests use.
 */
export const AMP_ACTIONS = {
  /** Send samples (Prometheus remote_write). */
  remoteWrite: ["aps:RemoteWrite"],
  /** PromQL queries, series, labels and metadata (Grafana's data source). */
  query: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"],
  /** The workspace's description (Grafana's data-source settings). */
  describe: ["aps:DescribeWorkspace"],
  /** The ruler's rules and firing alerts (Grafana's alert list). */
  readRules: ["aps:ListRules", "aps:ListAlerts"],
} as const;

/** The data-plane calls the `aps-workspaces` VPC endpoint lets through: remote write and query. */
export const AMP_DATA_PLANE_ACTIONS: readonly string[] = [...AMP_ACTIONS.remoteWrite, ...AMP_ACTIONS.query];
