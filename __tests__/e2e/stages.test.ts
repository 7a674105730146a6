/** The loopback deploy's stage runner: order, E2E_SKIP, dependent stages, teardown after a failure and its order. */
import { parseSkip, STAGES, Stages, summaryLines } from "../../e2e/stages";

/** The e2e's own stages: what the tests below hold is what `npm run e2e` does. */
const SPECS = STAGES;

/** The e2e's shape: a step that stops processes first, destroy registered before bootstrap. */
async function scenario(
  skip: string[],
  fail: Partial<Record<string, "throw" | "check">> = {},
): Promise<{ stages: Stages; ran: string[]; lines: string[] }> {
  const ran: string[] = [];
  const lines: string[] = [];
  let failedChecks = 0;
  const stages = new Stages(SPECS, new Set(skip), {
    say: (l) => lines.push(l),
    failedChecks: () => failedChecks,
  });
  const body = (name: string) => () => {
    ran.push(name);
    if (fail[name] === "throw") throw new Error(`${name} broke:\n    second line\nthird line`);
    if (fail[name] === "check") failedChecks += 2;
  };
  stages.always("stop processes", body("stop processes"));
  await stages.run("seed", body("seed"));
  stages.defer("destroy", body("destroy"));
  for (const name of ["bootstrap", "deploy", "faults", "switch", "remove-cluster", "upgrade", "proofs"])
    await stages.run(name, body(name));
  await stages.finish();
  return { stages, ran, lines };
}

const statuses = (stages: Stages) => Object.fromEntries(stages.summary.map((r) => [r.name, r.status]));

describe("E2E_SKIP", () => {
  it("is empty when unset or blank", () => {
    expect([...parseSkip(undefined, SPECS)]).toEqual([]);
    expect([...parseSkip(" ", SPECS)]).toEqual([]);
  });

  it("names stages, separated by commas (spaces allowed)", () => {
    expect([...parseSkip("faults, switch", SPECS)]).toEqual(["faults", "switch"]);
  });

  it("refuses an unknown name and lists the valid ones", () => {
    expect(() => parseSkip("faults,fault", SPECS)).toThrow(
      'E2E_SKIP names an unknown stage "fault" (the stages: seed, bootstrap, deploy, faults, switch, remove-cluster, upgrade, proofs, destroy)',
    );
    expect(() => parseSkip("x,y", SPECS)).toThrow('unknown stages "x", "y"');
  });
});

describe("stages", () => {
  it("run in order, destroy and the always-step last, in reverse order of registration", async () => {
    const { stages, ran, lines } = await scenario([]);
    expect(ran).toEqual([
      "seed",
      "bootstrap",
      "deploy",
      "faults",
      "switch",
      "remove-cluster",
      "upgrade",
      "proofs",
      "destroy",
      "stop processes",
    ]);
    expect(stages.summary.map((r) => r.status)).toEqual(Array(10).fill("PASSED"));
    expect(stages.failed).toBe(false);
    expect(lines).toContain("\n### stage faults: two applies of one stack at once (S3 lock)");
    expect(lines.some((l) => /^### stage faults PASSED in \d+\.\ds$/.test(l))).toBe(true);
  });

  it("skip what E2E_SKIP names, one line each, and run the rest", async () => {
    const { stages, ran, lines } = await scenario(["faults", "switch"]);
    expect(ran).toEqual([
      "seed",
      "bootstrap",
      "deploy",
      "remove-cluster",
      "upgrade",
      "proofs",
      "destroy",
      "stop processes",
    ]);
    expect(lines).toContain("SKIPPED stage faults (E2E_SKIP)");
    expect(lines).toContain("SKIPPED stage switch (E2E_SKIP)");
    expect(stages.failed).toBe(false);
  });

  it("skip a stage whose input a skipped stage makes, saying which", async () => {
    const { stages, ran, lines } = await scenario(["deploy"]);
    // The upgrade deploys an environment of its own: it needs the state bucket, not the run's environment.
    expect(ran).toEqual(["seed", "bootstrap", "upgrade", "destroy", "stop processes"]);
    expect(lines).toContain("SKIPPED stage deploy (E2E_SKIP)");
    expect(lines).toContain("SKIPPED stage faults (needs deploy, which was skipped)");
    expect(lines).toContain("SKIPPED stage switch (needs deploy, which was skipped)");
    expect(lines).toContain("SKIPPED stage remove-cluster (needs deploy, which was skipped)");
    expect(lines).toContain("SKIPPED stage proofs (needs remove-cluster, which was skipped)");
    expect(statuses(stages).destroy).toBe("PASSED");
  });

  it("skip the teardown of what never ran", async () => {
    const { ran, lines } = await scenario(["bootstrap"]);
    expect(ran).toEqual(["seed", "stop processes"]);
    expect(lines).toContain("SKIPPED stage deploy (needs bootstrap, which was skipped)");
    expect(lines).toContain("SKIPPED stage faults (needs deploy, which was skipped)");
    expect(lines).toContain("SKIPPED stage destroy (bootstrap did not run: nothing to tear down)");
  });

  it("skip a teardown stage E2E_SKIP names; the always-step still runs", async () => {
    const { ran, lines } = await scenario(["destroy"]);
    expect(ran).toEqual([
      "seed",
      "bootstrap",
      "deploy",
      "faults",
      "switch",
      "remove-cluster",
      "upgrade",
      "proofs",
      "stop processes",
    ]);
    expect(lines).toContain("SKIPPED stage destroy (E2E_SKIP)");
  });

  it("stop after a stage throws, then tear down all the same, in reverse order", async () => {
    const { stages, ran, lines } = await scenario([], { deploy: "throw" });
    expect(ran).toEqual(["seed", "bootstrap", "deploy", "destroy", "stop processes"]);
    expect(statuses(stages)).toEqual({
      seed: "PASSED",
      bootstrap: "PASSED",
      deploy: "ERROR",
      faults: "NOT RUN",
      switch: "NOT RUN",
      "remove-cluster": "NOT RUN",
      upgrade: "NOT RUN",
      proofs: "NOT RUN",
      destroy: "PASSED",
      "stop processes": "PASSED",
    });
    expect(lines).toContain("NOT RUN stage faults (stopped after the error in deploy)");
    expect((stages.error as Error).message).toBe("deploy broke:\n    second line\nthird line");
    expect(stages.failed).toBe(true);
  });

  it("tear down last registered first, stages and steps alike", async () => {
    const ran: string[] = [];
    const stages = new Stages(SPECS, new Set(), { say: () => {} });
    stages.always("stop processes", () => {
      ran.push("stop processes");
    });
    stages.always("close servers", () => {
      ran.push("close servers");
    });
    await stages.run("seed", () => {});
    stages.defer("destroy", () => {
      ran.push("destroy");
    });
    await stages.run("bootstrap", () => {});
    stages.always("remove stand-ins", () => {
      ran.push("remove stand-ins");
    });
    await stages.finish();
    expect(ran).toEqual(["remove stand-ins", "destroy", "close servers", "stop processes"]);
  });

  it("run every teardown even when one throws, and keep the first error", async () => {
    const { stages, ran } = await scenario([], { switch: "throw", destroy: "throw" });
    expect(ran).toEqual(["seed", "bootstrap", "deploy", "faults", "switch", "destroy", "stop processes"]);
    expect(statuses(stages).destroy).toBe("ERROR");
    expect(statuses(stages)["stop processes"]).toBe("PASSED");
    expect((stages.error as Error).message).toMatch(/^switch broke/);
  });

  it("tear down after a failure in the first stage (processes started before it failed)", async () => {
    const { stages, ran } = await scenario([], { seed: "throw" });
    expect(ran).toEqual(["seed", "stop processes"]);
    expect(statuses(stages).bootstrap).toBe("NOT RUN");
    expect(statuses(stages).destroy).toBe("SKIPPED");
  });

  it("go on after failed checks, marking the stage FAILED with how many", async () => {
    const { stages, ran } = await scenario([], { faults: "check" });
    expect(ran).toEqual([
      "seed",
      "bootstrap",
      "deploy",
      "faults",
      "switch",
      "remove-cluster",
      "upgrade",
      "proofs",
      "destroy",
      "stop processes",
    ]);
    expect(stages.summary.find((r) => r.name === "faults")).toMatchObject({
      status: "FAILED",
      note: "2 checks failed",
    });
    expect(statuses(stages).switch).toBe("PASSED");
    expect(stages.failed).toBe(true);
  });

  it("skip every later stage with the reason when a stage ends the run", async () => {
    const lines: string[] = [];
    const ran: string[] = [];
    const stages = new Stages(SPECS, new Set(), { say: (l) => lines.push(l) });
    stages.always("stop processes", () => {
      ran.push("stop processes");
    });
    await stages.run("seed", (stage) => stage.end("no Terraform on this machine"));
    stages.defer("destroy", () => {
      ran.push("destroy");
    });
    await stages.run("bootstrap", () => {
      ran.push("bootstrap");
    });
    await stages.finish();
    expect(ran).toEqual(["stop processes"]);
    expect(
      lines.some((l) =>
        /^### stage seed PASSED in .* \(ended the run: no Terraform on this machine\)$/.test(l),
      ),
    ).toBe(true);
    expect(lines).toContain("SKIPPED stage bootstrap (seed ended the run)");
    expect(lines).toContain("SKIPPED stage destroy (bootstrap did not run: nothing to tear down)");
    expect(stages.failed).toBe(false);
  });

  it("refuse a stage that is not declared, and a need that is not a stage", async () => {
    const stages = new Stages(SPECS, new Set());
    await expect(stages.run("fault", () => {})).rejects.toThrow(/no stage named fault \(the stages: seed/);
    expect(() => new Stages([{ name: "a", about: "", needs: ["b"] }], new Set())).toThrow(
      "stage a needs b, which is not a stage",
    );
  });

  it("time each stage", async () => {
    let t = 0;
    const stages = new Stages(SPECS, new Set(), { say: () => {}, now: () => t });
    await stages.run("seed", () => {
      t += 2500;
    });
    expect(stages.summary[0]).toEqual({ name: "seed", status: "PASSED", seconds: 2.5 });
  });
});

describe("the summary table", () => {
  it("has a row per stage with status, seconds and why", async () => {
    const { stages } = await scenario(["faults", "switch"], { destroy: "throw" });
    const lines = summaryLines(
      stages.summary.map((r) => (r.seconds === undefined ? r : { ...r, seconds: 1.25 })),
    );
    expect(lines).toEqual([
      "",
      "== stages",
      "stage           status   seconds",
      "seed            PASSED       1.3",
      "bootstrap       PASSED       1.3",
      "deploy          PASSED       1.3",
      "faults          SKIPPED        -  E2E_SKIP",
      "switch          SKIPPED        -  E2E_SKIP",
      "remove-cluster  PASSED       1.3",
      "upgrade         PASSED       1.3",
      "proofs          PASSED       1.3",
      "destroy         ERROR        1.3  destroy broke: second line",
      "stop processes  PASSED       1.3",
    ]);
  });
});
