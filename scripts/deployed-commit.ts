/**
 * `node -r esbuild-register scripts/deployed-commit.ts <env> [--workflow deploy.yml] [--branch main] [--runs 50]`:
 * prints the commit whose deploy of `<env>` last succeeded (the newest run of the deploy workflow on the
 * branch with a successful `deploy <env>` job), or nothing, saying why on stderr. For the scheduled
 * maintenance workflow. Reads GITHUB_API_URL, GITHUB_REPOSITORY and GH_TOKEN (or GITHUB_TOKEN), as set in
 * GitHub Actions; the token needs `actions: read`.
 */
import { parseArgs } from "node:util";
import { type DeployRun, lastDeployedCommit } from "./lib/deployed-commit";

async function github<T>(url: string, token: string): Promise<T> {
  const response = await fetch(url, {
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${token}`,
      "x-github-api-version": "2022-11-28",
    },
  });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workflow: { type: "string", default: "deploy.yml" },
      branch: { type: "string", default: "main" },
      runs: { type: "string", default: "50" },
    },
  });
  const [environment] = positionals;
  const api = process.env.GITHUB_API_URL || "https://api.github.com";
  const repository = process.env.GITHUB_REPOSITORY;
  const token = process.env.GH_TOKEN || process.env.GITHUB_TOKEN;
  if (!environment || !repository || !token) {
    process.stderr.write(
      "usage: deployed-commit.ts <environment> (with GITHUB_REPOSITORY and GH_TOKEN or GITHUB_TOKEN set)\n",
    );
    return 2;
  }
  const list = await github<{ workflow_runs: { head_sha: string; jobs_url: string }[] }>(
    `${api}/repos/${repository}/actions/workflows/${values.workflow}/runs?branch=${encodeURIComponent(values.branch)}&per_page=${values.runs}`,
    token,
  );
  // Newest first; stop at the first run with a successful deploy of the environment.
  for (const run of list.workflow_runs) {
    const { jobs } = await github<{ jobs: DeployRun["jobs"] }>(`${run.jobs_url}?per_page=100`, token);
    const sha = lastDeployedCommit([{ head_sha: run.head_sha, jobs }], environment);
    if (sha) {
      process.stdout.write(`${sha}\n`);
      return 0;
    }
  }
  process.stderr.write(
    `no successful "deploy ${environment}" job in the last ${list.workflow_runs.length} runs of ${values.workflow} on ${values.branch}\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  },
);
