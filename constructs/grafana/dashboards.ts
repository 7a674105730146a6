import { DataHttp } from "@cdktf/provider-http/lib/data-http";
import { HttpProvider } from "@cdktf/provider-http/lib/provider";
import { Fn, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { PROJECT } from "../../lib/naming";
import { ensureProvider } from "../../lib/providers";
import { escapeTerraformTemplate } from "../../lib/terraform";
import { GrafanaDashboard } from "./bindings/dashboard";
import { GrafanaFolder } from "./bindings/folder";

/** A dashboard of grafana.com, downloaded at apply time. */
export interface GrafanaComDashboard {
  /** Dashboard id on grafana.com (e.g. 3119). */
  readonly id: number;
  /** Revision to download (pinned: a new revision is a reviewed change). */
  readonly revision: number;
  /** Name of the dashboard's data-source input (`${DS_PROMETHEUS}` in its JSON), mapped to ours. */
  readonly datasourceInput: string;
}

export interface GrafanaDashboardsProps {
  /** Folder title. */
  readonly folderTitle: string;
  /** Folder uid. */
  readonly folderUid: string;
  /**
   * Dashboards to publish: a name (the file name) and the dashboard JSON text; `terraformValues` replaces
   * placeholders in the text by Terraform expressions (e.g. an id read from another stack's state).
   */
  readonly dashboards: {
    name: string;
    json: string;
    /** Placeholder -> Terraform expression. @default none: the text is literal */
    terraformValues?: Record<string, string>;
  }[];
  /** grafana.com dashboards to import (through the stack's `http` provider, created when missing). */
  readonly grafanaComImports: GrafanaComDashboard[];
  /** uid of the data source imported dashboards are pointed at. */
  readonly dataSourceUid: string;
  /** What must exist first (the data source the dashboards query). @default nothing */
  readonly dependsOn?: ITerraformDependable[];
}

/** grafana.com download URL of one revision of a dashboard. */
export function grafanaComDownloadUrl(d: { id: number; revision: number }): string {
  return `https://grafana.com/api/dashboards/${d.id}/revisions/${d.revision}/download`;
}

/** The project's folder and its dashboards: the repository's JSON files, then optional grafana.com imports. */
export class GrafanaDashboards extends Construct {
  /** The folder. */
  readonly folder: GrafanaFolder;
  /** Dashboards from the repository, by file name. */
  readonly dashboards: Record<string, GrafanaDashboard> = {};
  /** Imported dashboards, by grafana.com id. */
  readonly imports: Record<number, GrafanaDashboard> = {};

  constructor(scope: Construct, id: string, props: GrafanaDashboardsProps) {
    super(scope, id);
    this.folder = new GrafanaFolder(this, "folder", { title: props.folderTitle, uid: props.folderUid });
    for (const d of props.dashboards) {
      const values = Object.entries(d.terraformValues ?? {});
      this.dashboards[d.name] = new GrafanaDashboard(this, d.name, {
        folder: this.folder.uid,
        // Escape the literal text only, then put the Terraform expressions in.
        ...(values.length === 0
          ? { configJson: d.json }
          : {
              configJsonExpression: values.reduce(
                (text, [placeholder, value]) => text.replaceAll(placeholder, value),
                escapeTerraformTemplate(d.json),
              ),
            }),
        overwrite: true,
        message: `Managed by ${PROJECT} (cdktf); edits in the UI are overwritten on apply`,
        dependsOn: props.dependsOn,
      });
    }
    if (props.grafanaComImports.length > 0)
      ensureProvider(this, "http", (stack) => new HttpProvider(stack, "http"));
    for (const d of props.grafanaComImports) {
      const download = new DataHttp(this, `grafana-com-${d.id}-download`, {
        url: grafanaComDownloadUrl(d),
        requestHeaders: { Accept: "application/json" },
        lifecycle: {
          postcondition: [
            {
              // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform expression, not a JS template.
              condition: "${self.status_code == 200}",
              errorMessage: `grafana.com dashboard ${d.id} revision ${d.revision} could not be downloaded (expected HTTP 200 from ${grafanaComDownloadUrl(d)}).`,
            },
          ],
        },
      });
      // The dashboard's placeholder, literally `${DS_PROMETHEUS}`: cdktf escapes it to `$${...}` in the call.
      const json = Fn.replace(download.responseBody, `\${${d.datasourceInput}}`, props.dataSourceUid);
      this.imports[d.id] = new GrafanaDashboard(this, `grafana-com-${d.id}`, {
        folder: this.folder.uid,
        configJsonExpression: json,
        overwrite: true,
        message: `grafana.com dashboard ${d.id} revision ${d.revision}`,
        dependsOn: props.dependsOn,
      });
    }
  }
}
