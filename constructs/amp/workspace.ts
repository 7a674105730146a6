import { PrometheusWorkspace } from "@cdktf/provider-aws/lib/prometheus-workspace";
import { PrometheusWorkspaceConfiguration } from "@cdktf/provider-aws/lib/prometheus-workspace-configuration";
import { Construct } from "constructs";
import { importExisting } from "../../lib/adoption";
import { actions, type IGrantable, type PolicyStatement } from "../../lib/iam";
import { AMP_ACTIONS } from "./actions";

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
   * @default none
   */
  readonly labelSetLimits?: readonly { labelSet: Record<string, string>; maxSeries: number }[];
}

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

  constructor(scope: Construct, id: string, props: AmpWorkspaceProps) {
    super(scope, id);
    this.workspace = new PrometheusWorkspace(this, "workspace", {
      alias: props.alias,
      kmsKeyArn: props.kmsKeyArn,
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
      limitsPerLabelSet: props.labelSetLimits?.length
        ? props.labelSetLimits.map((l) => ({ labelSet: l.labelSet, limits: [{ maxSeries: l.maxSeries }] }))
        : undefined,
    });
    this.alias = props.alias;
    this.workspaceId = this.workspace.id;
    this.arn = this.workspace.arn;
    this.prometheusEndpoint = this.workspace.prometheusEndpoint;
  }
}
