/**
 * API server: availability and latency against their objectives, the request mix, concurrency (in-flight,
 * priority and fairness) and watches, from the API servers' own /metrics (job kubernetes-api-servers).
 */
import type { DashboardSpec } from "./lib";
import { m, R } from "./promql";

const API = 'job="kubernetes-api-servers"';
const sel = (...matchers: string[]) => m(API, ...matchers);
const requests = (window: string, ...matchers: string[]) =>
  `sum(increase(apiserver_request_total{${sel(...matchers)}}[${window}]))`;
/** Requests that are not long-running (watches and proxied connections are left out of latency). */
const NOT_LONG = 'verb!~"WATCH|CONNECT"';
const READS = 'verb=~"GET|LIST"';
const WRITES = 'verb=~"POST|PUT|PATCH|DELETE"';
/**
 * Requests answered within `seconds` (a bucket boundary), over a window: the `le` bucket of the latency
 * histogram. Prometheus 3 writes boundaries as floats ("1.0"), older scrapers as given ("1").
 */
const within = (window: string, seconds: string, ...matchers: string[]) =>
  `sum(increase(apiserver_request_duration_seconds_bucket{${sel(...matchers, `le=~"${seconds}|${seconds}.0"`)}}[${window}]))`;
const all = (window: string, ...matchers: string[]) =>
  `sum(increase(apiserver_request_duration_seconds_bucket{${sel(...matchers, 'le="+Inf"')}}[${window}]))`;

/** The objectives the SLO panels measure against (availability as kubernetes-mixin's default, 99%). */
export const API_SLO = { availability: 0.99, readSeconds: "1", writeSeconds: "1" } as const;

const availability = (window: string) => `1 - ${requests(window, 'code=~"5.."')} / ${requests(window)}`;
const readsFast = (window: string) =>
  `${within(window, API_SLO.readSeconds, READS, 'scope="resource"')} / ${all(window, READS, 'scope="resource"')}`;
const writesFast = (window: string) =>
  `${within(window, API_SLO.writeSeconds, WRITES)} / ${all(window, WRITES)}`;

export const apiServer: DashboardSpec = {
  uid: "eksmon-api-server",
  title: "API server",
  description:
    "The cluster's Kubernetes API servers as EKS exposes them: availability and latency against their objectives over the time range, what is asked of them, how busy they are and how many watches they serve.",
  tags: ["control-plane", "api-server"],
  scope: [],
  rows: [
    {
      title: "Objectives (over the time range)",
      panels: [
        {
          kind: "stat",
          title: "Availability",
          description: `Share of requests not answered with a 5xx over the dashboard's time range; the objective is ${API_SLO.availability * 100}%.`,
          unit: "percentunit",
          decimals: 3,
          thresholds: [
            [0, "red"],
            [API_SLO.availability, "green"],
          ],
          queries: [{ expr: availability("$__range") }],
        },
        {
          kind: "stat",
          title: "Error budget left",
          description: `Share of the ${API_SLO.availability * 100}% availability objective's error budget (1% of requests may fail) not spent over the time range; below 0 the objective is missed.`,
          unit: "percentunit",
          thresholds: [
            [0, "red"],
            [0.25, "orange"],
            [0.5, "green"],
          ],
          queries: [
            {
              expr: `1 - (${requests("$__range", 'code=~"5.."')} / ${requests("$__range")}) / ${(1 - API_SLO.availability).toFixed(2)}`,
            },
          ],
        },
        {
          kind: "stat",
          title: `Reads within ${API_SLO.readSeconds} s`,
          description: `Share of single-object reads (GET and LIST of one resource) answered within ${API_SLO.readSeconds} s over the time range (the latency objective for reads).`,
          unit: "percentunit",
          decimals: 3,
          thresholds: [
            [0, "red"],
            [API_SLO.availability, "green"],
          ],
          queries: [{ expr: readsFast("$__range") }],
        },
        {
          kind: "stat",
          title: `Writes within ${API_SLO.writeSeconds} s`,
          description: `Share of writes (POST, PUT, PATCH, DELETE) answered within ${API_SLO.writeSeconds} s over the time range.`,
          unit: "percentunit",
          decimals: 3,
          thresholds: [
            [0, "red"],
            [API_SLO.availability, "green"],
          ],
          queries: [{ expr: writesFast("$__range") }],
        },
        {
          kind: "timeseries",
          title: "Availability",
          description: "Share of requests not answered with a 5xx, per interval, against the objective.",
          unit: "percentunit",
          max: 1,
          thresholds: [
            [0, "red"],
            [API_SLO.availability, "green"],
          ],
          queries: [{ expr: availability(R.slice(1, -1)), legend: "availability" }],
        },
        {
          kind: "timeseries",
          title: "Requests within the latency objective",
          description: `Share of reads and writes answered within ${API_SLO.readSeconds} s, per interval.`,
          unit: "percentunit",
          max: 1,
          queries: [
            { expr: readsFast(R.slice(1, -1)), legend: "reads" },
            { expr: writesFast(R.slice(1, -1)), legend: "writes" },
          ],
        },
        {
          kind: "timeseries",
          title: "Latency p99 by verb",
          description: "99th percentile request latency per verb (watches and proxied connections left out).",
          unit: "s",
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (verb, le) (rate(apiserver_request_duration_seconds_bucket{${sel(NOT_LONG)}}${R})))`,
              legend: "{{verb}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Latency p99 by resource (slowest 10)",
          description: "99th percentile latency of the ten slowest resources (reads and writes).",
          unit: "s",
          queries: [
            {
              expr: `topk(10, histogram_quantile(0.99, sum by (resource, le) (rate(apiserver_request_duration_seconds_bucket{${sel(NOT_LONG, 'resource!=""')}}${R}))))`,
              legend: "{{resource}}",
            },
          ],
        },
      ],
    },
    {
      title: "Request mix",
      panels: [
        {
          kind: "timeseries",
          title: "Requests by verb",
          description: "Requests per second per verb.",
          unit: "reqps",
          stack: true,
          queries: [
            { expr: `sum by (verb) (rate(apiserver_request_total{${sel()}}${R}))`, legend: "{{verb}}" },
          ],
        },
        {
          kind: "timeseries",
          title: "Requests by code class",
          description: "Requests per second per response class (2xx, 3xx, 4xx, 5xx).",
          unit: "reqps",
          stack: true,
          queries: [
            {
              expr: `sum by (class) (label_replace(rate(apiserver_request_total{${sel()}}${R}), "class", "\${1}xx", "code", "(.).*"))`,
              legend: "{{class}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Requests by resource (top 10)",
          description: "Requests per second for the ten most asked-for resources.",
          unit: "reqps",
          queries: [
            {
              expr: `topk(10, sum by (resource) (rate(apiserver_request_total{${sel('resource!=""')}}${R})))`,
              legend: "{{resource}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "5xx errors by verb and resource",
          description: "Requests per second answered with a 5xx; 0 when there are none.",
          unit: "reqps",
          queries: [
            {
              expr: `sum by (verb, resource) (rate(apiserver_request_total{${sel('code=~"5.."')}}${R})) or sum by (verb) (0 * rate(apiserver_request_total{${sel()}}${R}))`,
              legend: "{{verb}} {{resource}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Client errors (4xx) by code",
          description:
            'Requests per second answered 4xx: 403 points at RBAC, 409 at conflicting writers, 429 at priority and fairness rejections; "none" at 0 when there are none.',
          unit: "reqps",
          queries: [
            {
              expr: `sum by (code) (rate(apiserver_request_total{${sel('code=~"4.."')}}${R})) or label_replace(0 * sum(rate(apiserver_request_total{${sel()}}${R})), "code", "none", "", "")`,
              legend: "{{code}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Requests by component",
          description:
            "Requests per second per API server component serving them (apiserver, apiextensions-apiserver for custom resources, aggregated APIs).",
          unit: "reqps",
          queries: [
            {
              expr: `sum by (component) (rate(apiserver_request_total{${sel()}}${R}))`,
              legend: "{{component}}",
            },
          ],
        },
      ],
    },
    {
      title: "Concurrency",
      panels: [
        {
          kind: "timeseries",
          title: "In-flight requests",
          description: "Requests being served per kind (read-only, mutating), summed over the API servers.",
          unit: "short",
          queries: [
            {
              expr: `sum by (request_kind) (apiserver_current_inflight_requests{${sel()}})`,
              legend: "{{request_kind}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Requests queued",
          description:
            "Requests waiting in priority-and-fairness queues per kind: above 0 for long, the API servers are saturated.",
          unit: "short",
          queries: [
            {
              expr: `sum by (request_kind) (apiserver_current_inqueue_requests{${sel()}})`,
              legend: "{{request_kind}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Requests executing by priority level",
          description: "Requests executing per priority level (API priority and fairness).",
          unit: "short",
          queries: [
            {
              expr: `sum by (priority_level) (apiserver_flowcontrol_current_executing_requests{${sel()}})`,
              legend: "{{priority_level}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Requests rejected by priority and fairness",
          description:
            "Requests per second rejected (HTTP 429) per priority level and reason; 0 per level when none are.",
          unit: "reqps",
          queries: [
            {
              expr: `sum by (priority_level, reason) (rate(apiserver_flowcontrol_rejected_requests_total{${sel()}}${R})) or sum by (priority_level) (0 * rate(apiserver_flowcontrol_dispatched_requests_total{${sel()}}${R}))`,
              legend: "{{priority_level}} {{reason}}",
            },
          ],
        },
      ],
    },
    {
      title: "Watches and objects",
      panels: [
        {
          kind: "stat",
          title: "Open watches",
          description: "Watch requests the API servers hold open.",
          unit: "short",
          queries: [{ expr: `sum(apiserver_longrunning_requests{${sel('verb="WATCH"')}})` }],
        },
        {
          kind: "timeseries",
          title: "Open watches by resource (top 10)",
          description: "Watch requests held open for the ten most watched resources.",
          unit: "short",
          queries: [
            {
              expr: `topk(10, sum by (resource) (apiserver_longrunning_requests{${sel('verb="WATCH"')}}))`,
              legend: "{{resource}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Watch events sent (top 10)",
          description:
            "Watch events per second sent to clients, for the ten busiest resources (kinds before Kubernetes 1.34).",
          unit: "short",
          queries: [
            {
              expr: `topk(10, sum by (group, resource, kind) (rate(apiserver_watch_events_total{${sel()}}${R})))`,
              legend: "{{resource}}{{kind}}",
            },
          ],
        },
        {
          kind: "timeseries",
          title: "Objects stored (top 10)",
          description:
            "Objects stored per resource for the ten largest (apiserver_resource_objects from Kubernetes 1.34, apiserver_storage_objects before).",
          unit: "short",
          queries: [
            {
              expr: `topk(10, max by (resource) (apiserver_resource_objects{${sel()}}) or max by (resource) (apiserver_storage_objects{${sel()}}))`,
              legend: "{{resource}}",
            },
          ],
        },
      ],
    },
  ],
};
