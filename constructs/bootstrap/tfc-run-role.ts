import type { Construct } from "constructs";
import { Role } from "../iam/role";
import { TFC_AWS_AUDIENCE } from "./tfc-oidc-provider";

export interface TfcRunRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  /** What the role is for, shown in IAM. */
  readonly description: string;
  /** ARN of the account's IAM OIDC provider for the Terraform Cloud hostname. */
  readonly oidcProviderArn: string;
  /** Terraform Cloud hostname (prefix of the `:aud` and `:sub` condition keys). */
  readonly hostname: string;
  /** Organization of the workspaces. */
  readonly organization: string;
  /** Project of the workspaces. */
  readonly project: string;
  /** Exactly the workspaces whose runs may assume the role. */
  readonly workspaces: readonly string[];
  /**
   * The run phase that may assume it: plans run whatever configuration queued them (a pull request's
   * too), so they get a read-only role of their own (TFC_AWS_PLAN_ROLE_ARN); applies the deploying one
   * (TFC_AWS_APPLY_ROLE_ARN).
   */
  readonly runPhase: "plan" | "apply";
  /** Managed policies granting what those runs deploy. */
  readonly policyArns: readonly string[];
  /** Permissions boundary. @default none */
  readonly permissionsBoundaryArn?: string;
}

/** The `sub` claim of an HCP Terraform run token of one run phase. */
export function tfcRunSubject(
  organization: string,
  project: string,
  workspace: string,
  runPhase: "plan" | "apply",
): string {
  return `organization:${organization}:project:${project}:workspace:${workspace}:run_phase:${runPhase}`;
}

/**
 * An IAM role HCP Terraform runs of one phase assume through workload identity (dynamic credentials):
 * trusted only for the listed workspaces of one organization and project, that run phase, and the HCP
 * Terraform audience.
 */
export class TfcRunRole extends Role {
  /** The `sub` patterns the trust policy allows. */
  readonly subjects: string[];

  constructor(scope: Construct, id: string, props: TfcRunRoleProps) {
    const subjects = props.workspaces.map((ws) =>
      tfcRunSubject(props.organization, props.project, ws, props.runPhase),
    );
    super(scope, id, {
      roleName: props.roleName,
      description: props.description,
      maxSessionSeconds: 3600,
      permissionsBoundaryArn: props.permissionsBoundaryArn,
      managedPolicyArns: props.policyArns,
      trust: [
        {
          Sid: "TerraformCloudRuns",
          Effect: "Allow",
          Principal: { Federated: props.oidcProviderArn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            // Exact subjects: organization, project, workspace and run phase.
            StringEquals: {
              [`${props.hostname}:aud`]: TFC_AWS_AUDIENCE,
              [`${props.hostname}:sub`]: subjects,
            },
          },
        },
      ],
    });
    this.subjects = subjects;
    // Attachments were `policy-<index>` before they were keyed by ARN.
    this.movedAttachmentsFromIndex("policy-", props.policyArns);
  }
}
