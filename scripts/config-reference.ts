/**
 * Generates docs/configuration.md from the zod schema (paths, types, defaults, allowed values) and the
 * one-line doc comments on each field in lib/config/schema.ts. `npm run docs:config` writes it; a test
 * fails when the committed page differs from what the schema generates.
 * Usage: node -r esbuild-register scripts/config-reference.ts [--check]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { environmentSchema } from "../lib/config/schema";

const root = join(__dirname, "..");
const schemaFile = join(root, "lib/config/schema.ts");
export const referencePath = join(root, "docs/configuration.md");

/** Doc comments by field path, found by following object nesting in the schema source. */
function docComments(source: string): Map<string, string> {
  const docs = new Map<string, string>();
  // Schema constants and the path of the section each defines; a variant of a union is `<path>[<type>]`.
  const prefixes: Record<string, string> = {
    environmentShape: "",
    clusterSchema: "cluster",
    clusterAuthSchema: "cluster.auth",
    networkSchema: "network",
    ampSchema: "amp",
    prometheusCollectorSchema: "collector[prometheus]",
    managedCollectorSchema: "collector[managed]",
    resourceList: "collector[prometheus].resources.*",
    ebsCsiSchema: "ebsCsi",
    grafanaSchema: "grafana",
    alertingSchema: "alerting",
    githubSchema: "github",
    metricsSchema: "metrics",
    sizingSchema: "sizing",
    s3BackendSchema: "backend[s3]",
    cloudBackendSchema: "backend[cloud]",
    localBackendSchema: "backend[local]",
  };
  let stack: { indent: number; key: string }[] = [];
  let base = "";
  let pending: string | undefined;
  for (const line of source.split("\n")) {
    const top = line.match(/^(?:export )?const (\w+) = z/);
    if (top || /^(export )?(type|function|interface) /.test(line)) {
      base = top ? (prefixes[top[1]] ?? top[1]) : "(not a schema)";
      stack = [];
      continue;
    }
    const comment = line.match(/^\s*\/\*\* (.*) \*\/$/);
    if (comment) {
      pending = comment[1];
      continue;
    }
    const field = line.match(/^(\s*)(\w+|"[^"]+"): /);
    if (!field) continue;
    const indent = field[1].length;
    stack = stack.filter((s) => s.indent < indent);
    const path = [base, ...stack.map((s) => s.key), field[2]].filter(Boolean).join(".");
    if (pending) docs.set(path, pending);
    pending = undefined;
    stack.push({ indent, key: field[2] });
  }
  return docs;
}

interface Row {
  path: string;
  /** The union variant the field belongs to, e.g. `collector[managed]` (its `type` value in brackets). */
  docPath: string;
  type: string;
  required: boolean;
  default?: unknown;
}

/** The parts of a JSON Schema node (as zod emits them) the reference reads. */
interface SchemaNode {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
  required?: string[];
  default?: unknown;
  moved?: boolean;
}

function typeOf(node: SchemaNode): string {
  if (node.enum) return node.enum.map((v: unknown) => JSON.stringify(v)).join(" \\| ");
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (node.anyOf) return node.anyOf.map(typeOf).join(" \\| ");
  if (node.type === "array") return `${typeOf(node.items ?? {})}[]`;
  if (node.type === "object" && node.additionalProperties && !node.properties) return "map";
  if (node.oneOf) return "object";
  return node.type ?? "any";
}

function rows(node: SchemaNode, path: string, docPath: string, required: boolean, out: Row[]): void {
  const variants = node.anyOf ?? node.oneOf;
  if (variants?.some((v) => v.properties)) {
    for (const v of variants) {
      if (!v.properties) continue;
      // A discriminated union's variants (type "s3", "cloud"...) are documented one after the other.
      const tag = v.properties.type?.const;
      rows(v, path, typeof tag === "string" ? `${docPath}[${tag}]` : docPath, required, out);
    }
    return;
  }
  if (node.type !== "object" || !node.properties) return;
  for (const [key, child] of Object.entries(node.properties)) {
    if (child.moved) continue; // a field that moved is refused with where it went; it is not documented
    const p = path ? `${path}.${key}` : key;
    const dp = docPath ? `${docPath}.${key}` : key;
    const req = required && (node.required ?? []).includes(key) && child.default === undefined;
    const seen = out.find((r) => r.docPath === dp);
    if (!seen) out.push({ path: p, docPath: dp, type: typeOf(child), required: req, default: child.default });
    else if (!seen.type.split(" \\| ").includes(typeOf(child))) seen.type += ` \\| ${typeOf(child)}`;
    rows(child, p, dp, req, out);
  }
}

export function generateReference(): string {
  const docs = docComments(readFileSync(schemaFile, "utf8"));
  const json = z.toJSONSchema(environmentSchema, { io: "input", unrepresentable: "any" });
  const all: Row[] = [];
  rows(json as SchemaNode, "", "", true, all);
  const describe = (docPath: string) =>
    docs.get(docPath) ?? docs.get(docPath.replace(/\.resources\.(requests|limits)\./, ".resources.*.")) ?? "";
  const variantOf = (docPath: string) => docPath.match(/\[(\w+)\]/)?.[1];
  const lines = [
    "# Configuration reference",
    "",
    "<!-- Generated by `npm run docs:config` from lib/config/schema.ts; a test fails when it is out of date. -->",
    "",
    "Each environment is one `defineEnvironment({...})` object in `environments/<name>.ts`, listed in",
    "`environments/index.ts`. Synth validates every environment first and reports each problem as",
    "`<env>.<field>: <what is wrong> (expected ...)`; nothing is written until the whole configuration is valid.",
    "Unknown fields are errors. `collector` has two shapes, chosen by `collector.type` (`prometheus`, `managed`),",
    "and `backend` three (`s3`, `cloud`, `local`); the column *with type* says which shape a field belongs to.",
    "",
    "| field | with type | type | required | default | description |",
    "|---|---|---|---|---|---|",
    ...all.map(
      (r) =>
        `| \`${r.path}\` | ${variantOf(r.docPath) ? `\`${variantOf(r.docPath)}\`` : ""} | ${r.type} | ${r.required ? "yes" : ""} | ${r.default === undefined ? "" : `\`${JSON.stringify(r.default)}\``} | ${describe(r.docPath)} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

if (require.main === module) {
  const text = generateReference();
  if (process.argv.includes("--check")) {
    if (readFileSync(referencePath, "utf8") !== text) {
      console.error("docs/configuration.md is out of date: run npm run docs:config");
      process.exit(1);
    }
  } else {
    writeFileSync(referencePath, text);
    console.log(`wrote ${referencePath}`);
  }
}
