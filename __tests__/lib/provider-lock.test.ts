/** The project's lock file, and the per-stack lock files the app writes from it. */

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Testing } from "cdktf";
import { addBootstrap, addEnvironment } from "../../app";
import { validateEnvironments } from "../../config/validate";
import { environments } from "../../environments";
import {
  LOCK_FILE_NAME,
  lockProblems,
  ProviderLockError,
  parseLockFile,
  readProjectLock,
  renderLockFile,
  requiredProviders,
  stackLock,
  UNPINNED_PROVIDERS,
  writeStackLocks,
} from "../../lib/provider-lock";
import { lockingConfig, projectProviders } from "../../scripts/lib/project-providers";
import { ProjectStack } from "../../stacks/project-stack";

const root = join(__dirname, "..", "..");
const lock = readProjectLock();

describe(".terraform.lock.hcl (the project's)", () => {
  it("locks exactly the providers and versions of the project's bindings (run `npm run providers:lock` after a bump)", () => {
    const locked = lock.map((p) => `${p.address} ${p.version}`).sort();
    expect(locked).toEqual(
      projectProviders()
        .map((p) => `${p.address} ${p.version}`)
        .sort(),
    );
  });

  it("pins every provider by official checksums (zh: of the release zips, h1: of unpacked packages), except the listed ones", () => {
    const unpinned = lock.filter((p) => p.hashes.length === 0).map((p) => p.address);
    expect(unpinned.sort()).toEqual(Object.keys(UNPINNED_PROVIDERS).sort());
    for (const p of lock.filter((p) => p.hashes.length > 0)) {
      expect([p.address, p.hashes.filter((h) => /^zh:[0-9a-f]{64}$/.test(h)).length > 1]).toEqual([
        p.address,
        true,
      ]);
      expect([p.address, p.hashes.some((h) => /^h1:[A-Za-z0-9+/]{43}=$/.test(h))]).toEqual([p.address, true]);
      expect(p.hashes.every((h) => /^(zh:[0-9a-f]{64}|h1:[A-Za-z0-9+/]{43}=)$/.test(h))).toBe(true);
    }
  });

  it("names where each block's checksums come from", () => {
    const text = readFileSync(join(root, LOCK_FILE_NAME), "utf8");
    for (const p of lock) {
      const before = text
        .slice(0, text.indexOf(`provider "${p.address}"`))
        .trimEnd()
        .split("\n");
      expect([p.address, before[before.length - 1].startsWith("#")]).toEqual([p.address, true]);
    }
  });
});

describe("npm run providers:lock", () => {
  it("asks Terraform for every project provider at its pinned version", () => {
    const config = JSON.parse(lockingConfig(projectProviders()));
    expect(config.terraform.required_providers.aws).toEqual({ source: "hashicorp/aws", version: "6.25.0" });
    expect(config.terraform.required_providers.grafana).toEqual({
      source: "grafana/grafana",
      version: "4.23.0",
    });
    expect(Object.keys(config.terraform.required_providers).sort()).toEqual(
      lock.map((p) => p.address.split("/")[2]).sort(),
    );
  });

  it("writes notes Terraform keeps reading: a header and a comment above each block", () => {
    const text = renderLockFile(lock.slice(0, 1), {
      header: "one\ntwo",
      comment: (p) => `from ${p.address}`,
    });
    expect(text.startsWith("# one\n# two\n\n# from registry.terraform.io/hashicorp/aws\nprovider ")).toBe(
      true,
    );
    expect(parseLockFile(text)).toEqual(lock.slice(0, 1));
  });
});

describe("parseLockFile / renderLockFile", () => {
  it("reads what it writes, in Terraform's layout", () => {
    const text = renderLockFile(lock);
    expect(parseLockFile(text)).toEqual([...lock].sort((a, b) => a.address.localeCompare(b.address)));
    expect(text).toMatch(/^# This file is maintained automatically by "terraform init"\.\n/);
    expect(text).toContain(
      'provider "registry.terraform.io/hashicorp/tfe" {\n  version     = "0.71.0"\n  constraints = "0.71.0"\n}',
    );
  });

  it("rejects what it does not understand, naming the line", () => {
    expect(() =>
      parseLockFile(
        'provider "x/y/z" {\n  version = "1.0.0"\n  hashes = [\n    "md5:abc",\n  ]\n}\n',
        "f.hcl",
      ),
    ).toThrow('f.hcl:4: expected a quoted h1:/zh: checksum or ]: "md5:abc",');
    expect(() => parseLockFile('provider "x/y/z" {\n}\n', "f.hcl")).toThrow(
      "f.hcl:2: provider x/y/z has no version",
    );
    expect(() => parseLockFile('provider "x/y/z" {\n  version = "1.0.0"\n', "f.hcl")).toThrow("unterminated");
  });
});

describe("lockProblems and stackLock", () => {
  const stack = {
    terraform: {
      required_providers: {
        aws: { source: "aws", version: "6.25.0" },
        grafana: { source: "grafana/grafana", version: "4.23.0" },
      },
    },
  };

  it("a stack's lock file holds the project's entries for exactly its providers", () => {
    const required = requiredProviders(stack);
    expect(lockProblems(required, lock)).toEqual([]);
    expect(stackLock(required, lock).map((p) => p.address)).toEqual([
      "registry.terraform.io/grafana/grafana",
      "registry.terraform.io/hashicorp/aws",
    ]);
  });

  it("fails a provider version, or a provider, the project's lock file does not record", () => {
    const bumped = requiredProviders({
      terraform: {
        required_providers: {
          aws: { version: "6.26.0" },
          random: { version: "3.7.2" },
          time: { version: "~> 0.13" },
        },
      },
    });
    expect(lockProblems(bumped, lock)).toEqual([
      "registry.terraform.io/hashicorp/aws 6.26.0: .terraform.lock.hcl locks 6.25.0",
      "registry.terraform.io/hashicorp/random 3.7.2: not in .terraform.lock.hcl",
      'registry.terraform.io/hashicorp/time "~> 0.13": not an exact version (the project pins exact provider versions)',
    ]);
  });
});

describe("writeStackLocks", () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), "locks-"));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  function stack(name: string, providers: Record<string, { source?: string; version: string }>) {
    mkdirSync(join(outdir, "stacks", name), { recursive: true });
    writeFileSync(
      join(outdir, "stacks", name, "cdk.tf.json"),
      JSON.stringify({ terraform: { required_providers: providers } }),
    );
    return [
      name,
      { workingDirectory: `stacks/${name}`, synthesizedStackPath: `stacks/${name}/cdk.tf.json` },
    ] as const;
  }

  /** The providers a stack's synthesized file requires. */
  const fromFile = (name: string) =>
    requiredProviders(JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")));

  it("writes each stack's lock file, and none when any stack of the app is not covered", () => {
    const good = stack("a-network", { aws: { source: "aws", version: "6.25.0" } });
    const bad = stack("b-grafana", {
      aws: { source: "aws", version: "6.26.0" },
      time: { source: "hashicorp/time", version: "0.14.0" },
    });
    writeFileSync(join(outdir, "manifest.json"), JSON.stringify({ stacks: Object.fromEntries([good, bad]) }));
    let error: unknown;
    try {
      writeStackLocks(outdir, fromFile, lock);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProviderLockError);
    expect((error as ProviderLockError).problems).toEqual([
      "b-grafana: registry.terraform.io/hashicorp/aws 6.26.0: .terraform.lock.hcl locks 6.25.0",
      "b-grafana: registry.terraform.io/hashicorp/time 0.14.0: .terraform.lock.hcl locks 0.13.1",
    ]);
    expect((error as Error).message).toMatch(/npm run providers:lock/);
    expect(existsSync(join(outdir, "stacks", "a-network", LOCK_FILE_NAME))).toBe(false);

    writeFileSync(join(outdir, "manifest.json"), JSON.stringify({ stacks: Object.fromEntries([good]) }));
    writeStackLocks(outdir, fromFile, lock);
    const written = parseLockFile(readFileSync(join(outdir, "stacks", "a-network", LOCK_FILE_NAME), "utf8"));
    expect(written).toEqual([lock.find((p) => p.address === "registry.terraform.io/hashicorp/aws")]);
  });
});

describe("ProjectStack.synthesizedProviders", () => {
  it("names what cdktf writes into every example stack's required_providers", () => {
    const app = Testing.app();
    const configs = validateEnvironments(environments);
    for (const env of configs) addEnvironment(app, env);
    addBootstrap(app, configs);
    const stacks = app.node.children.filter((c) => c instanceof ProjectStack);
    expect(stacks.length).toBeGreaterThan(15);
    for (const stack of stacks) {
      const written = requiredProviders(JSON.parse(Testing.synth(stack)));
      expect({ stack: stack.node.id, providers: stack.synthesizedProviders() }).toEqual({
        stack: stack.node.id,
        providers: written,
      });
    }
  });

  it("is refused before the stack is synthesized", () => {
    const app = Testing.app();
    const [dev] = validateEnvironments(environments);
    const { network } = addEnvironment(app, dev);
    expect(() => network.synthesizedProviders()).toThrow("dev-network has not been synthesized yet");
  });
});
