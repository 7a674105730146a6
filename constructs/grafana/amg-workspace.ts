import { GrafanaWorkspace } from "@cdktf/provider-aws/lib/grafana-workspace";
import { Construct } from "constructs";
import { importExisting } from "../../lib/adoption";
import { type AwsTarget, arn } from "../../lib/aws";
import type { IGrantable, PolicyStatement } from "../../lib/iam";
import type { IAmpWorkspace } from "../amp/workspace";
import { Role } from "../iam/role";

/** Sid of the CloudWatch read statement (the only `Resource: "*"` of the workspace's role). */
export const CLOUDWATCH_READ_SID = "ReadCloudWatchMetrics";

/** An Amazon Managed Grafana workspace, made in this stack or read from another stack's state. */
export interface IAmgWorkspace {
  /** Workspace id (g-...). */
  readonly workspaceId: string;
  /** https:// URL of the workspace. */
  readonly url: string;
}

/** What another stack's state says of a workspace (`AmgWorkspace.fromAttributes`). */
export interface AmgWorkspaceAttributes {
  /** Workspace id (g-...). */
  readonly workspaceId: string;
  /** https:// URL of the workspace. @default unknown: only what needs the id can use it */
  readonly url?: string;
}

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
  /** The AMP workspace Grafana queries (and whose rules and alerts it lists). */
  readonly ampWorkspace: IAmpWorkspace;
  /**
   * SNS topics Grafana-managed alerts may publish to (besides `grafana*` topics when SNS is enabled).
   * @default none
   */
  readonly alertTopicArns?: string[];
  /** KMS keys encrypting those topics (publishing needs kms:GenerateDataKey* and kms:Decrypt). @default none */
  readonly alertTopicKeyArns?: string[];
  /** Account (trust condition, SNS scope), region and partition of the workspace. */
  readonly target: AwsTarget;
  /** Refuse plans that destroy the workspace (dashboards, users' settings). */
  readonly preventDestroy: boolean;
  /** Id of an existing workspace (g-...) to import instead of creating one. @default none: create */
  readonly adoptWorkspaceId?: string;
}

/**
 * An Amazon Managed Grafana workspace in the current account, signed into with IAM Identity Center,
 * with its own IAM role that may query exactly one AMP workspace. `CUSTOMER_MANAGED`: AWS's CreateWorkspace
 * reference says workspaces created through the API (Terraform included) must use it and bring their own
 * role; `SERVICE_MANAGED` lets AMG create roles only from the console. The provider changes
 * `permission_type` in place (UpdateWorkspace), so switching never replaces a workspace (docs/upgrading.md).
 */
export class AmgWorkspace extends Construct implements IAmgWorkspace, IGrantable {
  /** A workspace made elsewhere, from what another stack's state says of it. */
  static fromAttributes(scope: Construct, id: string, attrs: AmgWorkspaceAttributes): IAmgWorkspace {
    return new (class extends Construct implements IAmgWorkspace {
      readonly workspaceId = attrs.workspaceId;
      get url(): string {
        if (attrs.url === undefined) throw new Error(`${this.node.path}: the workspace's url was not given`);
        return attrs.url;
      }
    })(scope, id);
  }

  /** The workspace. */
  readonly workspace: GrafanaWorkspace;
  /** The role the workspace assumes (grants add to its inline policy). */
  readonly role: Role;
  /** Workspace id. */
  readonly workspaceId: string;
  /** https:// URL of the workspace. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: GrafanaWorkspaceProps) {
    super(scope, id);
    // "Default": the role's resources keep the addresses they had before the role was its own construct.
    this.role = new Role(this, "Default", {
      roleName: props.roleName,
      description: `Amazon Managed Grafana workspace ${props.name}`,
      trust: [
        {
          Sid: "GrafanaWorkspacesOfThisAccount",
          Effect: "Allow",
          Principal: { Service: "grafana.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": props.target.accountId },
            ArnLike: { "aws:SourceArn": arn(props.target, "grafana", "/workspaces/*") },
          },
        },
      ],
    });
    props.ampWorkspace.grantQuery(this);
    props.ampWorkspace.grantReadRules(this);
    const topics = [
      ...(props.notificationDestinations.includes("SNS") ? [arn(props.target, "sns", "grafana*")] : []),
      ...(props.alertTopicArns ?? []),
    ];
    if (topics.length > 0) {
      this.addToPolicy({ Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: topics });
    }
    if (props.alertTopicKeyArns?.length) {
      this.addToPolicy({
        Sid: "EncryptAlertsForTopics",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: props.alertTopicKeyArns,
      });
    }

    this.workspace = new GrafanaWorkspace(this, "workspace", {
      name: props.name,
      description: props.description,
      accountAccessType: "CURRENT_ACCOUNT",
      authenticationProviders: ["AWS_SSO"],
      permissionType: "CUSTOMER_MANAGED",
      grafanaVersion: props.grafanaVersion,
      dataSources: props.dataSources,
      notificationDestinations: props.notificationDestinations,
      roleArn: this.role.roleArn,
      lifecycle: { preventDestroy: props.preventDestroy },
      // Data sources query with the role as soon as the workspace is up: wait for its policy too.
      dependsOn: this.role.policy ? [this.role.policy] : undefined,
    });
    if (props.adoptWorkspaceId) importExisting(this.workspace, props.adoptWorkspaceId);
    this.workspaceId = this.workspace.id;
    this.url = `https://${this.workspace.endpoint}`;
  }

  /**
   * Lets the workspace's role read CloudWatch metrics (the CloudWatch data source: GetMetricData for
   * queries, ListMetrics for the query editor). Neither action supports resource-level permissions or a
   * condition key to narrow it, hence `Resource: "*"` (listed in WILDCARD_RESOURCE_ALLOWLIST).
   */
  allowCloudWatchMetricsRead(): void {
    this.addToPolicy({
      Sid: CLOUDWATCH_READ_SID,
      Effect: "Allow",
      Action: ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"],
      Resource: "*",
    });
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.role.addToPolicy(...statements);
  }
}
