import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { TfcOidcProvider } from "../constructs/bootstrap/tfc-oidc-provider";
import { TfcRunRole } from "../constructs/bootstrap/tfc-run-role";
import { clusterAccessId, EksClusterAccess } from "../constructs/cluster/cluster-access";
import { cloudBackendOf, cloudWorkspaceName, configureBootstrapBackend } from "../lib/backend";
import { tfcAwsBootstrapStackName, tfcPlanRoleName, tfcRunRoleName } from "../lib/naming";
import { BootstrapStack } from "./bootstrap-stack";
import { stacksOf } from "./graph";

/**
 * `bootstrap-tfc-aws-<account>`: the AWS side of Terraform Cloud dynamic credentials in one account: an
 * IAM OIDC provider per Terraform Cloud hostname, and per environment an apply role and a read-only plan
 * role only that environment's workspaces can assume, each for its run phase, with their EKS access
 * entries on the environment's cluster (cluster admin; the plan readers' group): created here, by the stack
 * that owns the roles, before any run needs them.
 */
export class TfcAwsBootstrapStack extends BootstrapStack {
  /** OIDC providers by hostname. */
  readonly oidcProviders: Record<string, TfcOidcProvider> = {};
  /** Apply roles (TFC_AWS_APPLY_ROLE_ARN) by environment. */
  readonly runRoles: Record<string, TfcRunRole> = {};
  /** Plan roles (TFC_AWS_PLAN_ROLE_ARN) by environment. */
  readonly planRoles: Record<string, TfcRunRole> = {};
  /** Cluster access of the run roles, by environment. */
  readonly clusterAccess: Record<string, Record<string, EksClusterAccess>> = {};

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
      const role = (runPhase: "plan" | "apply") => ({
        description: `HCP Terraform ${runPhase === "plan" ? "plans" : "applies"} of the ${env.name} workspaces (${backend.organization}/${backend.project})`,
        oidcProviderArn: oidc.arn,
        hostname: backend.hostname,
        organization: backend.organization,
        project: backend.project,
        workspaces: stacksOf(env).map((stack) => cloudWorkspaceName(backend.workspacePrefix, stack.name)),
        runPhase,
      });
      // The apply role keeps the run role's addresses (it was the one role of plans and applies).
      this.runRoles[env.name] = new TfcRunRole(this, `${env.name}-run-role`, {
        ...role("apply"),
        roleName: tfcRunRoleName(env.name, backend.runRole.name),
        policyArns: backend.runRole.policyArns,
        permissionsBoundaryArn: backend.runRole.permissionsBoundaryArn,
      });
      this.planRoles[env.name] = new TfcRunRole(this, `${env.name}-plan-role`, {
        ...role("plan"),
        roleName: tfcPlanRoleName(env.name, backend.planRole.name),
        policyArns: backend.planRole.policyArns,
        permissionsBoundaryArn: backend.planRole.permissionsBoundaryArn,
      });
      // Applies change what the stacks create in each cluster; plans read it, as the plan readers' group.
      this.clusterAccess[env.name] = {};
      for (const cluster of env.clusters) {
        const access = new EksClusterAccess(this, clusterAccessId(env.name, cluster.id), {
          clusterName: cluster.name,
          region: env.region,
          provider: this.regionalProvider(env.region),
          partition: env.partition,
        });
        access.grantDeploy("run-role", this.runRoles[env.name].roleArn);
        access.grantPlan("plan-role", this.planRoles[env.name].roleArn);
        this.clusterAccess[env.name][cluster.name] = access;
      }
    }
  }
}
