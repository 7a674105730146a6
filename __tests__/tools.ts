/** External tools some tests use when the machine has them (CI installs them; a bare clone skips, saying so). */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * A tool from its environment variable (e.g. HELM), the PATH, or the cache its scripts/install-*.sh script
 * fills (`~/.cache/eksmon/<name>/<version>/<name>`, newest version first); undefined when there is none.
 */
export function findTool(name: string, envVar: string): string | undefined {
  const fromEnv = process.env[envVar];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  try {
    const onPath = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
    if (onPath) return onPath;
  } catch {
    // not on PATH
  }
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "eksmon", name);
  if (!existsSync(cache)) return undefined;
  return readdirSync(cache)
    .sort()
    .reverse()
    .map((v) => join(cache, v, name))
    .find((p) => existsSync(p));
}
