/**
 * A typed binding for the grafana/grafana Terraform provider (no prebuilt cdktf binding exists), on cdktf's
 * generic `TerraformProvider`: only the arguments this project sets. Attribute names follow the provider's
 * documented schema (registry.terraform.io/providers/grafana/grafana/latest/docs, "Schema" section).
 */
import { TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

/** The one place the grafana provider version is pinned (exact, like the prebuilt providers). */
export const GRAFANA_PROVIDER_VERSION = "4.23.0";
/** Registry source of the provider. */
export const GRAFANA_PROVIDER_SOURCE = "grafana/grafana";

/** Generator metadata shared by the provider and its resources: pins `required_providers.grafana`. */
export const GRAFANA_PROVIDER_METADATA = {
  providerName: "grafana",
  providerVersion: GRAFANA_PROVIDER_VERSION,
};

export interface GrafanaProviderProps {
  /** Root URL of the Grafana server (https://...). */
  readonly url: string;
  /** Service-account token (or API key) the provider authenticates with. */
  readonly auth: string;
  /** Retries on 429/5xx (AMG throttles bursts of dashboard writes). @default unset: the provider's default */
  readonly retries?: number;
  /** Provider alias, when a stack talks to more than one Grafana. @default none: the default grafana provider */
  readonly alias?: string;
}

/** The `grafana` provider, pointed at one Grafana (here: an AMG workspace). */
export class GrafanaProvider extends TerraformProvider {
  private readonly props: GrafanaProviderProps;

  constructor(scope: Construct, id: string, props: GrafanaProviderProps) {
    super(scope, id, {
      terraformResourceType: "grafana",
      terraformGeneratorMetadata: GRAFANA_PROVIDER_METADATA,
      terraformProviderSource: GRAFANA_PROVIDER_SOURCE,
    });
    this.props = props;
    this.alias = props.alias;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      url: this.props.url,
      auth: this.props.auth,
      retries: this.props.retries,
      alias: this.alias,
    };
  }
}
