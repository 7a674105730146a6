/**
 * Synth-time security rules, in the spirit of cdk-nag, as a cdktf Aspect: `EnvironmentStack` adds
 * `SecurityRules` to every stack, and a violation becomes an error annotation on the offending construct,
 * which fails synth (the app throws; `cdktf synth` prints every violation of every stack and exits 1)
 * with `[<construct path>] <rule>: <what is wrong> (expected ...)`.
 *
 * Rules (docs/validation.md explains each, and the decisions behind them):
 * - `iam-wildcard-action`: an identity policy allows `*`, `<service>:*` or uses NotAction; any policy allows `*`.
 * - `iam-wildcard-resource`: `Resource: "*"` outside WILDCARD_RESOURCE_ALLOWLIST.
 * - `iam-policy-not-literal`: a policy that is not a literal JSON document (unreadable by the rules and checkov).
 * - `service-principal-unconditioned`: a statement allowing an AWS service principal without a condition on
 *   the source account or ARN (`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`),
 *   the confused-deputy guard.
 * - `sg-rule-description`: a security-group rule without a description.
 * - `sg-rule-open-world`: a security-group rule open to 0.0.0.0/0 or ::/0.
 * - `required-tags`: an AWS provider whose default_tags lack one of REQUIRED_TAGS.
 * - `prevent-destroy`: a stateful resource without prevent_destroy in a protected environment.
 *
 * Cost: one visit per construct; only resources of the types below are looked at (their synthesized
 * attributes, no JSON round trip), and policies built by `policyDocument()` are not parsed again.
 */
import { Annotations, type IAspect, TerraformProvider, TerraformResource } from "cdktf";
import type { IConstruct } from "constructs";
import { synthesizedAttributes } from "./cdktf-internals";
import { type PolicyStatement, statementsOf } from "./iam";

/** Tags every AWS provider must put on everything it creates (values are set in `defaultTags`). */
export const REQUIRED_TAGS = ["project", "environment", "stack", "managed-by"] as const;

/** The only statements allowed `Resource: "*"`: where AWS offers no resource-level scope. */
export const WILDCARD_RESOURCE_ALLOWLIST: readonly {
  resourceType: string;
  sid: string;
  why: string;
}[] = [
  {
    resourceType: "aws_vpc_endpoint",
    sid: "AccountPrincipalsControlPlane",
    why: "the aps control-plane endpoint carries calls such as ListWorkspaces, which have no resource-level permissions",
  },
  {
    resourceType: "aws_iam_role_policy",
    sid: "ReadCloudWatchMetrics",
    why: "the Grafana workspace's CloudWatch data source: cloudwatch:GetMetricData and cloudwatch:ListMetrics have no resource-level permissions or condition keys",
  },
];

/** Condition keys that tie a service principal to the calling resource or account (confused-deputy guard). */
export const SOURCE_CONDITION_KEYS = [
  "aws:sourceaccount",
  "aws:sourcearn",
  "aws:sourceorgid",
  "aws:sourceorgpaths",
] as const;

/**
 * Resource types that hold data, or that data needs: destroying one loses it. The EBS CSI add-on serves
 * every workload's volumes, not only this project's.
 */
export const STATEFUL_RESOURCE_TYPES = new Set([
  "aws_prometheus_workspace",
  "aws_grafana_workspace",
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_eks_addon",
]);

type PolicyKind = "identity" | "resource";

/** Where policy documents live, by resource type and attribute: identity policies grant, resource policies bound. */
const POLICY_ATTRIBUTES: Record<string, { attribute: string; kind: PolicyKind }[]> = {
  aws_iam_policy: [{ attribute: "policy", kind: "identity" }],
  aws_iam_role_policy: [{ attribute: "policy", kind: "identity" }],
  aws_iam_user_policy: [{ attribute: "policy", kind: "identity" }],
  aws_iam_group_policy: [{ attribute: "policy", kind: "identity" }],
  aws_iam_role: [{ attribute: "assume_role_policy", kind: "resource" }],
  aws_vpc_endpoint: [{ attribute: "policy", kind: "resource" }],
  aws_vpc_endpoint_policy: [{ attribute: "policy", kind: "resource" }],
  aws_sns_topic: [{ attribute: "policy", kind: "resource" }],
  aws_sns_topic_policy: [{ attribute: "policy", kind: "resource" }],
  aws_sqs_queue_policy: [{ attribute: "policy", kind: "resource" }],
  aws_s3_bucket_policy: [{ attribute: "policy", kind: "resource" }],
  aws_cloudwatch_log_resource_policy: [{ attribute: "policy_document", kind: "resource" }],
  // Key policies: `Resource: "*"` there means "this key" (the only form KMS accepts), so that rule skips them.
  aws_kms_key: [{ attribute: "policy", kind: "resource" }],
};

const SG_RULE_TYPES = new Set([
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
  "aws_security_group_rule",
]);

const NAMESPACE_TYPES = new Set(["kubernetes_namespace", "kubernetes_namespace_v1"]);

export interface SecurityRulesProps {
  /** The environment is protected: stateful resources must have prevent_destroy. */
  readonly protect: boolean;
  /** Kubernetes namespaces that hold data (e.g. the Prometheus server's volume claim). */
  readonly statefulNamespaces: readonly string[];
}

type Attributes = Record<string, unknown>;

const asList = (value: unknown): unknown[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

/**
 * The synthesized Terraform attributes of a resource or provider (snake_case, tokens unresolved), through
 * its protected synthesizeAttributes(): lib/cdktf-internals/attributes.ts.
 */
const attributesOf: (element: TerraformResource | TerraformProvider) => Attributes = synthesizedAttributes;

/** The construct-tree rules; add with `Aspects.of(stack).add(new SecurityRules({...}))`. */
export class SecurityRules implements IAspect {
  constructor(private readonly props: SecurityRulesProps) {}

  visit(node: IConstruct): void {
    // cdktf's own marks, not class identity: a second copy of the library (as a provider package built
    // against another name of it brings, docs/upgrading.md) must not hide its resources from the rules.
    if (TerraformResource.isTerraformResource(node)) this.checkResource(node);
    else if (TerraformProvider.isTerraformProvider(node) && node.terraformResourceType === "aws")
      this.checkProvider(node);
  }

  private fail(node: IConstruct, rule: string, message: string): void {
    Annotations.of(node).addError(`${rule}: ${message}`);
  }

  private checkResource(resource: TerraformResource): void {
    const type = resource.terraformResourceType;
    const policies = POLICY_ATTRIBUTES[type];
    const sgRule = SG_RULE_TYPES.has(type);
    const stateful = this.props.protect && (STATEFUL_RESOURCE_TYPES.has(type) || NAMESPACE_TYPES.has(type));
    if (!policies && !sgRule && type !== "aws_security_group" && !stateful) return;

    const attributes = attributesOf(resource);
    for (const { attribute, kind } of policies ?? []) {
      const policy = attributes[attribute];
      if (policy !== undefined) this.checkPolicy(resource, type, attribute, kind, policy);
    }
    if (type === "aws_iam_role") {
      for (const inline of asList(attributes.inline_policy) as Attributes[]) {
        if (inline?.policy !== undefined)
          this.checkPolicy(resource, type, "inline_policy", "identity", inline.policy);
      }
    }
    if (sgRule) this.checkSgRule(resource, type, attributes);
    if (type === "aws_security_group") {
      for (const direction of ["ingress", "egress"]) {
        for (const rule of asList(attributes[direction]) as Attributes[])
          this.checkSgRule(resource, `${type} ${direction}`, rule);
      }
    }
    if (stateful) this.checkPreventDestroy(resource, type, attributes);
  }

  private checkPolicy(
    resource: TerraformResource,
    type: string,
    attribute: string,
    kind: PolicyKind,
    policy: unknown,
  ): void {
    const statements = typeof policy === "string" ? statementsOf(policy) : undefined;
    if (!statements) {
      this.fail(
        resource,
        "iam-policy-not-literal",
        `${type}.${attribute} is not a literal JSON policy document (expected a string from policyDocument() in lib/iam.ts)`,
      );
      return;
    }
    for (const [i, statement] of statements.entries()) {
      if (statement.Effect !== "Allow") continue;
      const where = `${type}.${attribute} statement ${statement.Sid ? `"${statement.Sid}"` : `#${i}`}`;
      this.checkActions(resource, where, kind, statement);
      this.checkServicePrincipal(resource, where, statement);
      if (type !== "aws_kms_key") this.checkResources(resource, type, where, statement);
    }
  }

  private checkActions(
    resource: TerraformResource,
    where: string,
    kind: PolicyKind,
    s: PolicyStatement,
  ): void {
    const actions = asList(s.Action) as string[];
    const wildcards = actions.filter((a) => a === "*" || (kind === "identity" && /^[\w-]+:\*$/.test(a)));
    if (wildcards.length > 0) {
      this.fail(
        resource,
        "iam-wildcard-action",
        `${where} allows ${wildcards.map((a) => `"${a}"`).join(", ")} (expected the specific actions needed)`,
      );
    }
    if (s.NotAction !== undefined) {
      this.fail(
        resource,
        "iam-wildcard-action",
        `${where} allows NotAction, i.e. every other action (expected an explicit Action list)`,
      );
    }
  }

  private checkServicePrincipal(resource: TerraformResource, where: string, s: PolicyStatement): void {
    const principal = s.Principal;
    const services = typeof principal === "object" ? asList(principal.Service) : [];
    if (services.length === 0) return;
    const keys = Object.values(s.Condition ?? {}).flatMap((byKey) =>
      Object.keys(byKey).map((k) => k.toLowerCase()),
    );
    if (keys.some((k) => (SOURCE_CONDITION_KEYS as readonly string[]).includes(k))) return;
    this.fail(
      resource,
      "service-principal-unconditioned",
      `${where} allows ${services.map((p) => `"${p}"`).join(", ")} without a source condition (expected aws:SourceAccount or aws:SourceArn naming this account's resource)`,
    );
  }

  private checkResources(resource: TerraformResource, type: string, where: string, s: PolicyStatement): void {
    const wildcard = asList(s.Resource).includes("*") || s.NotResource !== undefined;
    if (!wildcard) return;
    if (WILDCARD_RESOURCE_ALLOWLIST.some((a) => a.resourceType === type && a.sid === s.Sid)) return;
    this.fail(
      resource,
      "iam-wildcard-resource",
      `${where} applies to every resource (expected resource ARNs, or an entry in WILDCARD_RESOURCE_ALLOWLIST in lib/aspects.ts saying why AWS requires "*")`,
    );
  }

  private checkSgRule(resource: TerraformResource, what: string, rule: Attributes): void {
    const description = rule.description;
    if (typeof description !== "string" || !/\S/.test(description)) {
      this.fail(
        resource,
        "sg-rule-description",
        `${what} has no description (expected one saying who connects and why)`,
      );
    }
    const open = [
      ...asList(rule.cidr_ipv4),
      ...asList(rule.cidr_ipv6),
      ...asList(rule.cidr_blocks),
      ...asList(rule.ipv6_cidr_blocks),
    ].filter((cidr) => cidr === "0.0.0.0/0" || cidr === "::/0");
    if (open.length > 0) {
      this.fail(
        resource,
        "sg-rule-open-world",
        `${what} is open to ${open.join(", ")} (expected the VPC CIDRs or a referenced security group)`,
      );
    }
  }

  private checkPreventDestroy(resource: TerraformResource, type: string, attributes: Attributes): void {
    if (NAMESPACE_TYPES.has(type)) {
      const metadata = asList(attributes.metadata)[0] as Attributes | undefined;
      if (!this.props.statefulNamespaces.includes(metadata?.name as string)) return;
    }
    if (resource.lifecycle?.preventDestroy === true) return;
    this.fail(
      resource,
      "prevent-destroy",
      `${type} holds data (or what data needs) and the environment is protected, but has no prevent_destroy (expected lifecycle.preventDestroy: true)`,
    );
  }

  private checkProvider(provider: TerraformProvider): void {
    const tags = (asList(attributesOf(provider).default_tags)[0] as Attributes | undefined)?.tags as
      | Record<string, unknown>
      | undefined;
    const missing = REQUIRED_TAGS.filter((key) => typeof tags?.[key] !== "string" || tags[key] === "");
    if (missing.length > 0) {
      this.fail(
        provider,
        "required-tags",
        `AWS provider default_tags lack ${missing.join(", ")} (expected ${REQUIRED_TAGS.join(", ")})`,
      );
    }
  }
}

/** Error annotations in a construct tree, as `[path] message` lines (tests, and main.ts' report). */
export function ruleViolations(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === "@cdktf/error")
        .map((m) => `[${c.node.path}] ${String(m.data)}`),
    );
}
