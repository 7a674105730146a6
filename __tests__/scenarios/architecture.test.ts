/**
 * Which part of the project may import which: the one-way flow environments/ -> config/ -> app.ts -> stacks/
 * -> constructs/, with config/ below everything (it imports only the dependency-free modules of lib/), and
 * constructs/ that never see config. A new arrow against the flow fails here, naming the file and the import.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const root = join(__dirname, "..", "..");

/** The modules of lib/ that import nothing from the project: config/ may build on them. */
const LEAVES = ["lib/catalogue.ts", "lib/limits.ts", "lib/duration.ts", "lib/naming.ts", "lib/terraform.ts"];

/** Every project import of every source file (relative imports, resolved to the file they name). */
function projectImports(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!["node_modules", "__tests__", "cdktf.out", ".cache", ".git", ".scratch"].includes(entry.name))
          walk(path);
      } else if (/\.(ts|cjs|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        const text = readFileSync(join(root, path), "utf8");
        const targets = [...text.matchAll(/(?:from |import\(|require\()"(\.{1,2}\/[^"]+)"/g)].map((m) =>
          relative(root, normalize(join(root, dirname(path), m[1]))),
        );
        out.set(path, targets);
      }
    }
  };
  walk("");
  return out;
}

const imports = projectImports();
const under = (folder: string) => (target: string) => target === folder || target.startsWith(`${folder}/`);
const isLeaf = (target: string) => LEAVES.some((leaf) => leaf.replace(/\.ts$/, "") === target);

/** `file imports target` for every import of the files under `from` that `allowed` refuses. */
function violations(from: string, allowed: (target: string) => boolean): string[] {
  return [...imports]
    .filter(([file]) => file.startsWith(`${from}/`) || file === from)
    .flatMap(([file, targets]) => targets.filter((t) => !allowed(t)).map((t) => `${file} imports ${t}`));
}

describe("import directions", () => {
  it("finds the sources (the walk is not empty)", () => {
    expect(imports.size).toBeGreaterThan(100);
    expect(imports.get("config/environment.ts")).toContain("config/rules");
  });

  it("config/ imports only config/ and the dependency-free modules of lib/", () => {
    expect(violations("config", (t) => under("config")(t) || isLeaf(t))).toEqual([]);
  });

  it("those modules of lib/ import nothing from the project", () => {
    expect(LEAVES.flatMap((leaf) => (imports.get(leaf) ?? []).map((t) => `${leaf} imports ${t}`))).toEqual(
      [],
    );
  });

  it("constructs/ never import config, stacks, the app or environments (they take objects)", () => {
    const refused = ["config", "stacks", "app", "main", "environments", "scripts", "e2e"].map(under);
    expect(violations("constructs", (t) => !refused.some((r) => r(t)))).toEqual([]);
  });

  it("lib/ and monitoring/ never import constructs, stacks, the app or environments", () => {
    const refused = ["constructs", "stacks", "app", "main", "environments", "scripts", "e2e"].map(under);
    const allowed = (t: string) => !refused.some((r) => r(t));
    expect([...violations("lib", allowed), ...violations("monitoring", allowed)]).toEqual([]);
  });

  it("only the entry points read environments/ (stacks get validated config)", () => {
    const readers = [...imports]
      .filter(([, targets]) => targets.some(under("environments")))
      .map(([file]) => file)
      .filter((file) => !file.startsWith("environments/"));
    expect(readers.filter((f) => !["main.ts"].includes(f) && !/^(scripts|e2e)\//.test(f))).toEqual([]);
  });
});
