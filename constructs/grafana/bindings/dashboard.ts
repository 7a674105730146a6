/** Typed binding for `grafana_dashboard` (docs/resources/dashboard.md of grafana/terraform-provider-grafana). */
import { type TerraformMetaArguments, TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { escapeTerraformTemplate } from "../../../lib/terraform";
import { GRAFANA_PROVIDER_METADATA } from "./provider";

export interface GrafanaDashboardProps extends TerraformMetaArguments {
  /**
   * The dashboard model as JSON text. Literal text: `${` and `%{` (Grafana variables) are escaped so
   * Terraform does not read them as interpolation. Pass a Terraform expression (e.g. a data source's
   * attribute) through `configJsonExpression` instead. Exactly one of the two is given.
   * @default none: `configJsonExpression` is required
   */
  readonly configJson?: string;
  /** A Terraform expression yielding the dashboard JSON (not escaped). @default none: `configJson` is required */
  readonly configJsonExpression?: string;
  /** uid of the folder the dashboard goes in. */
  readonly folder: string;
  /** Replace a dashboard with the same uid or title made by hand. @default unset: the provider's default */
  readonly overwrite?: boolean;
  /** Version-history message. @default none */
  readonly message?: string;
}

/** A Grafana dashboard. */
export class GrafanaDashboard extends TerraformResource {
  static readonly tfResourceType = "grafana_dashboard";
  private readonly props: GrafanaDashboardProps;

  constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id, {
      terraformResourceType: GrafanaDashboard.tfResourceType,
      terraformGeneratorMetadata: GRAFANA_PROVIDER_METADATA,
      ...props,
    });
    if ((props.configJson === undefined) === (props.configJsonExpression === undefined)) {
      throw new Error("GrafanaDashboard: set exactly one of configJson and configJsonExpression");
    }
    this.props = props;
  }

  /** Full URL of the dashboard. */
  get url(): string {
    return this.getStringAttribute("url");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      config_json:
        this.props.configJson !== undefined
          ? escapeTerraformTemplate(this.props.configJson)
          : this.props.configJsonExpression,
      folder: this.props.folder,
      overwrite: this.props.overwrite,
      message: this.props.message,
    };
  }
}
