/** AmpRules: one rule group namespace per rule file, in the workspace's ruler, as literal YAML. */
import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { AmpRules, ruleFileYaml } from "../../../constructs/amp/rules";
import { AmpWorkspace } from "../../../constructs/amp/workspace";
import type { RuleFile } from "../../../monitoring/rules";
import { resourcesOf, type StackJson } from "../../helpers";

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

  it("renders equal files alike and keeps a long expression on one line", () => {
    expect(ruleFileYaml(structuredClone(recording))).toBe(ruleFileYaml(recording));
    expect(ruleFileYaml(alerting)).not.toBe(ruleFileYaml(recording));
    const expr = Array.from({ length: 20 }, (_, i) => `rate(metric_number_${i}_total[5m])`).join(" + ");
    const yaml = ruleFileYaml({ groups: [{ name: "long", rules: [{ record: "long:sum", expr }] }] });
    expect(yaml).toContain(`expr: ${expr}\n`);
  });
});
