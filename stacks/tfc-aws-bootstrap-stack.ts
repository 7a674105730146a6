import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { TfcOidcProvider } from "../constructs/bootstrap/tfc-oidc-provider";
import { TfcRunRole } from "../constructs/bootstrap/tfc-run-role";
import { EksClusterAccess } from "../constructs/cluster/cluster-access";
import { cloudBackendOf, cloudWorkspaceName, configureBootstrapBackend } from "../lib/backend";
import { stackName, tfcAwsBootstrapStackName, tfcRunRoleName } from "../lib/naming";
import { BootstrapStack } from "./bootstrap-stack";
import { STACK_KINDS } from "./graph";

/**
 * `bootstrap-tfc-aws-<account>`: the AWS side of Terraform Cloud dynamic credentials in one account: an
 * IAM OIDC provider per Terraform Cloud hostname, and per environment a run role only that
 * environment's workspaces can assume, with its EKS access entry (cluster admin) on the environment's
 * cluster: created here, by the stack that owns the role, before any run needs it.
 */
export class TfcAwsBootstrapStack extends BootstrapStack {
  /** OIDC providers by hostname. */
  readonly oidcProviders: Record<string, TfcOidcProvider> = {};
  /** Run roles by environment. */
  readonly runRoles: Record<string, TfcRunRole> = {};
  /** Cluster access of the run roles, by environment. */
  readonly clusterAccess: Record<string, EksClusterAccess> = {};

  constructor(scope: Construct, accountId: string, envs: readonly EnvironmentConfig[]) {
    super(scope, tfcAwsBootstrapStackName(accountId));
    configureBootstrapBackend(this, this.stackName);
    this.awsProvider(accountId, envs[0].region);
    for (const env of envs) {
      const backend = cloudBackendOf(env);
      this.oidcProviders[backend.hostname] ??= new TfcOidcProvider(this, `oidc-${backend.hostname}`, {
        hostname: backend.hostname,
      });
      const oidc = this.oidcProviders[backend.hostname];
      this.runRoles[env.name] = new TfcRunRole(this, `${env.name}-run-role`, {
        roleName: tfcRunRoleName(env.name, backend.runRole.name),
        description: `HCP Terraform runs of the ${env.name} workspaces (${backend.organization}/${backend.project})`,
        oidcProviderArn: oidc.arn,
        hostname: backend.hostname,
        organization: backend.organization,
        project: backend.project,
        workspaces: STACK_KINDS.map((kind) =>
          cloudWorkspaceName(backend.workspacePrefix, stackName(env.name, kind)),
        ),
        policyArns: backend.runRole.policyArns,
        permissionsBoundaryArn: backend.runRole.permissionsBoundaryArn,
      });
      // Runs plan and apply with this one role, so it may change what the stacks create in the cluster.
      this.clusterAccess[env.name] = new EksClusterAccess(this, `${env.name}-cluster-access`, {
        clusterName: env.cluster.name,
        region: env.region,
        provider: this.regionalProvider(env.region),
        partition: env.partition,
      });
      this.clusterAccess[env.name].grantDeploy("run-role", this.runRoles[env.name].roleArn);
    }
  }
}
