/**
 * The alert manager definition: the route by severity (unknown severities to critical), grouping, the
 * inhibition of a warning by the matching critical, repeat intervals, and one message per receiver kind
 * (mail text, Chatbot custom notification, CloudWatch-alarm JSON for HTTPS). Where Alertmanager 0.28.1 is
 * installed (scripts/install-alertmanager.sh), amtool checks the config and its routes, renders every message
 * from alerts with awkward text, and a local Alertmanager shows which warnings the inhibition holds back.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { ALERT_SEVERITIES } from "../../../config/alerting";
import {
  type AlertManagerSpec,
  alertManagerConfig,
  alertManagerDefinition,
  alertTemplates,
  GROUP_BY,
  INHIBIT_EQUAL,
  MAX_LISTED_ALERTS,
  repeatIntervalProblem,
  SEVERITIES,
} from "../../../constructs/amp/alert-manager-config";
import { exampleEnv, onlyResource, synthEnvironment } from "../../helpers";
import { findTool } from "../../tools";

const SNS = "arn:aws:sns:us-east-1:111111111111:eksmon-dev-alerts";
const SPEC: AlertManagerSpec = {
  environment: "dev",
  region: "us-east-1",
  receivers: {
    critical: {
      topics: { text: SNS, chat: `${SNS}-critical-chat`, events: `${SNS}-critical-events` },
      repeatInterval: "1h",
    },
    warning: { topics: { text: `${SNS}-warning`, chat: `${SNS}-warning-chat` }, repeatInterval: "4h" },
    info: { topics: { text: `${SNS}-info` }, repeatInterval: "1d" },
  },
};
const config = parse(alertManagerConfig(SPEC));

describe("the route", () => {
  it("sends each severity to its receiver, and anything else to critical's: nothing is dropped", () => {
    expect(config.route.receiver).toBe("critical");
    expect(config.route.routes).toEqual(
      SEVERITIES.map((s) => ({
        receiver: s,
        matchers: [`severity="${s}"`],
        repeat_interval: SPEC.receivers[s].repeatInterval,
      })),
    );
    expect(config.route.routes.some((r: { continue?: boolean }) => r.continue)).toBe(false);
  });

  it("groups by environment, cluster, namespace and alert name, and repeats critical's interval at the root", () => {
    expect(config.route).toMatchObject({
      group_by: ["environment", "cluster", "namespace", "alertname"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "1h",
    });
  });

  it("holds a warning back while the critical of the same alert about the same object fires", () => {
    expect(config.inhibit_rules).toEqual([
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: [...INHIBIT_EQUAL],
      },
    ]);
    expect(INHIBIT_EQUAL.slice(0, GROUP_BY.length)).toEqual([...GROUP_BY]);
  });

  it("publishes to each format's topic with SigV4 in the topics' region, and its own message", () => {
    const critical = config.receivers.find((r: { name: string }) => r.name === "critical");
    expect(
      critical.sns_configs.map((c: Record<string, unknown>) => [c.topic_arn, c.message, c.subject]),
    ).toEqual([
      [SNS, '{{ template "eksmon.text" . }}', '{{ template "eksmon.subject" . }}'],
      [`${SNS}-critical-chat`, '{{ template "eksmon.chat" . }}', '{{ template "eksmon.subject" . }}'],
      [
        `${SNS}-critical-events`,
        '{{ template "eksmon.events" . }}',
        '{{ template "eksmon.events.subject" . }}',
      ],
    ]);
    for (const receiver of config.receivers)
      for (const sns of receiver.sns_configs) {
        expect(sns.sigv4).toEqual({ region: "us-east-1" });
        expect(sns).not.toHaveProperty("api_url"); // AMP sets it, and refuses it
        expect(sns).not.toHaveProperty("http_config");
        expect(Object.keys(sns.attributes)).toEqual([
          "environment",
          "severity",
          "cluster",
          "alertname",
          "status",
        ]);
      }
    expect(config.receivers.map((r: { name: string }) => r.name)).toEqual(["critical", "warning", "info"]);
  });

  it("routes the severities the configuration knows", () => {
    expect([...SEVERITIES]).toEqual([...ALERT_SEVERITIES]);
  });

  it("is AMP's definition: the config and its template file", () => {
    const definition = parse(alertManagerDefinition(SPEC));
    expect(Object.keys(definition)).toEqual(["template_files", "alertmanager_config"]);
    expect(definition.template_files).toEqual(alertTemplates("dev", "us-east-1"));
    expect(definition.alertmanager_config).toBe(alertManagerConfig(SPEC));
  });
});

describe("repeat intervals", () => {
  it.each([
    ["5m", undefined],
    ["5d", undefined],
    ["1h30m", undefined],
    ["4m", '"4m" is shorter than the group interval 5m (expected 5m-5d)'],
    ["121h", '"121h" is longer than 5 days, which AMP\'s alert manager caps it to (expected 5m-5d)'],
    ["soon", '"soon" is not a duration (expected e.g. "30m", "4h", "1d")'],
  ])("%s: %s", (interval, problem) => {
    expect(repeatIntervalProblem(interval)).toBe(problem);
  });

  it("are checked before anything is written", () => {
    expect(() =>
      alertManagerConfig({
        ...SPEC,
        receivers: { ...SPEC.receivers, info: { ...SPEC.receivers.info, repeatInterval: "7d" } },
      }),
    ).toThrow(/info repeat interval "7d" is longer than 5 days/);
  });
});

describe("the templates", () => {
  it("write the environment in, and refuse a name that could break them", () => {
    expect(alertTemplates("prod", "us-west-2")["eksmon.tmpl"]).toContain("Environment: prod");
    expect(() => alertTemplates('x" }}{{', "us-east-1")).toThrow(/lower-case letters and digits/);
  });
});

// --- Checked by Alertmanager itself -------------------------------------------------------------------------

const amtool = findTool("amtool", "AMTOOL");
const alertmanager = findTool("alertmanager", "ALERTMANAGER");
const MISSING =
  "no amtool/alertmanager in AMTOOL/ALERTMANAGER, PATH or ~/.cache/eksmon; scripts/install-alertmanager.sh installs them";
if (!amtool || !alertmanager)
  process.stdout.write(`alert-manager-config.test: Alertmanager checks skipped: ${MISSING}\n`);
const withAmtool = amtool ? it : it.skip;
const withAlertmanager = alertmanager && amtool ? it : it.skip;

/** A directory with the config (templates added the way a standalone Alertmanager loads them). */
function writeConfig(definition: string): { dir: string; file: string } {
  const { template_files: templates, alertmanager_config: amConfig } = parse(definition);
  const dir = mkdtempSync(join(tmpdir(), "eksmon-am-"));
  mkdirSync(join(dir, "templates"));
  for (const [name, text] of Object.entries(templates as Record<string, string>))
    writeFileSync(join(dir, "templates", name), text);
  const file = join(dir, "alertmanager.yml");
  writeFileSync(file, `${amConfig}templates:\n  - ${join(dir, "templates", "*")}\n`);
  return { dir, file };
}

const run = (args: string[]) => execFileSync(amtool as string, args, { encoding: "utf8" });
const written = writeConfig(alertManagerDefinition(SPEC));
afterAll(() => rmSync(written.dir, { recursive: true, force: true }));

/** Alertmanager's template data for a group of alerts (https://pkg.go.dev/github.com/prometheus/alertmanager/template#Data). */
function groupData(
  status: "firing" | "resolved",
  alerts: { labels: Record<string, string>; annotations?: Record<string, string>; status?: string }[],
  groupLabels: Record<string, string>,
) {
  const common = Object.fromEntries(
    Object.entries(alerts[0].labels).filter(([k, v]) => alerts.every((a) => a.labels[k] === v)),
  );
  return {
    receiver: "critical",
    status,
    alerts: alerts.map((a, i) => ({
      status: a.status ?? status,
      labels: a.labels,
      annotations: a.annotations ?? {},
      startsAt: "2026-12-06T05:00:00Z",
      endsAt: (a.status ?? status) === "resolved" ? "2026-12-06T05:30:00Z" : "0001-01-01T00:00:00Z",
      generatorURL: "",
      fingerprint: `f${i}`,
    })),
    groupLabels,
    commonLabels: common,
    commonAnnotations: {},
    externalURL: "",
  };
}

function render(template: string, data: unknown): string {
  const file = join(written.dir, `data-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(data));
  return run([
    "template",
    "render",
    `--template.glob=${join(written.dir, "templates", "*")}`,
    `--template.text={{ template "${template}" . }}`,
    `--template.data=${file}`,
  ]);
}

const AWKWARD = {
  summary: 'Pod pay/api-1 is "crash looping" \\ again',
  description: "Restarted 5 times.\nLast exit: OOMKilled\tcode 137",
  runbook_url: "https://github.com/example-org/eksmon/blob/main/docs/runbooks/pod-crash-looping.md",
};
const LABELS = {
  alertname: "KubePodCrashLooping",
  severity: "critical",
  environment: "dev",
  cluster: "dev-eks",
  namespace: "pay",
  pod: "api-1",
};
const GROUP = { environment: "dev", cluster: "dev-eks", namespace: "pay", alertname: "KubePodCrashLooping" };
const firing = groupData("firing", [{ labels: LABELS, annotations: AWKWARD }], GROUP);
const resolved = groupData("resolved", [{ labels: LABELS, annotations: AWKWARD }], GROUP);
const bare = groupData("firing", [{ labels: { alertname: "Custom" } }], { alertname: "Custom" });
const many = groupData(
  "firing",
  Array.from({ length: MAX_LISTED_ALERTS + 5 }, (_, i) => ({
    labels: { ...LABELS, pod: `api-${i}` },
    annotations: { summary: `Pod pay/api-${i} is crash looping` },
  })),
  GROUP,
);

describe("Alertmanager 0.28.1 (amtool)", () => {
  withAmtool(`accepts the config and its templates${amtool ? "" : ` (${MISSING})`}`, () => {
    expect(run(["check-config", written.file])).toMatch(/SUCCESS[\s\S]*1 inhibit rules[\s\S]*3 receivers/);
  });

  withAmtool("accepts what an example environment synthesizes (prod: mail, HTTPS and Slack)", () => {
    const stack = synthEnvironment(exampleEnv("prod")).json["cluster-monitoring"];
    const prod = writeConfig(
      onlyResource(stack, "aws_prometheus_alert_manager_definition").definition as string,
    );
    try {
      expect(run(["check-config", prod.file])).toContain("SUCCESS");
    } finally {
      rmSync(prod.dir, { recursive: true, force: true });
    }
  });

  withAmtool("routes each severity to its receiver, and no or another severity to critical", () => {
    const receiverOf = (...labels: string[]) =>
      run(["config", "routes", "test", `--config.file=${written.file}`, ...labels]).trim();
    expect(receiverOf("alertname=X", "severity=critical")).toBe("critical");
    expect(receiverOf("alertname=X", "severity=warning")).toBe("warning");
    expect(receiverOf("alertname=X", "severity=info")).toBe("info");
    expect(receiverOf("alertname=X", "severity=page")).toBe("critical");
    expect(receiverOf("alertname=X")).toBe("critical");
  });

  withAmtool("mails text naming the environment, cluster, namespace, severity, summary and runbook", () => {
    const text = render("eksmon.text", firing);
    for (const part of [
      "FIRING: KubePodCrashLooping",
      "Environment: dev",
      "Cluster:     dev-eks",
      "Namespace:   pay",
      "Severity:    critical\n",
      `- ${AWKWARD.summary}`,
      "  Restarted 5 times.\n  Last exit: OOMKilled",
      `Runbook: ${AWKWARD.runbook_url}`,
      "Since: 2026-12-06 05:00:00 UTC",
    ])
      expect(text).toContain(part);
    expect(render("eksmon.text", resolved)).toMatch(/^RESOLVED: KubePodCrashLooping[\s\S]*Resolved \(1\):/);
    expect(render("eksmon.text", bare)).toMatch(
      /Cluster: {5}no cluster label[\s\S]*Severity: {4}none \(routed as critical\)/,
    );
  });

  withAmtool("writes subjects SNS accepts: ASCII, one line, under 100 characters", () => {
    const subject = render("eksmon.subject", firing);
    expect(subject).toBe("[FIRING:1] dev critical: KubePodCrashLooping (dev-eks/pay)");
    expect(render("eksmon.subject", resolved)).toBe(
      "[RESOLVED] dev critical: KubePodCrashLooping (dev-eks/pay)",
    );
    for (const s of [subject, render("eksmon.events.subject", firing)]) {
      expect(s).toMatch(/^[\x20-\x7e]{1,100}$/);
    }
  });

  withAmtool(
    "sends Chatbot a custom notification it renders: valid JSON, escaped, threaded per group",
    () => {
      const chat = JSON.parse(render("eksmon.chat", firing));
      expect(chat).toMatchObject({
        version: "1.0",
        source: "custom",
        content: {
          textType: "client-markdown",
          title: ":rotating_light: [FIRING] dev critical: KubePodCrashLooping",
          keywords: ["dev", "dev-eks", "critical"],
        },
        metadata: { threadId: "dev/dev-eks/pay/KubePodCrashLooping", eventType: "firing" },
      });
      expect(chat.content.description).toContain("*Environment* dev | *Cluster* dev-eks | *Namespace* pay");
      expect(chat.content.description).toContain(
        `:red_circle: ${AWKWARD.summary} (runbook: ${AWKWARD.runbook_url})`,
      );
      const done = JSON.parse(render("eksmon.chat", resolved));
      expect(done.content.title).toBe(":white_check_mark: [RESOLVED] dev critical: KubePodCrashLooping");
      expect(done.metadata.threadId).toBe(chat.metadata.threadId);
      expect(JSON.parse(render("eksmon.chat", bare)).content.keywords).toEqual([
        "dev",
        "no cluster label",
        "none",
      ]);
      const long = JSON.parse(render("eksmon.chat", many)).content.description as string;
      expect(long.match(/:red_circle:/g)).toHaveLength(MAX_LISTED_ALERTS);
      expect(long).toContain(`(first ${MAX_LISTED_ALERTS} of ${MAX_LISTED_ALERTS + 5} firing)`);
    },
  );

  withAmtool(
    "sends HTTPS receivers CloudWatch-alarm JSON: ALARM while firing, OK once resolved, one name per group",
    () => {
      const subject = render("eksmon.events.subject", firing);
      expect(subject).toBe('ALARM: "dev/dev-eks/pay/KubePodCrashLooping" critical');
      const event = JSON.parse(render("eksmon.events", firing));
      expect(event).toMatchObject({
        AlarmName: "dev/dev-eks/pay/KubePodCrashLooping",
        AlarmDescription: AWKWARD.summary,
        NewStateValue: "ALARM",
        OldStateValue: "OK",
        StateChangeTime: "2026-12-06T05:00:00.000+0000",
        Region: "us-east-1",
        eksmon: {
          environment: "dev",
          status: "firing",
          severity: "critical",
          groupLabels: GROUP,
          alertCount: 1,
        },
      });
      expect(event.eksmon.alerts[0]).toEqual({
        status: "firing",
        labels: LABELS,
        annotations: AWKWARD,
        startsAt: "2026-12-06T05:00:00Z",
      });
      expect(subject.startsWith(`${event.NewStateValue}: `)).toBe(true);
      const ok = JSON.parse(render("eksmon.events", resolved));
      expect([ok.NewStateValue, ok.OldStateValue, ok.AlarmName, ok.StateChangeTime]).toEqual([
        "OK",
        "ALARM",
        event.AlarmName,
        "2026-12-06T05:30:00.000+0000",
      ]);
      expect(render("eksmon.events.subject", resolved)).toMatch(/^OK: "/);
      const big = JSON.parse(render("eksmon.events", many));
      expect([big.eksmon.alerts.length, big.eksmon.alertCount]).toEqual([
        MAX_LISTED_ALERTS,
        MAX_LISTED_ALERTS + 5,
      ]);
      expect(JSON.parse(render("eksmon.events", bare)).AlarmName).toBe("dev/-/-/Custom");
    },
  );
});

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

describe("Alertmanager 0.28.1 (a local server, no receiver reached: group_wait is 30 s)", () => {
  let server: ChildProcess | undefined;
  let base = "";
  const dataDir = mkdtempSync(join(tmpdir(), "eksmon-am-data-"));
  afterAll(() => {
    if (server?.pid) process.kill(server.pid, "SIGTERM");
    rmSync(dataDir, { recursive: true, force: true });
  });

  withAlertmanager(
    "holds back the warning of the same alert about the same object while the critical fires, and no other",
    async () => {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = spawn(
        alertmanager as string,
        [
          `--config.file=${written.file}`,
          `--storage.path=${dataDir}`,
          `--web.listen-address=127.0.0.1:${port}`,
          "--cluster.listen-address=",
        ],
        { stdio: "ignore" },
      );
      const deadline = Date.now() + 20_000;
      const until = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
        for (;;) {
          const value = await probe().catch(() => undefined);
          if (value !== undefined) return value;
          if (Date.now() > deadline) throw new Error("Alertmanager did not answer in 20 s");
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      await until(async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined));
      const pvc = (severity: string, claim: string, alertname = "PersistentVolumeFillingUp") => ({
        labels: {
          alertname,
          severity,
          environment: "dev",
          cluster: "dev-eks",
          namespace: "pay",
          persistentvolumeclaim: claim,
        },
      });
      const alerts = [
        pvc("critical", "data-a"),
        pvc("warning", "data-a"), // held back
        pvc("warning", "data-b"), // another volume
        pvc("warning", "data-a", "PersistentVolumeErrors"), // another alert
        { labels: { ...pvc("warning", "data-a").labels, cluster: "other-eks" } }, // another cluster
      ];
      const posted = await fetch(`${base}/api/v2/alerts`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(alerts),
      });
      expect(posted.ok).toBe(true);
      type Listed = { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } };
      const listed = await until(async () => {
        const all = (await (await fetch(`${base}/api/v2/alerts`)).json()) as Listed[];
        return all.length === alerts.length && all.some((a) => a.status.state === "suppressed")
          ? all
          : undefined;
      });
      const state = (a: Listed) =>
        `${a.labels.cluster} ${a.labels.alertname} ${a.labels.severity} ${a.labels.persistentvolumeclaim}: ${a.status.state}`;
      expect(listed.map(state).sort()).toEqual(
        [
          "dev-eks PersistentVolumeFillingUp critical data-a: active",
          "dev-eks PersistentVolumeFillingUp warning data-a: suppressed",
          "dev-eks PersistentVolumeFillingUp warning data-b: active",
          "dev-eks PersistentVolumeErrors warning data-a: active",
          "other-eks PersistentVolumeFillingUp warning data-a: active",
        ].sort(),
      );
    },
    30_000,
  );
});
