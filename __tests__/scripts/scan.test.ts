/**
 * `npm run scan` (scripts/scan.sh) and the configuration it runs checkov with: every skip has a reason,
 * nothing is skipped wholesale.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const root = join(__dirname, "..", "..");
const text = readFileSync(join(root, ".checkov.yaml"), "utf8");
const config = parse(text) as Record<string, unknown>;

describe(".checkov.yaml", () => {
  const skips = (config["skip-check"] ?? []) as string[];

  it("skips checks only by id, never by severity, and never turns failures into warnings", () => {
    for (const id of skips) expect(id).toMatch(/^CKV2?_[A-Z0-9]+_\d+$/);
    expect(config).not.toHaveProperty("soft-fail");
    expect(config).not.toHaveProperty("soft-fail-on");
    expect(config).not.toHaveProperty("hard-fail-on");
    expect(config).not.toHaveProperty("check"); // an allowlist of checks would skip every other one
  });

  it("gives every skipped check a reason in the comment right above it", () => {
    for (const id of skips) {
      // "# <ID> (...): <reason>" then optional comment lines, then "- <ID>".
      expect(text).toMatch(new RegExp(`# ${id}\\b[^\\n]*\\w[^\\n]*\\n(\\s*#[^\\n]*\\n)*\\s*- ${id}\\n`));
    }
  });

  it("scans Terraform JSON with the project's own policies, offline", () => {
    expect(config.framework).toEqual(["terraform_json"]);
    expect(config["external-checks-dir"]).toEqual(["checkov"]);
    expect(config["skip-download"]).toBe(true);
  });

  it("replaces a skipped check with a project policy where the check is only wrong about a resource type", () => {
    const policy = parse(readFileSync(join(root, "checkov", "sg-attached-to-resource.yaml"), "utf8"));
    expect(skips).toContain("CKV2_AWS_5");
    expect(policy.metadata.id).toBe("CKV2_EKSMON_1");
    expect(policy.definition.and[1].connected_resource_types).toEqual(
      expect.arrayContaining(["aws_prometheus_scraper", "aws_vpc_endpoint", "aws_grafana_workspace"]),
    );
  });
});

describe("scripts/scan.sh", () => {
  const script = readFileSync(join(root, "scripts", "scan.sh"), "utf8");

  it("runs checkov with that configuration and fails on a stack checkov could not parse", () => {
    expect(script).toMatch(/"\$checkov" --config-file \.checkov\.yaml --directory /);
    expect(script).toContain("Parsing errors: [1-9]");
  });
});
