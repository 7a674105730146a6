/**
 * Synthesizes the stacks of every environment in environments/, and the bootstrap stacks their backends
 * need (`bootstrap-*`: state bucket, Terraform Cloud workspaces). The configuration is validated first: a bad
 * one exits 1 with every problem listed, and writes nothing. A stack that breaks a synth-time security rule
 * (lib/aspects.ts) exits 1 naming the construct and the rule; so does a provider version that the project's
 * lock file (.terraform.lock.hcl) does not record.
 */

import { RuleViolationError, synthesizeApp } from "./app";
import { environments } from "./environments";
import { ConfigError } from "./lib/config/validate";
import { ProviderLockError } from "./lib/provider-lock";

try {
  synthesizeApp(environments);
} catch (error) {
  if (
    !(
      error instanceof ConfigError ||
      error instanceof RuleViolationError ||
      error instanceof ProviderLockError
    )
  )
    throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
