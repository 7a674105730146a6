import type { NamespaceV1 } from "@cdktf/provider-kubernetes/lib/namespace-v1";
import type { CollectorType } from "../../lib/catalogue";

/**
 * What every collector construct gives the stack that holds it: which collector it is, the dashboards its
 * metrics answer (Grafana shows only those), and the values it publishes for operators.
 */
export interface Collector {
  readonly type: CollectorType;
  /** Dashboard files in dashboards/ that show this collector's own health. */
  readonly dashboards: readonly string[];
  /** Values the stack publishes as outputs, by the output's key in the stack graph (stacks/graph.ts). */
  readonly published: Readonly<Record<string, string>>;
  /** Namespaces of its Helm releases (where Helm keeps its release records). */
  readonly releaseNamespaces: readonly NamespaceV1[];
}
