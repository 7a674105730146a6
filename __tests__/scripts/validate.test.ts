/** What `npm run validate` makes of Terraform's output, and the lines it prints. */
import {
  firstInitError,
  mapLimit,
  missingProviderHint,
  parseValidateOutput,
  resultLine,
  summaryLine,
} from "../../scripts/lib/validate";

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
      ok: true,
      warnings: 0,
    });
  });

  it("fails an invalid stack with its first error: summary, first line of detail, file and line", () => {
    expect(parseValidateOutput("prod-network", INVALID)).toEqual({
      stack: "prod-network",
      ok: false,
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
      ok: false,
      problem: "validate did not print JSON: panic: runtime error",
      warnings: 0,
    });
    expect(parseValidateOutput("s", "").problem).toBe("validate did not print JSON: no output");
  });

  it("fails valid:false even without diagnostics", () => {
    expect(parseValidateOutput("s", JSON.stringify({ valid: false })).ok).toBe(false);
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

describe("printed lines", () => {
  it("one line per stack: PASS or FAIL with the problem, warnings and time", () => {
    expect(resultLine({ stack: "dev-network", ok: true, warnings: 0 })).toBe("PASS dev-network");
    expect(resultLine({ stack: "dev-network", ok: true, warnings: 2, seconds: 3.14 })).toBe(
      "PASS dev-network (2 warnings, 3.1s)",
    );
    expect(resultLine({ stack: "prod-grafana", ok: false, problem: "Bad thing", warnings: 1 })).toBe(
      "FAIL prod-grafana: Bad thing (1 warning)",
    );
  });

  it("the summary is exactly `N passed, N failed`", () => {
    const ok = { stack: "a", ok: true, warnings: 0 };
    const bad = { stack: "b", ok: false, problem: "x", warnings: 0 };
    expect(summaryLine([ok, ok, bad])).toBe("2 passed, 1 failed");
    expect(summaryLine([])).toBe("0 passed, 0 failed");
  });
});

describe("missingProviderHint", () => {
  it("points at the mirror script when Terraform could not find a provider, and only then", () => {
    const notFound = {
      stack: "s",
      ok: false,
      warnings: 0,
      problem:
        "init: Error: Failed to query available provider packages ... provider registry.terraform.io/hashicorp/aws was not found in any of the search locations",
    };
    expect(missingProviderHint([notFound])).toMatch(/scripts\/terraform-providers\.sh/);
    expect(
      missingProviderHint([{ stack: "s", ok: false, warnings: 0, problem: "Unsupported argument" }]),
    ).toBe(undefined);
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
