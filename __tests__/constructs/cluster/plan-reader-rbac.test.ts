/**
 * PlanReaderRbac: what an identity that only plans may read in the cluster. The kinds the stacks manage,
 * cluster-wide and read-only; Secrets only in the Helm releases' namespaces; nothing else.
 */
import { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { TerraformStack, Testing } from "cdktf";
import { PLAN_READER_GROUP } from "../../../constructs/cluster/cluster-access";
import { PLAN_READER_ROLE, PlanReaderRbac } from "../../../constructs/cluster/plan-reader-rbac";
import { onlyResource, resourcesOf, type StackJson } from "../../helpers";

type Rule = { api_groups: string[]; resources: string[]; verbs: string[] };

function build(namespaces: string[]) {
  const stack = new TerraformStack(Testing.app(), "test");
  const releaseNamespaces = namespaces.map(
    (name) => new NamespaceV1(stack, `ns-${name}`, { metadata: { name } }),
  );
  new PlanReaderRbac(stack, "rbac", { releaseNamespaces });
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

const subject = [{ kind: "Group", name: PLAN_READER_GROUP, api_group: "rbac.authorization.k8s.io" }];

describe("PlanReaderRbac", () => {
  const json = build(["prometheus", "exporters"]);

  it("reads, cluster-wide, only the kinds the stacks manage, and never Secrets", () => {
    const role = onlyResource(json, "kubernetes_cluster_role_v1") as {
      metadata: { name: string };
      rule: Rule[];
    };
    expect(role.metadata.name).toBe(PLAN_READER_ROLE);
    expect(new Set(role.rule.flatMap((r) => r.verbs))).toEqual(new Set(["get", "list", "watch"]));
    expect(role.rule.flatMap((r) => r.resources).sort()).toEqual(
      [
        "clusterrolebindings",
        "clusterroles",
        "namespaces",
        "rolebindings",
        "roles",
        "storageclasses",
        // The first install's scan for exporters already running (ExporterConflicts): kinds the provider
        // looks up among CRDs, Services in every namespace.
        "customresourcedefinitions",
        "services",
      ].sort(),
    );
    expect(JSON.stringify(role.rule)).not.toContain("*");
  });

  it("binds the cluster role to the plan readers' group, the group plan roles' access entries carry", () => {
    const binding = onlyResource(json, "kubernetes_cluster_role_binding_v1");
    expect(binding.role_ref).toEqual({
      api_group: "rbac.authorization.k8s.io",
      kind: "ClusterRole",
      name: PLAN_READER_ROLE,
    });
    expect(binding.subject).toEqual(subject);
  });

  it("reads Secrets (Helm's release records) only in each release namespace, bound to the same group", () => {
    const roles = Object.values(resourcesOf(json, "kubernetes_role_v1")) as {
      metadata: { name: string; namespace: string };
      rule: Rule[];
    }[];
    expect(roles.map((r) => r.metadata.namespace).sort()).toEqual([
      "${kubernetes_namespace_v1.ns-exporters.metadata[0].name}",
      "${kubernetes_namespace_v1.ns-prometheus.metadata[0].name}",
    ]);
    for (const role of roles)
      expect(role.rule).toEqual([
        { api_groups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
        // An adopted release's claim, whose StorageClass the plan keeps: get, nothing else.
        { api_groups: [""], resources: ["persistentvolumeclaims"], verbs: ["get"] },
      ]);
    const bindings = Object.values(resourcesOf(json, "kubernetes_role_binding_v1"));
    expect(bindings).toHaveLength(2);
    for (const b of bindings) {
      expect(b.subject).toEqual(subject);
      expect(b.role_ref).toEqual({
        api_group: "rbac.authorization.k8s.io",
        kind: "Role",
        name: PLAN_READER_ROLE,
      });
      expect(b.depends_on).toEqual([expect.stringMatching(/^kubernetes_role_v1\./)]);
    }
  });

  it("labels everything it creates as managed by Terraform", () => {
    for (const type of [
      "kubernetes_cluster_role_v1",
      "kubernetes_cluster_role_binding_v1",
      "kubernetes_role_v1",
      "kubernetes_role_binding_v1",
    ])
      for (const r of Object.values(resourcesOf(json, type)))
        expect((r.metadata as { labels: Record<string, string> }).labels).toEqual({
          "app.kubernetes.io/managed-by": "terraform",
        });
  });

  it("keys each namespace's role by the namespace's construct, so another namespace is another role, not an update", () => {
    const one = Object.keys(resourcesOf(build(["prometheus"]), "kubernetes_role_v1"));
    const two = Object.keys(resourcesOf(json, "kubernetes_role_v1"));
    expect(two).toEqual(expect.arrayContaining(one));
    expect(resourcesOf(build([]), "kubernetes_role_v1")).toEqual({});
  });
});
