/** Wiring of issue 3 across stacks: rules and alerting in AMP, the rotating token, Grafana's content. */
import { parse } from "yaml";
import { alertRoutesOf } from "../../config/alerting";
import type { EnvironmentConfig } from "../../config/environment";
import { environments } from "../../environments";
import { dashboardsFor } from "../../lib/catalogue";
import { AMP_DATASOURCE_UID, FOLDER_UID, loadDashboard } from "../../monitoring/dashboards";
import type { StackKind } from "../../stacks/graph";
import {
  exampleEnv,
  onlyResource,
  resourceAt,
  resourcesOf,
  type StackJson,
  synthEnvironment,
} from "../helpers";

const dev = exampleEnv("dev");
const synthesized = synthEnvironment(dev);
const { json } = synthesized;
const monitoring = json["cluster-monitoring"];
const grafana = json.grafana;
// staging lists no grafana.com import: its grafana-config stack holds only the project's dashboards.
const staging = exampleEnv("staging");
const config = synthEnvironment(staging).json["grafana-config"];

function policy(resource: Record<string, unknown>, field = "policy") {
  return JSON.parse(resource[field] as string) as { Statement: Record<string, unknown>[] };
}

describe("GrafanaConfigStack", () => {
  it.each(["dev", "staging", "prod"])("%s matches the reviewed snapshot", (name) => {
    expect(synthEnvironment(exampleEnv(name)).raw["grafana-config"]).toMatchSnapshot();
  });
});

describe("every example environment", () => {
  it.each(environments.map((e) => e.name))(
    "%s synthesizes rules, alerting, the token and Grafana's content",
    (name) => {
      const env = exampleEnv(name);
      const s = synthEnvironment(env).json;
      expect(
        Object.keys(resourcesOf(s["cluster-monitoring"], "aws_prometheus_rule_group_namespace")),
      ).toHaveLength(2); // shared recording rules and alerts
      // Each cluster's collector ships its own, in its stack.
      const { clusters } = synthEnvironment(env);
      for (const stack of Object.values(clusters))
        expect(Object.keys(resourcesOf(stack, "aws_prometheus_rule_group_namespace"))).toHaveLength(1);
      const routes = Object.values(alertRoutesOf(env.alerting));
      expect(Object.keys(resourcesOf(s["cluster-monitoring"], "aws_sns_topic_subscription"))).toHaveLength(
        routes.reduce((n, r) => n + r.emails.length + r.https.length, 0),
      );
      onlyResource(s["cluster-monitoring"], "aws_prometheus_alert_manager_definition");
      onlyResource(s["grafana-token"], "aws_grafana_workspace_service_account_token");
      // AMP, and CloudWatch for the cost dashboard every example ships.
      expect(
        Object.values(resourcesOf(s["grafana-config"], "grafana_data_source"))
          .map((d) => d.type)
          .sort(),
      ).toEqual(["cloudwatch", "prometheus"]);
      expect(Object.keys(resourcesOf(s["grafana-config"], "grafana_dashboard"))).toHaveLength(
        env.grafana.dashboards.length + env.grafana.grafanaComDashboards.length,
      );
    },
  );

  it("reads only outputs its upstream stacks publish", () => {
    for (const name of environments.map((e) => e.name)) {
      const s = synthEnvironment(exampleEnv(name)).json;
      for (const [kind, stack] of Object.entries(s) as [StackKind, StackJson][]) {
        const reads = [
          ...JSON.stringify(stack).matchAll(/terraform_remote_state\.([a-z-]+)-state\.outputs\.([\w-]+)/g),
        ];
        for (const [, upstream, output] of reads)
          expect({
            kind,
            upstream,
            output,
            published: output in (s[upstream as StackKind].output ?? {}),
          }).toEqual({
            kind,
            upstream,
            output,
            published: true,
          });
      }
    }
  });
});

describe("AMP rules and alert manager (cluster-monitoring)", () => {
  const namespaces = Object.values(resourcesOf(monitoring, "aws_prometheus_rule_group_namespace"));

  it("ships the recording rules and the alerts into the stack's AMP workspace", () => {
    expect(namespaces.map((n) => n.name).sort()).toEqual(["eksmon-alerts", "eksmon-recording-rules"]);
    for (const n of namespaces)
      expect(n.workspace_id).toMatch(/^\$\{aws_prometheus_workspace\.[\w-]+\.id\}$/);
  });

  it("puts the environment's thresholds into the alert expressions", () => {
    const env = exampleEnv("dev", (e) => {
      e.alerting = { thresholds: { persistentVolumeUsedPercent: 93, forMinutes: 4 } };
    });
    const ns = Object.values(
      resourcesOf(synthEnvironment(env).json["cluster-monitoring"], "aws_prometheus_rule_group_namespace"),
    );
    const alerts = parse(ns.find((n) => n.name === "eksmon-alerts")!.data as string) as {
      groups: { rules: { alert: string; expr: string; for: string }[] }[];
    };
    const pv = alerts.groups.flatMap((g) => g.rules).find((r) => r.alert === "PersistentVolumeFillingUp")!;
    expect(pv.expr).toMatch(/> 0\.93$/);
    expect(pv.for).toBe("4m");
  });

  it("routes alerts to the stack's SNS topic with SigV4 in the workspace's region", () => {
    const def = onlyResource(monitoring, "aws_prometheus_alert_manager_definition");
    const outer = parse(def.definition as string) as { alertmanager_config: string };
    const am = parse(outer.alertmanager_config) as {
      route: { receiver: string };
      receivers: { name: string; sns_configs: { topic_arn: string; sigv4: { region: string } }[] }[];
    };
    expect(am.receivers.map((r) => r.name)).toContain(am.route.receiver);
    const sns = am.receivers[0].sns_configs[0];
    expect(sns.topic_arn).toBe(`arn:aws:sns:${dev.region}:${dev.accountId}:eksmon-dev-alerts`);
    expect(sns.sigv4.region).toBe(dev.region);
  });

  it("encrypts the standard topic with its own key, which AMP may use", () => {
    const topic = resourceAt(monitoring, "aws_sns_topic", "alerting_topic");
    expect(topic.fifo_topic).toBeUndefined();
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
    const key = resourceAt(monitoring, "aws_kms_key", "alerting_key");
    expect(key.enable_key_rotation).toBe(true);
    const aps = policy(key).Statement.find(
      (s) => JSON.stringify(s.Principal) === '{"Service":"aps.amazonaws.com"}',
    );
    expect(aps?.Action).toEqual(["kms:GenerateDataKey*", "kms:Decrypt"]);
  });

  it("lets only this account's AMP workspace publish to the topic", () => {
    const statements = policy(
      resourceAt(monitoring, "aws_sns_topic_policy", "alerting_topic-policy"),
    ).Statement;
    const allows = statements.filter((s) => s.Effect === "Allow");
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: "aps.amazonaws.com" },
      Action: ["sns:Publish", "sns:GetTopicAttributes"],
      Condition: {
        ArnEquals: {
          "aws:SourceArn": expect.stringMatching(/^\$\{aws_prometheus_workspace\.[\w-]+\.arn\}$/),
        },
        StringEquals: { "aws:SourceAccount": dev.accountId },
      },
    });
    expect(statements.find((s) => s.Effect === "Deny")?.Condition).toEqual({
      Bool: { "aws:SecureTransport": "false" },
    });
  });

  it("subscribes each configured email", () => {
    const env = exampleEnv("dev", (e) => {
      e.alerting = { emails: ["a@example.com", "b@example.org"] };
    });
    const subs = Object.values(
      resourcesOf(synthEnvironment(env).json["cluster-monitoring"], "aws_sns_topic_subscription"),
    );
    // `alerting.emails` (the shape before routes): every severity's mail topic.
    expect(subs.map((s) => [s.protocol, s.endpoint]).sort()).toEqual(
      [0, 1, 2]
        .flatMap(() => [
          ["email", "a@example.com"],
          ["email", "b@example.org"],
        ])
        .sort(),
    );
  });

  it("publishes the topic and key ARNs for the grafana stack", () => {
    expect(monitoring.output?.alert_topic_arn.value).toMatch(/aws_sns_topic\.[\w-]+\.arn/);
    expect(monitoring.output?.alert_topic_key_arn.value).toMatch(/aws_kms_key\.[\w-]+\.arn/);
  });
});

describe("workspace service account and token (grafana-token)", () => {
  const tokenStack = json["grafana-token"];
  const token = onlyResource(tokenStack, "aws_grafana_workspace_service_account_token");
  const rotation = onlyResource(tokenStack, "time_rotating");

  it("is an ADMIN service account of the workspace the grafana stack publishes", () => {
    expect(onlyResource(tokenStack, "aws_grafana_workspace_service_account")).toMatchObject({
      grafana_role: "ADMIN",
      workspace_id: "${data.terraform_remote_state.grafana-state.outputs.grafana_workspace_id}",
    });
  });

  it("keeps the token out of the grafana stack, which pull requests plan", () => {
    expect(resourcesOf(grafana, "aws_grafana_workspace_service_account_token")).toEqual({});
    expect(resourcesOf(grafana, "aws_grafana_workspace_service_account")).toEqual({});
    expect(Object.keys(grafana.output ?? {}).filter((o) => /token/.test(o))).toEqual([]);
    expect(JSON.stringify(grafana)).not.toMatch(/sensitive/);
  });

  it("issues a token that lives at most 30 days and is rotated before it expires", () => {
    expect(token.seconds_to_live).toBe(dev.grafana.token.ttlDays * 86_400);
    expect(token.seconds_to_live as number).toBeLessThanOrEqual(2_592_000);
    expect(rotation.rotation_days).toBe(dev.grafana.token.rotationDays);
    expect(rotation.rotation_days as number).toBeLessThan(dev.grafana.token.ttlDays);
  });

  it("replaces the token (new one first) when the rotation period ends", () => {
    expect(token.name).toMatch(/\$\{time_rotating\.[\w-]+\.unix\}/);
    expect(token.lifecycle).toMatchObject({
      create_before_destroy: true,
      replace_triggered_by: [expect.stringMatching(/^time_rotating\.[\w-]+$/)],
    });
    expect(tokenStack.terraform?.required_providers).toHaveProperty("time");
  });

  it("publishes the token only as a sensitive output", () => {
    expect(tokenStack.output?.grafana_service_account_token).toMatchObject({
      value: expect.stringMatching(/aws_grafana_workspace_service_account_token\.[\w-]+\.key/),
      sensitive: true,
    });
  });

  it("lets the workspace role publish Grafana-managed alerts to the AMP alert topic", () => {
    const statements = policy(onlyResource(grafana, "aws_iam_role_policy")).Statement;
    const publish = statements.find((s) => s.Sid === "PublishAlerts");
    expect(publish?.Resource).toContain(
      "${data.terraform_remote_state.cluster-monitoring-state.outputs.alert_topic_arn}",
    );
    expect(statements.find((s) => s.Sid === "EncryptAlertsForTopics")?.Resource).toEqual([
      "${data.terraform_remote_state.cluster-monitoring-state.outputs.alert_topic_key_arn}",
    ]);
  });
});

describe("Grafana content (grafana-config)", () => {
  const ds = Object.values(resourcesOf(config, "grafana_data_source")).find((d) => d.type === "prometheus")!;
  const dashboards = resourcesOf(config, "grafana_dashboard");

  it("points the grafana provider at the workspace URL with the rotated token, read from state", () => {
    expect(config.provider?.grafana[0]).toMatchObject({
      url: "${data.terraform_remote_state.grafana-state.outputs.grafana_workspace_url}",
      auth: "${data.terraform_remote_state.grafana-token-state.outputs.grafana_service_account_token}",
    });
    expect(config.resource?.aws_grafana_workspace_service_account_token).toBeUndefined();
  });

  it("adds AMP as the default Prometheus data source, SigV4-signed in the workspace's region", () => {
    expect(ds).toMatchObject({
      type: "prometheus",
      uid: AMP_DATASOURCE_UID,
      is_default: true,
      access_mode: "proxy",
    });
    expect(ds.url).toBe(
      '${trimsuffix(data.terraform_remote_state.cluster-monitoring-state.outputs.amp_prometheus_endpoint, "/")}',
    );
    expect(JSON.parse(ds.json_data_encoded as string)).toMatchObject({
      sigV4Auth: true,
      sigV4AuthType: "ec2_iam_role",
      sigV4Region: staging.region,
    });
  });

  it("publishes every configured dashboard into the project folder, after the data source", () => {
    const folder = onlyResource(config, "grafana_folder");
    expect(folder.uid).toBe(FOLDER_UID);
    expect(folder.title).toBe(staging.grafana.folderTitle);
    const titles = Object.values(dashboards).map((d) => JSON.parse(d.config_json as string).title);
    expect(titles.sort()).toEqual(
      dashboardsFor(["prometheus", "managed"]) // staging's two clusters run one of each
        .map((f) => loadDashboard(f).model.title)
        .sort(),
    );
    for (const d of Object.values(dashboards)) {
      expect(d.folder).toMatch(/^\$\{grafana_folder\.[\w-]+\.uid\}$/);
      expect(d.depends_on).toEqual([
        expect.stringMatching(/^grafana_data_source\./),
        expect.stringMatching(/^grafana_data_source\./),
      ]);
      // Panels query the `datasource` variable (escaped for Terraform), which defaults to the AMP data source.
      const model = JSON.parse(String(d.config_json).replaceAll("$${", "${"));
      expect(model.templating.list[0]).toMatchObject({
        name: "datasource",
        type: "datasource",
        current: { value: AMP_DATASOURCE_UID },
      });
      expect(d.config_json).toContain('"uid":"$${datasource}"');
    }
  });

  it("publishes, of the queries meant for one collector type, those of its clusters' collectors, without the marker", () => {
    const fleet = (env: EnvironmentConfig) => {
      const d = Object.values(
        resourcesOf(synthEnvironment(env).json["grafana-config"], "grafana_dashboard"),
      ).find((x) => JSON.parse(x.config_json as string).uid === "eksmon-fleet")!;
      const panel = JSON.parse(d.config_json as string).panels.find(
        (p: { title: string }) => p.title === "Samples sent to AMP per second",
      );
      return panel.targets.map((t: { expr: string }) => t.expr).join("\n");
    };
    const managedOnly = exampleEnv("staging", (e) => {
      e.clusters = e.clusters.filter((c) => c.collector?.type === "managed");
    });
    const prometheusOnly = exampleEnv("dev");
    for (const [env, kept, dropped] of [
      [managedOnly, "scrape_samples_post_metric_relabeling", "prometheus_remote_storage_samples_total"],
      [prometheusOnly, "prometheus_remote_storage_samples_total", "scrape_samples_post_metric_relabeling"],
    ] as const) {
      expect(fleet(env)).toContain(kept);
      expect(fleet(env)).not.toContain(dropped);
    }
    // Staging's clusters run both: the panel keeps both queries.
    const both = fleet(exampleEnv("staging"));
    expect(both).toContain("scrape_samples_post_metric_relabeling");
    expect(both).toContain("prometheus_remote_storage_samples_total");
    for (const d of Object.values(dashboards)) expect(d.config_json).not.toContain("eksmonCollector");
  });

  it("publishes only the dashboards an environment lists", () => {
    const env = exampleEnv("staging", (e) => {
      e.grafana.dashboards = ["managed-collector.json"];
    });
    const ds2 = Object.values(resourcesOf(synthEnvironment(env).json["grafana-config"], "grafana_dashboard"));
    expect(ds2.map((d) => JSON.parse(d.config_json as string).uid)).toEqual(["eksmon-managed-collector"]);
  });

  it("imports nothing from grafana.com by default", () => {
    const env = exampleEnv("dev", (e) => {
      delete e.grafana.grafanaComDashboards;
    });
    const s = synthEnvironment(env).json["grafana-config"];
    expect(s.data?.http).toBeUndefined();
    expect(s.terraform?.required_providers).not.toHaveProperty("http");
    expect(Object.keys(resourcesOf(s, "grafana_dashboard"))).toHaveLength(dashboardsFor("prometheus").length);
  });

  it("imports a pinned grafana.com revision at apply time, its data-source input mapped to AMP", () => {
    const env = exampleEnv("dev", (e) => {
      e.grafana.grafanaComDashboards = [{ id: 3119, revision: 2 }];
    });
    const s = synthEnvironment(env).json["grafana-config"];
    const http = Object.values(s.data?.http ?? {});
    expect(http).toHaveLength(1);
    expect(http[0].url).toBe("https://grafana.com/api/dashboards/3119/revisions/2/download");
    expect(JSON.stringify(http[0].lifecycle)).toContain("self.status_code == 200");
    const imported = Object.values(resourcesOf(s, "grafana_dashboard")).find((d) =>
      String(d.config_json).includes("data.http."),
    );
    expect(imported?.config_json).toMatch(
      /^\$\{replace\(data\.http\.\S+\.response_body, "\$\$\{DS_PROMETHEUS\}", grafana_data_source\.\S+\.uid\)\}$/,
    );
    expect(s.terraform?.required_providers).toHaveProperty("http");
  });
});
