/**
 * Every provider the project has bindings for, at the version the bindings were generated for: the
 * `@cdktf/provider-*` packages in package.json (their `cdktf.provider` metadata) and the hand-written grafana
 * binding (constructs/grafana/bindings/). These are the versions synth pins in every stack, so they are what
 * .terraform.lock.hcl must record (a test holds the two together).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  GRAFANA_PROVIDER_SOURCE,
  GRAFANA_PROVIDER_VERSION,
} from "../../constructs/grafana/bindings/provider";
import { providerAddress } from "../../lib/provider-lock";

export interface ProjectProvider {
  /** Local name, e.g. `aws`. */
  readonly name: string;
  /** e.g. `registry.terraform.io/hashicorp/aws`. */
  readonly address: string;
  readonly version: string;
}

export function projectProviders(root: string = join(__dirname, "..", "..")): ProjectProvider[] {
  const deps = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).dependencies as Record<
    string,
    string
  >;
  const prebuilt = Object.keys(deps)
    .filter((d) => d.startsWith("@cdktf/provider-"))
    .map((d) => {
      const meta = JSON.parse(readFileSync(join(root, "node_modules", d, "package.json"), "utf8"));
      const address = providerAddress(meta.cdktf.provider.name);
      return { name: address.split("/")[2], address, version: meta.cdktf.provider.version as string };
    });
  const grafana = providerAddress(GRAFANA_PROVIDER_SOURCE);
  return [
    ...prebuilt,
    { name: grafana.split("/")[2], address: grafana, version: GRAFANA_PROVIDER_VERSION },
  ].sort((a, b) => a.address.localeCompare(b.address));
}

/** A root module requiring every project provider at its pinned version (what `terraform providers lock` reads). */
export function lockingConfig(providers: readonly ProjectProvider[]): string {
  const required = Object.fromEntries(
    providers.map((p) => [
      p.name,
      { source: p.address.replace(/^registry\.terraform\.io\//, ""), version: p.version },
    ]),
  );
  return `${JSON.stringify({ terraform: { required_providers: required } }, null, 2)}\n`;
}
