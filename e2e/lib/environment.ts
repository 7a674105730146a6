/**
 * The environment the e2e deploys: built from the ids of what the harness created in the emulators (the
 * user's existing VPC, subnets, EKS cluster, Identity Center user, and what a user made by hand before:
 * an AMP workspace, the tutorial's namespace and Helm release), then validated and synthesized by the
 * project's own code (validateEnvironments, synthesizeApp) like any environment in environments/.
 * Pure, unit-tested in __tests__/e2e/lib/environment.test.ts.
 */
import type { EnvironmentInput } from "../../config/environment";

/** What already exists before the first apply (created by the harness, as a user would have it). */
export interface ExistingInfrastructure {
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Two subnets in two AZs. */
  readonly subnetIds: readonly string[];
  readonly clusterName: string;
  /** The state bucket the bootstrap stack creates. */
  readonly stateBucket: string;
  /** Identity Center: the identity store and a user name the Grafana admins are looked up by. */
  readonly identityStoreId: string;
  readonly adminUserName: string;
  /** Chart repository serving the pinned charts on loopback (an internal mirror, as the config allows). */
  readonly chartRepository: string;
  /** An AMP workspace made by hand (console), to adopt. */
  readonly existingWorkspaceId?: string;
  /** The tutorial's `prometheus` namespace and Helm release run in the cluster: adopt them. */
  readonly tutorialInstalled?: boolean;
}

/**
 * The passes of the run: the in-cluster Prometheus with apply-time credentials from the AWS provider's
 * ephemeral token, then the switch to the managed collector with `exec` credentials (aws eks get-token).
 */
export type CollectorMode = "prometheus" | "managed";

/** Environment name of the run (stacks `e2e-network`, ...). */
export const E2E_ENV = "e2e";

/** The e2e environment, with the collector the pass deploys. */
export function e2eEnvironment(infra: ExistingInfrastructure, mode: CollectorMode): EnvironmentInput {
  const adoptWorkspace = mode === "prometheus" && infra.existingWorkspaceId;
  return {
    name: E2E_ENV,
    accountId: infra.accountId,
    region: infra.region,
    protect: false,
    tags: { owner: "e2e" },
    clusters: [
      {
        name: infra.clusterName,
        oidcProvider: "lookup",
        auth: { method: mode === "prometheus" ? "ephemeral" : "exec" },
        collector:
          mode === "prometheus"
            ? {
                type: "prometheus",
                chartRepository: infra.chartRepository,
                persistentVolumeSize: "8Gi",
                ...(infra.tutorialInstalled ? { adopt: { namespace: true, release: true } } : {}),
              }
            : { type: "managed", subnetIds: [...infra.subnetIds], chartRepository: infra.chartRepository },
        ebsCsi: { addonVersion: "v1.38.1-eksbuild.1" },
      },
    ],
    network: {
      vpcId: infra.vpcId,
      vpcCidrs: [infra.vpcCidr],
      endpointSubnetIds: [...infra.subnetIds],
    },
    // requireVpcEndpoint: the ingest grant names the network stack's endpoint, read through remote state.
    // The adopted workspace is protected from destroy; the managed pass drops the adoption (the workspace
    // is in state by then) so the run can destroy it at the end.
    amp: {
      alias: `${E2E_ENV}-metrics`,
      retentionDays: 30,
      requireVpcEndpoint: true,
      ...(adoptWorkspace ? { adoptWorkspaceId: infra.existingWorkspaceId } : {}),
    },
    grafana: {
      name: `${E2E_ENV}-grafana`,
      admins: { userNames: [infra.adminUserName] },
      identityCenter: {
        identityStoreId: infra.identityStoreId,
        accountId: infra.accountId,
        region: infra.region,
      },
      grafanaComDashboards: [],
    },
    alerting: { emails: ["oncall@example.com"] },
    // GitHub Actions deploy and plan roles (bootstrap-github-aws-<account>), and the plan readers' RBAC.
    github: { repository: "example-org/eksmon" },
    // The ingestion budget adds CloudWatch alarms on AMP's usage metrics (moto serves CloudWatch).
    metrics: { budget: { monthlyIngestionUsd: 100, activeSeries: 100_000 } },
    backend: { type: "s3", bucket: infra.stateBucket },
  };
}
