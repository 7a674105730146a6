/**
 * Synthesizes generated configurations into CDKTF_OUTDIR: `<n>` environments (copies of dev with unique
 * names and state keys), or `clusters <n>`: one environment (dev) with n clusters (dev's cluster, then
 * copies with ids c1, c2, ...), each in its own stack.
 */

import { synthesizeApp } from "../../app";
import type { EnvironmentInput } from "../../config/environment";
import { dev } from "../../environments/dev";

const [first, second] = process.argv.slice(2);
const clusters = first === "clusters";
const count = Number((clusters ? second : first) ?? "30");

function withClusters(n: number): EnvironmentInput {
  const env = structuredClone(dev);
  const [cluster] = env.clusters;
  env.clusters = Array.from({ length: n }, (_, i) =>
    i === 0 ? cluster : { ...structuredClone(cluster), name: `${cluster.name}-c${i}`, id: `c${i}` },
  );
  return env;
}

const generated: EnvironmentInput[] = clusters
  ? [withClusters(count)]
  : Array.from({ length: count }, (_, i) => ({
      ...structuredClone(dev),
      name: `env${i}`,
      backend: { type: "s3", bucket: "example-dev-terraform-state", keyPrefix: `bench/env${i}` },
    }));
synthesizeApp(generated);
