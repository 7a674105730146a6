/** Names shared by stacks, tests and scripts: one place decides how things are called. */

/** The project's one short name: tags, resource names, state key and workspace prefixes, caches. */
export const PROJECT = "eksmon";

/** `<env>-<kind>`: so `cdktf deploy '<env>-*'` deploys one environment. */
export function stackName(env: string, kind: string): string {
  return `${env}-${kind}`;
}

/** Bootstrap stacks are named `bootstrap-<what>-<id>`: never matched by an environment's `'<env>-*'` glob. */
export const BOOTSTRAP_PREFIX = "bootstrap";

/** The S3 state bootstrap stack of an AWS account. */
export function stateBootstrapStackName(accountId: string): string {
  return `${BOOTSTRAP_PREFIX}-state-${accountId}`;
}

/** The Terraform Cloud bootstrap stack of an organization (workspaces, project, variables). */
export function tfcBootstrapStackName(hostname: string, organization: string): string {
  const host = hostname === "app.terraform.io" ? "" : `${hostname.replace(/\./g, "-")}-`;
  return `${BOOTSTRAP_PREFIX}-tfc-${host}${organization}`;
}

/** The AWS side of Terraform Cloud workload identity in one account (OIDC provider, run roles). */
export function tfcAwsBootstrapStackName(accountId: string): string {
  return `${BOOTSTRAP_PREFIX}-tfc-aws-${accountId}`;
}

/** The GitHub Actions side of an account: OIDC provider, deploy and plan roles, their cluster access. */
export function githubAwsBootstrapStackName(accountId: string): string {
  return `${BOOTSTRAP_PREFIX}-github-aws-${accountId}`;
}

/** The role an environment's deploy job assumes (GitHub environment `<env>`). */
export function githubDeployRoleName(env: string): string {
  return resourceName(env, "github-deploy");
}

/** The role an environment's pull-request plans assume. */
export function githubPlanRoleName(env: string): string {
  return resourceName(env, "github-plan");
}

/** Prefix of every account-wide resource name of an environment: `eksmon-<env>`. */
export function resourcePrefix(env: string): string {
  return `${PROJECT}-${env}`;
}

/** Name of an IAM role or other account-wide resource of an environment (<= 64 characters). */
export function resourceName(env: string, purpose: string): string {
  return `${resourcePrefix(env)}-${purpose}`;
}

/** The IAM role an environment's Terraform Cloud applies assume (configurable, `<project>-<env>-tfc-run` by default). */
export function tfcRunRoleName(env: string, configured?: string): string {
  return configured ?? resourceName(env, "tfc-run");
}

/** The IAM role an environment's Terraform Cloud plans assume (configurable, `<project>-<env>-tfc-plan` by default). */
export function tfcPlanRoleName(env: string, configured?: string): string {
  return configured ?? resourceName(env, "tfc-plan");
}
