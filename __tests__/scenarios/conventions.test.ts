/**
 * The conventions the sources are held to, checked on the sources themselves (TypeScript's parser, no
 * type checking):
 * - every optional prop of an exported interface or type under constructs/ and stacks/ says what happens
 *   when it is omitted (`@default`, as aws-cdk and projen document their props);
 * - every exported construct class under constructs/ has a unit test at the mirrored path;
 * - `__tests__/` mirrors the source: a test file sits at the path of the file it tests. Tests of a feature
 *   across several sources live in `__tests__/scenarios/`; the loopback deploy's tests mirror `e2e/`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import ts from "typescript";

const root = join(__dirname, "..", "..");
const testsRoot = join(root, "__tests__");

/** Every file under `dir` (relative to the repository), depth first. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

const sourcesOf = (dir: string) => filesUnder(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
const parse = (file: string) =>
  ts.createSourceFile(file, readFileSync(join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
const isExported = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/**
 * The props of a type: members of interfaces and object types, also inside unions, intersections, arrays
 * and nested object types; not the parameters of methods or functions (those are documented with @param).
 */
function propsOf(node: ts.Node): ts.PropertySignature[] {
  if (ts.isPropertySignature(node)) return [node, ...(node.type ? propsOf(node.type) : [])];
  if (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) return node.members.flatMap(propsOf);
  if (ts.isTypeAliasDeclaration(node)) return propsOf(node.type);
  if (ts.isUnionTypeNode(node) || ts.isIntersectionTypeNode(node)) return node.types.flatMap(propsOf);
  if (ts.isArrayTypeNode(node)) return propsOf(node.elementType);
  if (ts.isParenthesizedTypeNode(node) || ts.isTypeOperatorNode(node)) return propsOf(node.type);
  return [];
}

/** `file:line Type.prop` for every optional prop of an exported type in `file` without a `@default` text. */
function optionalPropsWithoutDefault(file: string): string[] {
  const source = parse(file);
  return source.statements
    .filter((s) => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && isExported(s))
    .flatMap((s) =>
      propsOf(s)
        .filter((p) => p.questionToken)
        .filter((p) => {
          const tag = ts.getJSDocTags(p).find((t) => t.tagName.text === "default");
          return !ts.getTextOfJSDocComment(tag?.comment)?.trim();
        })
        .map((p) => {
          const line = source.getLineAndCharacterOfPosition(p.getStart()).line + 1;
          return `${file}:${line} ${(s as ts.InterfaceDeclaration).name.text}.${p.name.getText()}`;
        }),
    );
}

/** Exported classes that extend another class (under constructs/: constructs, resources, providers). */
function exportedSubclasses(file: string): string[] {
  return parse(file)
    .statements.filter(
      (s): s is ts.ClassDeclaration =>
        ts.isClassDeclaration(s) &&
        isExported(s) &&
        (s.heritageClauses ?? []).some((h) => h.token === ts.SyntaxKind.ExtendsKeyword),
    )
    .map((s) => s.name?.text ?? "default");
}

/**
 * Construct classes that cannot have a unit test of their own, each with the reason. Empty: every
 * construct has one.
 */
const CONSTRUCTS_WITHOUT_TEST: Record<string, string> = {};

/**
 * Test files (relative to __tests__/) that mirror no single source, each with the reason. A pattern that
 * matches no test file any more fails below, so the list cannot outlive what it excuses.
 */
const NOT_MIRRORED: { pattern: RegExp; reason: string }[] = [
  {
    pattern: /^docs\/paths\.test\.ts$/,
    reason: "holds every page (README.md and docs/) to the tree: no one source",
  },
];

/** Folders of __tests__/ that do not mirror the source, and files that are no tests. */
const OWN_FOLDERS = /^(scenarios|fixtures|jest)\/|(^|\/)__snapshots__\//;

describe("optional props say what happens when they are omitted", () => {
  const files = [...sourcesOf("constructs"), ...sourcesOf("stacks")];

  it("finds the sources and their optional props (the walk is not empty)", () => {
    expect(files.length).toBeGreaterThan(30);
    const optional = files.flatMap((f) =>
      parse(f)
        .statements.filter((s) => ts.isInterfaceDeclaration(s) && isExported(s))
        .flatMap((s) => propsOf(s).filter((p) => p.questionToken)),
    );
    expect(optional.length).toBeGreaterThan(50);
  });

  it("every optional prop of an exported type under constructs/ and stacks/ has @default <what happens>", () => {
    expect(files.flatMap(optionalPropsWithoutDefault)).toEqual([]);
  });

  it("the check sees a missing, an empty and a nested @default", () => {
    const probe = "__tests__/fixtures/conventions-probe.ts";
    expect(optionalPropsWithoutDefault(probe)).toEqual([
      `${probe}:5 ProbeProps.undocumented`,
      `${probe}:7 ProbeProps.empty`,
      `${probe}:12 ProbeProps.inner`,
      `${probe}:16 ProbeUnion.inUnion`,
    ]);
  });
});

describe("every construct has a unit test at the mirrored path", () => {
  const constructs = sourcesOf("constructs").flatMap((file) =>
    exportedSubclasses(file).map((name) => ({ file, name })),
  );

  it("finds the construct classes (the walk is not empty)", () => {
    expect(constructs.length).toBeGreaterThan(25);
  });

  it("__tests__/<path>.test.ts exists for each, and names the class", () => {
    const missing = constructs
      .filter(({ name }) => !(name in CONSTRUCTS_WITHOUT_TEST))
      .filter(({ file, name }) => {
        const test = join(testsRoot, file.replace(/\.ts$/, ".test.ts"));
        return !existsSync(test) || !new RegExp(`\\b${name}\\b`).test(readFileSync(test, "utf8"));
      })
      .map(
        ({ file, name }) => `${name} (${file}): no __tests__/${file.replace(/\.ts$/, ".test.ts")} naming it`,
      );
    expect(missing).toEqual([]);
  });

  it("excuses only constructs that exist", () => {
    const names = new Set(constructs.map((c) => c.name));
    expect(Object.keys(CONSTRUCTS_WITHOUT_TEST).filter((n) => !names.has(n))).toEqual([]);
  });
});

describe("__tests__/ mirrors the source", () => {
  const tests = filesUnder("__tests__")
    .map((f) => relative("__tests__", f))
    .filter((f) => f.endsWith(".test.ts") && !OWN_FOLDERS.test(f));

  /** A file of the repository at the test's path, with any extension (a .ts, .cjs, .sh or .md). */
  const hasSource = (test: string) => {
    const dir = join(root, dirname(test));
    const name = basename(test, ".test.ts");
    return (
      existsSync(dir) &&
      readdirSync(dir, { withFileTypes: true }).some(
        (e) => e.isFile() && e.name.replace(/\.[^.]+$/, "") === name && !e.name.endsWith(".test.ts"),
      )
    );
  };

  it("finds the tests (the walk is not empty)", () => {
    expect(tests.length).toBeGreaterThan(50);
  });

  it("every test file outside scenarios/ sits at the path of a source file", () => {
    const excused = (t: string) => NOT_MIRRORED.some((n) => n.pattern.test(t));
    expect(tests.filter((t) => !hasSource(t) && !excused(t))).toEqual([]);
  });

  it("every exception still excuses a test that mirrors no source", () => {
    const stale = NOT_MIRRORED.filter((n) => !tests.some((t) => n.pattern.test(t) && !hasSource(t)));
    expect(stale.map((n) => `${n.pattern} (${n.reason})`)).toEqual([]);
  });
});
