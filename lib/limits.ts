/**
 * AWS limits that the configuration (which refuses values beyond them) and the constructs (which check their
 * own inputs) both hold to. It imports nothing.
 */

/** AMG workspace service-account tokens live at most 30 days (CreateWorkspaceServiceAccountToken). */
export const MAX_GRAFANA_TOKEN_TTL_DAYS = 30;

/** The AMP managed collector refuses scrape intervals below this, in seconds. */
export const MIN_MANAGED_SCRAPE_INTERVAL_SECONDS = 30;

/** Retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Why a token lifetime and rotation period do not work together, or undefined when they do. */
export function tokenRotationProblem(ttlDays: number, rotationDays: number): string | undefined {
  if (rotationDays >= ttlDays)
    return `${rotationDays} is not below ttlDays ${ttlDays} (expected the token to be replaced before it expires)`;
  return undefined;
}

/** AMP's alert manager treats a longer repeat_interval as five days (AMP user guide, alert manager config). */
export const MAX_ALERT_REPEAT_SECONDS = 5 * 86_400;

/** The group_interval of the project's alert manager route: a shorter repeat_interval cannot take effect. */
export const ALERT_GROUP_INTERVAL_SECONDS = 300;
