/**
 * IAM policy documents as literal JSON strings: readable in plans, and readable by static analysis
 * (checkov misreads `jsonencode(...)` and data-source documents). Resource attributes inside are
 * Terraform interpolations, resolved at apply time.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Record<string, string | string[]> | "*";
  readonly NotPrincipal?: Record<string, string | string[]> | "*";
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** Statements of the documents built here, by document: the synth-time rules read them without re-parsing. */
const built = new Map<string, readonly PolicyStatement[]>();

export function policyDocument(...statements: PolicyStatement[]): string {
  const json = JSON.stringify({ Version: "2012-10-17", Statement: statements });
  built.set(json, statements);
  return json;
}

/**
 * The statements of a policy document: from `policyDocument()` when it built the string, parsed otherwise.
 * Undefined when `policy` is not a literal JSON document (a token such as `jsonencode(...)` or a data source).
 */
export function statementsOf(policy: string): readonly PolicyStatement[] | undefined {
  const known = built.get(policy);
  if (known) return known;
  try {
    const doc = JSON.parse(policy);
    const statements = doc?.Statement;
    if (Array.isArray(statements)) return statements;
    return statements && typeof statements === "object" ? [statements] : undefined;
  } catch {
    return undefined;
  }
}

/** ARN of an IAM role, built from config values (for references across stacks, where no token may pass). */
export function iamRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}
