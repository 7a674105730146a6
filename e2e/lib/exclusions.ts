/**
 * The e2e's copy of a synthesized stack, made applicable to the loopback emulators: resources the emulators
 * cannot serve are removed BY TYPE with a printed reason, every reference to a removed resource gets a
 * printed stand-in value, and emulator gaps in data sources get a printed literal. Nothing here is silent:
 * each change is returned as a line for the run's output. Pure (no I/O), unit-tested in
 * __tests__/e2e/lib/exclusions.test.ts.
 */

/** A Terraform JSON configuration (the parts this module reads and writes). */
export interface TfJson {
  terraform?: {
    required_providers?: Record<string, { source?: string; version?: string }>;
    backend?: Record<string, Record<string, unknown>>;
    [key: string]: unknown;
  };
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  ephemeral?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
  locals?: Record<string, unknown>;
  import?: Record<string, unknown>[];
  moved?: Record<string, unknown>[];
  removed?: Record<string, unknown>[];
  [key: string]: unknown;
}

export type BlockKind = "resource" | "data" | "ephemeral";

/** Why a resource type cannot be applied here. */
export interface ExclusionRule {
  readonly kind: BlockKind;
  /** Exact type, or a prefix ending in `_` / `*` (e.g. `aws_grafana_*`). */
  readonly type: string;
  readonly reason: string;
}

/** moto 5.2.5 gaps (verified call by call, docs/validation.md) and what no loopback server provides. */
export const EMULATOR_GAPS: readonly ExclusionRule[] = [
  {
    kind: "resource",
    type: "aws_prometheus_alert_manager_definition",
    reason: "moto 5.2.5 has no AMP alert manager API (HTTP 404)",
  },
  {
    kind: "resource",
    type: "aws_prometheus_workspace_configuration",
    reason: "moto 5.2.5 has no AMP workspace configuration API (HTTP 404): retention is not applied",
  },
  {
    kind: "resource",
    type: "aws_prometheus_scraper",
    reason: "moto 5.2.5 has no AMP managed collector API (HTTP 404)",
  },
  {
    kind: "resource",
    type: "aws_eks_access_entry",
    reason: "moto 5.2.5 has no EKS access entry API (HTTP 404)",
  },
  {
    kind: "resource",
    type: "aws_eks_access_policy_association",
    reason: "moto 5.2.5 has no EKS access entry API (HTTP 404)",
  },
  {
    kind: "resource",
    type: "aws_s3_bucket_policy",
    reason:
      "moto 5.2.5 enforces bucket policies but ignores Bool and Numeric conditions: the TLS-only Deny statements would refuse every request",
  },
  { kind: "resource", type: "aws_eks_addon", reason: "moto 5.2.5 has no EKS add-on API (HTTP 404)" },
  { kind: "data", type: "aws_eks_addon_version", reason: "moto 5.2.5 has no EKS add-on API (HTTP 404)" },
  {
    kind: "resource",
    type: "aws_grafana_*",
    reason: "moto 5.2.5 has no Amazon Managed Grafana backend at all (HTTP 500)",
  },
  {
    kind: "resource",
    type: "grafana_*",
    reason: "no Grafana server runs on loopback (Amazon Managed Grafana is not emulated)",
  },
  { kind: "data", type: "grafana_*", reason: "no Grafana server runs on loopback" },
  {
    kind: "data",
    type: "http",
    reason: "the loopback run has no internet (grafana.com downloads)",
  },
];

/** Does `type` match a rule's type (exact, or prefix with `*`)? */
export function typeMatches(ruleType: string, type: string): boolean {
  return ruleType.endsWith("*") ? type.startsWith(ruleType.slice(0, -1)) : ruleType === type;
}

/** One removed block, for the run's output. */
export interface Excluded {
  readonly kind: BlockKind;
  readonly type: string;
  readonly name: string;
  readonly reason: string;
}

/** A replacement of an expression the emulators cannot answer (e.g. an attribute moto leaves empty). */
export interface ExpressionStandIn {
  /** Matches the expression inside `${...}`; every match is replaced by `value` as a string literal. */
  readonly pattern: RegExp;
  readonly value: string;
  readonly reason: string;
}

/** What was done to a stack, each item printed by the run. */
export interface PreparedStack {
  readonly json: TfJson;
  readonly excluded: Excluded[];
  /** `local.e2e_excluded["<address>"].<attr> = "<value>"` lines: stand-ins for references to removed blocks. */
  readonly standIns: string[];
  /** Other changes: dropped depends_on entries, import/moved blocks, providers no longer used. */
  readonly notes: string[];
  /** Resources left to apply, by address (`type.name`). */
  readonly applied: string[];
}

/**
 * The AWS provider 6.x takes a `region` argument on every resource and data source; 5.x (standing in here)
 * does not, except on the few types listed, where it is their own field. With 5.x, a `region` equal to the
 * provider's region is dropped (it changes nothing); another region cannot be served and excludes the block.
 */
export interface RegionArgumentStandIn {
  readonly providerRegion: string;
  /** Why (the stand-in version), for the printed notes. */
  readonly because: string;
}

/** aws 5.x types whose own schema has a `region` argument (not the 6.x per-resource region). */
export const AWS5_TYPES_WITH_REGION: ReadonlySet<string> = new Set([
  "aws_config_aggregate_authorization",
  "aws_servicequotas_template",
  "aws_service",
  "aws_service_principal",
  "aws_s3_bucket",
  "aws_vpc_endpoint_service",
]);

export interface PrepareOptions {
  readonly rules: readonly ExclusionRule[];
  /** Extra exclusions decided at run time (a provider missing from every mirror), by provider local name. */
  readonly unavailableProviders?: Readonly<Record<string, string>>;
  readonly expressionStandIns?: readonly ExpressionStandIn[];
  /** Set when aws 5.x stands in for 6.x. */
  readonly regionArgument?: RegionArgumentStandIn;
  /** For stand-in ARNs. */
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** The provider local name a block uses: its `provider` argument, else the type's first word. */
export function providerOf(type: string, block: Record<string, unknown>): string {
  const explicit = block.provider;
  if (typeof explicit === "string") return explicit.replace(/^\$\{|\}$/g, "").split(".")[0];
  return type.split("_")[0];
}

const KINDS: readonly BlockKind[] = ["resource", "data", "ephemeral"];

/** Reference prefix of a block in expressions: `type.name`, `data.type.name`, `ephemeral.type.name`. */
function referenceOf(kind: BlockKind, type: string, name: string): string {
  return kind === "resource" ? `${type}.${name}` : `${kind}.${type}.${name}`;
}

/**
 * Applies `edit` to the expression parts (`${...}`, braces balanced) of every string under `value`;
 * object keys are left alone, and so is cdktf's `//` metadata.
 */
export function mapExpressions(value: unknown, edit: (expression: string) => string): unknown {
  if (typeof value === "string") return mapStringExpressions(value, edit);
  if (Array.isArray(value)) return value.map((v) => mapExpressions(v, edit));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === "//" ? v : mapExpressions(v, edit)]),
    );
  return value;
}

function mapStringExpressions(text: string, edit: (expression: string) => string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf("${", i);
    if (start < 0) break;
    if (start > 0 && text[start - 1] === "$") {
      // `$${` is an escaped literal `${`
      out += text.slice(i, start + 2);
      i = start + 2;
      continue;
    }
    let depth = 0;
    let end = -1;
    for (let j = start + 1; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}" && --depth === 0) {
        end = j;
        break;
      }
    }
    if (end < 0) break;
    out += `${text.slice(i, start + 2)}${edit(text.slice(start + 2, end))}}`;
    i = end + 1;
  }
  return out + text.slice(i);
}

/** Every string expression under `value` (for finding references). */
function expressionsOf(value: unknown): string[] {
  const found: string[] = [];
  mapExpressions(value, (e) => {
    found.push(e);
    return e;
  });
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A reference to `prefix` (not part of a longer name), and what follows it: `.attr` or `[`. */
function referencePattern(prefix: string): RegExp {
  return new RegExp(`(?<![\\w.-])${escapeRegExp(prefix)}(?![\\w-])(\\.[A-Za-z_][\\w-]*|\\[)?`, "g");
}

/** The service part of a stand-in ARN, from the resource type. */
function arnService(type: string): string {
  if (type.startsWith("aws_prometheus_")) return "aps";
  if (type.startsWith("aws_grafana_")) return "grafana";
  return type.replace(/^aws_/, "").split("_")[0];
}

/** A stand-in value for an attribute of an excluded block: an ARN-shaped string for ARNs. */
export function standInValue(
  type: string,
  name: string,
  attribute: string,
  target: { partition: string; region: string; accountId: string },
): string {
  if (attribute === "arn" || attribute.endsWith("_arn"))
    return `arn:${target.partition}:${arnService(type)}:${target.region}:${target.accountId}:e2e-excluded/${name}`;
  if (attribute === "endpoint") return `e2e-excluded-${name}.invalid`;
  return `e2e-excluded-${name}-${attribute}`;
}

/** HCL-JSON string literal inside an expression. */
function literal(value: string): string {
  return JSON.stringify(value);
}

/**
 * Removes the blocks the rules (and unavailable providers) exclude, replaces references to them with
 * `local.e2e_excluded["<address>"]` objects holding printed stand-in values, drops `depends_on` entries
 * and import/moved/removed blocks naming them, applies the expression stand-ins, and removes providers
 * nothing uses any more (with their required_providers entries, so init does not need them).
 */
export function prepareStack(original: TfJson, options: PrepareOptions): PreparedStack {
  let json = structuredClone(original) as TfJson;
  const excluded: Excluded[] = [];
  const notes: string[] = [];
  const unavailable = options.unavailableProviders ?? {};

  const regionArg = options.regionArgument;
  for (const kind of KINDS) {
    const blocks = json[kind];
    if (!blocks) continue;
    for (const [type, byName] of Object.entries(blocks)) {
      for (const [name, block] of Object.entries(byName)) {
        const rule = options.rules.find((r) => r.kind === kind && typeMatches(r.type, type));
        const missing = unavailable[providerOf(type, block)];
        let otherRegion: string | undefined;
        if (
          regionArg &&
          providerOf(type, block) === "aws" &&
          "region" in block &&
          !AWS5_TYPES_WITH_REGION.has(type)
        ) {
          if (block.region === regionArg.providerRegion) {
            delete block.region;
            notes.push(
              `${referenceOf(kind, type, name)}: region argument dropped (${regionArg.because}; it names the provider's region)`,
            );
          } else otherRegion = `${regionArg.because}: no per-resource region (${String(block.region)})`;
        }
        const reason = rule?.reason ?? missing ?? otherRegion;
        if (!reason) continue;
        excluded.push({ kind, type, name, reason });
        delete byName[name];
      }
      if (Object.keys(byName).length === 0) delete blocks[type];
    }
    if (Object.keys(blocks).length === 0) delete json[kind];
  }

  const removedRefs = new Map(excluded.map((e) => [referenceOf(e.kind, e.type, e.name), e]));
  const mentions = (value: unknown) =>
    [...removedRefs.keys()].filter((ref) => expressionsOf(value).some((x) => referencePattern(ref).test(x)));

  // `check` blocks only warn: one about an excluded block (an add-on version) has nothing to check here.
  for (const [name, block] of Object.entries((json.check ?? {}) as Record<string, unknown>)) {
    const refs = mentions(block);
    if (refs.length === 0) continue;
    delete (json.check as Record<string, unknown>)[name];
    notes.push(`check ${name} dropped: it reads ${refs.join(", ")} (excluded)`);
  }
  if (json.check && Object.keys(json.check as object).length === 0) delete json.check;

  // References to removed blocks: collect the attributes read, then rewrite them to stand-in locals.
  const attributes = new Map<string, Set<string>>();
  const expressions = expressionsOf({ ...json, terraform: undefined });
  for (const [ref] of removedRefs) {
    for (const expression of expressions) {
      for (const m of expression.matchAll(referencePattern(ref))) {
        const next = m[1];
        if (next === "[")
          throw new Error(
            `cannot stand in for ${ref}[...] (an indexed reference to an excluded block): exclude its users too`,
          );
        if (!next) throw new Error(`cannot stand in for a whole-object reference to excluded ${ref}`);
        const set = attributes.get(ref) ?? new Set<string>();
        set.add(next.slice(1));
        attributes.set(ref, set);
      }
    }
  }
  const standIns: string[] = [];
  if (attributes.size > 0) {
    const locals: Record<string, Record<string, string>> = {};
    for (const [ref, attrs] of [...attributes].sort(([a], [b]) => a.localeCompare(b))) {
      const e = removedRefs.get(ref)!;
      locals[ref] = {};
      for (const attr of [...attrs].sort()) {
        const value = standInValue(e.type, e.name, attr, options);
        locals[ref][attr] = value;
        standIns.push(`local.e2e_excluded["${ref}"].${attr} = "${value}"`);
      }
    }
    json = mapExpressions(json, (expression) => {
      let edited = expression;
      for (const ref of attributes.keys())
        edited = edited.replace(
          referencePattern(ref),
          (_m, next: string) => `local.e2e_excluded[${literal(ref)}]${next}`,
        );
      return edited;
    }) as TfJson;
    json.locals = { ...(json.locals ?? {}), e2e_excluded: locals };
  }

  // depends_on entries naming removed blocks.
  for (const kind of KINDS) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      for (const [name, block] of Object.entries(byName)) {
        const deps = block.depends_on;
        if (!Array.isArray(deps)) continue;
        const kept = deps.filter((d) => !removedRefs.has(String(d).replace(/^\$\{|\}$/g, "")));
        for (const d of deps.filter((x) => !kept.includes(x)))
          notes.push(`${referenceOf(kind, type, name)}: depends_on ${d} dropped (excluded)`);
        if (kept.length > 0) block.depends_on = kept;
        else delete block.depends_on;
      }
    }
  }

  // import / moved / removed blocks whose target is gone.
  for (const key of ["import", "moved", "removed"] as const) {
    const list = json[key];
    if (!Array.isArray(list)) continue;
    const kept = list.filter((block) => {
      const target = String(block.to ?? block.from ?? "").replace(/^\$\{|\}$/g, "");
      const base = target.replace(/\[.*$/, "");
      if (!removedRefs.has(base)) return true;
      notes.push(`${key} block for ${target} dropped (excluded)`);
      return false;
    });
    if (kept.length > 0) json[key] = kept;
    else delete json[key];
  }

  // Emulator gaps in attributes that stay.
  for (const s of options.expressionStandIns ?? []) {
    let hits = 0;
    json = mapExpressions(json, (expression) =>
      expression.replace(s.pattern, () => {
        hits++;
        return literal(s.value);
      }),
    ) as TfJson;
    if (hits > 0) notes.push(`${s.pattern.source} -> "${s.value}" (${hits}x): ${s.reason}`);
  }

  // Providers nothing uses any more.
  const used = new Set<string>();
  for (const kind of KINDS)
    for (const [type, byName] of Object.entries(json[kind] ?? {}))
      for (const block of Object.values(byName)) used.add(providerOf(type, block));
  // A `removed` block forgets a resource of its provider: the product declares that provider for it, and
  // Terraform reads the resource's schema through it.
  for (const r of json.removed ?? []) used.add(providerOf(String(r.from).split(".")[0], {}));
  for (const name of Object.keys(json.terraform?.required_providers ?? {})) {
    if (used.has(name)) continue;
    delete json.terraform!.required_providers![name];
    if (json.provider?.[name]) delete json.provider[name];
    notes.push(`provider ${name} no longer used: removed with its required_providers entry`);
  }
  if (json.provider && Object.keys(json.provider).length === 0) delete json.provider;

  const applied = Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    Object.keys(byName).map((name) => `${type}.${name}`),
  );
  return { json, excluded, standIns, notes, applied };
}

/** `type (n): reason` lines, one per excluded type. */
export function exclusionSummary(excluded: readonly Excluded[]): string[] {
  const byType = new Map<string, { count: number; reason: string; kind: BlockKind }>();
  for (const e of excluded) {
    const key = `${e.kind === "resource" ? "" : `${e.kind}.`}${e.type}`;
    const seen = byType.get(key);
    byType.set(key, { count: (seen?.count ?? 0) + 1, reason: e.reason, kind: e.kind });
  }
  return [...byType].map(([type, { count, reason }]) => `${type} (${count}): ${reason}`);
}
