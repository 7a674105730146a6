/**
 * Pure parts of the pull-request plan (scripts/pr-plan.ts): which environments a change touches, and
 * the one PR comment summarizing every stack's plan. Unit-tested in __tests__/scripts/lib/pr-comment.test.ts.
 */
import { type EnvironmentPlanReport, type StackPlanResult, summaryLine } from "./plan";

/** Hidden marker the workflow finds the comment by, to update it in place. */
export const COMMENT_MARKER = "<!-- eksmon:plan -->";

/** GitHub rejects comments over 65,536 characters; stay well below. */
export const COMMENT_LIMIT = 60_000;

/** Files whose change cannot affect any environment's Terraform (docs, tests, the loopback deploy test, CI, scripts). */
const NO_INFRA = [
  /^docs\//,
  /^__tests__\//,
  /^e2e\//,
  /^\.github\//,
  /^\.ci\//,
  /^scripts\//,
  /\.md$/,
  /^biome\.json$/,
  /^jest\.config\.js$/,
];

/**
 * The environments whose synthesized Terraform a change may alter: `environments/<env>.ts` touches that
 * environment; any other source (lib/, stacks/, constructs/, main.ts, dependencies, other environments/
 * files) touches all of them; docs, tests and CI touch none.
 */
export function changedEnvironments(files: readonly string[], environments: readonly string[]): string[] {
  const hit = new Set<string>();
  for (const file of files) {
    const own = /^environments\/([a-z0-9]+)\.ts$/.exec(file)?.[1];
    if (own && environments.includes(own)) hit.add(own);
    else if (!NO_INFRA.some((re) => re.test(file))) return [...environments];
  }
  return environments.filter((e) => hit.has(e));
}

function fence(text: string): string {
  // A plan containing ``` would close the block early.
  return `\`\`\`\n${text.replace(/```/g, "ˋˋˋ")}\n\`\`\``;
}

/** Keeps the end of long output (where Terraform puts the plan summary and errors). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `… ${text.length - max} characters cut; the full output is in the workflow log …\n${text.slice(-max)}`;
}

const ICON: Record<StackPlanResult["status"], string> = {
  changes: "🟡",
  "no-changes": "✅",
  "upstream-missing": "⏳",
  skipped: "⏭️",
  error: "❌",
};

/** Options of the rendered comment. */
export interface CommentOptions {
  /** Environments the workflow meant to plan (a missing report means the plan job failed early). */
  readonly expected: readonly string[];
  /** Link to the workflow run. */
  readonly runUrl?: string;
  /** Commit planned. */
  readonly sha?: string;
  /** The cost section (`renderCostDelta` in cost-report.ts), shown before the plans. */
  readonly cost?: string;
}

/** The PR comment: a summary line per stack, each stack's plan or error in a collapsible block. */
export function renderComment(reports: readonly EnvironmentPlanReport[], options: CommentOptions): string {
  const head = [
    COMMENT_MARKER,
    "## Terraform plan",
    "",
    `${options.sha ? `Commit \`${options.sha.slice(0, 12)}\`` : "This pull request"}${options.runUrl ? ` · [workflow run](${options.runUrl})` : ""} · ✅ no changes · 🟡 changes · ⏳ upstream not applied yet · ⏭️ not planned by pull requests · ❌ error`,
    "",
  ];
  if (options.cost) head.push(options.cost);
  if (options.expected.length === 0)
    return [...head, "No environment is affected by this change."].join("\n");
  const byEnv = new Map(reports.map((r) => [r.environment, r]));
  const stackCount = reports.reduce((n, r) => n + r.stacks.length, 0) || 1;
  const budget = Math.max(500, Math.floor((COMMENT_LIMIT - 4000 - (options.cost?.length ?? 0)) / stackCount));
  const body: string[] = [];
  for (const env of options.expected) {
    const report = byEnv.get(env);
    body.push(`### ${env}`, "");
    if (!report) {
      body.push(
        "❌ No plan report: the plan job failed before planning (credentials, install or synth); see the workflow run.",
        "",
      );
      continue;
    }
    for (const r of report.stacks) {
      body.push("<details>", `<summary>${ICON[r.status]} <code>${summaryLine(r)}</code></summary>`, "");
      if (r.status === "upstream-missing")
        body.push(
          "Not a failure: this stack reads outputs of a stack whose state does not exist yet. It plans once the upstream stack is applied (deploy applies stacks in order).",
          "",
        );
      if (r.status === "skipped") {
        body.push(
          `Not planned here: ${r.reason}. It is planned and applied by the deploy pipeline only (docs/operations.md).`,
          "",
          "</details>",
          "",
        );
        continue;
      }
      body.push(fence(truncate(r.output, budget)), "", "</details>", "");
    }
  }
  return [...head, ...body].join("\n");
}

/** True when a stack failed for real, or an expected environment has no report. */
export function hasFailures(reports: readonly EnvironmentPlanReport[], expected: readonly string[]): boolean {
  const planned = new Set(reports.map((r) => r.environment));
  return (
    expected.some((e) => !planned.has(e)) || reports.some((r) => r.stacks.some((s) => s.status === "error"))
  );
}
