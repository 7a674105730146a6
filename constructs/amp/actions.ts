/**
 * Amazon Managed Service for Prometheus actions, by what a client does with a workspace: the one list the
 * IRSA role, the Grafana role, the VPC endpoint policy and the tests use. Source: the Service Authorization
 * Reference for `aps` (actions of the Prometheus-compatible APIs served by `aps-workspaces.<region>`, and
 * the control-plane ones served by `aps.<region>`).
 */
export const AMP_ACTIONS = {
  /** Send samples (Prometheus remote_write). */
  remoteWrite: ["aps:RemoteWrite"],
  /** PromQL queries, series, labels and metadata (Grafana's data source). */
  query: ["aps:QueryMetrics", "aps:GetSeries", "aps:GetLabels", "aps:GetMetricMetadata"],
  /** The workspace's description (Grafana's data-source settings; a control-plane call). */
  describe: ["aps:DescribeWorkspace"],
  /** The ruler's rules and firing alerts (Grafana's alert list). */
  readRules: ["aps:ListRules", "aps:ListAlerts"],
  /** The alert manager's status, alerts, groups, receivers and silences (Grafana's alerting views). */
  readAlertManager: [
    "aps:GetAlertManagerStatus",
    "aps:ListAlertManagerAlerts",
    "aps:ListAlertManagerAlertGroups",
    "aps:ListAlertManagerReceivers",
    "aps:ListAlertManagerSilences",
    "aps:GetAlertManagerSilence",
  ],
  /** Send alerts to the alert manager, and create or expire silences. */
  writeAlertManager: [
    "aps:CreateAlertManagerAlerts",
    "aps:PutAlertManagerSilences",
    "aps:DeleteAlertManagerSilence",
  ],
  /** Try an anomaly detector's query before creating it. */
  previewAnomalyDetector: ["aps:PreviewAnomalyDetector"],
} as const;

/**
 * Every call a client inside the VPC makes to the `aps-workspaces` endpoint (the Prometheus-compatible
 * data plane): what the endpoint policy lets through. IAM still decides who may make each call.
 */
export const AMP_DATA_PLANE_ACTIONS: readonly string[] = [
  ...AMP_ACTIONS.remoteWrite,
  ...AMP_ACTIONS.query,
  ...AMP_ACTIONS.readRules,
  ...AMP_ACTIONS.readAlertManager,
  ...AMP_ACTIONS.writeAlertManager,
  ...AMP_ACTIONS.previewAnomalyDetector,
];
