/** AmpRules: one rule group namespace per rule file, in the workspace's ruler, as literal YAML. */
import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { AmpRules, ruleFileYaml } from "../../../constructs/amp/rules";
import { AmpWorkspace } from "../../../constructs/amp/workspace";
import { type RuleFile, ruleClustersOf, ruleFilesFor, ruleParamsOf } from "../../../monitoring/rules";
import { exampleEnv, resourcesOf, type StackJson } from "../../helpers";

const recording: RuleFile = {
  groups: [
    { name: "node", rules: [{ record: "node:cpu:rate5m", expr: "sum(rate(node_cpu_seconds_total[5m]))" }] },
  ],
};
const alerting: RuleFile = {
  groups: [
    {
      name: "collector",
      rules: [
        {
          alert: "CollectorSilent",
          expr: "absent(up)",
          for: "10m",
          labels: { severity: "critical" },
          annotations: { summary: "{{ $labels.job }} down; ${not} a %{template}" },
        },
      ],
    },
  ],
};

function build(ruleFiles: Record<string, RuleFile>) {
  const stack = new TerraformStack(Testing.app(), "test");
  const workspace = AmpWorkspace.fromAttributes(stack, "amp", {
    workspaceId: "ws-test",
    arn: "arn:aws:aps:eu-central-1:123456789012:workspace/ws-test",
    alias: "test",
    prometheusEndpoint: "https://aps-workspaces.eu-central-1.amazonaws.com/workspaces/ws-test/",
  });
  const rules = new AmpRules(stack, "rules", { workspace, ruleFiles });
  return { rules, json: JSON.parse(Testing.synth(stack)) as StackJson };
}

describe("AmpRules", () => {
  const { rules, json } = build({ recording, alerts: alerting });
  const namespaces = Object.values(resourcesOf(json, "aws_prometheus_rule_group_namespace"));

  it("creates one namespace per rule file, named after it, in the workspace", () => {
    expect(namespaces.map((n) => n.name).sort()).toEqual(["alerts", "recording"]);
    for (const n of namespaces) expect(n.workspace_id).toBe("ws-test");
    expect(Object.keys(rules.namespaces).sort()).toEqual(["alerts", "recording"]);
  });

  it("writes each file as the YAML the ruler reads, the same rules as given", () => {
    const byName = Object.fromEntries(namespaces.map((n) => [n.name, n.data as string]));
    expect(parse(byName.recording)).toEqual(recording);
  });

  it("keeps Prometheus templates and keeps Terraform from reading ${ or %{ as its own", () => {
    const data = namespaces.find((n) => n.name === "alerts")?.data as string;
    expect(data).toContain("{{ $labels.job }}");
    expect(data).toContain("$${not} a %%{template}");
    expect(parse(data.replaceAll("$${", "${").replaceAll("%%{", "%{"))).toEqual(alerting);
  });

  it("creates nothing for no rule files", () => {
    expect(resourcesOf(build({}).json, "aws_prometheus_rule_group_namespace")).toEqual({});
  });

  it("writes YAML that reads back as every rule file an example environment ships, and as tricky strings", () => {
    for (const name of ["dev", "staging", "prod"]) {
      const env = exampleEnv(name);
      for (const file of Object.values(ruleFilesFor(ruleClustersOf(env), ruleParamsOf(env))))
        expect(parse(ruleFileYaml(file))).toEqual(file);
    }
    const tricky = [
      "",
      "10",
      "1 - x",
      "-1",
      "yes",
      "No",
      "null",
      "~",
      "a: b",
      "a #b",
      "ends:",
      " lead",
      "trail ",
      "[dev/{{ $labels.cluster }}] x",
      "{{ $value }}",
      '"quoted"',
      "'single'",
      "a\nb",
      "tab\there",
      "back\\slash",
      "@at",
      "`tick`",
      "%pct",
      "* star",
      "& amp",
      "! bang",
      "| pipe",
      "> gt",
      "? q",
      ", comma",
      "ünïcode — ok",
    ];
    const file: RuleFile = {
      groups: [
        {
          name: "tricky",
          rules: tricky.map((t, i) => ({
            alert: `A${i}`,
            expr: t,
            labels: { severity: t },
            annotations: { summary: t },
          })),
        },
      ],
    };
    expect(parse(ruleFileYaml(file))).toEqual(file);
  });

  it("renders equal files alike and keeps a long expression on one line", () => {
    expect(ruleFileYaml(structuredClone(recording))).toBe(ruleFileYaml(recording));
    expect(ruleFileYaml(alerting)).not.toBe(ruleFileYaml(recording));
    const expr = Array.from({ length: 20 }, (_, i) => `rate(metric_number_${i}_total[5m])`).join(" + ");
    const yaml = ruleFileYaml({ groups: [{ name: "long", rules: [{ record: "long:sum", expr }] }] });
    expect(yaml).toContain(`expr: ${expr}\n`);
  });
});
