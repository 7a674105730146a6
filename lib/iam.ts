/**
 * IAM policy documents as literal JSON strings: readable in plans, and readable by static analysis
 * (checkov misreads `jsonencode(...)` and data-source documents). Resource attributes inside are
 * Terraform interpolations, resolved at apply time.
 */
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { Construct } from "constructs";

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

/** One action as a string, several as a list: how IAM documents are usually written, and how they read in plans. */
export function actions(list: readonly string[]): string | string[] {
  return list.length === 1 ? list[0] : [...list];
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

/** A principal whose own permissions can grow: what grant methods (`workspace.grantQuery(role)`) take. */
export interface IGrantable {
  /** Adds statements to the principal's inline policy. */
  addToPolicy(...statements: PolicyStatement[]): void;
}

/**
 * The inline policy of one role, created on the first grant and grown by later ones, so a role has one
 * policy however many resources grant it access. Statements keep the order they were granted in.
 */
export class InlinePolicy implements IGrantable {
  private readonly statements: PolicyStatement[] = [];
  /** The policy resource, once something was granted. */
  resource?: IamRolePolicy;

  /**
   * @param scope where the policy resource is created (the construct that owns the role)
   * @param id its construct id
   * @param role the role it belongs to
   * @param name the policy's name in IAM
   */
  constructor(
    private readonly scope: Construct,
    private readonly id: string,
    private readonly role: IamRole,
    private readonly name: string,
  ) {}

  addToPolicy(...statements: PolicyStatement[]): void {
    this.statements.push(...statements);
    const policy = policyDocument(...this.statements);
    if (this.resource) this.resource.policy = policy;
    else
      this.resource = new IamRolePolicy(this.scope, this.id, {
        role: this.role.name,
        name: this.name,
        policy,
      });
  }
}
