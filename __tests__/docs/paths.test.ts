/**
 * The README and docs name files and folders of this repository; a move must not leave them pointing
 * nowhere, and the README's layout table must describe the tree as it is.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const docs = ["README.md", ...readdirSync(join(root, "docs")).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith(".md"),
);
const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" })
  .split("\n")
  .filter(Boolean);
/** Top-level folders of the repository (a path starting with one is a path into this repository). */
const topFolders = new Set(tracked.filter((f) => f.includes("/")).map((f) => f.split("/")[0]));

describe("paths named in the README and docs", () => {
  it.each(docs)("%s names only paths that exist", (doc) => {
    const text = readFileSync(join(root, doc), "utf8");
    const named = [...text.matchAll(/`([A-Za-z_.][\w./-]*\/[\w./-]*)`/g)].map((m) => m[1]);
    const missing = named.filter(
      (p) => topFolders.has(p.split("/")[0]) && !p.includes("...") && !existsSync(join(root, p)),
    );
    expect(missing).toEqual([]);
  });
});

describe("the README's layout table", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(
    readme.indexOf("## Layout"),
    readme.indexOf("\n## ", readme.indexOf("## Layout") + 1),
  );
  const rows = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);

  it("lists paths that exist", () => {
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });

  it("lists every top-level folder and source file, and every group of constructs", () => {
    const topLevel = [
      ...[...topFolders].map((f) => `${f}/`),
      ...tracked.filter((f) => !f.includes("/") && f.endsWith(".ts")),
    ];
    const constructGroups = [
      ...new Set(
        tracked.filter((f) => f.startsWith("constructs/")).map((f) => f.split("/").slice(0, 2).join("/")),
      ),
    ].map((g) => `${g}/`);
    const listed = new Set(rows);
    const covered = (p: string) => listed.has(p) || rows.some((r) => r.startsWith(p) && r !== p);
    expect([...topLevel, ...constructGroups].filter((p) => !covered(p))).toEqual([]);
  });
});
