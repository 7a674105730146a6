import { isDeployJobOf, lastDeployedCommit } from "../../scripts/lib/deployed-commit";

describe("lastDeployedCommit", () => {
  const runs = [
    // newest: prod still waiting for its approval, staging deployed
    {
      head_sha: "c3",
      jobs: [
        { name: "dev / deploy dev", conclusion: "success" },
        { name: "staging / deploy staging", conclusion: "success" },
        { name: "prod / deploy prod", conclusion: null },
      ],
    },
    {
      head_sha: "c2",
      jobs: [
        { name: "dev / deploy dev", conclusion: "success" },
        { name: "staging / deploy staging", conclusion: "failure" },
      ],
    },
    {
      head_sha: "c1",
      jobs: [
        { name: "dev / deploy dev", conclusion: "success" },
        { name: "staging / deploy staging", conclusion: "success" },
        { name: "prod / deploy prod", conclusion: "success" },
      ],
    },
  ];

  it("is the newest commit whose deploy of that environment succeeded, not the newest commit", () => {
    expect(lastDeployedCommit(runs, "dev")).toBe("c3");
    expect(lastDeployedCommit(runs, "staging")).toBe("c3");
    expect(lastDeployedCommit(runs, "prod")).toBe("c1");
    expect(lastDeployedCommit(runs.slice(0, 2), "prod")).toBeUndefined();
  });

  it("knows the deploy job by its name, called or not, and no other environment's", () => {
    expect(isDeployJobOf("prod / deploy prod", "prod")).toBe(true);
    expect(isDeployJobOf("deploy prod", "prod")).toBe(true);
    expect(isDeployJobOf("prod2 / deploy prod2", "prod")).toBe(false);
    expect(isDeployJobOf("maintain / maintain prod", "prod")).toBe(false);
  });
});
