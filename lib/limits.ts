/**
 * AWS limits that the configuration (which refuses values beyond them) and the constructs (which check their
 * own inputs) both hold to. It imports nothing.
 */

/** AMG workspace service-account tokens live at most 30 days (CreateWorkspaceServiceAccountToken). */
export const MAX_GRAFANA_TOKEN_TTL_DAYS = 30;

/** The AMP managed collector refuses scrape intervals below this, in seconds. */
export const MIN_MANAGED_SCRAPE_INTERVAL_SECONDS = 30;

/** Why a token lifetime and rotation period do not work together, or undefined when they do. */
export function tokenRotationProblem(ttlDays: number, rotationDays: number): string | undefined {
  if (rotationDays >= ttlDays)
    return `${rotationDays} is not below ttlDays ${ttlDays} (expected the token to be replaced before it expires)`;
  return undefined;
}
