/**
 * IAM policy documents as literal JSON strings: readable in plans, and readable by static analysis
 * (checkov misreads `jsonencode(...)` and data-source documents). Resource attributes inside are
 * Terraform interpolations, resolved at apply time.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Record<string, string | string[]> | "*";
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export function policyDocument(...statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** ARN of an IAM role, built from config values (for references across stacks, where no token may pass). */
export function iamRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}
