import { ClusterRoleBindingV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-binding-v1";
import { ClusterRoleV1 } from "@cdktf/provider-kubernetes/lib/cluster-role-v1";
import { Fn, type ITerraformDependable, Op } from "cdktf";
import { Construct } from "constructs";
import { EKS_CONTROL_PLANE_JOBS, EKS_CONTROL_PLANE_METRICS_MIN_MINOR } from "../../lib/catalogue";
import type { IEksCluster } from "../cluster/existing-eks-cluster";

/** The API group under which EKS serves kube-scheduler's and kube-controller-manager's metrics. */
export const CONTROL_PLANE_METRICS_GROUP = "metrics.eks.amazonaws.com";

/** The RBAC rule reading the EKS control plane's metrics (EKS user guide, "Fetch control plane raw metrics"). */
export const CONTROL_PLANE_METRICS_RULE = {
  apiGroups: [CONTROL_PLANE_METRICS_GROUP],
  resources: Object.values(EKS_CONTROL_PLANE_JOBS)
    .map((j) => j.resource)
    .sort(),
  verbs: ["get"],
};

/**
 * The plan-time check that the cluster serves the control plane's metrics: EKS does from Kubernetes 1.28.
 * Earlier, the kube-scheduler and kube-controller-manager jobs would fail every scrape.
 */
export function controlPlaneMetricsServed(cluster: IEksCluster) {
  return {
    condition: Op.gte(
      Fn.tonumber(Fn.element(Fn.split(".", cluster.kubernetesVersion), 1)),
      EKS_CONTROL_PLANE_METRICS_MIN_MINOR,
    ),
    errorMessage: `EKS cluster ${cluster.name} runs Kubernetes ${cluster.kubernetesVersion}, whose API server does not serve kube-scheduler's and kube-controller-manager's metrics (${CONTROL_PLANE_METRICS_GROUP}, Kubernetes 1.${EKS_CONTROL_PLANE_METRICS_MIN_MINOR} and later), which the collector scrapes. Upgrade the cluster (every version EKS still supports serves them), then plan again.`,
  };
}

export interface ControlPlaneMetricsReaderProps {
  /** The cluster whose control plane is read (its version is checked at plan time). */
  readonly cluster: IEksCluster;
  /** Name of the ClusterRole and its binding. */
  readonly name: string;
  /** The service account that scrapes (the Prometheus server's). */
  readonly serviceAccount: { readonly namespace: string; readonly name: string };
  /** What must exist first (the service account's namespace). @default nothing */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Lets a service account read the EKS control plane's metrics: a ClusterRole with `get` on `ksh/metrics` and
 * `kcm/metrics` of `metrics.eks.amazonaws.com`, bound to it. The prometheus chart's own ClusterRole takes no
 * extra rules (chart 29.27.0, templates/clusterrole.yaml), and RBAC adds up: this role sits beside it.
 * Fails the plan on a cluster that does not serve those metrics.
 */
export class ControlPlaneMetricsReader extends Construct {
  /** The ClusterRole. */
  readonly clusterRole: ClusterRoleV1;
  /** Its binding to the service account. */
  readonly binding: ClusterRoleBindingV1;

  constructor(scope: Construct, id: string, props: ControlPlaneMetricsReaderProps) {
    super(scope, id);
    const labels = { "app.kubernetes.io/managed-by": "terraform" };
    this.clusterRole = new ClusterRoleV1(this, "cluster-role", {
      metadata: { name: props.name, labels },
      rule: [CONTROL_PLANE_METRICS_RULE],
      lifecycle: { precondition: [controlPlaneMetricsServed(props.cluster)] },
    });
    this.binding = new ClusterRoleBindingV1(this, "binding", {
      metadata: { name: props.name, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: props.name },
      subject: [
        {
          kind: "ServiceAccount",
          name: props.serviceAccount.name,
          namespace: props.serviceAccount.namespace,
        },
      ],
      dependsOn: [this.clusterRole, ...(props.dependsOn ?? [])],
    });
  }
}
