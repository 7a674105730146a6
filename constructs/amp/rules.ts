import { PrometheusRuleGroupNamespace } from "@cdktf/provider-aws/lib/prometheus-rule-group-namespace";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { importExisting } from "../../lib/adoption";
import { escapeTerraformTemplate } from "../../lib/terraform";
import type { RuleFile } from "../../monitoring/rules";
import type { IAmpWorkspace } from "./workspace";

export interface AmpRulesProps {
  /** The workspace whose ruler evaluates the rules. */
  readonly workspace: IAmpWorkspace;
  /** Rule files by namespace name (1-64 characters); each becomes one rule group namespace. */
  readonly ruleFiles: Record<string, RuleFile>;
}

/**
 * A string as a YAML scalar: plain when YAML reads it back as that string (no indicator first, no `: ` or
 * ` #`, no leading digit or sign, no word YAML 1.1 reads as a boolean or null), else double-quoted, which is
 * JSON's string syntax (a subset of YAML's double-quoted escapes).
 */
function scalar(value: string): string {
  const plain =
    value !== "" &&
    !/^[\s\-?:,[\]{}#&*!|>'"%@`+.\d]/.test(value) &&
    !/: |\s#|:$|\s$|[\n\r\t]/.test(value) &&
    !/^(y|n|yes|no|true|false|on|off|null|~)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/**
 * Renders a rule file as the YAML AMP (and promtool) reads. Written here, not by the yaml package: rule files
 * have one shape (groups of rules of string fields and string maps), and the package took most of the time the
 * rules add to synth (number: docs/performance.md); a test parses every shipped file back.
 */
export function ruleFileYaml(file: RuleFile): string {
  // Environments mostly ship the same rule files.
  const key = JSON.stringify(file);
  const known = renderedRuleFiles.get(key);
  if (known !== undefined) return known;
  const lines = ["groups:"];
  for (const group of file.groups) {
    lines.push(`  - name: ${scalar(group.name)}`);
    if (group.interval !== undefined) lines.push(`    interval: ${scalar(group.interval)}`);
    lines.push("    rules:");
    for (const rule of group.rules) {
      let first = true;
      for (const [field, value] of Object.entries(rule) as [string, string | Record<string, string>][]) {
        if (value === undefined) continue;
        const lead = first ? "      - " : "        ";
        first = false;
        if (typeof value === "string") lines.push(`${lead}${field}: ${scalar(value)}`);
        else {
          lines.push(`${lead}${field}:`);
          for (const [k, v] of Object.entries(value)) lines.push(`          ${scalar(k)}: ${scalar(v)}`);
        }
      }
    }
  }
  const yaml = `${lines.join("\n")}\n`;
  renderedRuleFiles.set(key, yaml);
  return yaml;
}

const renderedRuleFiles = new Map<string, string>();

/** Prometheus rule files in the AMP ruler, one rule group namespace each. */
export class AmpRules extends Construct {
  /** The namespaces, by name. */
  readonly namespaces: Record<string, PrometheusRuleGroupNamespace> = {};
  private readonly workspace: IAmpWorkspace;

  constructor(scope: Construct, id: string, props: AmpRulesProps) {
    super(scope, id);
    this.workspace = props.workspace;
    for (const [name, file] of Object.entries(props.ruleFiles)) {
      this.namespaces[name] = new PrometheusRuleGroupNamespace(this, name, {
        workspaceId: props.workspace.workspaceId,
        name,
        // Literal text: `{{ $labels.x }}` stays, but `${`/`%{` must not reach Terraform as templates.
        data: escapeTerraformTemplate(ruleFileYaml(file)),
      });
    }
  }

  /** Imports the namespaces as they exist in the workspace (by ARN) instead of creating them. */
  importExisting(): void {
    for (const [name, namespace] of Object.entries(this.namespaces))
      importExisting(
        namespace,
        `${Fn.replace(this.workspace.arn, ":workspace/", ":rulegroupsnamespace/")}/${name}`,
      );
  }
}
