/**
 * What `npm run scan` hands checkov: each synthesized stack without the blocks checkov's terraform_json
 * parser (3.3.30) cannot read. It refuses a whole file for a top-level `import`, `moved` or `removed` list or
 * a string in the `terraform` block ("this method receives only dicts"), and reports it as a parsing error,
 * not a failed check: the stack would go unscanned. None of them holds a resource or a policy a check looks
 * at: the resources an import adopts or a moved block renames stay in the file, a removed block names an
 * address the configuration no longer has, and `required_version` is a version constraint.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readStack, STACK_FILE, stackDir, stackNames } from "../../lib/synth-output.cjs";

type StackJson = Record<string, unknown> & { terraform?: Record<string, unknown> };

/** The stack without what checkov cannot parse (import, moved and removed blocks, `terraform.required_version`). */
export function checkovReadable(stack: StackJson): StackJson {
  const { import: _imports, moved: _moved, removed: _removed, ...rest } = stack;
  if (!rest.terraform) return rest;
  const { required_version: _version, ...terraform } = rest.terraform;
  return { ...rest, terraform };
}

/**
 * Writes `<dest>/stacks/<stack>/cdk.tf.json` for every stack of the synth in `outdir` (the stacks its manifest
 * lists; the stack folders when there is none).
 */
export function writeCheckovInput(outdir: string, dest: string): number {
  const stacks = stackNames(outdir);
  for (const name of stacks) {
    const json = readStack(outdir, name) as StackJson;
    mkdirSync(stackDir(dest, name), { recursive: true });
    writeFileSync(join(stackDir(dest, name), STACK_FILE), JSON.stringify(checkovReadable(json), null, 2));
  }
  return stacks.length;
}
