/** Who collects the cluster's metrics (docs/collectors.md): the in-cluster Prometheus server or the AMP managed collector. */
export const COLLECTOR_TYPES = ["prometheus", "managed"] as const;
export type CollectorType = (typeof COLLECTOR_TYPES)[number];
