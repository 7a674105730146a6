import { defineEnvironment } from "../config/environment";

/** Staging: two clusters during a blue/green upgrade, one workspace; admins also looked up by user name. */
export const staging = defineEnvironment({
  name: "staging",
  accountId: "222222222222",
  region: "us-east-1",
  protect: false,
  tags: { "cost-center": "platform-staging", owner: "platform-team" },
  // Blue/green: the cluster the environment had (blue, scraped by the AMP managed collector) and its
  // successor (green, with an in-cluster Prometheus), both writing to the one workspace, told apart by their
  // `cluster` label; once green carries the workloads, blue is removed (docs/operations.md, the runbook).
  clusters: [
    {
      // Blue: no id, so its resources keep the environment's names from before it had two clusters.
      name: "staging-eks",
      // The AMP managed collector scrapes the cluster: no Prometheus server, volume or IRSA role here.
      collector: {
        type: "managed",
        subnetIds: ["subnet-0b2c3d4e5f6a70001", "subnet-0b2c3d4e5f6a70002", "subnet-0b2c3d4e5f6a70003"],
        scrapeInterval: "1m",
      },
      // The cluster already runs the add-on: imported, then managed here, at the version it runs (from
      // `aws eks describe-addon`: AWS's default may be older, and EKS refuses a downgrade).
      ebsCsi: { driver: "adopt", addonVersion: "v1.38.1-eksbuild.1" },
      sizing: { nodes: 6, cpusPerNode: 4, pods: 120, persistentVolumeClaims: 4 },
    },
    {
      name: "staging-eks-green",
      id: "green",
      // Built in a VPC of its own: the network stack gives it its own AMP endpoint.
      network: {
        vpcId: "vpc-0d4e5f6a7b8c90123",
        vpcCidrs: ["10.21.0.0/16"],
        endpointSubnetIds: ["subnet-0d4e5f6a7b8c90001", "subnet-0d4e5f6a7b8c90002"],
      },
      collector: {
        type: "prometheus",
        persistentVolumeSize: "16Gi",
        resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "4Gi" } },
      },
      ebsCsi: { addonVersion: "v1.38.1-eksbuild.1" },
      sizing: { nodes: 6, cpusPerNode: 4, pods: 120, persistentVolumeClaims: 4 },
    },
  ],
  network: {
    vpcId: "vpc-0b2c3d4e5f6a78901",
    vpcCidrs: ["10.20.0.0/16", "100.64.0.0/16"],
    endpointSubnetIds: ["subnet-0b2c3d4e5f6a70001", "subnet-0b2c3d4e5f6a70002", "subnet-0b2c3d4e5f6a70003"],
  },
  // Made by hand following the tutorial before this project: imported, and protected from destroy.
  amp: {
    alias: "staging-eks-metrics",
    retentionDays: 90,
    adoptWorkspaceId: "ws-3f9c2a7e-1b4d-4e8a-9c6f-2d7b5e1a8c40",
  },
  grafana: {
    name: "staging-eks-grafana",
    version: "10.4",
    admins: {
      groupIds: ["9067729b3d-94f1e0bb-2a6c-4c3f-8d1e-5b7a9c0d1e2f"],
      userNames: ["jane.doe@example.com"],
    },
    // The application teams edit their own dashboards; support reads.
    editors: { groupIds: ["9067729b3d-3c5e7a9b-1d2f-4a6b-8c0d-2e4f6a8b0c1d"] },
    viewers: { userNames: ["support.desk@example.com"] },
    // Identity Center lives in the organization's management account: user names are looked up there.
    identityCenter: {
      identityStoreId: "d-9067729b3d",
      accountId: "444444444444",
      region: "us-east-1",
      lookupRoleArn: "arn:aws:iam::444444444444:role/eksmon-identity-lookup",
    },
  },
  alerting: {
    // Every severity to this mailbox (the shape before routes), and warnings to the team's Teams channel too.
    emails: ["platform-staging-alerts@example.com"],
    routes: {
      warning: {
        teams: [
          {
            tenantId: "5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
            teamId: "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d",
            channelId: "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2",
          },
        ],
      },
    },
  },
  // GitHub Actions deploys (environment "staging") and pull-request plans, with roles and EKS access
  // from bootstrap-github-aws-222222222222.
  github: {
    repository: "example-org/eksmon",
    oidcProvider: "lookup", // the account already has GitHub's OIDC provider
    deployRole: { policyArns: ["arn:aws:iam::222222222222:policy/eksmon-deployer"] },
    planRole: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
  },
  sizing: {
    grafanaEditors: 2,
    grafanaViewers: 3,
  },
  backend: { type: "s3", bucket: "example-staging-terraform-state" },
});
