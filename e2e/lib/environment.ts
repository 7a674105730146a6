/**
 * The environments the e2e deploys: built from the ids of what the harness created in the emulators (the
 * user's existing VPC, subnets, EKS clusters, Identity Center user, and what a user made by hand before:
 * an AMP workspace, the tutorial's namespace and Helm release), then validated and synthesized by the
 * project's own code (validateEnvironments, synthesizeApp) like any environment in environments/. Besides
 * the run's environment (two clusters writing to one workspace), the one the upgrade stage deploys with the
 * previous release (its configuration shape) and then with this one.
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
  /** The first EKS cluster: no `id`, so its stack and names are those of a one-cluster environment. */
  readonly clusterName: string;
  /** A second EKS cluster in the same VPC, with the id `green`, writing into the same workspace. @default none */
  readonly greenClusterName?: string;
  /** The state bucket the bootstrap stack creates. */
  readonly stateBucket: string;
  /** Identity Center: the identity store and a user name the Grafana admins are looked up by. */
  readonly identityStoreId: string;
  readonly adminUserName: string;
  /** Chart repository serving the pinned charts on loopback (an internal mirror, as the config allows). */
  readonly chartRepository: string;
  /** An AMP workspace made by hand (console), to adopt. */
  readonly existingWorkspaceId?: string;
  /** The tutorial's `prometheus` namespace and Helm release run in the first cluster: adopt them. */
  readonly tutorialInstalled?: boolean;
}

/**
 * The passes of the run: the in-cluster Prometheus with apply-time credentials from the AWS provider's
 * ephemeral token, then the switch of the first cluster to the managed collector with `exec` credentials
 * (aws eks get-token).
 */
export type CollectorMode = "prometheus" | "managed";

/** Environment name of the run (stacks `e2e-network`, `e2e-cluster-e2e-eks`, `e2e-cluster-green`, ...). */
export const E2E_ENV = "e2e";
/** The id of the second cluster: its stack `e2e-cluster-green`, its AWS names `eksmon-e2e-green-...`. */
export const GREEN_ID = "green";

/** What the issue-16 stages change on the second cluster (each on its own; nothing by default). */
export interface GreenVariant {
  /** Adopt the `prometheus` namespace and release a tutorial install left in it. @default false */
  readonly adoptTutorial?: boolean;
  /** `collector.exporters.nodeExporter`. @default "install" (the schema's) */
  readonly nodeExporter?: "install" | "existing";
}

/** Which clusters the environment has, and how the second one is set up. */
export interface EnvironmentOptions {
  /** The second cluster (`green`) is in the configuration. @default true when the infrastructure has one */
  readonly green?: boolean;
  readonly greenVariant?: GreenVariant;
  /** The first cluster's `oidcProvider` as an ARN instead of "lookup" (a wrong one: issue 16 item 7). @default "lookup" */
  readonly firstOidcProviderArn?: string;
}

/** The e2e environment, with the collector the first cluster runs in this pass. */
export function e2eEnvironment(
  infra: ExistingInfrastructure,
  mode: CollectorMode,
  options: EnvironmentOptions = {},
): EnvironmentInput {
  const adoptWorkspace = mode === "prometheus" && infra.existingWorkspaceId;
  const green = options.green ?? infra.greenClusterName !== undefined;
  if (green && !infra.greenClusterName) throw new Error("e2eEnvironment: no second cluster to configure");
  const variant = options.greenVariant ?? {};
  return {
    name: E2E_ENV,
    accountId: infra.accountId,
    region: infra.region,
    protect: false,
    tags: { owner: "e2e" },
    clusters: [
      {
        name: infra.clusterName,
        oidcProvider: options.firstOidcProviderArn ? { arn: options.firstOidcProviderArn } : "lookup",
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
      // The second cluster of a blue/green upgrade (docs/operations.md): same VPC (it shares the endpoint),
      // its own id, an in-cluster Prometheus that stays while the first one switches collectors.
      ...(green
        ? [
            {
              name: infra.greenClusterName!,
              id: GREEN_ID,
              oidcProvider: "lookup" as const,
              auth: { method: "ephemeral" as const },
              collector: {
                type: "prometheus" as const,
                chartRepository: infra.chartRepository,
                persistentVolumeSize: "8Gi",
                ...(variant.nodeExporter ? { exporters: { nodeExporter: variant.nodeExporter } } : {}),
                ...(variant.adoptTutorial ? { adopt: { namespace: true, release: true } } : {}),
              },
              ebsCsi: { addonVersion: "v1.38.1-eksbuild.1" },
            },
          ]
        : []),
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

// --- the upgrade from the previous release ---

/** The previous release the upgrade stage deploys first: 0.2.0, one cluster, its collector in cluster-monitoring. */
export const PREVIOUS_RELEASE = {
  version: "0.2.0",
  commit: "9863491ec5d8f49bc59cdd958cbda0733d877828",
} as const;

/** Environment name of the upgrade stage (its own VPC, cluster, workspace and state keys). */
export const UPGRADE_ENV = "e2eup";

/** What the upgrade stage's environment is made of (its own VPC and EKS cluster, the run's account). */
export interface UpgradeInfrastructure {
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly subnetIds: readonly string[];
  readonly clusterName: string;
  readonly stateBucket: string;
  readonly identityStoreId: string;
  readonly adminUserName: string;
  readonly chartRepository: string;
}

/** What both releases' environments share (unchanged by the upgrade). */
function upgradeCommon(infra: UpgradeInfrastructure) {
  return {
    name: UPGRADE_ENV,
    accountId: infra.accountId,
    region: infra.region,
    protect: false,
    tags: { owner: "e2e" },
    network: { vpcId: infra.vpcId, vpcCidrs: [infra.vpcCidr], endpointSubnetIds: [...infra.subnetIds] },
    amp: { alias: `${UPGRADE_ENV}-metrics`, retentionDays: 30, requireVpcEndpoint: true },
    alerting: { emails: ["oncall@example.com"] },
    github: { repository: "example-org/eksmon" },
    metrics: { budget: { monthlyIngestionUsd: 100, activeSeries: 100_000 } },
    // Same key prefix in both releases (the default, eksmon/<env>): the upgrade plans against 0.2's state.
    backend: { type: "s3" as const, bucket: infra.stateBucket },
  };
}

/** The one cluster's settings, the same in both shapes. */
function upgradeCluster(infra: UpgradeInfrastructure) {
  return {
    cluster: {
      name: infra.clusterName,
      oidcProvider: "lookup" as const,
      auth: { method: "ephemeral" as const },
    },
    collector: {
      type: "prometheus" as const,
      chartRepository: infra.chartRepository,
      persistentVolumeSize: "8Gi",
    },
    ebsCsi: { addonVersion: "v1.38.1-eksbuild.1" },
  };
}

/**
 * The environment in the previous release's configuration shape (0.2.0, its scripts/lib/e2e/environment.ts):
 * `cluster`, `collector` and `ebsCsi` at the environment level, the identity store under `grafana.admins`.
 * Typed loosely: this release's schema refuses it (saying where each field went).
 */
export function previousReleaseEnvironment(infra: UpgradeInfrastructure): Record<string, unknown> {
  return {
    ...upgradeCommon(infra),
    ...upgradeCluster(infra),
    grafana: {
      name: `${UPGRADE_ENV}-grafana`,
      admins: {
        userNames: [infra.adminUserName],
        identityStoreId: infra.identityStoreId,
        identityCenter: { accountId: infra.accountId, region: infra.region },
      },
      grafanaComDashboards: [],
    },
  };
}

/**
 * The same environment in this release's shape (docs/upgrading.md): the cluster in `clusters`, without an
 * id (it keeps the environment's names), taking its resources over from `<env>-cluster-monitoring` on this
 * deploy (`adopt.clusterMonitoringStack`, one-shot: `takeOver: false` is the configuration after it).
 */
export function upgradedEnvironment(infra: UpgradeInfrastructure, takeOver = true): EnvironmentInput {
  const { cluster, collector, ebsCsi } = upgradeCluster(infra);
  return {
    ...upgradeCommon(infra),
    clusters: [
      { ...cluster, collector, ebsCsi, ...(takeOver ? { adopt: { clusterMonitoringStack: true } } : {}) },
    ],
    grafana: {
      name: `${UPGRADE_ENV}-grafana`,
      admins: { userNames: [infra.adminUserName] },
      identityCenter: {
        identityStoreId: infra.identityStoreId,
        accountId: infra.accountId,
        region: infra.region,
      },
      grafanaComDashboards: [],
    },
  };
}
