/** Typed binding for `grafana_data_source` (docs/resources/data_source.md of grafana/terraform-provider-grafana). */
import { type TerraformMetaArguments, TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { GRAFANA_PROVIDER_METADATA } from "./provider";

export interface GrafanaDataSourceProps extends TerraformMetaArguments {
  /** Unique name shown in Grafana. */
  readonly name: string;
  /** Data source type keyword, e.g. "prometheus". */
  readonly type: string;
  /** URL of the data source. @default none (right for CloudWatch, which calls the AWS API of its region) */
  readonly url?: string;
  /** Stable uid: dashboards refer to the data source by it. */
  readonly uid: string;
  /** Make it the organization's default data source. @default unset: the provider's default */
  readonly isDefault?: boolean;
  /** `proxy` (server side, needed for SigV4) or `direct`. @default unset: the provider's default */
  readonly accessMode?: "proxy" | "direct";
  /** Non-secret settings (`jsonData`), serialized to `json_data_encoded`. @default none */
  readonly jsonData?: Record<string, unknown>;
}

/** A Grafana data source. */
export class GrafanaDataSource extends TerraformResource {
  static readonly tfResourceType = "grafana_data_source";
  private readonly props: GrafanaDataSourceProps;

  constructor(scope: Construct, id: string, props: GrafanaDataSourceProps) {
    super(scope, id, {
      terraformResourceType: GrafanaDataSource.tfResourceType,
      terraformGeneratorMetadata: GRAFANA_PROVIDER_METADATA,
      ...props,
    });
    this.props = props;
  }

  /** The data source's uid (a reference: consumers are created after it). */
  get uid(): string {
    return this.getStringAttribute("uid");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      name: this.props.name,
      type: this.props.type,
      url: this.props.url,
      uid: this.props.uid,
      is_default: this.props.isDefault,
      access_mode: this.props.accessMode,
      json_data_encoded: this.props.jsonData ? JSON.stringify(this.props.jsonData) : undefined,
    };
  }
}
