/** alerting: the alert thresholds and email subscriptions, defaults and bad input. */
import type { EnvironmentInput } from "../../config/environment";
import { configProblems, editedExample, exampleEnv } from "../helpers";

/** The dev example, edited: every problem validation reports, one per line ("" when valid). */
const problemsOf = (edit: (env: EnvironmentInput) => void) =>
  configProblems(editedExample("dev", edit)).join("\n");

describe("alerting defaults", () => {
  const env = exampleEnv("dev", (e) => {
    delete e.alerting;
  });

  it("has baseline thresholds and no email subscription", () => {
    expect(env.alerting).toEqual({
      emails: [],
      thresholds: {
        remoteWriteLagSeconds: 300,
        remoteWriteFailedPercent: 1,
        apiServerErrorPercent: 5,
        apiServerLatencyP99Seconds: 1,
        persistentVolumeUsedPercent: 85,
        persistentVolumeCriticalPercent: 97,
        apiServerAvailabilitySloPercent: 99,
        apiServerLatencySloPercent: 99,
        ingestionBudgetPercent: 80,
        forMinutes: 10,
      },
    });
  });

  it("links runbooks to github.repository's docs unless runbookBaseUrl says where", () => {
    expect(env.alerting.runbookBaseUrl).toBeUndefined();
    expect(
      exampleEnv("dev", (e) => {
        e.alerting = { runbookBaseUrl: "https://wiki.example.com/eksmon/runbooks/" };
      }).alerting.runbookBaseUrl,
    ).toBe("https://wiki.example.com/eksmon/runbooks/");
  });
});

describe("alerting rejects", () => {
  it("a malformed email", () => {
    expect(
      problemsOf((e) => {
        e.alerting = { emails: ["oncall@example.com", "oncall.example.com"] };
      }),
    ).toContain(
      'dev.alerting.emails[1]: "oncall.example.com" is not an email address (expected an address such as "oncall@example.com")',
    );
  });

  it("the same email twice (in any case)", () => {
    expect(
      problemsOf((e) => {
        e.alerting = { emails: ["Oncall@example.com", "oncall@example.com"] };
      }),
    ).toContain('dev.alerting.emails: lists "oncall@example.com" more than once (expected each once)');
  });

  it.each([
    ["remoteWriteFailedPercent", 150, "150 is too large (expected a percentage of failed samples, 0-100)"],
    ["apiServerErrorPercent", -1, "-1 is too small (expected a percentage of API requests, 0-100)"],
    [
      "persistentVolumeUsedPercent",
      "90",
      "must be a number (expected a percentage of volume capacity, 1-100)",
    ],
    ["remoteWriteLagSeconds", 10, "10 is too small (expected remote-write lag in seconds, 30-86400)"],
    ["forMinutes", 2.5, "2.5 is not an integer (expected minutes before an alert fires, 1-1440)"],
    ["apiServerLatencyP99Seconds", 0, "0 is too small (expected p99 latency in seconds, 0.01-60)"],
    ["apiServerAvailabilitySloPercent", 100, "100 is too large (expected an objective in percent, 90-99.99)"],
    ["apiServerLatencySloPercent", 80, "80 is too small (expected an objective in percent, 90-99.99)"],
    ["ingestionBudgetPercent", 0, "0 is too small (expected a percentage of the ingestion budget, 1-100)"],
  ])("an invalid threshold %s = %p", (field, value, message) => {
    expect(
      problemsOf((e) => {
        e.alerting = { thresholds: { [field]: value } as never };
      }),
    ).toContain(`dev.alerting.thresholds.${field}: ${message}`);
  });

  it("a critical volume threshold not above the warning one", () => {
    expect(
      problemsOf((e) => {
        e.alerting = { thresholds: { persistentVolumeUsedPercent: 90, persistentVolumeCriticalPercent: 90 } };
      }),
    ).toContain(
      "dev.alerting.thresholds.persistentVolumeCriticalPercent: 90 is not above persistentVolumeUsedPercent 90 (expected the critical threshold above the warning one)",
    );
  });

  it("a runbook base that is no https URL", () => {
    expect(
      problemsOf((e) => {
        e.alerting = { runbookBaseUrl: "http://wiki.example.com/runbooks/" };
      }),
    ).toContain(
      'dev.alerting.runbookBaseUrl: "http://wiki.example.com/runbooks/" is not an https URL (expected where docs/runbooks/ is published, e.g. "https://github.com/example-org/eksmon/blob/main/docs/runbooks/")',
    );
  });

  it("an unknown threshold", () => {
    expect(
      problemsOf((e) => {
        e.alerting = { thresholds: { cpuPercent: 90 } as never };
      }),
    ).toContain('dev.alerting.thresholds: unknown field "cpuPercent"');
  });
});
