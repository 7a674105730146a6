/**
 * Synthesizes the network, cluster-monitoring and grafana stacks of every environment in environments/,
 * and the bootstrap stacks their backends need (`bootstrap-*`: state bucket, Terraform Cloud workspaces).
 * The configuration is validated first: a bad one exits with every problem listed and writes nothing.
 */
import { App } from "cdktf";
import { environments } from "./environments";
import { addBootstrap, addEnvironment } from "./lib/app";
import { ConfigError, validateEnvironments } from "./lib/config/validate";

function main(): void {
  let configs: ReturnType<typeof validateEnvironments>;
  try {
    configs = validateEnvironments(environments);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const app = new App();
  for (const env of configs) addEnvironment(app, env);
  addBootstrap(app, configs);
  app.synth();
}

main();
