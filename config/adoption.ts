/**
 * The one-shot fields of an environment: each makes the next plan import an object that already exists
 * (Terraform `import` blocks), once. After the first apply they do nothing, until the object is gone: after
 * a destroy, or in a copy of the file for a new environment, the import fails the plan ("Cannot import
 * non-existent remote object"). `npm run destroy` refuses while they are set, `npm run deploy` reminds to
 * remove them, and `npm run plan` names them when an import fails (docs/operations.md).
 */
import type { EnvironmentConfig } from "./environment";

/** An adoption field that is set, and what it imports. */
export interface AdoptionFlag {
  /** The field, e.g. `collector.adopt.release`. */
  readonly field: string;
  /** What it imports, e.g. `the Helm release prometheus/prometheus`. */
  readonly imports: string;
  /** The Terraform resource type the import block targets ("" when it imports several). */
  readonly resourceType: string;
}

/** The adoption fields `env` sets, in the order of its sections. */
export function adoptionFlags(env: EnvironmentConfig): AdoptionFlag[] {
  const flags: AdoptionFlag[] = [];
  if (env.amp.adoptWorkspaceId)
    flags.push({
      field: "amp.adoptWorkspaceId",
      imports: `the AMP workspace ${env.amp.adoptWorkspaceId}`,
      resourceType: "aws_prometheus_workspace",
    });
  for (const [i, cluster] of env.clusters.entries()) {
    const at = `clusters[${i}]`;
    const c = cluster.collector;
    if (cluster.adopt.clusterMonitoringStack)
      flags.push({
        field: `${at}.adopt.clusterMonitoringStack`,
        imports: `${cluster.name}'s resources from ${env.name}-cluster-monitoring`,
        resourceType: "",
      });
    if (c.adopt.namespace)
      flags.push({
        field: `${at}.collector.adopt.namespace`,
        imports: `the namespace ${c.namespace} of ${cluster.name}`,
        resourceType: "kubernetes_namespace_v1",
      });
    if (c.type === "prometheus" && c.adopt.release)
      flags.push({
        field: `${at}.collector.adopt.release`,
        imports: `the Helm release ${c.namespace}/prometheus of ${cluster.name}`,
        resourceType: "helm_release",
      });
    if (cluster.ebsCsi.driver === "adopt")
      flags.push({
        field: `${at}.ebsCsi.driver: "adopt"`,
        imports: `the add-on aws-ebs-csi-driver of ${cluster.name}`,
        resourceType: "aws_eks_addon",
      });
  }
  if (env.grafana.adoptWorkspaceId)
    flags.push({
      field: "grafana.adoptWorkspaceId",
      imports: `the AMG workspace ${env.grafana.adoptWorkspaceId}`,
      resourceType: "aws_grafana_workspace",
    });
  return flags;
}
