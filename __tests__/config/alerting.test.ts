/**
 * alerting: the routes per severity (mail, HTTPS by secret reference, Slack and Teams through Chatbot, repeat
 * interval), the flat `emails` kept from before routes, the thresholds; defaults and bad input.
 */
import {
  type AlertSeverity,
  alertRoutesOf,
  CHATBOT_API_REGIONS,
  chatbotRegionOf,
  DEFAULT_REPEAT_INTERVALS,
} from "../../config/alerting";
import type { EnvironmentInput } from "../../config/environment";
import { configProblems, editedExample, exampleEnv } from "../helpers";

/** The dev example, edited: every problem validation reports, one per line ("" when valid). */
const problemsOf = (edit: (env: EnvironmentInput) => void) =>
  configProblems(editedExample("dev", edit)).join("\n");
type Routes = NonNullable<NonNullable<EnvironmentInput["alerting"]>["routes"]>;
/** The dev example with `routes` (and nothing else) as its alerting. */
const withRoutes = (routes: Routes) => (e: EnvironmentInput) => {
  e.alerting = { routes };
};

const SLACK = { workspaceId: "T0EXAMPLE1", channelId: "C0ONCALL01" };
const TEAMS = {
  tenantId: "5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
  teamId: "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d",
  channelId: "19:0a1b2c3d@thread.tacv2",
};

describe("alerting defaults", () => {
  const env = exampleEnv("dev", (e) => {
    delete e.alerting;
  });

  it("links runbooks to github.repository's docs unless runbookBaseUrl says where", () => {
    expect(env.alerting.runbookBaseUrl).toBeUndefined();
    expect(
      exampleEnv("dev", (e) => {
        e.alerting = { runbookBaseUrl: "https://wiki.example.com/eksmon/runbooks/" };
      }).alerting.runbookBaseUrl,
    ).toBe("https://wiki.example.com/eksmon/runbooks/");
  });

  it("has baseline thresholds, no subscription and each severity's repeat interval", () => {
    const route = (severity: AlertSeverity) => ({
      emails: [],
      https: [],
      slack: [],
      teams: [],
      repeatInterval: DEFAULT_REPEAT_INTERVALS[severity],
    });
    expect(env.alerting).toEqual({
      emails: [],
      routes: { critical: route("critical"), warning: route("warning"), info: route("info") },
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
    expect(DEFAULT_REPEAT_INTERVALS).toEqual({ critical: "1h", warning: "4h", info: "1d" });
  });
});

describe("alertRoutesOf", () => {
  it("subscribes the flat emails (the shape before routes) to every severity, each address once", () => {
    const env = exampleEnv("dev", (e) => {
      e.alerting = {
        emails: ["oncall@example.com"],
        routes: {
          critical: { emails: ["Oncall@example.com", "lead@example.com"] },
          info: { emails: ["x@example.com"] },
        },
      };
    });
    const routes = alertRoutesOf(env.alerting);
    expect(routes.critical.emails).toEqual(["oncall@example.com", "lead@example.com"]);
    expect(routes.warning.emails).toEqual(["oncall@example.com"]);
    expect(routes.info.emails).toEqual(["oncall@example.com", "x@example.com"]);
  });

  it("names where each HTTPS URL is read, and keeps the channels and intervals", () => {
    const env = exampleEnv("dev", (e) => {
      e.alerting = {
        routes: {
          critical: {
            https: [
              { name: "pagerduty", ssmParameter: "/eksmon/dev/pd" },
              { name: "opsgenie", secretsManagerSecret: "eksmon/dev/og", autoConfirms: false },
            ],
            slack: [SLACK],
            repeatInterval: "30m",
          },
        },
      };
    });
    expect(alertRoutesOf(env.alerting).critical).toEqual({
      emails: [],
      https: [
        { name: "pagerduty", url: { ssmParameter: "/eksmon/dev/pd" }, autoConfirms: true },
        { name: "opsgenie", url: { secretsManagerSecret: "eksmon/dev/og" }, autoConfirms: false },
      ],
      slack: [SLACK],
      teams: [],
      repeatInterval: "30m",
    });
  });
});

describe("chatbotRegionOf", () => {
  it("is the environment's region where it serves the Chatbot API, else us-east-2, unless chosen", () => {
    expect(chatbotRegionOf(exampleEnv("prod"))).toBe("us-west-2");
    expect(chatbotRegionOf(exampleEnv("staging"))).toBe("us-east-2");
    expect(
      chatbotRegionOf(
        exampleEnv("staging", (e) => {
          e.alerting = { ...e.alerting, chatbotRegion: "eu-west-1" };
        }),
      ),
    ).toBe("eu-west-1");
    expect(CHATBOT_API_REGIONS).toContain("us-east-2");
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
    expect(problemsOf(withRoutes({ warning: { emails: ["a@example.com", "A@example.com"] } }))).toContain(
      'dev.alerting.routes.warning.emails: lists "a@example.com" more than once (expected each once)',
    );
  });

  it("a URL written in the configuration, with what to write instead", () => {
    expect(
      problemsOf(
        withRoutes({
          critical: {
            https: [{ name: "pd", url: "https://events.pagerduty.com/integration/abc/enqueue" } as never],
          },
        }),
      ),
    ).toContain(
      "dev.alerting.routes.critical.https[0].url: is not accepted: the URL carries the receiver's key, which must not be committed (expected ssmParameter: the name of an SSM SecureString parameter holding the URL, or secretsManagerSecret)",
    );
  });

  it("an HTTPS endpoint naming no URL, or two", () => {
    expect(problemsOf(withRoutes({ critical: { https: [{ name: "pd" }] } }))).toContain(
      "dev.alerting.routes.critical.https[0]: names no URL (expected exactly one of ssmParameter or secretsManagerSecret)",
    );
    expect(
      problemsOf(
        withRoutes({ info: { https: [{ name: "pd", ssmParameter: "/a", secretsManagerSecret: "b" }] } }),
      ),
    ).toContain(
      "dev.alerting.routes.info.https[0]: names two URLs (expected exactly one of ssmParameter or secretsManagerSecret)",
    );
  });

  it("bad endpoint names and parameter names, and a name twice", () => {
    const problems = problemsOf(
      withRoutes({
        critical: {
          https: [
            { name: "Pager Duty", ssmParameter: "/ok" },
            { name: "pd", ssmParameter: "not a name" },
            { name: "og", ssmParameter: "/a" },
            { name: "og", ssmParameter: "/b" },
          ],
        },
      }),
    );
    expect(problems).toContain(
      'dev.alerting.routes.critical.https[0].name: "Pager Duty" is not an endpoint name (expected lower-case letters, digits and "-", e.g. "pagerduty")',
    );
    expect(problems).toContain(
      'dev.alerting.routes.critical.https[1].ssmParameter: "not a name" is not an SSM parameter name (expected a parameter name or path such as "/eksmon/prod/pagerduty-url")',
    );
    expect(problems).toContain(
      'dev.alerting.routes.critical.https: lists "og" more than once (expected each once)',
    );
  });

  it("Slack and Teams ids in the wrong shape, with where to find them", () => {
    const problems = problemsOf(
      withRoutes({
        warning: {
          slack: [{ workspaceId: "acme", channelId: "#alerts" }],
          teams: [{ ...TEAMS, channelId: "19%3a0a1b2c3d%40thread.tacv2" }],
        },
      }),
    );
    expect(problems).toContain(
      'dev.alerting.routes.warning.slack[0].workspaceId: "acme" is not a Slack workspace id (expected the workspace (team) id the Chatbot console shows once it is authorized, e.g. "T0123ABCDE")',
    );
    expect(problems).toContain(
      'dev.alerting.routes.warning.slack[0].channelId: "#alerts" is not a Slack channel id (expected the id at the end of the channel\'s link, e.g. "C0123ABCDE")',
    );
    expect(problems).toContain(
      'dev.alerting.routes.warning.teams[0].channelId: "19%3a0a1b2c3d%40thread.tacv2" is not a Microsoft Teams channel id (expected "19:<id>@thread.tacv2" from the channel\'s link, with %3a and %40 decoded to ":" and "@")',
    );
  });

  it("the same channel twice in one severity", () => {
    expect(problemsOf(withRoutes({ critical: { slack: [SLACK, SLACK] } }))).toContain(
      'dev.alerting.routes.critical.slack: lists "T0EXAMPLE1/C0ONCALL01" more than once (expected each once)',
    );
  });

  it.each([
    [
      "1m",
      '"1m" is out of range (expected 5m-5d: shorter than the 5m group interval cannot take effect, and AMP caps it at 5 days)',
    ],
    [
      "6d",
      '"6d" is out of range (expected 5m-5d: shorter than the 5m group interval cannot take effect, and AMP caps it at 5 days)',
    ],
    ["often", '"often" is not a duration (expected a duration such as "30m", "4h" or "1d")'],
  ])("a repeat interval of %s", (interval, message) => {
    expect(problemsOf(withRoutes({ info: { repeatInterval: interval } }))).toContain(
      `dev.alerting.routes.info.repeatInterval: ${message}`,
    );
  });

  it("a severity the routes do not know, and a region without the Chatbot API", () => {
    expect(problemsOf(withRoutes({ page: {} } as never))).toContain(
      'dev.alerting.routes: unknown field "page"',
    );
    expect(
      problemsOf((e) => {
        e.alerting = { chatbotRegion: "us-east-1" as never };
      }),
    ).toContain(
      'dev.alerting.chatbotRegion: "us-east-1" does not serve the AWS Chatbot API (expected one of "us-east-2", "us-west-2", "eu-west-1", "ap-southeast-1")',
    );
  });

  it("chat channels outside the aws partition", () => {
    expect(
      problemsOf((e) => {
        e.partition = "aws-us-gov";
        e.alerting = { routes: { warning: { teams: [TEAMS] } } };
      }),
    ).toContain(
      'dev.alerting.routes.warning.teams[0]: needs AWS Chatbot, whose API this project uses in the aws partition only (expected no Slack or Teams channel in partition "aws-us-gov"; route to email or HTTPS instead)',
    );
  });

  it("one chat channel in two environments of the same account (Chatbot configures it once per account)", () => {
    const dev = editedExample("dev", withRoutes({ critical: { slack: [SLACK] } }));
    const other = editedExample("dev", (e) => {
      e.name = "qa";
      e.backend = { type: "s3", bucket: "example-dev-terraform-state", keyPrefix: "eksmon/qa" };
      e.alerting = { routes: { warning: { slack: [SLACK] }, info: { slack: [SLACK] } } };
    });
    const problems = configProblems(dev, other);
    expect(problems).toContain(
      'qa.alerting.routes.warning.slack[0]: Slack channel C0ONCALL01 of workspace T0EXAMPLE1 (AWS Chatbot configures a channel once per account, 111111111111) is already used by environment "dev" (expected a unique value per environment)',
    );
    // Several severities of one environment share the channel's one configuration.
    expect(problems.filter((p) => p.includes("Slack channel"))).toHaveLength(1);
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
