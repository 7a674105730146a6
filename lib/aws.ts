/** Where a construct's AWS resources live, as one object instead of three strings threaded through props. */
export interface AwsTarget {
  /** Account id (12 digits). */
  readonly accountId: string;
  /** Region, e.g. the environment's. */
  readonly region: string;
  /** Partition: aws, aws-cn, aws-us-gov. */
  readonly partition: string;
}

/**
 * An ARN in the target's partition and account: `arn(target, "sns", "topic")` for a regional resource,
 * `arn(target, "iam", "role/x", { region: "" })` for a global one.
 */
export function arn(
  target: AwsTarget,
  service: string,
  resource: string,
  opts: { region?: string } = {},
): string {
  return `arn:${target.partition}:${service}:${opts.region ?? target.region}:${target.accountId}:${resource}`;
}
