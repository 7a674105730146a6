import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The project root: the nearest folder above this module holding cdktf.json. Found by walking up rather
 * than `__dirname/..`, because the app runs from a bundle under .cache/app/ (scripts/app.cjs).
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "cdktf.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no cdktf.json above ${from}`);
  }
}
