/**
 * Every price `npm run cost`, the budget alarm and the cost dashboard use: one dated file, each number with
 * its unit, the public page it comes from and how sure we are of it. Update the numbers and `asOf`
 * together; `npm run cost` warns when `asOf` is more than a year old.
 *
 * Confidence:
 * - "primary": read on the AWS pricing page itself.
 * - "secondary": AWS's page renders its price table in the browser and could not be read as text; the
 *   number is the one commonly published for the region (pricing calculators, write-ups) and consistent
 *   with what the AWS page's text says about the item.
 * - "unconfirmed": a widely quoted list price not checked against any source here.
 * Prices are those of us-east-1; `regions` lists where they are assumed to hold. AWS prices most of these
 * items the same in us-west-2, but that is not checked: an environment elsewhere gets a warning.
 */

export type Confidence = "primary" | "secondary" | "unconfirmed";

/** One price, with where it comes from. */
export interface Price {
  /** US dollars per `per` units. */
  readonly usd: number;
  /** How many units `usd` buys, e.g. 10,000,000 samples. */
  readonly per: number;
  /** The unit, e.g. "samples", "GB-month", "hours". */
  readonly unit: string;
  readonly source: string;
  readonly confidence: Confidence;
  readonly note?: string;
}

/** A tiered price: each tier's price applies to the units between the previous tier's end and its own `upTo`. */
export interface Tier extends Price {
  /** Units (per month, per account) this tier ends at; undefined for the last tier. */
  readonly upTo?: number;
}

const AMP = "https://aws.amazon.com/prometheus/pricing/";
const AMG = "https://aws.amazon.com/grafana/pricing/";
const PRIVATELINK = "https://aws.amazon.com/privatelink/pricing/";

export const PRICES = {
  /** When these numbers were last checked. */
  asOf: "2026-11-25",
  /** Regions the numbers are taken to hold in. */
  regions: ["us-east-1", "us-west-2"],
  currency: "USD",
  amp: {
    /** Metric samples ingested, tiered per account per month. */
    ingestion: [
      {
        upTo: 2_000_000_000,
        usd: 0.9,
        per: 10_000_000,
        unit: "samples",
        source: AMP,
        confidence: "secondary",
        note: "first 2 billion samples; a 2024 bill of 700M samples for $65 (tianzhui.cloud) fits",
      },
      {
        upTo: 250_000_000_000,
        usd: 0.35,
        per: 10_000_000,
        unit: "samples",
        source: AMP,
        confidence: "secondary",
        note: "next 248 billion",
      },
      {
        usd: 0.16,
        per: 10_000_000,
        unit: "samples",
        source: AMP,
        confidence: "secondary",
        note: "over 250 billion",
      },
    ] satisfies Tier[],
    storage: {
      usd: 0.03,
      per: 1,
      unit: "GB-month",
      source: AMP,
      confidence: "secondary",
      note: 'samples "typically 1 or 2 bytes" plus metadata, 1 GB = 2^30 bytes (page text, primary)',
    } satisfies Price,
    querySamples: {
      usd: 0.1,
      per: 1_000_000_000,
      unit: "query samples processed",
      source: AMP,
      confidence: "secondary",
    } satisfies Price,
    collectorHours: {
      usd: 0.04,
      per: 1,
      unit: "collector-hours",
      source: AMP,
      confidence: "unconfirmed",
      note: 'billed "for the number of hours it is turned on" (page text, primary); the rate is not',
    } satisfies Price,
    collectorSamples: {
      usd: 0.1,
      per: 10_000_000,
      unit: "samples collected",
      source: AMP,
      confidence: "unconfirmed",
      note: 'billed per "number of samples collected" (page text, primary); the rate is not',
    } satisfies Price,
    freeTier:
      "40M samples ingested, 10 GB stored and 200B query samples per month per account (page text, primary): not subtracted, since every workspace of the account shares it",
  },
  grafana: {
    editor: {
      usd: 9,
      per: 1,
      unit: "active editor or admin users per workspace-month",
      source: AMG,
      confidence: "primary",
      note: "each workspace pays for at least one editor license",
    } satisfies Price,
    viewer: {
      usd: 5,
      per: 1,
      unit: "active viewer users per workspace-month",
      source: AMG,
      confidence: "primary",
    } satisfies Price,
  },
  privateLink: {
    endpointHours: {
      usd: 0.01,
      per: 1,
      unit: "endpoint-AZ-hours",
      source: PRIVATELINK,
      confidence: "secondary",
      note: "billed per endpoint per AZ, partial hours as full hours (page text, primary)",
    } satisfies Price,
    data: {
      usd: 0.01,
      per: 1,
      unit: "GB processed",
      source: PRIVATELINK,
      confidence: "primary",
      note: "first petabyte per Region per month",
    } satisfies Price,
  },
  kms: {
    key: {
      usd: 1,
      per: 1,
      unit: "customer managed key-months",
      source: "https://aws.amazon.com/kms/pricing/",
      confidence: "unconfirmed",
    } satisfies Price,
  },
  sns: {
    email: {
      usd: 2,
      per: 100_000,
      unit: "email notifications",
      source: "https://aws.amazon.com/sns/pricing/",
      confidence: "unconfirmed",
      note: "first 1,000 per month free; publishes: first 1 million free",
    } satisfies Price,
    https: {
      usd: 0.6,
      per: 1_000_000,
      unit: "HTTP/S notifications",
      source: "https://aws.amazon.com/sns/pricing/",
      confidence: "unconfirmed",
      note: "first 100,000 per month free; added 2026-12-06 for HTTPS receivers and AWS Chatbot, which SNS delivers to over HTTPS",
    } satisfies Price,
    publish: {
      usd: 0.5,
      per: 1_000_000,
      unit: "publish requests (64 KB chunks)",
      source: "https://aws.amazon.com/sns/pricing/",
      confidence: "unconfirmed",
      note: "first 1 million per month free; added 2026-12-06",
    } satisfies Price,
  },
  chatbot: {
    notifications: {
      usd: 0,
      per: 1,
      unit: "chat notifications",
      source: "https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html",
      confidence: "primary",
      note: '"There are no additional costs to use custom notifications" (page text); the SNS deliveries are billed as HTTP/S notifications; added 2026-12-06',
    } satisfies Price,
  },
  cloudWatch: {
    alarm: {
      usd: 0.1,
      per: 1,
      unit: "standard-resolution alarm metrics per month",
      source: "https://aws.amazon.com/cloudwatch/pricing/",
      confidence: "secondary",
    } satisfies Price,
    getMetricData: {
      usd: 0.01,
      per: 1000,
      unit: "metrics requested (GetMetricData)",
      source: "https://aws.amazon.com/cloudwatch/pricing/",
      confidence: "unconfirmed",
    } satisfies Price,
    vendedLogs: {
      usd: 0.5,
      per: 1,
      unit: "GB of vended logs delivered to CloudWatch Logs",
      source: "https://aws.amazon.com/cloudwatch/pricing/",
      confidence: "unconfirmed",
      note: "first 10 TB per month (Logs tab, vended logs); added 2026-12-06 for AMP's error logs",
    } satisfies Price,
    logStorage: {
      usd: 0.03,
      per: 1,
      unit: "GB-months of log storage",
      source: "https://aws.amazon.com/cloudwatch/pricing/",
      confidence: "unconfirmed",
      note: "stored (archived) logs, compressed; added 2026-12-06",
    } satisfies Price,
  },
  ebs: {
    gp3: {
      usd: 0.08,
      per: 1,
      unit: "GB-months (gp3)",
      source: "https://aws.amazon.com/ebs/pricing/",
      confidence: "unconfirmed",
    } satisfies Price,
  },
} as const;

export type Prices = typeof PRICES;

/** Hours in a billing month, the convention of AWS pricing pages. */
export const HOURS_PER_MONTH = 730;
/** Seconds in that month: a rate in samples/s times this is samples per month. */
export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** The cost of `units` under a tiered price (tiers in order, each ending at its `upTo`). */
export function tieredCost(units: number, tiers: readonly Tier[]): number {
  let cost = 0;
  let start = 0;
  for (const tier of tiers) {
    const end = tier.upTo ?? Number.POSITIVE_INFINITY;
    const inTier = Math.max(0, Math.min(units, end) - start);
    cost += (inTier / tier.per) * tier.usd;
    if (units <= end) break;
    start = end;
  }
  return cost;
}

/** The units a budget buys under a tiered price: the inverse of `tieredCost`. */
export function unitsForBudget(usd: number, tiers: readonly Tier[]): number {
  let units = 0;
  let left = usd;
  let start = 0;
  for (const tier of tiers) {
    const end = tier.upTo ?? Number.POSITIVE_INFINITY;
    const tierCost = ((end - start) / tier.per) * tier.usd;
    if (left <= tierCost) return units + (left / tier.usd) * tier.per;
    units += end - start;
    left -= tierCost;
    start = end;
  }
  return units;
}

/** Whole days between `asOf` and `now`. */
export function priceAgeDays(asOf: string, now: Date = new Date()): number {
  return Math.floor((now.getTime() - Date.parse(`${asOf}T00:00:00Z`)) / 86_400_000);
}
