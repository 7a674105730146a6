import { adoptionFlags } from "../../../config/adoption";
import {
  adoptionReminder,
  destroyRefusal,
  parseCommandLine,
  pullRequestSkipReason,
  stacksInOrder,
  UsageError,
} from "../../../scripts/lib/cli";
import { exampleEnv } from "../../helpers";

const KNOWN = ["dev", "staging", "prod"];
/** dev with its one cluster. */
const DEV = { name: "dev", clusters: [{ key: "dev-eks" }] };

function usageError(argv: string[]): string {
  try {
    parseCommandLine(argv, KNOWN);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error("expected a UsageError");
}

describe("parseCommandLine", () => {
  it("reads the command, the environment and the command's options", () => {
    expect(parseCommandLine(["plan", "dev", "--no-lock", "--report", "out/dev.json"], KNOWN)).toMatchObject({
      command: "plan",
      environment: "dev",
      noLock: true,
      report: "out/dev.json",
      skipSynth: false,
    });
    expect(parseCommandLine(["destroy", "prod", "--force-unprotected"], KNOWN)).toMatchObject({
      command: "destroy",
      forceUnprotected: true,
      autoApprove: false,
    });
    expect(parseCommandLine(["deploy", "staging", "--auto-approve"], KNOWN).autoApprove).toBe(true);
  });

  it("plans a pull request without the lock, and says which stacks it skips and why", () => {
    expect(parseCommandLine(["plan", "dev", "--pull-request"], KNOWN)).toMatchObject({
      noLock: true,
      pullRequest: true,
    });
    const skipped = stacksInOrder(DEV, "plan").filter((s) => pullRequestSkipReason(s, "dev"));
    expect(skipped).toEqual(["dev-grafana-token", "dev-grafana-config"]);
    expect(pullRequestSkipReason("dev-grafana-token", "dev")).toMatch(/service-account token \(ADMIN\)/);
    expect(pullRequestSkipReason("dev-grafana", "dev")).toBeUndefined();
  });

  it("names the known environments when given an unknown one", () => {
    expect(usageError(["plan", "qa"])).toBe(
      'unknown environment "qa" (expected one of: dev, staging, prod; see environments/index.ts)',
    );
  });

  it("asks for an environment when none is given", () => {
    expect(usageError(["deploy"])).toContain(
      "deploy: no environment given (expected one of: dev, staging, prod)",
    );
  });

  it("rejects unknown commands, unknown options and options of another command", () => {
    expect(usageError(["apply", "dev"])).toContain(
      'unknown command "apply" (expected one of: plan, deploy, destroy',
    );
    expect(usageError(["plan", "dev", "--force"])).toContain("Unknown option '--force'");
    expect(usageError(["deploy", "prod", "--force-unprotected"])).toBe(
      "deploy: --force-unprotected does not apply (expected --auto-approve)",
    );
    expect(usageError(["plan", "dev", "staging"])).toContain('unexpected argument "staging"');
    expect(usageError(["maintain", "prod", "--auto-approve"])).toBe(
      "maintain: --auto-approve does not apply (expected --report, --skip-synth)",
    );
    expect(parseCommandLine(["maintain", "prod", "--report", "r.json"], KNOWN)).toMatchObject({
      command: "maintain",
      report: "r.json",
      noLock: false,
    });
  });
});

describe("stacksInOrder", () => {
  it("plans and deploys in dependency order and destroys in reverse", () => {
    const order = [
      "dev-network",
      "dev-cluster-monitoring",
      "dev-cluster-dev-eks",
      "dev-grafana",
      "dev-grafana-token",
      "dev-grafana-config",
    ];
    expect(stacksInOrder(DEV, "plan")).toEqual(order);
    expect(stacksInOrder(DEV, "deploy")).toEqual(order);
    expect(stacksInOrder(DEV, "destroy")).toEqual([...order].reverse());
  });
});

describe("destroyRefusal", () => {
  it("refuses a protected environment and says how to override", () => {
    expect(destroyRefusal("prod", true, false)).toMatch(
      /^refusing to destroy "prod": it is protected .* npm run destroy -- prod --force-unprotected/,
    );
  });

  it("lets an unprotected environment, or an explicit override, through", () => {
    expect(destroyRefusal("dev", false, false)).toBeUndefined();
    expect(destroyRefusal("prod", true, true)).toBeUndefined();
  });

  it("refuses while adoption fields are set, naming each: after a destroy their imports would fail the plan", () => {
    const flags = adoptionFlags(exampleEnv("dev"));
    expect(destroyRefusal("dev", false, false, flags)).toBe(
      'refusing to destroy "dev": environments/dev.ts still adopts what existed before this project (clusters[0].collector.adopt.namespace, clusters[0].collector.adopt.release). Adoption imports once: after a destroy those objects are gone, and the next plan would fail with "Cannot import non-existent remote object". Remove those fields (they did their work at the first apply; ebsCsi.driver back to "addon"), then destroy again.',
    );
    expect(destroyRefusal("dev", false, false, [])).toBeUndefined();
  });
});

describe("adoptionReminder", () => {
  it("tells, after a deploy, which adoption fields to remove now", () => {
    expect(adoptionReminder("staging", adoptionFlags(exampleEnv("staging")))).toMatch(
      /^staging: adoption done\. Remove amp\.adoptWorkspaceId, clusters\[0\]\.ebsCsi\.driver: "adopt" from environments\/staging\.ts now/,
    );
    // prod moves its cluster's resources from the workspace stack (upgrading from 0.2): one deploy only.
    expect(adoptionReminder("prod", adoptionFlags(exampleEnv("prod")))).toMatch(
      /^prod: adoption done\. Remove clusters\[0\]\.adopt\.clusterMonitoringStack from environments\/prod\.ts now/,
    );
    expect(
      adoptionReminder("prod", adoptionFlags(exampleEnv("prod", (e) => delete e.clusters[0].adopt))),
    ).toBeUndefined();
  });
});
