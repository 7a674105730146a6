/**
 * Alerts on the Kubernetes API server, the one control-plane component EKS lets the cluster scrape (etcd,
 * the scheduler and the controller manager stay hidden: nothing here reads them).
 *
 * The objectives are alerted on as the SRE workbook (chapter 5, "Alerting on SLOs") recommends: multiple
 * windows, multiple burn rates. The error budget is 1 - objective over 30 days; a burn rate of 14.4 spends
 * 2 % of it in an hour, 6 spends 5 % in 6 hours (page: critical), 3 spends 10 % in a day and 1 spends it all
 * in 30 days (ticket: warning). Each long window is paired with a short one (1/12 of it) so the alert
 * stops soon after the burning stops.
 */
import type { BurnWindow } from "./recording";
import { alert, minutes, num, type RuleGroup, type RuleParams } from "./types";

/** The burn-rate pairs: [long window, short window, burn rate], by severity. */
export const BURN_RATES: Readonly<
  Record<"critical" | "warning", readonly (readonly [BurnWindow, BurnWindow, number])[]>
> = {
  critical: [
    ["1h", "5m", 14.4],
    ["6h", "30m", 6],
  ],
  warning: [
    ["1d", "2h", 3],
    ["3d", "6h", 1],
  ],
};

/** Fixed thresholds (named in the runbooks). */
export const APISERVER_LIMITS = {
  /** ApiServerClientCertificateExpiration: the warning and critical remaining lifetimes, in seconds. */
  certificateWarningSeconds: 7 * 86400,
  certificateCriticalSeconds: 86400,
  /** ApiServerTerminatedRequests: share of requests the API server terminated in self-defence. */
  terminatedRatio: 0.2,
} as const;

/** `for` of the burn-rate alerts by severity (the short window already smooths the page). */
const BURN_FOR = { critical: "2m", warning: "1h" } as const;

/** The burn-rate alert of one objective at one severity. */
function burn(
  p: RuleParams,
  name: string,
  ratio: string,
  sloPercent: number,
  severity: "critical" | "warning",
  what: string,
) {
  const budget = 1 - sloPercent / 100;
  const expr = BURN_RATES[severity]
    .map(
      ([long, short, rate]) =>
        `(cluster:${ratio}:ratio_rate${long} > ${num(rate * budget)} and cluster:${ratio}:ratio_rate${short} > ${num(rate * budget)})`,
    )
    .join(" or ");
  const pairs = BURN_RATES[severity]
    .map(([long, short, rate]) => `${rate}x over ${long} and ${short}`)
    .join(", or ");
  return alert(p, {
    name,
    severity,
    expr,
    for: BURN_FOR[severity],
    summary: `The API server is spending its ${what} error budget ${severity === "critical" ? "fast" : "steadily"}`,
    description: `{{ $value | humanizePercentage }} of API requests ${what === "availability" ? "fail with 5xx" : "are slower than their objective"} (objective ${num(sloPercent)} % over 30 days): the budget burns at ${pairs}.`,
  });
}

export function apiServerAlerts(p: RuleParams): RuleGroup {
  const t = p.thresholds;
  const pending = minutes(t.forMinutes);
  const L = APISERVER_LIMITS;
  const certificate = (severity: "warning" | "critical", seconds: number) =>
    alert(p, {
      name: "ApiServerClientCertificateExpiration",
      severity,
      expr: `histogram_quantile(0.01, sum by (cluster, le) (rate(apiserver_client_certificate_expiration_seconds_bucket[5m]))) < ${seconds} and on (cluster) sum by (cluster) (rate(apiserver_client_certificate_expiration_seconds_bucket{le="+Inf"}[5m])) > 0`,
      for: "5m",
      summary: "A client certificate used with the API server is about to expire",
      description: `a client presents the API server a certificate that expires in {{ $value | humanizeDuration }} (${severity} below ${seconds / 86400} day${seconds === 86400 ? "" : "s"}): when it does, that client (a kubelet, an operator) is locked out.`,
    });
  return {
    name: "eksmon-control-plane",
    rules: [
      burn(
        p,
        "ApiServerErrorBudgetBurn",
        "apiserver_request_errors",
        t.apiServerAvailabilitySloPercent,
        "critical",
        "availability",
      ),
      burn(
        p,
        "ApiServerErrorBudgetBurn",
        "apiserver_request_errors",
        t.apiServerAvailabilitySloPercent,
        "warning",
        "availability",
      ),
      burn(
        p,
        "ApiServerLatencyBudgetBurn",
        "apiserver_request_slow",
        t.apiServerLatencySloPercent,
        "critical",
        "latency",
      ),
      burn(
        p,
        "ApiServerLatencyBudgetBurn",
        "apiserver_request_slow",
        t.apiServerLatencySloPercent,
        "warning",
        "latency",
      ),
      alert(p, {
        name: "ApiServerErrors",
        severity: "critical",
        expr: `apiserver:request_errors:ratio_rate5m * 100 > ${t.apiServerErrorPercent}`,
        for: pending,
        summary: "The API server answers with 5xx errors",
        description: `{{ $value | printf "%.2f" }} % of API requests have failed with 5xx for ${t.forMinutes} minutes (threshold ${t.apiServerErrorPercent} %).`,
      }),
      alert(p, {
        name: "ApiServerLatencyHigh",
        severity: "warning",
        expr: `verb:apiserver_request_duration_seconds:p99_5m > ${t.apiServerLatencyP99Seconds}`,
        for: pending,
        summary: "API server {{ $labels.verb }} requests are slow",
        description: `the p99 latency of {{ $labels.verb }} requests has been {{ $value | humanizeDuration }} for ${t.forMinutes} minutes (threshold ${t.apiServerLatencyP99Seconds} s).`,
      }),
      certificate("warning", L.certificateWarningSeconds),
      certificate("critical", L.certificateCriticalSeconds),
      alert(p, {
        name: "ApiServerTerminatedRequests",
        severity: "warning",
        expr: `sum by (cluster) (rate(apiserver_request_terminations_total[5m])) / (sum by (cluster) (code_verb:apiserver_request_total:rate5m) + sum by (cluster) (rate(apiserver_request_terminations_total[5m]))) > ${L.terminatedRatio}`,
        for: "5m",
        summary: "The API server is terminating requests",
        description:
          "the API server has terminated {{ $value | humanizePercentage }} of its requests in self-defence (overload, API priority and fairness) for 5 minutes (threshold 20 %): clients see timeouts and 429s.",
      }),
    ],
  };
}
