import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import type { Construct } from "constructs";
import { PROJECT } from "../lib/naming";
import { ProjectStack } from "./project-stack";

/**
 * A stack applied once per account or organization, before any environment: named `bootstrap-*`, so no
 * `'<env>-*'` glob ever selects it. Its state starts local (see docs/delivery.md).
 */
export abstract class BootstrapStack extends ProjectStack {
  /** Stack name (`bootstrap-...`). */
  readonly stackName: string;

  constructor(scope: Construct, name: string) {
    super(scope, name);
    this.stackName = name;
  }

  /** An AWS provider pinned to one account (`allowed_account_ids`), tagging what the stack creates. */
  protected awsProvider(accountId: string, region: string): AwsProvider {
    return new AwsProvider(this, "aws", {
      region,
      allowedAccountIds: [accountId],
      defaultTags: [{ tags: { project: PROJECT, stack: this.stackName, "managed-by": "cdktf" } }],
    });
  }
}
