import { defineEnvironment } from "../lib/config/schema";

/** Staging: mirrors prod's shape in its own account, scraped by the AMP managed collector; admins also looked up by user name. */
export const staging = defineEnvironment({
  name: "staging",
  accountId: "222222222222",
  region: "us-east-1",
  protect: false,
  tags: { "cost-center": "platform-staging", owner: "platform-team" },
  cluster: { name: "staging-eks" },
  network: {
    vpcId: "vpc-0b2c3d4e5f6a78901",
    vpcCidrs: ["10.20.0.0/16", "100.64.0.0/16"],
    endpointSubnetIds: ["subnet-0b2c3d4e5f6a70001", "subnet-0b2c3d4e5f6a70002", "subnet-0b2c3d4e5f6a70003"],
  },
  amp: { alias: "staging-eks-metrics", retentionDays: 90 },
  // The AMP managed collector scrapes the cluster: no Prometheus server, volume or IRSA role here.
  collector: {
    type: "managed",
    subnetIds: ["subnet-0b2c3d4e5f6a70001", "subnet-0b2c3d4e5f6a70002", "subnet-0b2c3d4e5f6a70003"],
    scrapeInterval: "1m",
  },
  ebsCsi: { addonVersion: "v1.38.1-eksbuild.1" },
  grafana: {
    name: "staging-eks-grafana",
    version: "10.4",
    admins: {
      groupIds: ["9067729b3d-94f1e0bb-2a6c-4c3f-8d1e-5b7a9c0d1e2f"],
      userNames: ["jane.doe@example.com"],
      identityStoreId: "d-9067729b3d",
    },
  },
  alerting: { emails: ["platform-staging-alerts@example.com"] },
  sizing: {
    nodes: 6,
    cpusPerNode: 4,
    pods: 120,
    persistentVolumeClaims: 4,
    grafanaEditors: 2,
    grafanaViewers: 3,
  },
  backend: { type: "s3", bucket: "example-staging-terraform-state" },
});
