import { PrometheusWorkspace } from "@cdktf/provider-aws/lib/prometheus-workspace";
import { PrometheusWorkspaceConfiguration } from "@cdktf/provider-aws/lib/prometheus-workspace-configuration";
import { Construct } from "constructs";
import { importExisting } from "../../lib/adoption";
import { actions, type IGrantable, type PolicyStatement } from "../../lib/iam";
import { AMP_ACTIONS } from "./actions";
import { AmpWorkspaceLogs, type AmpWorkspaceLogsProps } from "./workspace-logs";

/**
 * An AMP workspace, made in this stack (`new AmpWorkspace`) or read from another stack's state
 * (`AmpWorkspace.fromAttributes`): what constructs read of it, and what roles may be granted on it.
 */
export interface IAmpWorkspace {
  /** Workspace id (ws-...). */
  readonly workspaceId: string;
  /** Workspace ARN. */
  readonly arn: string;
  /** Workspace alias. */
  readonly alias: string;
  /** Prometheus-compatible query endpoint, ending in `/` (Grafana's data-source URL). */
  readonly prometheusEndpoint: string;
  /** `<endpoint>api/v1/remote_write`: where collectors write. */
  readonly remoteWriteUrl: string;
  /**
   * Lets `grantee` remote-write samples to this workspace, and nothing else.
   * @param options.viaEndpoint only through this VPC endpoint id (`aws:SourceVpce`)
   */
  grantRemoteWrite(grantee: IGrantable, options?: { viaEndpoint?: string }): void;
  /** Lets `grantee` query this workspace (PromQL, series, labels, metadata) and describe it. */
  grantQuery(grantee: IGrantable): void;
  /** Lets `grantee` list this workspace's rules and firing alerts. */
  grantReadRules(grantee: IGrantable): void;
}

/** What another stack's state says of a workspace (`AmpWorkspace.fromAttributes`). */
export interface AmpWorkspaceAttributes {
  /** Workspace id (ws-...). */
  readonly workspaceId: string;
  /** Workspace ARN. */
  readonly arn: string;
  /** Workspace alias. */
  readonly alias: string;
  /** Prometheus-compatible endpoint, ending in `/`. */
  readonly prometheusEndpoint: string;
}

/** The grants, from the workspace's ARN alone. */
abstract class AmpWorkspaceBase extends Construct implements IAmpWorkspace {
  abstract readonly workspaceId: string;
  abstract readonly arn: string;
  abstract readonly alias: string;
  abstract readonly prometheusEndpoint: string;

  get remoteWriteUrl(): string {
    return `${this.prometheusEndpoint}api/v1/remote_write`;
  }

  grantRemoteWrite(grantee: IGrantable, options: { viaEndpoint?: string } = {}): void {
    const statement: PolicyStatement = {
      Sid: "RemoteWriteToThisWorkspace",
      Effect: "Allow",
      Action: actions(AMP_ACTIONS.remoteWrite),
      Resource: this.arn,
    };
    grantee.addToPolicy(
      options.viaEndpoint
        ? { ...statement, Condition: { StringEquals: { "aws:SourceVpce": options.viaEndpoint } } }
        : statement,
    );
  }

  grantQuery(grantee: IGrantable): void {
    grantee.addToPolicy(
      { Sid: "QueryAmpWorkspace", Effect: "Allow", Action: actions(AMP_ACTIONS.query), Resource: this.arn },
      {
        Sid: "DescribeAmpWorkspace",
        Effect: "Allow",
        Action: actions(AMP_ACTIONS.describe),
        Resource: this.arn,
      },
    );
  }

  grantReadRules(grantee: IGrantable): void {
    grantee.addToPolicy({
      // Read-only: Grafana's alert list shows the rules AMP evaluates and the alerts firing.
      Sid: "ListAmpRulesAndAlerts",
      Effect: "Allow",
      Action: actions(AMP_ACTIONS.readRules),
      Resource: this.arn,
    });
  }
}

export interface AmpWorkspaceProps {
  /** Workspace alias. */
  readonly alias: string;
  /** Days AMP keeps samples. */
  readonly retentionDays: number;
  /** Customer-managed KMS key. @default an AWS-owned key */
  readonly kmsKeyArn?: string;
  /** Refuse any plan that destroys the workspace (and its metrics). */
  readonly preventDestroy: boolean;
  /**
   * Tag keys other services add to the workspace (e.g. `AMPAgentlessScraper`), left alone by plans.
   * @default none: every tag is Terraform's
   */
  readonly ignoredTagKeys?: string[];
  /** Id of an existing workspace (ws-...) to import instead of creating one. @default none: create */
  readonly adoptWorkspaceId?: string;
  /**
   * Active-series limits per label set: new series of a label set over its limit are refused at ingestion,
   * so one exploding label cannot take the rest of the workspace with it. `{}` is the default bucket.
   * @default none: the default bucket without a limit is written, which clears limits set before
   */
  readonly labelSetLimits?: readonly { labelSet: Record<string, string>; maxSeries: number }[];
  /** Rule-evaluation and alert-manager errors into a CloudWatch Logs log group (created here). @default none */
  readonly logging?: AmpWorkspaceLogsProps;
}

/**
 * The limits written when none are configured: the default bucket (`{}`, series matching no other label
 * set) with `maxSeries` 0, which AMP documents as "no limit enforced". Leaving `limits_per_label_set` out
 * instead would not remove limits set before: hashicorp/terraform-provider-aws,
 * internal/service/amp/workspace_configuration.go (5.100.0 and the 6.x source alike) sends the planned
 * configuration to UpdateWorkspaceConfiguration, a PATCH, where an absent block becomes an absent
 * `limitsPerLabelSet`, which changes nothing; an empty block list is refused (`SizeAtLeast(1)`); and its
 * delete does nothing (`WithNoOpDelete`). The limits would stay in AMP, and each refresh would read them
 * back into a plan that never converges. Writing this one entry replaces whatever list AMP holds.
 */
const NO_LABEL_SET_LIMITS = [{ labelSet: {}, maxSeries: 0 }] as const;

/** An Amazon Managed Service for Prometheus workspace with its retention setting. */
export class AmpWorkspace extends AmpWorkspaceBase {
  /** A workspace made elsewhere, from what another stack's state says of it. */
  static fromAttributes(scope: Construct, id: string, attrs: AmpWorkspaceAttributes): IAmpWorkspace {
    return new (class extends AmpWorkspaceBase {
      readonly workspaceId = attrs.workspaceId;
      readonly arn = attrs.arn;
      readonly alias = attrs.alias;
      readonly prometheusEndpoint = attrs.prometheusEndpoint;
    })(scope, id);
  }

  /** The workspace. */
  readonly workspace: PrometheusWorkspace;
  readonly alias: string;
  readonly workspaceId: string;
  readonly arn: string;
  readonly prometheusEndpoint: string;

  /** Where the workspace's rule and alert manager errors go, when logging is on. */
  readonly logs?: AmpWorkspaceLogs;

  constructor(scope: Construct, id: string, props: AmpWorkspaceProps) {
    super(scope, id);
    this.logs = props.logging ? new AmpWorkspaceLogs(this, "logs", props.logging) : undefined;
    this.workspace = new PrometheusWorkspace(this, "workspace", {
      alias: props.alias,
      kmsKeyArn: props.kmsKeyArn,
      // AMP requires the log group's ARN with ":*"; the log group and the delivery permission come first.
      loggingConfiguration: this.logs ? { logGroupArn: `${this.logs.logGroupArn}:*` } : undefined,
      dependsOn: this.logs?.dependables,
      lifecycle: {
        preventDestroy: props.preventDestroy,
        ...(props.ignoredTagKeys?.length
          ? { ignoreChanges: props.ignoredTagKeys.map((key) => `tags["${key}"]`) }
          : {}),
      },
    });
    if (props.adoptWorkspaceId) importExisting(this.workspace, props.adoptWorkspaceId);
    // Creating the configuration updates it (AMP has no create call for it): fine on an adopted workspace.
    new PrometheusWorkspaceConfiguration(this, "configuration", {
      workspaceId: this.workspace.id,
      retentionPeriodInDays: props.retentionDays,
      limitsPerLabelSet: (props.labelSetLimits?.length ? props.labelSetLimits : NO_LABEL_SET_LIMITS).map(
        (l) => ({ labelSet: l.labelSet, limits: [{ maxSeries: l.maxSeries }] }),
      ),
    });
    this.alias = props.alias;
    this.workspaceId = this.workspace.id;
    this.arn = this.workspace.arn;
    this.prometheusEndpoint = this.workspace.prometheusEndpoint;
  }
}
