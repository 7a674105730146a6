/** What `npm run validate` makes of Terraform's output, and the lines it prints. */
import type { LockedProvider, RequiredProvider } from "../../../lib/provider-lock";
import {
  copyLockEntries,
  exitCode,
  firstInitError,
  mapLimit,
  overrideBanner,
  type PackageLookup,
  type ProviderUse,
  parseOverrides,
  parseValidateOutput,
  providerReportLine,
  providerUnavailable,
  providerUse,
  relaxedBanner,
  resultLine,
  type StackResult,
  summaryLine,
  unavailableReason,
} from "../../../scripts/lib/validate";

// Trimmed from real `terraform validate -json` output (Terraform 1.11).
const VALID = JSON.stringify({
  format_version: "1.0",
  valid: true,
  error_count: 0,
  warning_count: 0,
  diagnostics: [],
});
const INVALID = JSON.stringify({
  format_version: "1.0",
  valid: false,
  error_count: 2,
  warning_count: 1,
  diagnostics: [
    {
      severity: "warning",
      summary: "Deprecated attribute",
      detail: "The attribute is deprecated.",
      range: { filename: "cdk.tf.json", start: { line: 3, column: 1, byte: 2 } },
    },
    {
      severity: "error",
      summary: "Unsupported argument",
      detail: 'An argument named "enable_dns" is not expected here.\n\nDid you mean "private_dns_enabled"?',
      range: { filename: "cdk.tf.json", start: { line: 120, column: 9, byte: 4000 } },
    },
    { severity: "error", summary: "Second problem", detail: "" },
  ],
});

describe("parseValidateOutput", () => {
  it("passes a valid stack", () => {
    expect(parseValidateOutput("dev-network", VALID)).toEqual({
      stack: "dev-network",
      status: "pass",
      warnings: 0,
    });
  });

  it("fails an invalid stack with its first error: summary, first line of detail, file and line", () => {
    expect(parseValidateOutput("prod-network", INVALID)).toEqual({
      stack: "prod-network",
      status: "fail",
      problem: 'Unsupported argument: An argument named "enable_dns" is not expected here. (cdk.tf.json:120)',
      warnings: 1,
    });
  });

  it("prefers the resource address when the diagnostic has one", () => {
    const out = JSON.stringify({
      valid: false,
      diagnostics: [
        {
          severity: "error",
          summary: "Invalid reference",
          address: "aws_iam_role.x",
          range: { filename: "cdk.tf.json", start: { line: 1 } },
        },
      ],
    });
    expect(parseValidateOutput("s", out).problem).toBe("Invalid reference (aws_iam_role.x)");
  });

  it("fails when Terraform printed no JSON (e.g. a crash), quoting the first line", () => {
    expect(parseValidateOutput("s", "panic: runtime error\ngoroutine 1")).toEqual({
      stack: "s",
      status: "fail",
      problem: "validate did not print JSON: panic: runtime error",
      warnings: 0,
    });
    expect(parseValidateOutput("s", "").problem).toBe("validate did not print JSON: no output");
  });

  it("fails valid:false even without diagnostics", () => {
    expect(parseValidateOutput("s", JSON.stringify({ valid: false })).status).toBe("fail");
  });
});

describe("firstInitError", () => {
  it("finds the first Error: line and the line after it, without colours or box drawing", () => {
    const output = [
      "Initializing provider plugins...",
      '- Finding hashicorp/aws versions matching "6.25.0"...',
      "\u001b[31m╷\u001b[0m",
      "\u001b[31m│\u001b[0m \u001b[1m\u001b[31mError: \u001b[0m\u001b[1mFailed to query available provider packages\u001b[0m",
      "\u001b[31m│\u001b[0m",
      "\u001b[31m│\u001b[0m Could not retrieve the list of available versions for provider hashicorp/aws:",
      "\u001b[31m│\u001b[0m provider registry.terraform.io/hashicorp/aws was not found in any of the",
      "\u001b[31m│\u001b[0m search locations",
      "\u001b[31m│\u001b[0m",
      "\u001b[31m│\u001b[0m   - /root/.cache/eksmon/terraform/mirror",
      "╵",
    ].join("\n");
    expect(firstInitError(output)).toBe(
      "Error: Failed to query available provider packages Could not retrieve the list of available versions for provider hashicorp/aws: provider registry.terraform.io/hashicorp/aws was not found in any of the search locations",
    );
    expect(firstInitError(`Error: x\n\n${"y".repeat(400)}`)).toHaveLength(300);
  });

  it("falls back to the first non-empty line", () => {
    expect(firstInitError("\n  something odd\n")).toBe("something odd");
    expect(firstInitError("")).toBe("terraform init failed");
  });
});

const AWS = "registry.terraform.io/hashicorp/aws";
const HELM = "registry.terraform.io/hashicorp/helm";
const TFE = "registry.terraform.io/hashicorp/tfe";
const LOCK: LockedProvider[] = [
  { address: AWS, version: "6.25.0", constraints: "6.25.0", hashes: ["h1:official-aws", "zh:aws-zip"] },
  { address: HELM, version: "3.1.1", constraints: "3.1.1", hashes: ["h1:official-helm", "zh:helm-zip"] },
  { address: TFE, version: "0.71.0", constraints: "0.71.0", hashes: [] },
];
const aws: RequiredProvider = { name: "aws", address: AWS, version: "6.25.0" };
const helm: RequiredProvider = { name: "helm", address: HELM, version: "3.1.1" };
const tfe: RequiredProvider = { name: "tfe", address: TFE, version: "0.71.0" };
const registry = (): PackageLookup => ({ kind: "terraform", from: "the registry" });
const mirror =
  (checksums: Record<string, string>) =>
  (address: string, version: string): PackageLookup => {
    const checksum = checksums[`${address}@${version}`];
    return checksum
      ? { kind: "found", from: `/mirror/${address}/${version}`, checksum }
      : { kind: "missing", reason: `${address} ${version} is in none of the mirrors /mirror` };
  };

describe("parseOverrides", () => {
  it("reads name=version pairs into provider addresses", () => {
    expect(parseOverrides("aws=5.100.0, grafana/grafana=4.20.0")).toEqual(
      new Map([
        [AWS, "5.100.0"],
        ["registry.terraform.io/grafana/grafana", "4.20.0"],
      ]),
    );
    expect(parseOverrides("")).toEqual(new Map());
  });

  it("rejects anything else, naming where it came from", () => {
    expect(() => parseOverrides("aws")).toThrow(
      'VALIDATE_PROVIDER_OVERRIDES: "aws" is not <provider>=<version> (expected e.g. aws=5.100.0)',
    );
    expect(() => parseOverrides("aws=~> 5.0", "--override")).toThrow(/--override: "aws=~>"/);
  });
});

describe("providerUse: how each provider is checked", () => {
  it("without mirrors, Terraform installs it and the lock file checks it", () => {
    expect(providerUse(aws, new Map(), LOCK, registry)).toEqual({
      address: AWS,
      version: "6.25.0",
      from: "the registry",
      check: "locked",
    });
  });

  it("an official package in a mirror (its checksum is in the lock) stays checked", () => {
    expect(providerUse(aws, new Map(), LOCK, mirror({ [`${AWS}@6.25.0`]: "h1:official-aws" }))).toMatchObject(
      {
        check: "locked",
        checksum: "h1:official-aws",
      },
    );
    // a release zip in a packed mirror is checked by its zh: checksum
    expect(providerUse(helm, new Map(), LOCK, mirror({ [`${HELM}@3.1.1`]: "zh:helm-zip" }))).toMatchObject({
      check: "locked",
    });
  });

  it("a local build (checksum not in the lock) is relaxed: the copy's lock pins that build's own checksum", () => {
    const use = providerUse(
      helm,
      new Map(),
      LOCK,
      mirror({ [`${HELM}@3.1.1`]: "h1:local-build" }),
    ) as ProviderUse;
    expect(use.check).toBe("relaxed");
    const locked = providerUse(aws, new Map(), LOCK, registry) as ProviderUse;
    expect(copyLockEntries([use, locked], LOCK)).toEqual([
      { address: HELM, version: "3.1.1", constraints: "3.1.1", hashes: ["h1:local-build"] },
      LOCK[0],
    ]);
  });

  it("an override changes the version, is never checked against the pinned version's checksums", () => {
    const use = providerUse(aws, new Map([[AWS, "5.100.0"]]), LOCK, mirror({ [`${AWS}@5.100.0`]: "h1:x" }));
    expect(use).toEqual({
      address: AWS,
      version: "5.100.0",
      pinned: "6.25.0",
      from: `/mirror/${AWS}/5.100.0`,
      checksum: "h1:x",
      check: "override",
    });
    expect(copyLockEntries([use as ProviderUse], LOCK)).toEqual([
      { address: AWS, version: "5.100.0", constraints: "5.100.0", hashes: ["h1:x"] },
    ]);
    // installed by Terraform itself (no mirror), its checksum is unknown: no entry
    const fromRegistry = providerUse(aws, new Map([[AWS, "5.100.0"]]), LOCK, registry) as ProviderUse;
    expect(copyLockEntries([fromRegistry], LOCK)).toEqual([]);
    // overriding with the pinned version is no override
    expect((providerUse(aws, new Map([[AWS, "6.25.0"]]), LOCK, registry) as ProviderUse).check).toBe(
      "locked",
    );
  });

  it("a provider the lock records by version only is unpinned, and keeps its entry", () => {
    const use = providerUse(
      tfe,
      new Map(),
      LOCK,
      mirror({ [`${TFE}@0.71.0`]: "h1:anything" }),
    ) as ProviderUse;
    expect(use.check).toBe("unpinned");
    expect(copyLockEntries([use], LOCK)).toEqual([LOCK[2]]);
  });

  it("a package no mirror holds makes the stack not validated, saying which", () => {
    expect(providerUse(aws, new Map(), LOCK, mirror({}))).toEqual({
      missing: `${AWS} 6.25.0 is in none of the mirrors /mirror`,
    });
  });
});

describe("unavailableReason", () => {
  it("says in one line what was missing and what to do", () => {
    expect(
      unavailableReason(
        'Error: Failed to query available provider packages Could not retrieve the list of available versions for provider hashicorp/aws: could not connect to registry.terraform.io: failed to request discovery document: Get "https://registry.terraform.io/.well-known/terraform.json"',
      ),
    ).toBe(
      "registry.terraform.io unreachable (for hashicorp/aws): give a filesystem mirror (--mirror) or run where the registry is reachable",
    );
    expect(
      unavailableReason(
        "Error: Failed to query available provider packages ... provider registry.terraform.io/hashicorp/aws was not found in any of the search locations",
      ),
    ).toBe(
      "registry.terraform.io/hashicorp/aws is not where Terraform's CLI configuration looks for providers",
    );
  });
});

describe("providerUnavailable", () => {
  it("tells 'cannot get the provider' from a real init failure", () => {
    expect(
      providerUnavailable(
        "Error: ... could not connect to registry.terraform.io: failed to request discovery document",
      ),
    ).toBe(true);
    expect(
      providerUnavailable(
        "provider registry.terraform.io/hashicorp/aws was not found in any of the search locations",
      ),
    ).toBe(true);
    expect(
      providerUnavailable(
        "the local package for registry.terraform.io/hashicorp/time 0.13.1 doesn't match any of the checksums previously recorded in the dependency lock file",
      ),
    ).toBe(false);
    expect(providerUnavailable("Error: Unsupported argument")).toBe(false);
  });
});

const used = (check: ProviderUse["check"]): ProviderUse => ({
  address: AWS,
  version: check === "override" ? "5.100.0" : "6.25.0",
  from: "/opt/tf-plugins/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64",
  checksum: "h1:abc=",
  check,
  ...(check === "override" ? { pinned: "6.25.0" } : {}),
});

describe("printed lines", () => {
  it("one line per stack: PASS or FAIL with the providers it was checked with, warnings and time", () => {
    expect(resultLine({ stack: "dev-network", status: "pass", warnings: 0 })).toBe("PASS dev-network");
    expect(
      resultLine({
        stack: "dev-network",
        status: "pass",
        warnings: 2,
        seconds: 3.14,
        providers: [used("override")],
      }),
    ).toBe("PASS dev-network [aws 5.100.0 OVERRIDE] (2 warnings, 3.1s)");
    expect(resultLine({ stack: "prod-grafana", status: "fail", problem: "Bad thing", warnings: 1 })).toBe(
      "FAIL prod-grafana: Bad thing (1 warning)",
    );
    expect(
      resultLine({
        stack: "bootstrap-tfc-org",
        status: "not-validated",
        problem: "tfe 0.71.0 is in none",
        warnings: 0,
      }),
    ).toBe("NOT VALIDATED bootstrap-tfc-org: tfe 0.71.0 is in none");
  });

  it("one line per provider package: where from, and how far the lock file vouches for it", () => {
    expect(providerReportLine(used("locked"))).toMatch(
      /hashicorp\/aws 6\.25\.0: from .* \(h1:abc=\); checksum checked/,
    );
    expect(providerReportLine(used("override"))).toMatch(/OVERRIDE of the pinned 6\.25\.0/);
    expect(providerReportLine(used("relaxed"))).toMatch(/LOCK-RELAXED: not an official checksum/);
    expect(providerReportLine(used("unpinned"))).toMatch(/UNPINNED/);
  });

  it("banners name every overridden and every relaxed package", () => {
    expect(overrideBanner([{ address: AWS, pinned: "6.25.0", version: "5.100.0" }])).toContain(
      "hashicorp/aws: pinned 6.25.0 -> validated with 5.100.0",
    );
    expect(relaxedBanner([used("relaxed")])).toContain("hashicorp/aws 6.25.0 from /opt/tf-plugins");
  });

  it("the summary counts validated (passed, failed) and not validated stacks", () => {
    const ok: StackResult = { stack: "a", status: "pass", warnings: 0 };
    const bad: StackResult = { stack: "b", status: "fail", problem: "x", warnings: 0 };
    const skipped: StackResult = { stack: "c", status: "not-validated", problem: "y", warnings: 0 };
    expect(summaryLine([ok, ok, bad, skipped])).toBe("3 validated (2 passed, 1 failed), 1 not validated");
    expect(summaryLine([])).toBe("0 validated (0 passed, 0 failed), 0 not validated");
  });
});

describe("exitCode", () => {
  const ok: StackResult = { stack: "a", status: "pass", warnings: 0, providers: [used("locked")] };
  const overridden: StackResult = { ...ok, providers: [used("override")] };
  const skipped: StackResult = { stack: "c", status: "not-validated", problem: "y", warnings: 0 };
  it("fails on a failed stack, never on one that could not be validated", () => {
    expect(exitCode([ok, { stack: "b", status: "fail", warnings: 0 }], false)).toBe(1);
    expect(exitCode([ok, overridden, skipped], false)).toBe(0);
  });
  it("--strict also fails on a stack not validated, an override or a relaxed lock", () => {
    expect(exitCode([ok], true)).toBe(0);
    expect(exitCode([ok, skipped], true)).toBe(1);
    expect(exitCode([overridden], true)).toBe(1);
    expect(exitCode([{ ...ok, providers: [used("relaxed")] }], true)).toBe(1);
    expect(exitCode([{ ...ok, providers: [used("unpinned")] }], true)).toBe(0);
  });
});

describe("mapLimit", () => {
  it("runs at most `limit` tasks at once and keeps the input order", async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimit([30, 10, 20, 5, 1], 2, async (ms) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return ms * 2;
    });
    expect(results).toEqual([60, 20, 40, 10, 2]);
    expect(peak).toBe(2);
  });
});
