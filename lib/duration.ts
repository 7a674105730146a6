/** Prometheus durations ("30s", "1m30s", "15d"): one pattern and one parser for config, scrape configs and rules. */

/** A Prometheus duration: one or more `<integer><unit>` parts. */
export const DURATION_PATTERN = /^(\d+(ms|s|m|h|d|w|y))+$/;

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

/** Seconds in a Prometheus duration such as "1m30s" (NaN when it is not one). */
export function durationSeconds(duration: string): number {
  if (!DURATION_PATTERN.test(duration)) return Number.NaN;
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g))
    total += Number(n) * UNIT_SECONDS[unit];
  return total;
}
