/**
 * The outputs each stack publishes for the stacks after it: the contract of the remote-state wiring.
 * Downstream stacks read them by these names only; the app test checks every read has a matching output.
 */
export const NETWORK_OUTPUTS = {
  /** Id of the AMP data-plane interface endpoint (`aws:SourceVpce` in the ingest policy). */
  ampEndpointId: "amp_vpc_endpoint_id",
  /** Regional DNS name of the AMP data-plane endpoint. */
  ampEndpointDnsName: "amp_vpc_endpoint_dns_name",
  /** Security group of the endpoints. */
  endpointSecurityGroupId: "endpoint_security_group_id",
} as const;

export const CLUSTER_MONITORING_OUTPUTS = {
  /** AMP workspace id. */
  ampWorkspaceId: "amp_workspace_id",
  /** AMP workspace ARN (scopes the Grafana query policy). */
  ampWorkspaceArn: "amp_workspace_arn",
  /** AMP workspace Prometheus endpoint, ending in `/` (Grafana data-source URL). */
  ampPrometheusEndpoint: "amp_prometheus_endpoint",
  /** Remote-write URL of the workspace (what the Prometheus server writes to; published in both modes). */
  ampRemoteWriteUrl: "amp_remote_write_url",
  /** IAM role of the Prometheus server's service account. Only when collector is "prometheus". */
  prometheusRoleArn: "prometheus_role_arn",
  /** ARN of the AMP managed collector. Only when collector is "managed". */
  ampScraperArn: "amp_scraper_arn",
  /** IAM role of the EBS CSI driver. */
  ebsCsiRoleArn: "ebs_csi_driver_role_arn",
  /** SNS topic the AMP alert manager publishes to (Grafana-managed alerts may publish too). */
  alertTopicArn: "alert_topic_arn",
  /** KMS key encrypting the alert topic (publishers need kms:GenerateDataKey* on it). */
  alertTopicKeyArn: "alert_topic_key_arn",
} as const;

export const GRAFANA_OUTPUTS = {
  /** AMG workspace id. */
  grafanaWorkspaceId: "grafana_workspace_id",
  /** AMG workspace URL (https://...). */
  grafanaWorkspaceUrl: "grafana_workspace_url",
  /** IAM role the AMG workspace assumes. */
  grafanaRoleArn: "grafana_workspace_role_arn",
} as const;

export const GRAFANA_TOKEN_OUTPUTS = {
  /** Current token of the workspace service account (sensitive; the grafana-config stack's provider auth). */
  serviceAccountToken: "grafana_service_account_token",
  /** When that token expires (RFC 3339): apply this stack before then. */
  serviceAccountTokenExpiresAt: "grafana_service_account_token_expires_at",
} as const;
