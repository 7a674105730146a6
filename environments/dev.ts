import { defineEnvironment } from "../config/environment";

/** Development: a small cluster in the dev account; state in S3. */
export const dev = defineEnvironment({
  name: "dev",
  accountId: "111111111111",
  region: "us-east-1",
  protect: false,
  tags: { "cost-center": "platform-dev", owner: "platform-team" },
  // One cluster: the short form. The cluster without an id keeps the environment's resource names.
  clusters: [
    {
      name: "dev-eks",
      oidcProvider: "lookup",
      collector: {
        type: "prometheus",
        persistentVolumeSize: "8Gi",
        resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
        // The tutorial was followed on this cluster: its `prometheus` namespace and Helm release are imported,
        // then upgraded in place to these settings (docs/operations.md, first apply on an existing cluster).
        // One-shot: remove after the first apply (npm run deploy says so), and never copy into another environment.
        adopt: { namespace: true, release: true },
      },
      ebsCsi: { addonVersion: "v1.38.1-eksbuild.1" },
      sizing: { nodes: 3, cpusPerNode: 2, pods: 40, persistentVolumeClaims: 1 },
    },
  ],
  network: {
    vpcId: "vpc-0a1b2c3d4e5f67890",
    vpcCidrs: ["10.10.0.0/16"],
    endpointSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
  },
  amp: { alias: "dev-eks-metrics", retentionDays: 30 },
  grafana: {
    name: "dev-eks-grafana",
    version: "10.4",
    admins: { groupIds: ["9067729b3d-94f1e0bb-2a6c-4c3f-8d1e-5b7a9c0d1e2f"] },
    // The tutorial's community dashboard, next to ours (downloaded from grafana.com at apply time).
    grafanaComDashboards: [{ id: 3119, revision: 2 }],
  },
  alerting: {
    emails: ["platform-dev-alerts@example.com"],
    // A noisy dev cluster: wait longer before paging anyone.
    thresholds: { forMinutes: 15, apiServerLatencyP99Seconds: 2 },
  },
  // GitHub Actions deploys (environment "dev") and pull-request plans, with roles and EKS access
  // from bootstrap-github-aws-111111111111.
  github: {
    repository: "example-org/eksmon",
    deployRole: { policyArns: ["arn:aws:iam::111111111111:policy/eksmon-deployer"] },
    planRole: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
  },
  metrics: {
    // What dashboard 3119 reads besides the project's own metrics: its queries are not parsed at synth
    // (list them with scripts/dashboard-metrics.ts on the downloaded revision; docs/cost.md).
    extra: [
      "container_fs_usage_bytes",
      "container_fs_limit_bytes",
      "container_network_receive_bytes_total",
      "container_network_transmit_bytes_total",
      "machine_cpu_cores",
      "machine_memory_bytes",
    ],
  },
  sizing: { dashboardHoursPerMonth: 20 },
  backend: { type: "s3", bucket: "example-dev-terraform-state" },
});
