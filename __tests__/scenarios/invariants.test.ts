/**
 * Properties that must hold in every synthesized stack of every example environment, whatever the
 * config: the ones whose breakage shows up only after deploy (403s on remote write, open security
 * groups, over-broad IAM).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { validateEnvironments } from "../../config/validate";
import { environments } from "../../environments";
import { WILDCARD_RESOURCE_ALLOWLIST } from "../../lib/aspects";
import { STACK_KINDS } from "../../stacks/graph";
import { onlyResource, resourcesOf, type StackJson, synthEnvironment } from "../helpers";

const envs = validateEnvironments(environments);
const synthesized = envs.map((env) => ({ env, json: synthEnvironment(env).json }));

/** Every IAM-style policy document in a stack (role trust, inline policies, endpoint and topic policies). */
function policies(stack: StackJson): { where: string; doc: any }[] {
  const found: { where: string; doc: any }[] = [];
  for (const [type, byId] of Object.entries(stack.resource ?? {})) {
    for (const [id, res] of Object.entries(byId)) {
      for (const key of ["policy", "assume_role_policy"]) {
        if (typeof res[key] === "string")
          found.push({ where: `${type}.${id}.${key}`, doc: JSON.parse(res[key] as string) });
      }
    }
  }
  return found;
}

const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Where `Resource: "*"` may appear: the statements the synth-time rules allow (WILDCARD_RESOURCE_ALLOWLIST,
 * each saying why AWS requires it), and KMS key policies, where "*" means the key itself (docs/security.md).
 */
function wildcardResourceAllowed(where: string, sid: string | undefined): boolean {
  const type = where.split(".")[0];
  return (
    type === "aws_kms_key" ||
    WILDCARD_RESOURCE_ALLOWLIST.some((a) => a.resourceType === type && a.sid === sid)
  );
}

describe.each(synthesized.map((s) => [s.env.name, s] as const))(
  "invariants of %s",
  (_name, { env, json }) => {
    const monitoring = json["cluster-monitoring"];
    /** The first cluster's stack. */
    const cluster = json.cluster;

    // Collector-specific properties are registered only for environments running that collector.
    const noop = (() => undefined) as unknown as typeof it;
    const prometheusIt = env.clusters[0].collector.type === "prometheus" ? it : noop;
    const managedIt = env.clusters[0].collector.type === "managed" ? it : noop;

    prometheusIt("the service account in the Helm values is the one the IRSA trust policy names", () => {
      const values = parse((onlyResource(cluster, "helm_release").values as string[])[0]);
      const role = Object.values(resourcesOf(cluster, "aws_iam_role")).find((r) =>
        String(r.name).endsWith("amp-ingest"),
      )!;
      const trust = JSON.parse(role.assume_role_policy as string).Statement[0].Condition.StringEquals;
      const sub = Object.entries(trust).find(([k]) => k.endsWith(":sub"))![1];
      expect(sub).toBe(
        `system:serviceaccount:${env.clusters[0].collector.type === "prometheus" && env.clusters[0].collector.namespace}:${values.serviceAccounts.server.name}`,
      );
      expect(values.serviceAccounts.server.create).toBe(true);
      expect(values.serviceAccounts.server.annotations["eks.amazonaws.com/role-arn"]).toMatch(
        /^\$\{aws_iam_role\.prometheus-irsa_role_[A-F0-9]+\.arn\}$/,
      );
      expect(Object.entries(trust).find(([k]) => k.endsWith(":aud"))![1]).toBe("sts.amazonaws.com");
    });

    prometheusIt(
      "remote write goes to this workspace, signed for the workspace's region, which is the provider's region",
      () => {
        const values = parse((onlyResource(cluster, "helm_release").values as string[])[0]);
        const [write] = values.server.remoteWrite;
        // The workspace stack's endpoint, read from its state.
        expect(write.url).toBe(
          "${data.terraform_remote_state.cluster-monitoring-state.outputs.amp_prometheus_endpoint}api/v1/remote_write",
        );
        expect(monitoring.output?.amp_prometheus_endpoint.value).toMatch(
          /^\$\{aws_prometheus_workspace\.[^.]+\.prometheus_endpoint\}$/,
        );
        expect(write.sigv4.region).toBe(env.region);
        for (const kind of STACK_KINDS) expect(json[kind].provider?.aws[0].region).toBe(env.region);
      },
    );

    managedIt("the managed collector writes to this workspace and runs no Prometheus server", () => {
      const scraper = onlyResource(cluster, "aws_prometheus_scraper") as any;
      expect(scraper.destination[0].amp[0].workspace_arn).toBe(
        "${data.terraform_remote_state.cluster-monitoring-state.outputs.amp_workspace_arn}",
      );
      expect(monitoring.output?.amp_workspace_arn.value).toMatch(
        /^\$\{aws_prometheus_workspace\.[^.]+\.arn\}$/,
      );
      expect(Object.values(resourcesOf(cluster, "helm_release")).map((r) => r.chart)).not.toContain(
        "prometheus",
      );
      for (const kind of STACK_KINDS) expect(json[kind].provider?.aws[0].region).toBe(env.region);
    });

    it("references only resources, data sources and ephemerals its own stack declares (no implicit cross-stack reference)", () => {
      let references = 0;
      for (const kind of STACK_KINDS) {
        const stack = json[kind] as StackJson & { ephemeral?: Record<string, Record<string, unknown>> };
        const declared = (block: "resource" | "data" | "ephemeral", type: string, name: string) =>
          stack[block]?.[type]?.[name] !== undefined;
        // Terraform expressions: the bodies of `${...}` (one level of nested braces, as in jsonencode({...})).
        const expressions = [
          ...JSON.stringify({ ...stack, "//": undefined }).matchAll(/\$\{((?:[^{}]|\{[^{}]*\})*)\}/g),
        ].map((m) => m[1]);
        for (const expression of expressions) {
          for (const [, prefix, type, name] of expression.matchAll(
            /(?<![\w.])(?:(data|ephemeral)\.)?((?:aws|kubernetes|helm|grafana|time|tfe|http)_[a-z0-9_]+|terraform_remote_state)\.([A-Za-z0-9_-]+)/g,
          )) {
            const block = (prefix ?? "resource") as "resource" | "data" | "ephemeral";
            const reference = `${prefix ? `${prefix}.` : ""}${type}.${name}`;
            references++;
            expect({ kind, reference, declared: declared(block, type, name) }).toEqual({
              kind,
              reference,
              declared: true,
            });
          }
        }
      }
      expect(references).toBeGreaterThan(20);
    });

    it('no policy allows every action, and Resource "*" appears only where AWS requires it', () => {
      for (const kind of STACK_KINDS) {
        for (const { where, doc } of policies(json[kind])) {
          for (const statement of doc.Statement) {
            expect({ where, actions: asList(statement.Action) }).not.toEqual({
              where,
              actions: expect.arrayContaining(["*"]),
            });
            if (asList(statement.Resource).includes("*")) {
              expect(
                wildcardResourceAllowed(where, statement.Sid) ? where : `unexpected Resource "*" in ${where}`,
              ).toBe(where);
            }
          }
        }
      }
    });

    it("every statement allowing an AWS service is conditioned on the source account or ARN", () => {
      let services = 0;
      for (const kind of STACK_KINDS) {
        for (const { where, doc } of policies(json[kind])) {
          for (const statement of doc.Statement) {
            if (statement.Effect !== "Allow" || !statement.Principal?.Service) continue;
            services++;
            const keys = Object.values(statement.Condition ?? {}).flatMap((c) =>
              Object.keys(c as object).map((k) => k.toLowerCase()),
            );
            expect({
              where,
              sid: statement.Sid,
              sourceConditioned: keys.some((k) => /^aws:source(account|arn)$/.test(k)),
            }).toEqual({
              where,
              sid: statement.Sid,
              sourceConditioned: true,
            });
          }
        }
      }
      expect(services).toBeGreaterThan(0);
    });

    it("every security-group rule has a description and none is open to the internet", () => {
      let rules = 0;
      for (const kind of STACK_KINDS) {
        for (const type of [
          "aws_vpc_security_group_ingress_rule",
          "aws_vpc_security_group_egress_rule",
          "aws_security_group_rule",
        ]) {
          for (const rule of Object.values(resourcesOf(json[kind], type))) {
            rules++;
            expect(rule.description).toEqual(expect.stringMatching(/\S{3,}/));
            expect(rule.cidr_ipv4).not.toBe("0.0.0.0/0");
            expect(rule.cidr_ipv6).not.toBe("::/0");
          }
        }
        for (const sg of Object.values(resourcesOf(json[kind], "aws_security_group"))) {
          expect(sg.ingress ?? []).toEqual([]);
          expect(sg.egress ?? []).toEqual([]);
        }
      }
      expect(rules).toBeGreaterThan(0);
    });

    it("every AWS provider is locked to the environment's account (or Identity Center's, for lookups) and tags what it creates", () => {
      for (const kind of STACK_KINDS) {
        for (const provider of json[kind].provider?.aws ?? []) {
          if (provider.alias === "identity-center") {
            // Reads only: user-name lookups in Identity Center's own account and home region.
            const ic = env.grafana.identityCenter!;
            expect(provider).toMatchObject({ allowed_account_ids: [ic.accountId], region: ic.region });
            expect(Object.keys(json[kind].resource ?? {}).length).toBeGreaterThan(0);
            expect(JSON.stringify(json[kind].resource)).not.toContain("aws.identity-center");
            continue;
          }
          expect(provider.allowed_account_ids).toEqual([env.accountId]);
          // The managed collector tags the workspace itself: no plan may show that tag as a diff.
          expect(provider.ignore_tags).toEqual([{ keys: ["AMPAgentlessScraper"] }]);
          expect((provider.default_tags as any)[0].tags).toMatchObject({
            project: "eksmon",
            environment: env.name,
            stack: kind,
            "managed-by": "cdktf",
          });
        }
      }
    });

    it("stateful resources are protected from destroy when the environment is protected, or adopted", () => {
      // A workspace made before this project and imported is never destroyed by a plan, protected or not.
      const amp = onlyResource(monitoring, "aws_prometheus_workspace");
      const amg = onlyResource(json.grafana, "aws_grafana_workspace");
      expect(amp.lifecycle).toMatchObject({ prevent_destroy: env.protect || !!env.amp.adoptWorkspaceId });
      expect(amg.lifecycle).toMatchObject({ prevent_destroy: env.protect || !!env.grafana.adoptWorkspaceId });
      const stateful = [
        ...(env.amp.adoptWorkspaceId ? [] : [amp]),
        ...(env.grafana.adoptWorkspaceId ? [] : [amg]),
        // The Prometheus server's namespace holds its volume claim.
        ...Object.values(resourcesOf(cluster, "kubernetes_namespace_v1")).filter(
          (ns: any) =>
            env.clusters[0].collector.type === "prometheus" &&
            ns.metadata.name === env.clusters[0].collector.namespace,
        ),
      ];
      expect(stateful.length).toBeGreaterThan(0);
      for (const res of stateful) expect(res.lifecycle).toMatchObject({ prevent_destroy: env.protect });
    });
  },
);

describe("source code", () => {
  const root = join(__dirname, "..", "..");
  const files = (dir: string): string[] =>
    readdirSync(join(root, dir)).flatMap((f) => {
      const rel = join(dir, f);
      return statSync(join(root, rel)).isDirectory() ? files(rel) : rel.endsWith(".ts") ? [rel] : [];
    });
  const sources = [
    "main.ts",
    "app.ts",
    ...files("stacks"),
    ...files("constructs"),
    ...files("lib"),
    ...files("monitoring"),
    ...files("config"),
  ];
  // The validator's messages quote example values ("e.g. 111111111111"); they are never used as values.
  const MESSAGE_EXAMPLES = files("config");

  it("has no account id, region or ARN literal outside environments/", () => {
    const offending = sources
      .filter((f) => !MESSAGE_EXAMPLES.includes(f))
      .flatMap((file) =>
        readFileSync(join(root, file), "utf8")
          .split("\n")
          .map((line, i) => ({ file, line: i + 1, text: line }))
          .filter(({ text }) =>
            /\b\d{12}\b|\b[a-z]{2}-(north|south|east|west|central|northeast|southeast)-\d\b|"arn:aws[-a-z]*:/.test(
              text,
            ),
          ),
      );
    expect(offending).toEqual([]);
  });

  it("imports provider bindings only deeply (one resource module at a time)", () => {
    const barrels = sources.filter((file) =>
      /from "@cdktf\/provider-[a-z]+(\/lib)?"/.test(readFileSync(join(root, file), "utf8")),
    );
    expect(barrels).toEqual([]);
    expect(sources.length).toBeGreaterThan(10);
  });
});
