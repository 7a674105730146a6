/** The e2e's copy of a stack: what is excluded, what stands in, and that nothing is changed silently. */
import {
  EMULATOR_GAPS,
  exclusionSummary,
  mapExpressions,
  prepareStack,
  providerOf,
  standInValue,
  type TfJson,
  typeMatches,
} from "../../../e2e/lib/exclusions";

const target = { partition: "aws", region: "us-east-1", accountId: "111111111111" };

function stack(): TfJson {
  return {
    terraform: {
      required_providers: {
        aws: { source: "aws", version: "6.25.0" },
        grafana: { source: "grafana/grafana", version: "4.23.0" },
        time: { source: "hashicorp/time", version: "0.13.1" },
      },
    },
    provider: {
      aws: [{ region: "us-east-1" }],
      grafana: [{ url: "${aws_grafana_workspace.ws.endpoint}" }],
      time: [{}],
    },
    resource: {
      aws_grafana_workspace: { ws: { name: "g" } },
      aws_iam_role: { role: { name: "r", description: "for ${aws_grafana_workspace.ws.id}" } },
      grafana_folder: { f: { title: "x" } },
      time_rotating: { t: { rotation_days: 7 } },
      aws_eks_addon: { addon: { cluster_name: "c" } },
      kubernetes_storage_class_v1: { sc: { depends_on: ["aws_eks_addon.addon"], metadata: { name: "gp3" } } },
      aws_security_group_rule: {
        r: { security_group_id: "${data.aws_eks_cluster.c.vpc_config[0].cluster_security_group_id}" },
      },
    },
    data: {
      aws_eks_addon_version: { v: { addon_name: "x" } },
      aws_eks_cluster: { c: { name: "c", region: "us-east-1" } },
    },
    check: { addon_version: { assert: [{ condition: '${data.aws_eks_addon_version.v.version != ""}' }] } },
    output: { url: { value: "https://${aws_grafana_workspace.ws.endpoint}" } },
    import: [
      { to: "aws_eks_addon.addon", id: "c:aws-ebs-csi-driver" },
      { to: "aws_iam_role.role", id: "r" },
    ],
  };
}

describe("prepareStack", () => {
  const prepared = prepareStack(stack(), {
    rules: EMULATOR_GAPS,
    unavailableProviders: { time: "SKIPPED: time missing" },
    expressionStandIns: [
      {
        pattern: /data\.aws_eks_cluster\.[\w-]+\.vpc_config\[0\]\.cluster_security_group_id/g,
        value: "sg-0123456789abcdef0",
        reason: "no cluster security group in moto",
      },
    ],
    ...target,
  });
  const json = prepared.json;

  it("removes the excluded types, each with its reason, and keeps the rest", () => {
    expect(prepared.excluded.map((e) => `${e.kind}.${e.type}`).sort()).toEqual([
      "data.aws_eks_addon_version",
      "resource.aws_eks_addon",
      "resource.aws_grafana_workspace",
      "resource.grafana_folder",
      "resource.time_rotating",
    ]);
    expect(prepared.excluded.find((e) => e.type === "time_rotating")?.reason).toBe("SKIPPED: time missing");
    expect(prepared.applied.sort()).toEqual([
      "aws_iam_role.role",
      "aws_security_group_rule.r",
      "kubernetes_storage_class_v1.sc",
    ]);
  });

  it("replaces every reference to an excluded block with a printed stand-in local", () => {
    expect(json.output?.url.value).toBe('https://${local.e2e_excluded["aws_grafana_workspace.ws"].endpoint}');
    expect(json.resource?.aws_iam_role.role.description).toBe(
      'for ${local.e2e_excluded["aws_grafana_workspace.ws"].id}',
    );
    expect(json.locals?.e2e_excluded).toEqual({
      "aws_grafana_workspace.ws": {
        endpoint: "e2e-excluded-ws.invalid",
        id: "e2e-excluded-ws-id",
      },
    });
    expect(prepared.standIns).toEqual([
      'local.e2e_excluded["aws_grafana_workspace.ws"].endpoint = "e2e-excluded-ws.invalid"',
      'local.e2e_excluded["aws_grafana_workspace.ws"].id = "e2e-excluded-ws-id"',
    ]);
  });

  it("drops depends_on entries, import blocks and checks that name excluded blocks, with a note each", () => {
    expect(json.resource?.kubernetes_storage_class_v1.sc.depends_on).toBeUndefined();
    expect(json.import).toEqual([{ to: "aws_iam_role.role", id: "r" }]);
    expect(json.check).toBeUndefined();
    expect(prepared.notes).toEqual(
      expect.arrayContaining([
        "kubernetes_storage_class_v1.sc: depends_on aws_eks_addon.addon dropped (excluded)",
        "import block for aws_eks_addon.addon dropped (excluded)",
        "check addon_version dropped: it reads data.aws_eks_addon_version.v (excluded)",
      ]),
    );
  });

  it("applies expression stand-ins as literals and says so", () => {
    expect(json.resource?.aws_security_group_rule.r.security_group_id).toBe('${"sg-0123456789abcdef0"}');
    expect(prepared.notes.some((n) => n.includes("no cluster security group in moto"))).toBe(true);
  });

  it("removes providers nothing uses any more, with their required_providers entries", () => {
    expect(Object.keys(json.terraform?.required_providers ?? {})).toEqual(["aws"]);
    expect(Object.keys(json.provider ?? {})).toEqual(["aws"]);
  });

  it("keeps a provider whose resources a removed block forgets", () => {
    const forgets = prepareStack(
      {
        terraform: {
          required_providers: {
            aws: { source: "aws", version: "6.25.0" },
            helm: { source: "helm", version: "3.1.1" },
          },
        },
        provider: { aws: [{ region: "us-east-1" }], helm: [{}] },
        resource: { aws_iam_role: { role: { name: "r" } } },
        removed: [{ from: "helm_release.prometheus", lifecycle: { destroy: false } }],
      },
      { rules: EMULATOR_GAPS, ...target },
    );
    expect(Object.keys(forgets.json.terraform?.required_providers ?? {})).toEqual(["aws", "helm"]);
    expect(forgets.json.removed).toHaveLength(1);
    expect(forgets.notes.filter((n) => n.includes("no longer used"))).toEqual([]);
  });

  it("does not touch the input", () => {
    expect(stack().resource?.aws_grafana_workspace).toBeDefined();
  });

  it("refuses an indexed reference to an excluded block rather than guessing", () => {
    const s: TfJson = {
      resource: {
        aws_eks_addon: { a: {} },
        aws_iam_role: { r: { name: "${aws_eks_addon.a[0].id}" } },
      },
    };
    expect(() => prepareStack(s, { rules: EMULATOR_GAPS, ...target })).toThrow(/indexed reference/);
  });

  it("with aws 5.x standing in, drops a per-resource region equal to the provider's and excludes another", () => {
    const s: TfJson = {
      data: {
        aws_eks_cluster: {
          here: { name: "a", region: "us-east-1" },
          there: { name: "b", region: "eu-west-1" },
        },
      },
      resource: { aws_servicequotas_template: { q: { region: "eu-west-1" } } },
    };
    const p = prepareStack(s, {
      rules: [],
      regionArgument: { providerRegion: "us-east-1", because: "aws 5.100.0 stands in" },
      ...target,
    });
    expect(p.json.data?.aws_eks_cluster.here).toEqual({ name: "a" });
    expect(p.excluded.map((e) => e.name)).toEqual(["there"]);
    expect(p.json.resource?.aws_servicequotas_template.q.region).toBe("eu-west-1");
  });
});

describe("helpers", () => {
  it("matches types exactly or by prefix", () => {
    expect(typeMatches("aws_grafana_*", "aws_grafana_workspace")).toBe(true);
    expect(typeMatches("aws_grafana_*", "aws_iam_role")).toBe(false);
    expect(typeMatches("http", "http")).toBe(true);
    expect(typeMatches("http", "https")).toBe(false);
  });

  it("finds the provider of a block", () => {
    expect(providerOf("helm_release", {})).toBe("helm");
    expect(providerOf("aws_iam_role", { provider: "aws.us_east_1" })).toBe("aws");
  });

  it("edits only expressions, leaving escaped $${ and keys alone", () => {
    const edited = mapExpressions({ "${a.b}": "x ${a.b} $${a.b} ${f({x = a.b})}" }, (e) =>
      e.replace("a.b", "c.d"),
    );
    expect(edited).toEqual({ "${a.b}": "x ${c.d} $${a.b} ${f({x = c.d})}" });
  });

  it("makes ARN-shaped stand-ins for ARNs", () => {
    expect(standInValue("aws_prometheus_scraper", "s", "arn", target)).toBe(
      "arn:aws:aps:us-east-1:111111111111:e2e-excluded/s",
    );
    expect(standInValue("aws_grafana_workspace", "w", "role_arn", target)).toMatch(/^arn:aws:grafana:/);
  });

  it("summarizes exclusions by type with counts", () => {
    expect(
      exclusionSummary([
        { kind: "resource", type: "grafana_dashboard", name: "a", reason: "no Grafana" },
        { kind: "resource", type: "grafana_dashboard", name: "b", reason: "no Grafana" },
        { kind: "data", type: "http", name: "c", reason: "no internet" },
      ]),
    ).toEqual(["grafana_dashboard (2): no Grafana", "data.http (1): no internet"]);
  });
});
