import { PrometheusRuleGroupNamespace } from "@cdktf/provider-aws/lib/prometheus-rule-group-namespace";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
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

/** Renders a rule file as the YAML AMP (and promtool) reads. */
export function ruleFileYaml(file: RuleFile): string {
  // Environments mostly ship the same rule files, and YAML rendering is a large share of synth time.
  const key = JSON.stringify(file);
  const known = renderedRuleFiles.get(key);
  if (known !== undefined) return known;
  const yaml = stringify(file, { lineWidth: 0 });
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
