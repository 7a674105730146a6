/** The synth-time security rules: each one fires on a tiny stack that breaks it, none fires on the examples. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudwatchLogResourcePolicy } from "@cdktf/provider-aws/lib/cloudwatch-log-resource-policy";
import { EksAddon } from "@cdktf/provider-aws/lib/eks-addon";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { PrometheusWorkspace } from "@cdktf/provider-aws/lib/prometheus-workspace";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { App, Aspects, Fn, TerraformStack, Testing } from "cdktf";
import { RuleViolationError, synthesizeOrReport } from "../../app";
import { environments } from "../../environments";
import { ruleViolations, SecurityRules, type SecurityRulesProps } from "../../lib/aspects";
import { policyDocument } from "../../lib/iam";
import { exampleEnv, synthEnvironment } from "../helpers";

const TAGS = { project: "p", environment: "dev", stack: "network", "managed-by": "cdktf" };
const UNPROTECTED: SecurityRulesProps = { protect: false, statefulNamespaces: [] };

/** Synthesizes a stack `test` built by `build` under the rules, and returns the violations. */
function violations(build: (stack: TerraformStack) => void, props: SecurityRulesProps = UNPROTECTED) {
  const stack = new TerraformStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1", defaultTags: [{ tags: TAGS }] });
  Aspects.of(stack).add(new SecurityRules(props));
  build(stack);
  Testing.synth(stack);
  return ruleViolations(stack);
}

const rolePolicy = (stack: TerraformStack, policy: string) =>
  new IamRolePolicy(stack, "policy", { role: "r", policy });

describe("the rules, with two copies of cdktf loaded", () => {
  it("still check the resources of the other copy (a provider package built against another name of it)", () => {
    // A second module registry loads a second cdktf under the provider binding, as @cdktn/provider-aws
    // brings its own `cdktn` beside the `cdktf` alias (docs/upgrading.md).
    let OtherIamRolePolicy: typeof IamRolePolicy | undefined;
    jest.isolateModules(() => {
      OtherIamRolePolicy = require("@cdktf/provider-aws/lib/iam-role-policy").IamRolePolicy;
    });
    expect(OtherIamRolePolicy).not.toBe(IamRolePolicy);
    const found = violations(
      (s) =>
        new OtherIamRolePolicy!(s, "policy", {
          role: "r",
          policy: policyDocument({ Sid: "Broad", Effect: "Allow", Action: "*", Resource: "arn:x" }),
        }),
    );
    expect(found).toEqual([
      '[test/policy] iam-wildcard-action: aws_iam_role_policy.policy statement "Broad" allows "*" (expected the specific actions needed)',
    ]);
  });
});

describe("iam-wildcard-action", () => {
  it.each([["*"], ["s3:*"], ["aps:*"]])("fires on an identity policy allowing %s", (action) => {
    const found = violations((s) =>
      rolePolicy(s, policyDocument({ Sid: "Broad", Effect: "Allow", Action: action, Resource: "arn:x" })),
    );
    expect(found).toEqual([
      `[test/policy] iam-wildcard-action: aws_iam_role_policy.policy statement "Broad" allows "${action}" (expected the specific actions needed)`,
    ]);
  });

  it("fires on NotAction, on a managed policy, and on a hand-written JSON policy too", () => {
    const found = violations((s) => {
      new IamPolicy(s, "managed", {
        policy: policyDocument({ Effect: "Allow", NotAction: "iam:*", Resource: "arn:x" }),
      });
      rolePolicy(s, '{"Statement":{"Effect":"Allow","Action":"ec2:*","Resource":"arn:x"}}');
    });
    expect(found).toEqual([
      expect.stringMatching(/^\[test\/managed\] iam-wildcard-action: .* statement #0 allows NotAction/),
      expect.stringMatching(/^\[test\/policy\] iam-wildcard-action: .* allows "ec2:\*"/),
    ]);
  });

  it('allows "service:*" in a resource policy (an endpoint policy bounds, it grants nothing), never "*"', () => {
    const endpoint = (s: TerraformStack, id: string, action: string) =>
      new VpcEndpoint(s, id, {
        vpcId: "vpc-1",
        serviceName: "svc",
        policy: policyDocument({ Effect: "Allow", Principal: "*", Action: action, Resource: "arn:x" }),
      });
    expect(violations((s) => endpoint(s, "ok", "aps:*"))).toEqual([]);
    expect(violations((s) => endpoint(s, "bad", "*"))).toEqual([
      expect.stringMatching(/^\[test\/bad\] iam-wildcard-action: aws_vpc_endpoint.policy .* allows "\*"/),
    ]);
  });

  it("ignores Deny statements and partial wildcards such as kms:GenerateDataKey*", () => {
    expect(
      violations((s) =>
        rolePolicy(
          s,
          policyDocument(
            { Effect: "Deny", Action: "*", Resource: "*" },
            { Effect: "Allow", Action: ["kms:GenerateDataKey*", "kms:ReEncrypt*"], Resource: "arn:key" },
          ),
        ),
      ),
    ).toEqual([]);
  });
});

describe("iam-wildcard-resource", () => {
  it('fires on Resource "*" in an identity policy', () => {
    expect(
      violations((s) =>
        rolePolicy(s, policyDocument({ Sid: "Any", Effect: "Allow", Action: "s3:GetObject", Resource: "*" })),
      ),
    ).toEqual([
      expect.stringMatching(
        /^\[test\/policy\] iam-wildcard-resource: aws_iam_role_policy.policy statement "Any" applies to every resource \(expected resource ARNs/,
      ),
    ]);
  });

  it("allows the documented exception (the aps control-plane endpoint), and only under its Sid", () => {
    const endpoint = (s: TerraformStack, sid: string) =>
      new VpcEndpoint(s, "aps", {
        vpcId: "vpc-1",
        serviceName: "svc",
        policy: policyDocument({ Sid: sid, Effect: "Allow", Principal: "*", Action: "aps:*", Resource: "*" }),
      });
    expect(violations((s) => endpoint(s, "AccountPrincipalsControlPlane"))).toEqual([]);
    expect(violations((s) => endpoint(s, "Other"))).toEqual([
      expect.stringContaining("[test/aps] iam-wildcard-resource:"),
    ]);
  });

  it('leaves KMS key policies alone, where Resource "*" means the key itself', () => {
    const keyPolicy = policyDocument({
      Effect: "Allow",
      Principal: { AWS: "arn:root" },
      Action: "kms:Decrypt",
      Resource: "*",
    });
    expect(violations((s) => new KmsKey(s, "key", { policy: keyPolicy }))).toEqual([]);
  });
});

describe("iam-policy-not-literal", () => {
  it("fires on a policy computed by Terraform (jsonencode), which neither the rules nor checkov can read", () => {
    expect(
      violations((s) => new IamRole(s, "role", { assumeRolePolicy: Fn.jsonencode({ Statement: [] }) })),
    ).toEqual([
      expect.stringMatching(
        /^\[test\/role\] iam-policy-not-literal: aws_iam_role.assume_role_policy is not a literal JSON policy document/,
      ),
    ]);
  });
});

describe("service-principal-unconditioned", () => {
  const keyPolicy = (condition?: Record<string, Record<string, string>>) =>
    policyDocument({
      Sid: "ServiceUsesKey",
      Effect: "Allow",
      Principal: { Service: "aps.amazonaws.com" },
      Action: "kms:Decrypt",
      Resource: "*",
      ...(condition ? { Condition: condition } : {}),
    });

  it("fires on a service principal allowed without a source condition, in key, topic and trust policies", () => {
    const found = violations((s) => {
      new KmsKey(s, "key", { policy: keyPolicy() });
      new KmsKey(s, "other-condition", {
        policy: keyPolicy({ StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": "arn:t" } }),
      });
      new IamRole(s, "role", {
        assumeRolePolicy: policyDocument({
          Effect: "Allow",
          Principal: { Service: ["grafana.amazonaws.com"] },
          Action: "sts:AssumeRole",
        }),
      });
      new CloudwatchLogResourcePolicy(s, "log-delivery", {
        policyName: "p",
        policyDocument: policyDocument({
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: "logs:PutLogEvents",
          Resource: "arn:aws:logs:us-east-1:111111111111:log-group:g:log-stream:*",
        }),
      });
    });
    expect(found).toEqual([
      '[test/key] service-principal-unconditioned: aws_kms_key.policy statement "ServiceUsesKey" allows "aps.amazonaws.com" without a source condition (expected aws:SourceAccount or aws:SourceArn naming this account\'s resource)',
      expect.stringMatching(/^\[test\/other-condition\] service-principal-unconditioned:/),
      expect.stringMatching(
        /^\[test\/role\] service-principal-unconditioned: aws_iam_role.assume_role_policy statement #0 allows "grafana.amazonaws.com"/,
      ),
      expect.stringMatching(
        /^\[test\/log-delivery\] service-principal-unconditioned: aws_cloudwatch_log_resource_policy.policy_document statement #0 allows "delivery.logs.amazonaws.com"/,
      ),
    ]);
  });

  it("accepts aws:SourceAccount or aws:SourceArn under any operator, IfExists included, in any letter case", () => {
    expect(
      violations((s) => {
        new KmsKey(s, "a", { policy: keyPolicy({ StringEqualsIfExists: { "aws:SourceAccount": "1" } }) });
        new KmsKey(s, "b", { policy: keyPolicy({ ArnLike: { "AWS:SourceArn": "arn:x" } }) });
      }),
    ).toEqual([]);
  });

  it("leaves account and federated principals alone", () => {
    expect(
      violations((s) => {
        new IamRole(s, "role", {
          assumeRolePolicy: policyDocument({
            Effect: "Allow",
            Principal: { Federated: "arn:oidc" },
            Action: "sts:AssumeRoleWithWebIdentity",
          }),
        });
      }),
    ).toEqual([]);
  });
});

describe("security-group rules", () => {
  it("fire on a rule without description and on rules open to the internet, in every rule form", () => {
    const found = violations((s) => {
      new VpcSecurityGroupIngressRule(s, "no-description", {
        securityGroupId: "sg-1",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "10.0.0.0/16",
      });
      new VpcSecurityGroupEgressRule(s, "world-v6", {
        securityGroupId: "sg-1",
        description: "out",
        ipProtocol: "-1",
        cidrIpv6: "::/0",
      });
      new SecurityGroupRule(s, "legacy", {
        type: "ingress",
        securityGroupId: "sg-1",
        description: "https",
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"],
      });
      new SecurityGroup(s, "inline", {
        ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
      });
    });
    expect(found).toEqual([
      "[test/no-description] sg-rule-description: aws_vpc_security_group_ingress_rule has no description (expected one saying who connects and why)",
      "[test/world-v6] sg-rule-open-world: aws_vpc_security_group_egress_rule is open to ::/0 (expected the VPC CIDRs or a referenced security group)",
      "[test/legacy] sg-rule-open-world: aws_security_group_rule is open to 0.0.0.0/0 (expected the VPC CIDRs or a referenced security group)",
      expect.stringMatching(
        /^\[test\/inline\] sg-rule-description: aws_security_group ingress has no description/,
      ),
      expect.stringMatching(
        /^\[test\/inline\] sg-rule-open-world: aws_security_group ingress is open to 0.0.0.0\/0/,
      ),
    ]);
  });
});

describe("required-tags", () => {
  it("fires on an AWS provider whose default_tags lack a required tag, or that has none", () => {
    const found = violations((s) => {
      new AwsProvider(s, "partial", {
        alias: "partial",
        region: "us-east-1",
        defaultTags: [{ tags: { project: "p", environment: "dev" } }],
      });
      new AwsProvider(s, "untagged", { alias: "untagged", region: "us-east-1" });
    });
    expect(found).toEqual([
      "[test/partial] required-tags: AWS provider default_tags lack stack, managed-by (expected project, environment, stack, managed-by)",
      "[test/untagged] required-tags: AWS provider default_tags lack project, environment, stack, managed-by (expected project, environment, stack, managed-by)",
    ]);
  });
});

describe("prevent-destroy", () => {
  const PROTECTED: SecurityRulesProps = { protect: true, statefulNamespaces: ["prometheus"] };
  const build = (preventDestroy: boolean) => (s: TerraformStack) => {
    new PrometheusWorkspace(s, "amp", { alias: "a", lifecycle: { preventDestroy } });
    new NamespaceV1(s, "prometheus-ns", { metadata: { name: "prometheus" }, lifecycle: { preventDestroy } });
    new NamespaceV1(s, "other-ns", { metadata: { name: "exporters" } });
    new EksAddon(s, "ebs-csi", {
      clusterName: "c",
      addonName: "aws-ebs-csi-driver",
      lifecycle: { preventDestroy },
    });
  };

  it("fires on stateful resources without prevent_destroy in a protected environment", () => {
    expect(violations(build(false), PROTECTED)).toEqual([
      "[test/amp] prevent-destroy: aws_prometheus_workspace holds data (or what data needs) and the environment is protected, but has no prevent_destroy (expected lifecycle.preventDestroy: true)",
      expect.stringMatching(/^\[test\/prometheus-ns\] prevent-destroy: kubernetes_namespace_v1 holds data/),
      expect.stringMatching(
        /^\[test\/ebs-csi\] prevent-destroy: aws_eks_addon holds data \(or what data needs\)/,
      ),
    ]);
  });

  it("is satisfied by prevent_destroy, and does not apply to unprotected environments", () => {
    expect(violations(build(true), PROTECTED)).toEqual([]);
    expect(violations(build(false), UNPROTECTED)).toEqual([]);
  });
});

describe("on the example environments", () => {
  it.each(environments.map((e) => e.name))("%s breaks no rule in any stack", (name) => {
    const { stacks } = synthEnvironment(exampleEnv(name));
    const all = Object.values(stacks).flatMap((s) => (Array.isArray(s) ? s : [s]));
    expect(all.length).toBeGreaterThan(5);
    for (const stack of all) expect(ruleViolations(stack)).toEqual([]);
  });

  it("the rules run in every environment stack: an unprotected Grafana workspace in prod fails", () => {
    const env = exampleEnv("prod");
    const { stacks } = synthEnvironment(env);
    expect(ruleViolations(stacks.grafana)).toEqual([]);
    // What a construct that forgot the lifecycle would produce.
    stacks.grafana.workspace.workspace.lifecycle = {};
    Testing.synth(stacks.grafana);
    expect(ruleViolations(stacks.grafana)).toEqual([
      expect.stringMatching(/^\[prod-grafana\/amg\/workspace\] prevent-destroy: aws_grafana_workspace/),
    ]);
  });
});

describe("a violation fails synth", () => {
  it("App.synth throws, naming the construct path and the rule", () => {
    const outdir = mkdtempSync(join(tmpdir(), "rules-"));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "test");
      new AwsProvider(stack, "aws", { region: "us-east-1", defaultTags: [{ tags: TAGS }] });
      Aspects.of(stack).add(new SecurityRules(UNPROTECTED));
      new VpcSecurityGroupIngressRule(stack, "open", {
        securityGroupId: "sg-1",
        description: "ssh",
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: "0.0.0.0/0",
      });
      expect(() => app.synth()).toThrow(/\[test\/open\] sg-rule-open-world: /);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("synthesizeApp reports them as RuleViolationError, one line per violation, without cdktf's noise", () => {
    const outdir = mkdtempSync(join(tmpdir(), "rules-"));
    try {
      const app = new App({ outdir, stackTraces: false });
      const stack = new TerraformStack(app, "test");
      new AwsProvider(stack, "aws", { region: "us-east-1" });
      Aspects.of(stack).add(new SecurityRules(UNPROTECTED));
      let error: unknown;
      try {
        synthesizeOrReport(app);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RuleViolationError);
      expect((error as Error).message).toBe(
        [
          "Security rule violations (1):",
          "  - [test/aws] required-tags: AWS provider default_tags lack project, environment, stack, managed-by (expected project, environment, stack, managed-by)",
        ].join("\n"),
      );
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS (cdktf synth, npm run synth), lists every stack's violations", () => {
    const outdir = mkdtempSync(join(tmpdir(), "rules-"));
    // cdktf reads the variable when a stack is created, and then writes stacks despite error annotations.
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
    try {
      const app = new App({ outdir, stackTraces: false });
      for (const id of ["one", "two"]) {
        const stack = new TerraformStack(app, id);
        new AwsProvider(stack, "aws", { region: "us-east-1" });
        Aspects.of(stack).add(new SecurityRules(UNPROTECTED));
      }
      expect(() => synthesizeOrReport(app)).toThrow(
        new RuleViolationError([
          "[one/aws] required-tags: AWS provider default_tags lack project, environment, stack, managed-by (expected project, environment, stack, managed-by)",
          "[two/aws] required-tags: AWS provider default_tags lack project, environment, stack, managed-by (expected project, environment, stack, managed-by)",
        ]),
      );
    } finally {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
