/**
 * What the hand-written grafana provider bindings are checked against: the arguments (Required + Optional) of
 * each block as documented in the "Schema" sections of grafana/terraform-provider-grafana's docs
 * (docs/index.md, docs/resources/folder.md, docs/resources/data_source.md, docs/resources/dashboard.md).
 * When the provider schema dumped by `terraform providers schema -json` exists at
 * ~/.cache/eksmon/terraform/schema.json, provider.test.ts also checks these names against it.
 */
/** Documented arguments (Required + Optional) of each block, per the provider docs. */
export const DOCUMENTED = {
  // docs/index.md "Schema > Optional" (subset: the Grafana-instance arguments)
  provider: [
    "auth",
    "ca_cert",
    "http_headers",
    "insecure_skip_verify",
    "org_id",
    "retries",
    "retry_status_codes",
    "retry_wait",
    "store_dashboard_sha256",
    "tls_cert",
    "tls_key",
    "url",
  ],
  // docs/resources/folder.md
  grafana_folder: ["title", "org_id", "uid"],
  // docs/resources/data_source.md
  grafana_data_source: [
    "name",
    "type",
    "access_mode",
    "basic_auth_enabled",
    "basic_auth_username",
    "database_name",
    "http_headers",
    "is_default",
    "json_data_encoded",
    "org_id",
    "secure_json_data_encoded",
    "uid",
    "url",
    "username",
  ],
  // docs/resources/dashboard.md
  grafana_dashboard: ["config_json", "folder", "message", "org_id", "overwrite"],
};

/** Meta-arguments cdktf writes beside a block's own arguments. */
const META = new Set(["//", "depends_on", "provider", "lifecycle", "count", "for_each"]);

/** The arguments a synthesized block sets, without meta-arguments. */
export const attributesOf = (block: Record<string, unknown>) =>
  Object.keys(block).filter((k) => !META.has(k));

/** The only resource of a type in a synthesized stack. */
export function onlyOf(
  json: { resource: Record<string, Record<string, Record<string, unknown>>> },
  type: string,
) {
  const all = Object.values(json.resource[type]);
  expect(all).toHaveLength(1);
  return all[0];
}
