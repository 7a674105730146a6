import { GrafanaWorkspace } from "@cdktf/provider-aws/lib/grafana-workspace";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { Construct } from "constructs";
import { type PolicyStatement, policyDocument } from "../../lib/iam";

/** What the AMG workspace role may do on the AMP workspace: query only. */
export const AMP_QUERY_ACTIONS = [
  "aps:QueryMetrics",
  "aps:GetSeries",
  "aps:GetLabels",
  "aps:GetMetricMetadata",
];

/** What the AMG workspace role may read of the AMP ruler: the rules and the alerts they fire. */
export const AMP_RULE_READ_ACTIONS = ["aps:ListRules", "aps:ListAlerts"];

export interface GrafanaWorkspaceProps {
  /** Workspace name. */
  readonly name: string;
  /** Workspace description. */
  readonly description: string;
  /** Grafana version (upgrade only). */
  readonly grafanaVersion: string;
  /** AWS data sources the workspace may use. */
  readonly dataSources: string[];
  /** Notification destinations (SNS). */
  readonly notificationDestinations: string[];
  /** Name of the workspace's IAM role. */
  readonly roleName: string;
  /** ARN of the AMP workspace Grafana queries. */
  readonly ampWorkspaceArn: string;
  /** SNS topics Grafana-managed alerts may publish to (besides `grafana*` topics when SNS is enabled). */
  readonly alertTopicArns?: string[];
  /** KMS keys encrypting those topics (publishing needs kms:GenerateDataKey* and kms:Decrypt). */
  readonly alertTopicKeyArns?: string[];
  /** Account of the workspace (trust condition, SNS scope). */
  readonly accountId: string;
  /** Region of the workspace. */
  readonly region: string;
  /** AWS partition. */
  readonly partition: string;
  /** Refuse plans that destroy the workspace (dashboards, users' settings). */
  readonly preventDestroy: boolean;
}

/**
 * An Amazon Managed Grafana workspace in the current account, signed into with IAM Identity Center,
 * with its own IAM role that may query exactly one AMP workspace. (SERVICE_MANAGED workspaces created
 * through the API get no AMP permissions of their own: without this role users see "No data".)
 */
export class AmgWorkspace extends Construct {
  /** The workspace. */
  readonly workspace: GrafanaWorkspace;
  /** The role the workspace assumes. */
  readonly role: IamRole;
  /** Workspace id. */
  readonly workspaceId: string;
  /** https:// URL of the workspace. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: GrafanaWorkspaceProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      description: `Amazon Managed Grafana workspace ${props.name}`,
      assumeRolePolicy: policyDocument({
        Sid: "GrafanaWorkspacesOfThisAccount",
        Effect: "Allow",
        Principal: { Service: "grafana.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": props.accountId },
          ArnLike: {
            "aws:SourceArn": `arn:${props.partition}:grafana:${props.region}:${props.accountId}:/workspaces/*`,
          },
        },
      }),
    });
    const statements: PolicyStatement[] = [
      {
        Sid: "QueryAmpWorkspace",
        Effect: "Allow",
        Action: AMP_QUERY_ACTIONS,
        Resource: props.ampWorkspaceArn,
      },
      {
        Sid: "DescribeAmpWorkspace",
        Effect: "Allow",
        Action: "aps:DescribeWorkspace",
        Resource: props.ampWorkspaceArn,
      },
      {
        // Read-only: Grafana's alert list shows the rules AMP evaluates and the alerts firing.
        Sid: "ListAmpRulesAndAlerts",
        Effect: "Allow",
        Action: AMP_RULE_READ_ACTIONS,
        Resource: props.ampWorkspaceArn,
      },
    ];
    const topics = [
      ...(props.notificationDestinations.includes("SNS")
        ? [`arn:${props.partition}:sns:${props.region}:${props.accountId}:grafana*`]
        : []),
      ...(props.alertTopicArns ?? []),
    ];
    if (topics.length > 0) {
      statements.push({ Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: topics });
    }
    if (props.alertTopicKeyArns?.length) {
      statements.push({
        Sid: "EncryptAlertsForTopics",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: props.alertTopicKeyArns,
      });
    }
    new IamRolePolicy(this, "policy", {
      role: this.role.name,
      name: props.roleName,
      policy: policyDocument(...statements),
    });

    this.workspace = new GrafanaWorkspace(this, "workspace", {
      name: props.name,
      description: props.description,
      accountAccessType: "CURRENT_ACCOUNT",
      authenticationProviders: ["AWS_SSO"],
      permissionType: "SERVICE_MANAGED",
      grafanaVersion: props.grafanaVersion,
      dataSources: props.dataSources,
      notificationDestinations: props.notificationDestinations,
      roleArn: this.role.arn,
      lifecycle: { preventDestroy: props.preventDestroy },
    });
    this.workspaceId = this.workspace.id;
    this.url = `https://${this.workspace.endpoint}`;
  }
}
