/**
 * lib/cdktf-internals/bundle.cjs: the patches the launcher makes to cdktf's files in the bundle apply to the
 * installed cdktf (or are declared unneeded there), behave like the code they replace, and step aside, with
 * one line, where a file is not what they were written against.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vm from "node:vm";
import { build } from "esbuild";
import {
  bundlePlugins,
  exportedNames,
  FILE_PATCHES,
  lazyArchiver,
  lazyStackTrace,
} from "../../../lib/cdktf-internals/bundle.cjs";
import { installedCdktf, patch } from "../../../lib/cdktf-internals/patches.cjs";

const installed = installedCdktf();
const cdktfFile = (...parts: string[]) => readFileSync(join(installed.dir, "lib", ...parts), "utf8");
const stackTraceSource = cdktfFile("tokens", "private", "stack-trace.js");

/** Evaluates CommonJS source; returns its exports. */
function evaluate(source: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  vm.runInThisContext(`(function (exports, module, process) {${source}\n})`)(module.exports, module, {
    ...process,
    env,
  });
  return module.exports;
}

/** Captures stderr writes while `fn` runs. */
function stderrOf(fn: () => unknown): string {
  const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    fn();
    return write.mock.calls.map((c) => String(c[0])).join("");
  } finally {
    write.mockRestore();
  }
}

describe(`the bundle patches on the installed ${installed.name} ${installed.version}`, () => {
  it.each(FILE_PATCHES.map((p) => [p.id, p] as const))("%s applies, or is declared not needed", (id, p) => {
    const file = id === "lazy-creation-stacks" ? stackTraceSource : cdktfFile("private", "fs.js");
    const result = p.apply(file);
    const notNeeded = patch(id).notNeeded?.[installed.name];
    if (notNeeded) expect(result).toHaveProperty("skip");
    else expect(result).toHaveProperty("contents");
  });

  it("are all bundled when the patches are on, none when off", () => {
    const expected = FILE_PATCHES.filter((p) => !patch(p.id).notNeeded?.[installed.name]).length;
    expect(bundlePlugins({ env: {} })).toHaveLength(expected);
    expect(bundlePlugins({ env: { EKSMON_CDKTF_PATCHES: "off" } })).toEqual([]);
  });

  it("say when the installed cdktf is not a reviewed version", () => {
    const said = stderrOf(() => bundlePlugins({ env: {}, installed: { name: "cdktn", version: "0.25.0" } }));
    expect(said).toMatch(
      /^cdktf-internals: cdktn 0\.25\.0 is not a reviewed version \(cdktf 0\.21\.0, cdktn 0\.24\.0\)/,
    );
    expect(said.trimEnd().split("\n")).toHaveLength(1);
  });
});

describe("lazy-creation-stacks", () => {
  const patched = lazyStackTrace(stackTraceSource);
  if (!("contents" in patched)) throw new Error(`does not apply: ${patched.skip}`);
  const original = evaluate(stackTraceSource);
  const lazy = evaluate(patched.contents);

  it("exports what the file it replaces exports", () => {
    expect(exportedNames(patched.contents)).toEqual(exportedNames(stackTraceSource));
    expect(Object.keys(lazy).sort()).toEqual(Object.keys(original).sort());
  });

  it("gives the frames the original gives, read like an array", () => {
    type Capture = (below?: unknown) => string[];
    // The same call site for both, through one function hidden from the trace.
    const hidden = (capture: Capture) => capture(hidden);
    const [a, b] = [original, lazy].map((m) => hidden(m.captureStackTrace as Capture));
    expect(b.length).toBe(a.length);
    expect(b[0]).toBe(a[0]);
    expect([...b]).toEqual([...a]);
    expect(b.join("\n")).toBe(a.join("\n"));
    expect(JSON.parse(JSON.stringify(b))).toEqual(a);
    expect(Array.isArray(b)).toBe(true);
    expect(b.slice(1)).toEqual(a.slice(1));
  });

  // cdktf 0.21 has no captureCreationStack; cdktn 0.24 does (the CI leg on cdktn runs this).
  const withCreationStack = "captureCreationStack" in original ? it : it.skip;
  withCreationStack("keeps cdktn's switch for creation stacks", () => {
    const off = evaluate(patched.contents, { CDKTN_DISABLE_CREATION_STACK: "1" });
    expect([...(off.captureCreationStack as () => string[])()]).toEqual([]);
    expect((lazy.captureCreationStack as () => string[])().length).toBeGreaterThan(0);
  });

  it("steps aside for a file of another shape", () => {
    expect(lazyStackTrace(`${stackTraceSource}\nexports.somethingNew = () => [];`)).toEqual({
      skip: expect.stringMatching(/^stack-trace\.js exports .*captureStackTrace, somethingNew \(written for/),
    });
    expect(lazyStackTrace(stackTraceSource.replace(".slice(1)", ".slice(2)"))).toEqual({
      skip: "stack-trace.js formats frames otherwise (no .slice(1))",
    });
  });
});

describe("lazy-archiver", () => {
  it("requires archiver on first use, the rest of the file unchanged", () => {
    const source =
      'const fs = require("fs");\nconst archiver = require("archiver");\nexports.a = () => archiver("zip");\n';
    const patched = lazyArchiver(source);
    expect(patched).toEqual({
      contents: expect.stringContaining('(loadedArchiver ??= require("archiver"))(...a)'),
    });
    if ("contents" in patched)
      expect(patched.contents.startsWith('const fs = require("fs");\nlet loadedArchiver;')).toBe(true);
  });

  it("steps aside when the line is not there once", () => {
    expect(lazyArchiver("const fflate = require('fflate');")).toEqual({
      skip: 'fs.js has 0 `const archiver = require("archiver");` lines (written for one)',
    });
  });
});

describe("a bundle of a cdktf whose stack-trace.js the patch was not written for", () => {
  it("holds that file unchanged, and the launcher says so in one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bundle-patch-"));
    try {
      const file = join(dir, "node_modules", "cdktf", "lib", "tokens", "private", "stack-trace.js");
      mkdirSync(join(file, ".."), { recursive: true });
      const foreign =
        '"use strict";\nexports.captureStackTrace = () => [];\nexports.captureFrames = () => [];\n';
      writeFileSync(file, foreign);
      writeFileSync(
        join(dir, "entry.js"),
        'module.exports = require("cdktf/lib/tokens/private/stack-trace.js");',
      );
      const plugins = bundlePlugins({ env: {}, installed: { name: "cdktf", version: "0.21.0" } });
      const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
      let said: string;
      let output: string;
      try {
        const result = await build({
          entryPoints: [join(dir, "entry.js")],
          absWorkingDir: dir,
          bundle: true,
          platform: "node",
          write: false,
          logLevel: "silent",
          plugins,
        });
        output = result.outputFiles[0].text;
        said = write.mock.calls.map((c) => String(c[0])).join("");
      } finally {
        write.mockRestore();
      }
      expect(output).toContain("captureFrames");
      expect(output).not.toContain("lazilyFormattedFrames");
      expect(said).toBe(
        "cdktf patch lazy-creation-stacks skipped: stack-trace.js exports captureFrames, captureStackTrace (written for captureStackTrace and captureCreationStack)\n",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
