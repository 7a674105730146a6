/**
 * lib/cdktf-internals/patches.cjs: the list of patches of cdktf's internals, the versions they were reviewed
 * against, the switch that turns them off, and the rule that nothing outside the folder reaches in.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  installedCdktf,
  isReviewed,
  notice,
  PATCHES,
  patch,
  patchesEnabled,
  REVIEWED,
} from "../../../lib/cdktf-internals/patches.cjs";

const root = join(__dirname, "..", "..", "..");

/** The project's source files (tracked, or new and not ignored). */
function projectFiles(): string[] {
  return execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\n")
    .filter((f) => /\.(ts|cjs|mjs|js)$/.test(f) && existsSync(join(root, f))); // a deletion not yet committed
}

describe("the installed cdktf", () => {
  it("is a version every patch was reviewed against (read each patch against a new one, then add it to REVIEWED)", () => {
    const installed = installedCdktf();
    expect(REVIEWED).toContainEqual({ name: installed.name, version: installed.version });
    expect(isReviewed(installed)).toBe(true);
  });

  it("is what package.json asks for (cdktf itself, or cdktn through an npm alias)", () => {
    const wanted = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).dependencies.cdktf as string;
    const { name, version } = installedCdktf();
    expect(wanted === version || wanted === `npm:${name}@${version}`).toBe(true);
  });

  it("is the one every provider binding gets as its cdktf peer, whichever package it is (package.json overrides)", () => {
    // Without the override, npm ci refuses the cdktn alias: @cdktf/provider-* ask for cdktf ^0.21.0.
    const { dependencies, overrides } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const bindings = Object.keys(dependencies).filter((d) => d.startsWith("@cdktf/provider-"));
    expect(bindings.length).toBeGreaterThanOrEqual(6);
    for (const binding of bindings)
      expect({ binding, override: overrides?.[binding] }).toEqual({ binding, override: { cdktf: "$cdktf" } });
  });

  it("is told apart from an unreviewed one", () => {
    expect(isReviewed({ name: "cdktf", version: "0.20.0" })).toBe(false);
    expect(isReviewed({ name: "cdktn", version: "0.25.0" })).toBe(false);
  });
});

describe("the list of patches", () => {
  it("says of each what it touches, why, what runs with it off, and the version it was written for", () => {
    expect(PATCHES.length).toBeGreaterThanOrEqual(6);
    for (const p of PATCHES) {
      for (const field of ["id", "code", "touches", "why", "off", "writtenFor"] as const)
        expect(p[field].length).toBeGreaterThan(10 * Number(field !== "id"));
      expect(REVIEWED.map((r) => `${r.name} ${r.version}`)).toContain(p.writtenFor);
      for (const name of Object.keys(p.notNeeded ?? {})) expect(REVIEWED.map((r) => r.name)).toContain(name);
    }
    expect(new Set(PATCHES.map((p) => p.id)).size).toBe(PATCHES.length);
  });

  it("names a file of the folder for each", () => {
    for (const p of PATCHES) {
      const file = p.code.split(" ")[0];
      expect(readFileSync(join(root, "lib", "cdktf-internals", file), "utf8")).toContain(p.id);
    }
  });

  it("refuses an unknown id (a typo must not silently skip a patch)", () => {
    expect(() => patch("lazy-archivr")).toThrow(/no cdktf patch lazy-archivr/);
  });
});

describe("EKSMON_CDKTF_PATCHES", () => {
  it("is on unless set to off", () => {
    expect(patchesEnabled({})).toBe(true);
    expect(patchesEnabled({ EKSMON_CDKTF_PATCHES: "" })).toBe(true);
    expect(patchesEnabled({ EKSMON_CDKTF_PATCHES: "on" })).toBe(true);
    expect(patchesEnabled({ EKSMON_CDKTF_PATCHES: "off" })).toBe(false);
  });

  it("refuses anything else, naming the variable and what it takes", () => {
    expect(() => patchesEnabled({ EKSMON_CDKTF_PATCHES: "0" })).toThrow(
      'EKSMON_CDKTF_PATCHES=0: expected "on" (the default) or "off"',
    );
  });

  it("is read in one place", () => {
    const sources = projectFiles().filter((f) => !f.startsWith("__tests__/"));
    const text = (f: string) => readFileSync(join(root, f), "utf8");
    // Named as a string (to read it) only by patches.cjs; read from an environment by name nowhere.
    expect(sources.filter((f) => /["'`]EKSMON_CDKTF_PATCHES["'`]/.test(text(f)))).toEqual([
      "lib/cdktf-internals/patches.cjs",
    ]);
    expect(sources.filter((f) => /env(\.|\[["'`])EKSMON_CDKTF_PATCHES/.test(text(f)))).toEqual([]);
  });
});

describe("a notice", () => {
  it("is one line on stderr, once per patch", () => {
    const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      notice("lazy-archiver", "fs.js has 0 lines");
      notice("lazy-archiver", "fs.js has 0 lines");
      expect(write.mock.calls).toEqual([["cdktf patch lazy-archiver skipped: fs.js has 0 lines\n"]]);
    } finally {
      write.mockRestore();
    }
  });
});

describe("outside lib/cdktf-internals", () => {
  /** What reaching into cdktf looks like, and where it is allowed anyway. */
  const reaches: { what: string; pattern: RegExp }[] = [
    { what: "a private cdktf module", pattern: /["'`]cdktf\/lib\/(?!testing\/adapters\/jest["'`])/ },
    { what: "a construct's private validation list", pattern: /_validations/ },
    { what: "a call of the protected synthesizeAttributes()", pattern: /\.synthesizeAttributes\b/ },
    { what: "TerraformStack's private fields", pattern: /\b(rawOverrides|cdktfVersion)\b/ },
    { what: "a rewrite of a cdktf file", pattern: /stack-trace\.js|private[\\/[\]]+fs\.js|lib\[\\\\\/\]/ },
  ];

  it("no source reaches into cdktf (the jest matchers' documented type import aside)", () => {
    const tracked = projectFiles().filter(
      (f) => !f.startsWith("lib/cdktf-internals/") && !f.startsWith("__tests__/lib/cdktf-internals/"),
    );
    expect(tracked.length).toBeGreaterThan(100);
    const found = tracked.flatMap((f) => {
      const text = readFileSync(join(root, f), "utf8");
      return reaches.filter((r) => r.pattern.test(text)).map((r) => `${f}: ${r.what}`);
    });
    expect(found).toEqual([]);
  });
});
