import { Variable } from "@cdktf/provider-tfe/lib/variable";
import { Workspace } from "@cdktf/provider-tfe/lib/workspace";
import { WorkspaceSettings } from "@cdktf/provider-tfe/lib/workspace-settings";
import { Construct } from "constructs";

export interface TfcWorkspaceProps {
  /** Workspace name. */
  readonly name: string;
  /** Organization. */
  readonly organization: string;
  /** Id of the project holding the workspace. */
  readonly projectId: string;
  /** What the workspace holds. */
  readonly description: string;
  /** Exact Terraform version runs use. */
  readonly terraformVersion: string;
  /** "remote" or "agent". */
  readonly executionMode: "remote" | "agent";
  /** Agent pool, used with executionMode "agent" (ignored otherwise). @default none */
  readonly agentPoolId?: string;
  /** Allow destroy plans (false for protected environments). */
  readonly allowDestroyPlan: boolean;
  /** Workspaces that may read this workspace's state outputs; nobody else can (no global sharing). */
  readonly remoteStateConsumerIds: readonly string[];
  /** IAM role applies assume through workload identity (TFC_AWS_APPLY_ROLE_ARN, with TFC_AWS_PROVIDER_AUTH). */
  readonly awsApplyRoleArn: string;
  /** IAM role plans assume through workload identity (TFC_AWS_PLAN_ROLE_ARN). */
  readonly awsPlanRoleArn: string;
}

/**
 * A CLI-driven HCP Terraform workspace: pinned Terraform version, explicit execution mode, state shared
 * only with named consumers, AWS credentials from workload identity (no static keys).
 */
export class TfcWorkspace extends Construct {
  /** The workspace. */
  readonly workspace: Workspace;
  /** Workspace id (ws-...). */
  readonly workspaceId: string;
  /** Execution mode and remote-state sharing. */
  readonly settings: WorkspaceSettings;

  constructor(scope: Construct, id: string, props: TfcWorkspaceProps) {
    super(scope, id);
    this.workspace = new Workspace(this, "workspace", {
      name: props.name,
      organization: props.organization,
      projectId: props.projectId,
      description: props.description,
      terraformVersion: props.terraformVersion,
      allowDestroyPlan: props.allowDestroyPlan,
      autoApply: false,
      queueAllRuns: false,
    });
    this.workspaceId = this.workspace.id;
    this.settings = new WorkspaceSettings(this, "settings", {
      workspaceId: this.workspace.id,
      executionMode: props.executionMode,
      agentPoolId: props.executionMode === "agent" ? props.agentPoolId : undefined,
      globalRemoteState: false,
      remoteStateConsumerIds: [...props.remoteStateConsumerIds],
    });
    new Variable(this, "aws-provider-auth", {
      workspaceId: this.workspace.id,
      category: "env",
      key: "TFC_AWS_PROVIDER_AUTH",
      value: "true",
      description: "AWS credentials from HCP Terraform workload identity",
    });
    // "aws-run-role-arn" held TFC_AWS_RUN_ROLE_ARN, one role for both phases: the apply role keeps its address.
    new Variable(this, "aws-run-role-arn", {
      workspaceId: this.workspace.id,
      category: "env",
      key: "TFC_AWS_APPLY_ROLE_ARN",
      value: props.awsApplyRoleArn,
      description: "IAM role applies assume",
    });
    new Variable(this, "aws-plan-role-arn", {
      workspaceId: this.workspace.id,
      category: "env",
      key: "TFC_AWS_PLAN_ROLE_ARN",
      value: props.awsPlanRoleArn,
      description: "IAM role plans assume (read only)",
    });
  }
}
