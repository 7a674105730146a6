/**
 * `npm run providers:lock`: rewrites .terraform.lock.hcl with the official checksums of every provider the
 * project has bindings for (scripts/lib/project-providers.ts), as the origin registries publish them:
 * `terraform providers lock` records the zh: checksums of every platform's release zip and the h1: checksum
 * of each platform asked for. Needs the registries (it ignores any mirror in the CLI configuration, so a
 * local build can never end up in the lock file). Run it after bumping a provider binding, review the diff,
 * and commit it; synth refuses a provider version the lock file does not record.
 *
 * Usage: npm run providers:lock [-- --platform OS_ARCH ...]   (default: the platforms below)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCK_FILE_NAME, parseLockFile, projectLockPath, renderLockFile } from "../lib/provider-lock";
import { lockingConfig, projectProviders } from "./lib/project-providers";
import { terraformBinary } from "./lib/terraform-env";

/** Where the workflows run (GitHub-hosted Linux), and what operators run Terraform on. */
export const DEFAULT_PLATFORMS = [
  "linux_amd64",
  "linux_arm64",
  "darwin_amd64",
  "darwin_arm64",
  "windows_amd64",
];

function main(argv: string[]): number {
  const platforms: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--platform" && argv[i + 1]) platforms.push(argv[++i]);
    else {
      process.stderr.write(
        `unknown argument ${argv[i]} (usage: npm run providers:lock [-- --platform OS_ARCH ...])\n`,
      );
      return 2;
    }
  }
  const wanted = platforms.length > 0 ? platforms : DEFAULT_PLATFORMS;
  const providers = projectProviders();
  const dir = mkdtempSync(join(tmpdir(), "eksmon-providers-lock-"));
  try {
    writeFileSync(join(dir, "main.tf.json"), lockingConfig(providers));
    const terraform = terraformBinary();
    const args = ["providers", "lock", "-no-color", ...wanted.map((p) => `-platform=${p}`)];
    process.stderr.write(
      `$ ${terraform} ${args.join(" ")}   (${providers.map((p) => `${p.name} ${p.version}`).join(", ")})\n`,
    );
    const run = spawnSync(terraform, args, {
      cwd: dir,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
    if (run.status !== 0) {
      process.stderr.write(
        `\n${LOCK_FILE_NAME} NOT updated: \`terraform providers lock\` failed (it needs registry.terraform.io; run it where the registry is reachable)\n`,
      );
      return 1;
    }
    const locked = parseLockFile(readFileSync(join(dir, LOCK_FILE_NAME), "utf8"));
    const date = new Date().toISOString().slice(0, 10);
    const text = renderLockFile(locked, {
      header: [
        "The dependency lock file of every stack: `npm run synth` writes each stack's providers from here into",
        "cdktf.out/stacks/<stack>/.terraform.lock.hcl, where `terraform init` checks every provider package it",
        "installs against these checksums (zh: SHA-256 of the official release zip of each platform, h1: hash of",
        'one unpacked platform package). Update it with `npm run providers:lock` (docs/validation.md, "Provider',
        'checksums"); never by hand except to record where a checksum came from.',
      ].join("\n"),
      comment: (p) =>
        `Official checksums from ${p.address.split("/")[0]} (\`terraform providers lock\`, ${date}; h1: for ${wanted.join(", ")}).`,
    });
    writeFileSync(projectLockPath(), text);
    process.stderr.write(`wrote ${projectLockPath()}: review the diff, then commit it\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
