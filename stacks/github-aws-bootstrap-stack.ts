import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { GithubActionsRole } from "../constructs/bootstrap/github-actions-role";
import { GithubOidcProvider } from "../constructs/bootstrap/github-oidc";
import {
  grantStateRead,
  grantStateReadWrite,
  type StateLocation,
} from "../constructs/bootstrap/state-access";
import { clusterAccessId, EksClusterAccess } from "../constructs/cluster/cluster-access";
import { configureBootstrapBackend, s3StateKey } from "../lib/backend";
import { githubAwsBootstrapStackName, githubDeployRoleName, githubPlanRoleName } from "../lib/naming";
import { BootstrapStack } from "./bootstrap-stack";
import { stacksOf, TOKEN_STACKS } from "./graph";

/** Longest deploy session: the deploy job's timeout (90 minutes), so a long apply keeps its credentials. */
export const GITHUB_DEPLOY_SESSION_SECONDS = 5400;

/** The environment's S3 state (throws for any other backend; validation allows github with S3 only). */
function stateOf(env: EnvironmentConfig): StateLocation {
  if (env.backend.type !== "s3") throw new Error(`${env.name}: GitHub Actions roles need an S3 backend`);
  return {
    bucket: env.backend.bucket,
    keyPrefix: env.backend.keyPrefix,
    kmsKeyArn: env.backend.kmsKeyArn,
    partition: env.partition,
  };
}

/** The state keys a pull-request plan may read: every stack of the environment but the token's. */
export function plannedStateKeys(env: EnvironmentConfig): string[] {
  const { keyPrefix } = stateOf(env);
  return stacksOf(env)
    .filter((stack) => !(stack.kind in TOKEN_STACKS))
    .map((stack) => s3StateKey(keyPrefix, stack.name));
}

/**
 * `bootstrap-github-aws-<account>`: what GitHub Actions runs Terraform with in one account, for the
 * environments that set `github`: the IAM OIDC provider for GitHub (created or looked up), and per
 * environment a deploy role (job in GitHub environment `<env>`; reads and writes the environment's state;
 * EKS cluster admin) and a plan role (pull requests; reads the state of the stacks pull requests plan and
 * nothing of the Grafana token's; EKS plan reader). The access entries live here, with the identities,
 * so they exist before the environment's stacks need them.
 */
export class GithubAwsBootstrapStack extends BootstrapStack {
  readonly oidcProvider: GithubOidcProvider;
  /** Deploy roles by environment. */
  readonly deployRoles: Record<string, GithubActionsRole> = {};
  /** Plan roles by environment. */
  readonly planRoles: Record<string, GithubActionsRole> = {};
  /** Cluster access of both roles, by environment and cluster name. */
  readonly clusterAccess: Record<string, Record<string, EksClusterAccess>> = {};

  constructor(scope: Construct, accountId: string, envs: readonly EnvironmentConfig[]) {
    super(scope, githubAwsBootstrapStackName(accountId));
    const first = envs[0];
    if (!first?.github) throw new Error(`${this.stackName}: expected environments with a github section`);
    configureBootstrapBackend(this, this.stackName);
    this.awsProvider(accountId, first.region);
    this.oidcProvider = new GithubOidcProvider(this, "github-oidc", { source: first.github.oidcProvider });

    for (const env of envs) {
      const github = env.github;
      if (!github) continue;
      const state = stateOf(env);
      const deploy = new GithubActionsRole(this, `${env.name}-deploy-role`, {
        roleName: githubDeployRoleName(env.name),
        description: `GitHub Actions deploys of ${env.name} (${github.repository}, environment ${env.name})`,
        oidcProviderArn: this.oidcProvider.arn,
        subject: `repo:${github.repository}:environment:${env.name}`,
        maxSessionSeconds: GITHUB_DEPLOY_SESSION_SECONDS,
        policyArns: github.deployRole.policyArns,
        permissionsBoundaryArn: github.deployRole.permissionsBoundaryArn,
      });
      grantStateReadWrite(deploy, state);
      const plan = new GithubActionsRole(this, `${env.name}-plan-role`, {
        roleName: githubPlanRoleName(env.name),
        description: `GitHub Actions pull-request plans of ${env.name} (${github.repository}), read only`,
        oidcProviderArn: this.oidcProvider.arn,
        subject: `repo:${github.repository}:pull_request`,
        policyArns: github.planRole.policyArns,
        permissionsBoundaryArn: github.planRole.permissionsBoundaryArn,
      });
      grantStateRead(plan, state, plannedStateKeys(env));

      this.clusterAccess[env.name] = {};
      for (const cluster of env.clusters) {
        const access = new EksClusterAccess(this, clusterAccessId(env.name, cluster.id), {
          clusterName: cluster.name,
          region: env.region,
          provider: this.regionalProvider(env.region),
          partition: env.partition,
        });
        access.grantDeploy("deploy-role", deploy.roleArn);
        access.grantPlan("plan-role", plan.roleArn);
        this.clusterAccess[env.name][cluster.name] = access;
      }
      this.deployRoles[env.name] = deploy;
      this.planRoles[env.name] = plan;
    }
  }
}
