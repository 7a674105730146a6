/**
 * Synthesizes the stacks of every environment in environments/, and the bootstrap stacks their backends
 * need (`bootstrap-*`: state bucket, Terraform Cloud workspaces). The configuration is validated first: a bad
 * one exits 1 with every problem listed, and writes nothing. A stack that breaks a synth-time security rule
 * (lib/aspects.ts) exits 1 naming the construct and the rule; so does a provider version that the project's
 * lock file (.terraform.lock.hcl) does not record.
 */

import { isReportedError, synthesizeApp } from "./app";
import { environments } from "./environments";

try {
  synthesizeApp(environments);
} catch (error) {
  if (!isReportedError(error)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
