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

  private defaultProvider?: AwsProvider;
  private readonly regionalProviders: Record<string, AwsProvider> = {};

  /** An AWS provider pinned to one account (`allowed_account_ids`), tagging what the stack creates. */
  protected awsProvider(accountId: string, region: string): AwsProvider {
    this.defaultProvider = new AwsProvider(this, "aws", {
      region,
      allowedAccountIds: [accountId],
      defaultTags: [{ tags: { project: PROJECT, stack: this.stackName, "managed-by": "cdktf" } }],
    });
    return this.defaultProvider;
  }

  /**
   * The AWS provider of another region of the account: an alias named after the region, created once;
   * undefined for the default provider's own region (resources then use the default). An alias rather than
   * the resources' own `region` argument (AWS provider >= 6): the same Terraform works, and validates,
   * with providers 5 and 6.
   */
  protected regionalProvider(region: string): AwsProvider | undefined {
    const main = this.defaultProvider;
    if (!main) throw new Error(`${this.stackName}: awsProvider() comes before regionalProvider()`);
    if (main.region === region) return undefined;
    this.regionalProviders[region] ??= new AwsProvider(this, `aws-${region}`, {
      alias: region,
      region,
      allowedAccountIds: main.allowedAccountIds,
      defaultTags: main.defaultTags,
    });
    return this.regionalProviders[region];
  }
}
