import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import { RoleBindingV1 } from "@cdktf/provider-kubernetes/lib/role-binding-v1";
import { RoleV1 } from "@cdktf/provider-kubernetes/lib/role-v1";
import type { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { importExisting } from "../../lib/adoption";
import { PLAN_READER_GROUP } from "./cluster-access";

/** Name of the ClusterRole and Role the plan readers get. */
export const PLAN_READER_ROLE = "eksmon-plan-reader";

export interface PlanReaderRbacProps {
  /** Namespaces of the Helm releases (created in the same stack): plans read the release records (Secrets) there. */
  readonly releaseNamespaces: readonly NamespaceV1[];
}

const READ = ["get", "list", "watch"];
const MANAGED_BY = { "app.kubernetes.io/managed-by": "terraform" };

/**
 * What an identity that only plans may read in the cluster (group `PLAN_READER_GROUP`, given to plan roles
 * by their access entries): the kinds the stacks manage, to refresh them (Namespaces, StorageClasses, RBAC),
 * Secrets only in the Helm releases' namespaces, where Helm keeps its release records, and the list of
 * Services and CRDs the exporters' first install reads (an exporter already running). Nothing else: no other
 * Secret, no workload, no exec.
 */
export class PlanReaderRbac extends Construct {
  /** Each object with its Kubernetes import id (`<name>`, or `<namespace>/<name>` for namespaced ones). */
  private readonly objects: [TerraformResource, string][] = [];

  constructor(scope: Construct, id: string, props: PlanReaderRbacProps) {
    super(scope, id);
    const subject = [{ kind: "Group", name: PLAN_READER_GROUP, apiGroup: "rbac.authorization.k8s.io" }];
    const clusterRole = new ClusterRoleV1(this, "cluster-role", {
      metadata: { name: PLAN_READER_ROLE, labels: MANAGED_BY },
      rule: [
        { apiGroups: [""], resources: ["namespaces"], verbs: READ },
        { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: READ },
        {
          apiGroups: ["rbac.authorization.k8s.io"],
          resources: ["clusterroles", "clusterrolebindings", "roles", "rolebindings"],
          verbs: READ,
        },
        // The first install of an exporter looks for one already running (collectors/cluster-exporters.ts):
        // it lists Services by label in each namespace, and the provider looks the kind up among the CRDs.
        { apiGroups: [""], resources: ["services"], verbs: ["list"] },
        { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["list"] },
      ],
    });
    const clusterBinding = new ClusterRoleBindingV1(this, "cluster-role-binding", {
      metadata: { name: PLAN_READER_ROLE, labels: MANAGED_BY },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: PLAN_READER_ROLE },
      subject,
    });
    this.objects.push([clusterRole, PLAN_READER_ROLE], [clusterBinding, PLAN_READER_ROLE]);
    for (const ns of props.releaseNamespaces) {
      const namespace = ns.metadata.name; // a reference: the role waits for the namespace
      // Named after the namespace's construct: a namespace of another collector is another role, not an update.
      const id = ns.friendlyUniqueId;
      const role = new RoleV1(this, `releases-${id}`, {
        metadata: { name: PLAN_READER_ROLE, namespace, labels: MANAGED_BY },
        rule: [
          { apiGroups: [""], resources: ["secrets"], verbs: READ },
          // An adopted release's volume claim, whose StorageClass the plan keeps (collectors/prometheus-collector.ts).
          { apiGroups: [""], resources: ["persistentvolumeclaims"], verbs: ["get"] },
        ],
      });
      const binding = new RoleBindingV1(this, `releases-binding-${id}`, {
        metadata: { name: PLAN_READER_ROLE, namespace, labels: MANAGED_BY },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: PLAN_READER_ROLE },
        subject,
        dependsOn: [role],
      });
      const importId = `${ns.metadata.nameInput}/${PLAN_READER_ROLE}`;
      this.objects.push([role, importId], [binding, importId]);
    }
  }

  /** Imports the roles and bindings as they exist instead of creating them (taken over from another state). */
  importExisting(): void {
    for (const [object, id] of this.objects) importExisting(object, id);
  }
}
