import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { type ITerraformDependable, TerraformStack, Token } from "cdktf";
import { Construct } from "constructs";
import { importExisting } from "../../lib/adoption";
import { type IGrantable, InlinePolicy, type PolicyStatement, policyDocument } from "../../lib/iam";
import { logicalIdAt } from "../../lib/removed";

export interface RoleProps {
  /** IAM role name (also the name of its inline policy). */
  readonly roleName: string;
  /** What the role is for, shown in IAM. */
  readonly description: string;
  /** Who may assume the role: the statements of its trust policy. */
  readonly trust: readonly PolicyStatement[];
  /** Longest session, in seconds. @default IAM's default, one hour */
  readonly maxSessionSeconds?: number;
  /** Permissions boundary. @default none */
  readonly permissionsBoundaryArn?: string;
  /** Managed policies to attach, each keyed by its ARN (see `attachManagedPolicy`). @default none */
  readonly managedPolicyArns?: readonly string[];
  /** Refuse any plan that destroys the role (something outside the stack keeps using it). @default false */
  readonly preventDestroy?: boolean;
}

/** The resources a Role declares (type and construct id), for whoever must name them once they are gone. */
export const ROLE_RESOURCES = {
  role: { type: "aws_iam_role", id: "role" },
  inlinePolicy: { type: "aws_iam_role_policy", id: "policy" },
  /** The attachment of the managed policy keyed `key` (`Role.keyOf`). */
  managedPolicy: (key: string) => ({ type: "aws_iam_role_policy_attachment", id: `managed-${key}` }),
} as const;

/**
 * An IAM role whose permissions grow by grants: a trust policy in, `grant*` methods of the resources add
 * statements to its one inline policy (`workspace.grantRemoteWrite(role)`), and managed policies are
 * attached keyed by their ARN, so removing one ARN removes exactly its attachment and no other moves.
 * Its resources are `<id>/role`, `<id>/policy` and `<id>/managed-<key>`.
 */
export class Role extends Construct implements IGrantable {
  /**
   * The construct-id key of a managed policy ARN: `aws-<name>` for AWS managed policies, `<path-><name>` for
   * the account's own (no account id in resource addresses).
   */
  static keyOf(policyArn: string): string {
    if (Token.isUnresolved(policyArn))
      throw new Error(`Role: ${policyArn} is not known at synth time; give attachManagedPolicy a key for it`);
    const match = policyArn.match(/^arn:[^:]+:iam::(aws|\d{12}):policy\/(.+)$/);
    if (!match) throw new Error(`Role: ${policyArn} is not an IAM policy ARN`);
    const name = match[2].replace(/[^A-Za-z0-9+=,.@_-]/g, "-");
    return match[1] === "aws" ? `aws-${name}` : name;
  }

  /** The role. */
  readonly role: IamRole;
  /** Role ARN. */
  readonly roleArn: string;
  /** Role name (known at synth time). */
  readonly roleName: string;
  /** Managed policy attachments, by key. */
  readonly managedPolicyAttachments = new Map<string, IamRolePolicyAttachment>();
  private readonly inline: InlinePolicy;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    this.roleName = props.roleName;
    this.role = new IamRole(this, ROLE_RESOURCES.role.id, {
      name: props.roleName,
      description: props.description,
      maxSessionDuration: props.maxSessionSeconds,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: policyDocument(...props.trust),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.roleArn = this.role.arn;
    this.inline = new InlinePolicy(this, ROLE_RESOURCES.inlinePolicy.id, this.role, props.roleName);
    for (const policyArn of props.managedPolicyArns ?? []) this.attachManagedPolicy(policyArn);
  }

  addToPolicy(...statements: PolicyStatement[]): void {
    this.inline.addToPolicy(...statements);
  }

  /**
   * Attaches a managed policy, keyed by its ARN (`Role.keyOf`); an ARN only known at apply time (a data
   * source's) needs an explicit key.
   */
  attachManagedPolicy(policyArn: string, key: string = Role.keyOf(policyArn)): IamRolePolicyAttachment {
    if (this.managedPolicyAttachments.has(key))
      throw new Error(`Role ${this.roleName}: managed policy ${key} is attached twice`);
    const attachment = new IamRolePolicyAttachment(this, ROLE_RESOURCES.managedPolicy(key).id, {
      role: this.role.name,
      policyArn,
    });
    this.managedPolicyAttachments.set(key, attachment);
    return attachment;
  }

  /**
   * Carries attachments an earlier version of this project addressed by position (`<prefix><index>`, in
   * the order of `policyArns`) to their ARN keys with `moved` blocks: upgrading moves them in state instead
   * of detaching and attaching again. A moved block whose old address is not in state does nothing.
   */
  movedAttachmentsFromIndex(prefix: string, policyArns: readonly string[], keys?: readonly string[]): void {
    const stack = TerraformStack.of(this);
    policyArns.forEach((policyArn, i) => {
      const attachment = this.managedPolicyAttachments.get(keys?.[i] ?? Role.keyOf(policyArn));
      if (!attachment) throw new Error(`Role ${this.roleName}: ${policyArn} is not attached`);
      // The logical id cdktf gave the attachment at its old construct path (a sibling of the new one).
      attachment.moveFromId(`aws_iam_role_policy_attachment.${logicalIdAt(stack, this, [`${prefix}${i}`])}`);
    });
  }

  /**
   * Imports the role as it exists in IAM, with its inline policy and managed policy attachments (by IAM's
   * import ids: the name, `<role>:<policy>`, `<role>/<policy ARN>`), instead of creating them. Call it once
   * every grant is made (the inline policy exists only then).
   */
  importExisting(): void {
    importExisting(this.role, this.roleName);
    if (this.policy) importExisting(this.policy, `${this.roleName}:${this.roleName}`);
    for (const attachment of this.managedPolicyAttachments.values())
      importExisting(attachment, `${this.roleName}/${attachment.policyArnInput}`);
  }

  /** The inline policy, once something was granted. */
  get policy() {
    return this.inline.resource;
  }

  /**
   * What a workload using the role waits for: the role, its inline policy and its managed policy
   * attachments. IAM answers CreateRole before the permissions exist, so a pod that starts after the role
   * alone gets AccessDenied until the policy lands (and a failing Helm wait may roll the release back).
   */
  get permissions(): ITerraformDependable[] {
    return [this.role, ...(this.policy ? [this.policy] : []), ...this.managedPolicyAttachments.values()];
  }
}
