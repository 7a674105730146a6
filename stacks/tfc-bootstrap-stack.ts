import { Project } from "@cdktf/provider-tfe/lib/project";
import { TfeProvider } from "@cdktf/provider-tfe/lib/provider";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { TfcWorkspace } from "../constructs/bootstrap/tfc-workspace";
import { arn } from "../lib/aws";
import { cloudBackendOf, cloudWorkspaceName, configureBootstrapBackend } from "../lib/backend";
import { tfcBootstrapStackName, tfcPlanRoleName, tfcRunRoleName } from "../lib/naming";
import { BootstrapStack } from "./bootstrap-stack";
import { stackConsumers, stacksOf } from "./graph";

/**
 * `bootstrap-tfc-<organization>`: the projects and workspaces (`<prefix>-<env>-<stack>`) of every
 * Terraform Cloud environment of one organization, each workspace sharing its state with exactly the
 * stacks that read it and getting AWS credentials from workload identity. Apply with a TFE_TOKEN that
 * may manage workspaces; the AWS side is `bootstrap-tfc-aws-<account>`.
 */
export class TfcBootstrapStack extends BootstrapStack {
  /** Projects by name. */
  readonly projects: Record<string, Project> = {};
  /** Workspaces by environment and stack name. */
  readonly workspaces: Record<string, Record<string, TfcWorkspace>> = {};

  constructor(scope: Construct, envs: readonly EnvironmentConfig[]) {
    const first = cloudBackendOf(envs[0]);
    super(scope, tfcBootstrapStackName(first.hostname, first.organization));
    configureBootstrapBackend(this, this.stackName);
    new TfeProvider(this, "tfe", { hostname: first.hostname, organization: first.organization });

    for (const env of envs) {
      const backend = cloudBackendOf(env);
      this.projects[backend.project] ??= new Project(this, `project-${backend.project}`, {
        name: backend.project,
        organization: backend.organization,
        description: `${backend.workspacePrefix}: EKS monitoring with AMP and AMG`,
      });
      const roleArn = (name: string) => arn(env, "iam", `role/${name}`, { region: "" });
      const made: Record<string, TfcWorkspace> = {};
      const stacks = stacksOf(env);
      // Consumers first: a workspace's settings name the ids of the workspaces that read its state.
      for (const { kind, name } of [...stacks].reverse()) {
        const consumers = stacks.filter((s) => stackConsumers(kind).includes(s.kind));
        made[name] = new TfcWorkspace(this, name, {
          name: cloudWorkspaceName(backend.workspacePrefix, name),
          organization: backend.organization,
          projectId: this.projects[backend.project].id,
          description: `cdktf stack ${name}`,
          terraformVersion: backend.terraformVersion,
          executionMode: backend.executionMode,
          agentPoolId: backend.agentPoolId,
          allowDestroyPlan: !env.protect,
          remoteStateConsumerIds: consumers.map((consumer) => made[consumer.name].workspaceId),
          awsApplyRoleArn: roleArn(tfcRunRoleName(env.name, backend.runRole.name)),
          awsPlanRoleArn: roleArn(tfcPlanRoleName(env.name, backend.planRole.name)),
        });
      }
      this.workspaces[env.name] = made;
    }
  }
}
