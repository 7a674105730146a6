/**
 * What `npm run scan` hands checkov: each synthesized stack without the blocks checkov's terraform_json
 * parser (3.3.30) cannot read. It refuses a whole file for a top-level `import` or `moved` list or a string
 * in the `terraform` block ("this method receives only dicts"), and reports it as a parsing error, not a
 * failed check: the stack would go unscanned. None of them holds a resource or a policy a check looks at:
 * the resources an import adopts or a moved block renames stay in the file, and `required_version` is a
 * version constraint.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

type StackJson = Record<string, unknown> & { terraform?: Record<string, unknown> };

/** The stack without what checkov cannot parse (import and moved blocks, `terraform.required_version`). */
export function checkovReadable(stack: StackJson): StackJson {
  const { import: _imports, moved: _moved, ...rest } = stack;
  if (!rest.terraform) return rest;
  const { required_version: _version, ...terraform } = rest.terraform;
  return { ...rest, terraform };
}

/** Writes `<dest>/stacks/<stack>/cdk.tf.json` for every stack synthesized into `<outdir>/stacks`. */
export function writeCheckovInput(outdir: string, dest: string): number {
  const stacks = readdirSync(join(outdir, "stacks"), { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const { name } of stacks) {
    const json = JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as StackJson;
    mkdirSync(join(dest, "stacks", name), { recursive: true });
    writeFileSync(join(dest, "stacks", name, "cdk.tf.json"), JSON.stringify(checkovReadable(json), null, 2));
  }
  return stacks.length;
}
