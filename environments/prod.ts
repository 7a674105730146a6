import { defineEnvironment } from "../config/environment";

/** Production: protected from destroy, customer KMS keys, state and runs in Terraform Cloud. */
export const prod = defineEnvironment({
  name: "prod",
  accountId: "333333333333",
  region: "us-west-2",
  protect: true,
  tags: { "cost-center": "platform-prod", owner: "platform-team", "data-classification": "internal" },
  clusters: [
    {
      name: "prod-eks",
      oidcProvider: {
        arn: "arn:aws:iam::333333333333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
      },
      // The customer KMS key on the workspace rules out the managed collector (see docs/collectors.md).
      collector: {
        type: "prometheus",
        persistentVolumeSize: "50Gi",
        retention: "7d",
        scrapeInterval: "30s",
        queueConfig: { maxSamplesPerSend: 1000, maxShards: 200, capacity: 2500 },
        resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "8Gi" } },
      },
      ebsCsi: {
        addonVersion: "v1.38.1-eksbuild.1",
        kmsKeyArn: "arn:aws:kms:us-west-2:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      },
      sizing: { nodes: 30, cpusPerNode: 8, pods: 900, containersPerPod: 1.6, persistentVolumeClaims: 20 },
      // Deployed with 0.2, when this cluster's resources lived in prod-cluster-monitoring: this deploy moves
      // them to prod-cluster-prod-eks (forgotten there, imported here; docs/upgrading.md). Remove it after.
      adopt: { clusterMonitoringStack: true },
    },
  ],
  network: {
    vpcId: "vpc-0c3d4e5f6a7b89012",
    vpcCidrs: ["10.30.0.0/16"],
    endpointSubnetIds: ["subnet-0c3d4e5f6a7b80001", "subnet-0c3d4e5f6a7b80002", "subnet-0c3d4e5f6a7b80003"],
    controlPlaneEndpoint: true,
  },
  amp: {
    alias: "prod-eks-metrics",
    retentionDays: 400,
    kmsKeyArn: "arn:aws:kms:us-west-2:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  },
  grafana: {
    name: "prod-eks-grafana",
    version: "10.4",
    admins: {
      groupIds: ["9067729b3d-94f1e0bb-2a6c-4c3f-8d1e-5b7a9c0d1e2f"],
      userIds: ["9067729b3d-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"],
    },
    editors: { groupIds: ["9067729b3d-3c5e7a9b-1d2f-4a6b-8c0d-2e4f6a8b0c1d"] },
    viewers: { groupIds: ["9067729b3d-7e9f1a3b-5c7d-4e9f-8a1b-3c5d7e9f1a3b"] },
    folderTitle: "EKS monitoring (prod)",
    // Only the project's own dashboards: applies do not depend on grafana.com.
    grafanaComDashboards: [],
    token: { ttlDays: 30, rotationDays: 7 },
  },
  alerting: {
    // By severity (docs/alerting.md): critical pages PagerDuty and the on-call Slack channel, warnings reach
    // the team's channel and mailbox, info only the mailbox.
    routes: {
      critical: {
        emails: ["platform-oncall@example.com", "platform-team@example.com"],
        // PagerDuty's "Amazon CloudWatch" integration URL carries its key: it lives in SSM, read at plan.
        https: [{ name: "pagerduty", ssmParameter: "/eksmon/prod/pagerduty-url" }],
        slack: [{ workspaceId: "T0EXAMPLE1", channelId: "C0ONCALL01" }],
      },
      warning: {
        emails: ["platform-team@example.com"],
        slack: [{ workspaceId: "T0EXAMPLE1", channelId: "C0PLATFRM1" }],
      },
      info: { emails: ["platform-team@example.com"] },
    },
    thresholds: {
      remoteWriteLagSeconds: 180,
      remoteWriteFailedPercent: 0.5,
      apiServerErrorPercent: 2,
      apiServerLatencyP99Seconds: 1,
      persistentVolumeUsedPercent: 80,
      forMinutes: 5,
    },
    // prod deploys from Terraform Cloud (no github section): say where the runbooks are published.
    runbookBaseUrl: "https://github.com/example-org/eksmon/blob/main/docs/runbooks/",
  },
  metrics: {
    // The ingestion budget: an alarm mails the alert topic when the current rate would exceed it this month.
    budget: { monthlyIngestionUsd: 250, activeSeries: 400_000 },
    // No single source may explode the workspace: API server histograms and each job get a ceiling.
    labelSetLimits: [
      { labelSet: { __name__: "apiserver_request_duration_seconds_bucket" }, maxSeries: 60_000 },
      { labelSet: { job: "kubernetes-nodes-cadvisor" }, maxSeries: 100_000 },
      { labelSet: { job: "kubernetes-service-endpoints" }, maxSeries: 100_000 },
      { labelSet: {}, maxSeries: 300_000 },
    ],
  },
  sizing: {
    grafanaEditors: 3,
    grafanaViewers: 20,
    dashboardHoursPerMonth: 300,
  },
  backend: {
    type: "cloud",
    organization: "example-org",
    project: "eksmon",
    terraformVersion: "1.11.4",
    executionMode: "remote",
    // What prod applies may change: a customer-managed policy you maintain (see docs/delivery.md).
    runRole: { policyArns: ["arn:aws:iam::333333333333:policy/eksmon-deployer"] },
    // What prod plans may read (plans run whatever configuration queued them: never the apply role).
    planRole: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
  },
});
