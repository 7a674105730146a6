/** Typed binding for `grafana_folder` (docs/resources/folder.md of grafana/terraform-provider-grafana). */
import { type TerraformMetaArguments, TerraformResource } from "cdktf";
import type { Construct } from "constructs";
import { GRAFANA_PROVIDER_METADATA } from "./provider";

export interface GrafanaFolderProps extends TerraformMetaArguments {
  /** Folder title shown in Grafana. */
  readonly title: string;
  /** Stable unique identifier (dashboards refer to the folder by it). */
  readonly uid: string;
}

/** A Grafana folder. */
export class GrafanaFolder extends TerraformResource {
  static readonly tfResourceType = "grafana_folder";
  private readonly props: GrafanaFolderProps;

  constructor(scope: Construct, id: string, props: GrafanaFolderProps) {
    super(scope, id, {
      terraformResourceType: GrafanaFolder.tfResourceType,
      terraformGeneratorMetadata: GRAFANA_PROVIDER_METADATA,
      ...props,
    });
    this.props = props;
  }

  /** The folder's uid, as Grafana stores it (a reference, so dashboards are created after the folder). */
  get uid(): string {
    return this.getStringAttribute("uid");
  }

  /** Full URL of the folder. */
  get url(): string {
    return this.getStringAttribute("url");
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { title: this.props.title, uid: this.props.uid };
  }
}
