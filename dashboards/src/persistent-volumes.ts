/** Persistent volumes: claims filling up (kubelet volume stats), claims not bound, and the volumes behind them. */
import { C, CELL, type DashboardSpec } from "./lib";
import { m } from "./promql";

const NS = 'namespace=~"$namespace"';
const PVC = "namespace, persistentvolumeclaim";
/** A kubelet volume-stats metric per claim (one series per mounted claim: max over the node that mounts it). */
const stat = (name: string) => `max by (${PVC}) (kubelet_volume_stats_${name}{${m(NS)}})`;
const usedRatio = `${stat("used_bytes")} / ${stat("capacity_bytes")}`;
const inodesRatio = `${stat("inodes_used")} / ${stat("inodes")}`;
const claimPhase = (phase: string) =>
  `sum(max by (${PVC}) (kube_persistentvolumeclaim_status_phase{${m(NS, `phase=~"${phase}"`)}}))`;

export const persistentVolumes: DashboardSpec = {
  uid: "eksmon-persistent-volumes",
  title: "Persistent volumes",
  description:
    "Volume claims: how full the mounted ones are (space and inodes) and where they are heading, claims not bound, and the persistent volumes of the cluster. Pick namespaces above (all by default).",
  tags: ["storage"],
  scope: ["namespace"],
  namespaces: true,
  // The namespaces that have claims.
  variableQueries: { namespace: { query: `label_values(kube_persistentvolumeclaim_info{${C}}, namespace)` } },
  rows: [
    {
      title: "Claims",
      panels: [
        {
          kind: "stat",
          title: "Claims bound",
          description: "Volume claims bound to a volume.",
          unit: "short",
          w: 4,
          queries: [{ expr: claimPhase("Bound") }],
        },
        {
          kind: "stat",
          title: "Claims pending or lost",
          description:
            "Claims waiting for a volume (no StorageClass able to provision it, or WaitForFirstConsumer before the pod is scheduled) or whose volume is gone.",
          unit: "short",
          w: 4,
          thresholds: [[1, "orange"]],
          queries: [{ expr: `${claimPhase("Pending|Lost")} or vector(0)` }],
        },
        {
          kind: "stat",
          title: "Storage requested",
          description: "Storage the claims request in total.",
          unit: "bytes",
          w: 4,
          queries: [
            {
              expr: `sum(max by (${PVC}) (kube_persistentvolumeclaim_resource_requests_storage_bytes{${m(NS)}}))`,
            },
          ],
        },
        {
          kind: "stat",
          title: "Fullest claim",
          description: "The highest share of space used among the mounted claims.",
          unit: "percentunit",
          w: 4,
          thresholds: [
            [0.8, "orange"],
            [0.9, "red"],
          ],
          queries: [{ expr: `max(${usedRatio})` }],
        },
        {
          kind: "stat",
          title: "Fullest claim (inodes)",
          description:
            "The highest share of inodes used among the mounted claims: many small files fill these first.",
          unit: "percentunit",
          w: 4,
          thresholds: [
            [0.8, "orange"],
            [0.9, "red"],
          ],
          queries: [{ expr: `max(${inodesRatio})` }],
        },
        {
          kind: "stat",
          title: "Claims full within 4 days",
          description:
            "Mounted claims whose free space, extrapolated from the last 6 hours, reaches 0 within 4 days.",
          unit: "short",
          w: 4,
          thresholds: [[1, "orange"]],
          queries: [
            {
              expr: `count(max by (${PVC}) (predict_linear(kubelet_volume_stats_available_bytes{${m(NS)}}[6h], 4 * 86400)) < 0) or vector(0)`,
            },
          ],
        },
        {
          kind: "table",
          title: "Claims",
          description:
            "Mounted claims: space used (share and bytes), capacity, inodes used. Click a namespace for its dashboard.",
          unit: "percentunit",
          w: 24,
          h: 9,
          labels: ["namespace", "persistentvolumeclaim"],
          values: ["Used", "Used bytes", "Capacity", "Inodes used"],
          units: { "Used bytes": "bytes", Capacity: "bytes" },
          queries: [
            { expr: usedRatio },
            { expr: stat("used_bytes") },
            { expr: stat("capacity_bytes") },
            { expr: inodesRatio },
          ],
          cellLinks: [
            {
              column: "namespace",
              to: "eksmon-namespace",
              title: "Open the namespace's dashboard",
              vars: { namespace: CELL },
            },
          ],
        },
      ],
    },
    {
      title: "Usage over time",
      panels: [
        {
          kind: "timeseries",
          title: "Space used by claim",
          description: "Share of each mounted claim's space in use.",
          unit: "percentunit",
          min: 0,
          max: 1,
          queries: [{ expr: usedRatio, legend: "{{namespace}}/{{persistentvolumeclaim}}" }],
        },
        {
          kind: "timeseries",
          title: "Inodes used by claim",
          description: "Share of each mounted claim's inodes in use.",
          unit: "percentunit",
          min: 0,
          max: 1,
          queries: [{ expr: inodesRatio, legend: "{{namespace}}/{{persistentvolumeclaim}}" }],
        },
        {
          kind: "timeseries",
          title: "Free space in 4 days (extrapolated)",
          description:
            "Free space of each claim extrapolated 4 days ahead from the last 6 hours; below 0, it fills before then.",
          unit: "bytes",
          queries: [
            {
              expr: `max by (${PVC}) (predict_linear(kubelet_volume_stats_available_bytes{${m(NS)}}[6h], 4 * 86400))`,
              legend: "{{namespace}}/{{persistentvolumeclaim}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Claims by phase",
          description: "Claims per phase (Bound, Pending, Lost).",
          unit: "short",
          queries: [
            {
              expr: `sum by (phase) (max by (${PVC}, phase) (kube_persistentvolumeclaim_status_phase{${m(NS)}}))`,
              legend: "{{phase}}",
            },
          ],
        },
      ],
    },
    {
      title: "Volumes",
      panels: [
        {
          kind: "table",
          title: "Persistent volumes",
          description:
            "Every persistent volume of the cluster (not only the selected namespaces'), with its StorageClass, capacity and whether it is bound.",
          unit: "bytes",
          w: 24,
          h: 8,
          labels: ["persistentvolume", "storageclass"],
          values: ["Capacity", "Bound"],
          units: { Bound: "short" },
          queries: [
            {
              expr: `max by (persistentvolume, storageclass) (kube_persistentvolume_capacity_bytes{${C}} * on (cluster, persistentvolume) group_left (storageclass) max by (cluster, persistentvolume, storageclass) (kube_persistentvolume_info{${C}}))`,
            },
            {
              expr: `max by (persistentvolume, storageclass) (kube_persistentvolume_status_phase{${m('phase="Bound"')}} * on (cluster, persistentvolume) group_left (storageclass) max by (cluster, persistentvolume, storageclass) (kube_persistentvolume_info{${C}}))`,
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Volumes by phase",
          description: "Persistent volumes per phase (Available, Bound, Released, Failed).",
          unit: "short",
          queries: [
            {
              expr: `sum by (phase) (max by (persistentvolume, phase) (kube_persistentvolume_status_phase{${C}}))`,
              legend: "{{phase}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Claims by StorageClass",
          description: "Claims of the selected namespaces per StorageClass.",
          unit: "short",
          queries: [
            {
              expr: `count by (storageclass) (max by (${PVC}, storageclass) (kube_persistentvolumeclaim_info{${m(NS)}}))`,
              legend: "{{storageclass}}",
            },
          ],
        },
      ],
    },
  ],
};
