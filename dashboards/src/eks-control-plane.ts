/**
 * EKS control plane: kube-scheduler and kube-controller-manager, which EKS runs out of the cluster's reach
 * and exposes (Kubernetes >= 1.28) through the API server at /apis/metrics.eks.amazonaws.com/v1/ksh/container/metrics
 * and .../kcm/container/metrics (EKS user guide, "Fetch control plane raw metrics"). Both collectors scrape
 * them as the jobs `kube-scheduler` and `kube-controller-manager`, once through each API server endpoint:
 * every query takes the `max` over those duplicate targets. Only the metrics AWS documents for these
 * endpoints are read.
 */
import type { DashboardSpec } from "./lib";
import { m, R } from "./promql";

export const SCHEDULER_JOB = "kube-scheduler";
export const CONTROLLER_MANAGER_JOB = "kube-controller-manager";
const ksh = (...matchers: string[]) => m(`job="${SCHEDULER_JOB}"`, ...matchers);
const kcm = (...matchers: string[]) => m(`job="${CONTROLLER_MANAGER_JOB}"`, ...matchers);
/** p99 of a histogram by `by` (the max over the duplicate targets of each bucket's rate). */
const p99 = (metric: string, by: string, selector: string) =>
  `histogram_quantile(0.99, max by (${[by, "le"].filter(Boolean).join(", ")}) (rate(${metric}_bucket{${selector}}${R})))`;

export const eksControlPlane: DashboardSpec = {
  uid: "eksmon-control-plane",
  title: "EKS control plane",
  description:
    "kube-scheduler and kube-controller-manager, which EKS runs and exposes through the API server (metrics.eks.amazonaws.com, Kubernetes 1.28 and later): pods waiting to be scheduled and why, how long scheduling takes, and the controllers' work queues. The API servers have their own dashboard.",
  tags: ["control-plane"],
  scope: [],
  rows: [
    {
      title: "Scheduler (kube-scheduler)",
      panels: [
        {
          kind: "stat",
          title: "Unschedulable pods",
          description:
            "Pods the scheduler found no node for (resources, affinity, taints, volume zones): they wait for the cluster to change, e.g. a node to be added.",
          unit: "short",
          w: 6,
          thresholds: [[1, "orange"]],
          queries: [{ expr: `max(scheduler_pending_pods{${ksh('queue="unschedulable"')}})` }],
        },
        {
          kind: "stat",
          title: "Pods waiting to be scheduled",
          description: "Pods in the scheduler's queues (active, backoff, unschedulable, gated).",
          unit: "short",
          w: 6,
          queries: [{ expr: `sum(max by (queue) (scheduler_pending_pods{${ksh()}}))` }],
        },
        {
          kind: "stat",
          title: "Scheduling attempts per second",
          description: "Attempts to place a pod, whatever their result.",
          unit: "ops",
          w: 6,
          queries: [{ expr: `sum(max by (result) (rate(scheduler_schedule_attempts_total{${ksh()}}${R})))` }],
        },
        {
          kind: "stat",
          title: "Scheduler targets up",
          description:
            "Scrapes of kube-scheduler's metrics through the API server endpoints that answered: 0 means the metrics.eks.amazonaws.com endpoint or the RBAC to read it is missing.",
          unit: "short",
          w: 6,
          thresholds: [
            [0, "red"],
            [1, "green"],
          ],
          queries: [{ expr: `sum(max by (instance) (up{${ksh()}}))` }],
        },
        {
          kind: "timeseries",
          title: "Pending pods by queue",
          description:
            "Pods waiting in each scheduler queue: active (about to be tried), backoff (failed recently), unschedulable, gated.",
          unit: "short",
          queries: [{ expr: `max by (queue) (scheduler_pending_pods{${ksh()}})`, legend: "{{queue}}" }],
        },
        {
          kind: "timeseries",
          title: "Scheduling attempts by result",
          description:
            "Attempts per second that scheduled a pod, found it unschedulable, or failed with an error.",
          unit: "ops",
          queries: [
            {
              expr: `max by (result) (rate(scheduler_schedule_attempts_total{${ksh()}}${R}))`,
              legend: "{{result}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Scheduling attempt latency p99",
          description:
            "99th percentile time of one scheduling attempt (filtering and scoring nodes), per result.",
          unit: "s",
          queries: [
            {
              expr: p99("scheduler_scheduling_attempt_duration_seconds", "result", ksh()),
              legend: "{{result}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Pod scheduling latency p99 (SLI)",
          description:
            "99th percentile time from a pod entering the scheduling queue to its being scheduled, over all its attempts.",
          unit: "s",
          queries: [{ expr: p99("scheduler_pod_scheduling_sli_duration_seconds", "", ksh()), legend: "p99" }],
        },
        {
          kind: "timeseries",
          title: "Attempts needed per pod (p99)",
          description: "99th percentile of scheduling attempts a pod needed before it was scheduled.",
          unit: "short",
          queries: [{ expr: p99("scheduler_pod_scheduling_attempts", "", ksh()), legend: "p99" }],
        },
        {
          kind: "timeseries",
          title: "Preemption",
          description:
            "Preemption attempts per second (evicting lower-priority pods to place a higher-priority one), and the p99 of victims per preemption (0 until one happens).",
          unit: "short",
          queries: [
            {
              expr: `max(rate(scheduler_preemption_attempts_total{${ksh()}}${R}))`,
              legend: "attempts per second",
            },
            {
              // No preemption yet: no observation, a NaN quantile; 0 instead.
              expr: `${p99("scheduler_preemption_victims", "", ksh())} > 0 or max(0 * rate(scheduler_preemption_attempts_total{${ksh()}}${R}))`,
              legend: "victims p99",
            },
          ],
        },
      ],
    },
    {
      title: "Controller manager (kube-controller-manager)",
      panels: [
        {
          kind: "stat",
          title: "Deepest work queue",
          description:
            "Items waiting in the fullest controller work queue: a queue that stays deep is a controller falling behind (Deployments not rolling, endpoints not updated).",
          unit: "short",
          w: 6,
          thresholds: [[100, "orange"]],
          queries: [{ expr: `max(max by (name) (workqueue_depth{${kcm()}}))` }],
        },
        {
          kind: "stat",
          title: "Work queue adds per second",
          description: "Items added to all controllers' work queues per second.",
          unit: "ops",
          w: 6,
          queries: [{ expr: `sum(max by (name) (rate(workqueue_adds_total{${kcm()}}${R})))` }],
        },
        {
          kind: "stat",
          title: "Slowest queue wait p99",
          description:
            "The highest 99th percentile time an item waits in a controller's queue before being worked on.",
          unit: "s",
          w: 6,
          queries: [{ expr: `max(${p99("workqueue_queue_duration_seconds", "name", kcm())})` }],
        },
        {
          kind: "stat",
          title: "Controller manager targets up",
          description:
            "Scrapes of kube-controller-manager's metrics through the API server endpoints that answered: 0 means the metrics.eks.amazonaws.com endpoint or the RBAC to read it is missing.",
          unit: "short",
          w: 6,
          thresholds: [
            [0, "red"],
            [1, "green"],
          ],
          queries: [{ expr: `sum(max by (instance) (up{${kcm()}}))` }],
        },
        {
          kind: "timeseries",
          title: "Work queue depth (top 10)",
          description: "Items waiting per controller work queue, for the ten deepest.",
          unit: "short",
          queries: [{ expr: `topk(10, max by (name) (workqueue_depth{${kcm()}}))`, legend: "{{name}}" }],
        },
        {
          kind: "timeseries",
          title: "Work queue adds (top 10)",
          description: "Items added per second per controller work queue, for the ten busiest.",
          unit: "ops",
          queries: [
            {
              expr: `topk(10, max by (name) (rate(workqueue_adds_total{${kcm()}}${R})))`,
              legend: "{{name}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Queue wait p99 (top 10)",
          description: "99th percentile time items wait in each controller's queue, for the ten slowest.",
          unit: "s",
          queries: [
            {
              expr: `topk(10, ${p99("workqueue_queue_duration_seconds", "name", kcm())})`,
              legend: "{{name}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Work duration p99 (top 10)",
          description: "99th percentile time a controller takes to process one item, for the ten slowest.",
          unit: "s",
          queries: [
            {
              expr: `topk(10, ${p99("workqueue_work_duration_seconds", "name", kcm())})`,
              legend: "{{name}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "CronJob start delay p99",
          description:
            "99th percentile delay between a CronJob's scheduled time and the creation of its Job (cronjob_controller_job_creation_skew_duration_seconds); empty buckets read as 0 delay until a CronJob runs.",
          unit: "s",
          queries: [
            {
              expr: `${p99("cronjob_controller_job_creation_skew_duration_seconds", "", kcm())} > 0 or max(0 * rate(cronjob_controller_job_creation_skew_duration_seconds_bucket{${kcm()}}${R}))`,
              legend: "p99",
            },
          ],
        },
      ],
    },
  ],
};
