/**
 * Which commit an environment last deployed, from the runs of the deploy workflow: the scheduled
 * maintenance (.github/workflows/maintain.yml) renews the token and checks drift on that commit, never on a
 * newer one that the deploy (and its approvals) has not applied yet. Pure: the fetching is in
 * scripts/deployed-commit.ts; unit-tested in __tests__/scripts/deployed-commit.test.ts.
 */

/** One run of the deploy workflow with its jobs, newest first as the API lists them. */
export interface DeployRun {
  readonly head_sha: string;
  readonly jobs: readonly { readonly name: string; readonly conclusion: string | null }[];
}

/**
 * Whether a job is the deploy of `environment`: deploy-environment.yml names it `deploy <env>`; called from
 * deploy.yml it shows as `<caller job> / deploy <env>`.
 */
export function isDeployJobOf(jobName: string, environment: string): boolean {
  return jobName === `deploy ${environment}` || jobName.endsWith(` / deploy ${environment}`);
}

/** The commit of the newest run whose deploy of `environment` succeeded, or undefined when none did. */
export function lastDeployedCommit(runs: readonly DeployRun[], environment: string): string | undefined {
  return runs.find((run) =>
    run.jobs.some((job) => isDeployJobOf(job.name, environment) && job.conclusion === "success"),
  )?.head_sha;
}
