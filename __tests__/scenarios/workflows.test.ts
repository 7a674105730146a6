/** The GitHub workflows keep their promises: pinned actions, and a schedule that reaches every deployed environment. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const DIR = join(__dirname, "..", "..", ".github", "workflows");
const workflow = (file: string) => parse(readFileSync(join(DIR, file), "utf8"));
/** The environments a caller workflow passes to its reusable workflow, job by job. */
const environmentsOf = (file: string) =>
  Object.values(workflow(file).jobs as Record<string, { with?: { environment?: string } }>).map(
    (job) => job.with?.environment,
  );

describe("the workflows", () => {
  it("pin every action to a commit SHA", () => {
    for (const file of readdirSync(DIR)) {
      const uses = [...readFileSync(join(DIR, file), "utf8").matchAll(/uses:\s*(\S+)/g)].map((m) => m[1]);
      for (const use of uses.filter((u) => !u.startsWith("./")))
        expect({ file, use, pinned: /@[0-9a-f]{40}$/.test(use) }).toEqual({ file, use, pinned: true });
    }
  });

  it("maintain, on a schedule, every environment deploy.yml deploys, never alongside its deploy", () => {
    const maintain = workflow("maintain.yml");
    expect(maintain.on.schedule).toEqual([{ cron: expect.any(String) }]);
    expect(environmentsOf("maintain.yml").sort()).toEqual(environmentsOf("deploy.yml").sort());
    const group = (file: string) => Object.values(workflow(file).jobs as Record<string, any>)[0].concurrency;
    expect(group("maintain-environment.yml")).toEqual(group("deploy-environment.yml"));
    expect(readFileSync(join(DIR, "maintain-environment.yml"), "utf8")).toContain("npm run -s maintain --");
  });
});
