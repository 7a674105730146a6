/** Synthesizes N generated environments (copies of dev with unique names and state keys) into CDKTF_OUTDIR. */

import { synthesizeApp } from "../../app";
import type { EnvironmentInput } from "../../config/environment";
import { dev } from "../../environments/dev";

const count = Number(process.argv[2] ?? "30");
const generated: EnvironmentInput[] = Array.from({ length: count }, (_, i) => ({
  ...structuredClone(dev),
  name: `env${i}`,
  backend: { type: "s3", bucket: "example-dev-terraform-state", keyPrefix: `bench/env${i}` },
}));
synthesizeApp(generated);
