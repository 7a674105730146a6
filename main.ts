/**
 * Synthesizes the network, cluster-monitoring and grafana stacks of every environment in environments/,
 * and the bootstrap stacks their backends need (`bootstrap-*`: state bucket, Terraform Cloud workspaces).
 * The configuration is validated first: a bad one exits with every problem listed and writes nothing.
 */
import { environments } from "./environments";
import { synthesizeApp } from "./lib/app";
import { ConfigError } from "./lib/config/validate";

try {
  synthesizeApp(environments);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
