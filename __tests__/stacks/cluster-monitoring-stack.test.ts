import { parse } from "yaml";
import { exampleEnv, onlyResource, resourcesOf, type StackJson, synthEnvironment } from "../helpers";

describe("ClusterMonitoringStack", () => {
  it.each(["dev", "staging", "prod"])("%s matches the reviewed snapshot", (name) => {
    expect(synthEnvironment(exampleEnv(name)).raw["cluster-monitoring"]).toMatchSnapshot();
  });

  /** The kubernetes provider and the helm provider's kubernetes block of a synthesized stack. */
  function clientsOf(stack: StackJson) {
    const k8s = stack.provider?.kubernetes[0] as Record<string, unknown>;
    const helm = (stack.provider!.helm[0] as { kubernetes: Record<string, unknown> }).kubernetes;
    return { k8s, helm };
  }

  it("gets Kubernetes and Helm credentials at apply time with aws eks get-token where the CLI runs (S3)", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    const { k8s, helm } = clientsOf(stack);
    const exec = {
      api_version: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "dev-eks", "--region", "us-east-1", "--output", "json"],
    };
    expect(k8s.exec).toEqual([exec]); // a block: a one-element list
    expect(helm.exec).toEqual(exec); // an attribute: an object
    for (const p of [k8s, helm]) {
      expect(p.host).toMatch(/^\$\{data\.aws_eks_cluster\.[^.]+\.endpoint\}$/);
      expect(p.cluster_ca_certificate).toMatch(
        /^\$\{base64decode\(data\.aws_eks_cluster\..*certificate_authority\[0\]\.data\)\}$/,
      );
      expect(p.token).toBeUndefined(); // never mixed with exec
    }
    // No token is read at plan time (an approval 15 minutes later would apply with an expired one).
    expect(stack.data?.aws_eks_cluster_auth).toBeUndefined();
    for (const release of Object.values(resourcesOf(stack, "helm_release")))
      expect(release.timeout).toBe(600);
  });

  it("passes the configured role to aws eks get-token", () => {
    const role = "arn:aws:iam::111111111111:role/eks-deployer";
    const stack = synthEnvironment(exampleEnv("dev", (e) => (e.cluster.auth = { roleArn: role }))).json[
      "cluster-monitoring"
    ];
    expect((clientsOf(stack).k8s.exec as { args: string[] }[])[0].args.slice(-2)).toEqual([
      "--role-arn",
      role,
    ]);
  });

  it("uses the ephemeral token opened at apply on Terraform Cloud, and bounds Helm waits by its lifetime", () => {
    const stack = synthEnvironment(exampleEnv("prod")).json["cluster-monitoring"] as StackJson & {
      ephemeral?: Record<string, Record<string, unknown>>;
    };
    expect(stack.ephemeral?.aws_eks_cluster_auth).toEqual({ cluster_auth: { name: "prod-eks" } });
    const { k8s, helm } = clientsOf(stack);
    for (const p of [k8s, helm]) {
      expect(p.token).toBe("${ephemeral.aws_eks_cluster_auth.cluster_auth.token}");
      expect(p.exec).toBeUndefined();
    }
    expect(stack.data?.aws_eks_cluster_auth).toBeUndefined();
    expect(stack.terraform?.required_version).toBe(">= 1.10.0");
    // Each release waits 300 s at most (600 s with an atomic rollback): within the token's 900 s.
    const releases = Object.values(resourcesOf(stack, "helm_release"));
    expect(releases.length).toBeGreaterThan(0);
    for (const release of releases) expect(2 * (release.timeout as number)).toBeLessThanOrEqual(600);
    // The managed collector's two exporter releases are bounded the same way.
    const managed = synthEnvironment(exampleEnv("staging", (e) => (e.cluster.auth = { method: "ephemeral" })))
      .json["cluster-monitoring"];
    for (const release of Object.values(resourcesOf(managed, "helm_release")))
      expect(release.timeout).toBe(300);
  });

  it("lets the Prometheus role remote-write only to this workspace, by default on any network path", () => {
    // aws:SourceVpce on AMP data-plane calls is undocumented: a condition on it could deny every write.
    const { json, stacks } = synthEnvironment(exampleEnv("dev"));
    const policies = Object.values(json["cluster-monitoring"].resource?.aws_iam_role_policy ?? {});
    const ingest = policies.find((p) => p.name === "eksmon-dev-amp-ingest") as { policy: string };
    expect(JSON.parse(ingest.policy).Statement).toEqual([
      {
        Sid: "RemoteWriteToThisWorkspace",
        Effect: "Allow",
        Action: "aps:RemoteWrite",
        Resource: expect.stringMatching(/^\$\{aws_prometheus_workspace\.[^.]+\.arn\}$/),
      },
    ]);
    expect(json["cluster-monitoring"].data?.terraform_remote_state).toBeUndefined();
    expect(stacks.clusterMonitoring.dependencies).toContain(stacks.network); // still deployed after network
  });

  it("conditions remote write on the network stack's endpoint when the environment opts in", () => {
    const { json } = synthEnvironment(exampleEnv("dev", (e) => (e.amp.requireVpcEndpoint = true)));
    const policies = Object.values(json["cluster-monitoring"].resource?.aws_iam_role_policy ?? {});
    const ingest = policies.find((p) => p.name === "eksmon-dev-amp-ingest") as { policy: string };
    expect(JSON.parse(ingest.policy).Statement[0].Condition).toEqual({
      StringEquals: {
        "aws:SourceVpce": "${data.terraform_remote_state.network-state.outputs.amp_vpc_endpoint_id}",
      },
    });
  });

  it("protects the AMP workspace and the Prometheus namespace in prod only", () => {
    for (const [name, expected] of [
      ["prod", true],
      ["dev", false],
    ] as const) {
      const stack = synthEnvironment(exampleEnv(name)).json["cluster-monitoring"];
      expect(onlyResource(stack, "aws_prometheus_workspace").lifecycle).toMatchObject({
        prevent_destroy: expected,
      });
      expect(onlyResource(stack, "kubernetes_namespace_v1").lifecycle).toEqual({ prevent_destroy: expected });
    }
  });

  it("installs the chart after the StorageClass, the role and the role's policy exist", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    const release = onlyResource(stack, "helm_release") as { depends_on: string[]; values: string[] };
    expect(release.depends_on).toEqual([
      expect.stringMatching(/^kubernetes_storage_class_v1\./),
      expect.stringMatching(/^aws_iam_role\.prometheus-irsa/),
      expect.stringMatching(/^aws_iam_role_policy\.prometheus-irsa/),
    ]);
    expect(parse(release.values[0]).server.persistentVolume.storageClass).toBe("prometheus-gp3");
  });

  it("creates the EBS CSI add-on after its role's managed policy is attached", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    const addon = onlyResource(stack, "aws_eks_addon") as { depends_on: string[] };
    const attachment = Object.keys(resourcesOf(stack, "aws_iam_role_policy_attachment")).find((id) =>
      id.startsWith("ebs-csi_irsa"),
    );
    expect(addon.depends_on).toContain(`aws_iam_role_policy_attachment.${attachment}`);
  });

  it("routes alerts only once every topic policy lets AMP publish", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    const route = onlyResource(stack, "aws_prometheus_alert_manager_definition") as { depends_on: string[] };
    const policies = Object.keys(resourcesOf(stack, "aws_sns_topic_policy"));
    expect(policies).toHaveLength(3); // critical, warning, info
    expect([...route.depends_on].sort()).toEqual(policies.map((id) => `aws_sns_topic_policy.${id}`).sort());
  });

  it("routes by the environment's alerting config: mail for each severity, PagerDuty from SSM, Slack (prod)", () => {
    const stack = synthEnvironment(exampleEnv("prod")).json["cluster-monitoring"];
    const topics = Object.fromEntries(
      Object.entries(resourcesOf(stack, "aws_sns_topic")).map(([id, t]) => [
        `\${aws_sns_topic.${id}.arn}`,
        t.name,
      ]),
    );
    const subscriptions = Object.values(resourcesOf(stack, "aws_sns_topic_subscription")).map((s) => [
      topics[s.topic_arn as string],
      s.protocol,
      String(s.endpoint).replace(/\$\{data\.aws_ssm_parameter\.[\w-]+\.value\}/, "<ssm>"),
    ]);
    expect(subscriptions.sort()).toEqual(
      [
        ["eksmon-prod-alerts", "email", "platform-oncall@example.com"],
        ["eksmon-prod-alerts", "email", "platform-team@example.com"],
        ["eksmon-prod-alerts-critical-events", "https", "<ssm>"],
        ["eksmon-prod-alerts-info", "email", "platform-team@example.com"],
        ["eksmon-prod-alerts-warning", "email", "platform-team@example.com"],
      ].sort(),
    );
    expect(Object.values(stack.data?.aws_ssm_parameter ?? {}).map((d: any) => d.name)).toEqual([
      "/eksmon/prod/pagerduty-url",
    ]);
    const slack = Object.values(resourcesOf(stack, "aws_chatbot_slack_channel_configuration"));
    expect(
      slack.map((c) => [c.slack_channel_id, (c.sns_topic_arns as string[]).map((t) => topics[t])]),
    ).toEqual([
      ["C0ONCALL01", ["eksmon-prod-alerts-critical-chat"]],
      ["C0PLATFRM1", ["eksmon-prod-alerts-warning-chat"]],
    ]);
    // prod's region serves the Chatbot API: no second provider.
    expect(stack.provider?.aws).toHaveLength(1);
    expect(slack.every((c) => c.provider === undefined)).toBe(true);
  });

  it("makes Chatbot channels through a provider in a Chatbot API region when the environment's has none (staging)", () => {
    const stack = synthEnvironment(exampleEnv("staging")).json["cluster-monitoring"];
    const chatbot = (stack.provider?.aws ?? []).find((p: Record<string, unknown>) => p.alias === "chatbot");
    expect(chatbot).toMatchObject({ region: "us-east-2", allowed_account_ids: ["222222222222"] });
    expect(onlyResource(stack, "aws_chatbot_teams_channel_configuration").provider).toBe("aws.chatbot");
    // dev has no chat channel: no provider, no role.
    const dev = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    expect(dev.provider?.aws).toHaveLength(1);
    expect(Object.keys(resourcesOf(dev, "aws_iam_role")).some((id) => id.includes("chatbot"))).toBe(false);
  });

  it("publishes each severity's mail topic for Grafana, and the one key", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"] as StackJson & {
      output: Record<string, { value: string }>;
    };
    const topic = (name: string) =>
      `\${aws_sns_topic.${Object.entries(resourcesOf(stack, "aws_sns_topic")).find(([, t]) => t.name === name)?.[0]}.arn}`;
    expect(stack.output.alert_topic_arn.value).toBe(topic("eksmon-dev-alerts"));
    expect(stack.output.alert_warning_topic_arn.value).toBe(topic("eksmon-dev-alerts-warning"));
    expect(stack.output.alert_info_topic_arn.value).toBe(topic("eksmon-dev-alerts-info"));
    expect(stack.output.alert_topic_key_arn.value).toMatch(/^\$\{aws_kms_key\.alerting_key_\w+\.arn\}$/);
  });

  it("checks the managed collector's private endpoint on the cluster this stack reads", () => {
    const stack = synthEnvironment(exampleEnv("staging")).json["cluster-monitoring"];
    const clusterId = Object.keys(stack.data!.aws_eks_cluster)[0];
    const scraper = onlyResource(stack, "aws_prometheus_scraper") as any;
    expect(scraper.lifecycle.precondition[0].condition).toBe(
      `\${data.aws_eks_cluster.${clusterId}.vpc_config[0].endpoint_private_access}`,
    );
  });

  it("deletes the EBS CSI add-on after the Prometheus release and the StorageClass, keeping its software, then its role", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    const addr = (type: string, prefix = "") =>
      `${type}.${Object.keys(resourcesOf(stack, type)).find((id) => id.startsWith(prefix))}`;
    const dependsOn = (address: string) => {
      const [type, id] = address.split(".");
      return (resourcesOf(stack, type)[id].depends_on ?? []) as string[];
    };
    // Terraform destroys in reverse: release, StorageClass, add-on (preserved), then the role and its policy.
    expect(dependsOn(addr("helm_release"))).toContain(addr("kubernetes_storage_class_v1"));
    expect(dependsOn(addr("kubernetes_storage_class_v1"))).toEqual([addr("aws_eks_addon")]);
    expect(dependsOn(addr("aws_eks_addon"))).toEqual(
      expect.arrayContaining([
        addr("aws_iam_role", "ebs-csi"),
        addr("aws_iam_role_policy_attachment", "ebs-csi"),
      ]),
    );
    expect(onlyResource(stack, "aws_eks_addon").preserve).toBe(true);
  });

  it("protects the EBS CSI add-on and its role in prod and when adopted, not in dev", () => {
    for (const [name, expected] of [
      ["prod", true],
      ["staging", true], // adopts the add-on
      ["dev", undefined],
    ] as const) {
      const stack = synthEnvironment(exampleEnv(name)).json["cluster-monitoring"];
      const role = Object.values(resourcesOf(stack, "aws_iam_role")).find((r) =>
        String(r.name).endsWith("ebs-csi-driver"),
      ) as any;
      expect([name, (onlyResource(stack, "aws_eks_addon").lifecycle as any)?.prevent_destroy]).toEqual([
        name,
        expected,
      ]);
      expect([name, role.lifecycle?.prevent_destroy]).toEqual([name, expected]);
    }
  });

  it("switching ebsCsi.driver to existing forgets the add-on and its role instead of deleting them", () => {
    const before = synthEnvironment(exampleEnv("prod")).json["cluster-monitoring"];
    const managed = ["aws_eks_addon", "aws_iam_role", "aws_iam_role_policy_attachment"].flatMap((type) =>
      Object.keys(resourcesOf(before, type))
        .filter((id) => id.startsWith("ebs-csi"))
        .map((id) => `${type}.${id}`),
    );
    expect(managed).toHaveLength(3);
    const after = synthEnvironment(
      exampleEnv("prod", (e) => {
        e.ebsCsi = { driver: "existing" };
      }),
    ).json["cluster-monitoring"] as StackJson & { removed?: { from: string; lifecycle: unknown }[] };
    const forgotten = after.removed!.map((r) => r.from);
    expect(forgotten).toEqual(expect.arrayContaining(managed));
    for (const block of after.removed!) expect(block.lifecycle).toEqual({ destroy: false });
    // The others forgotten: the role's inline policy, which exists only with an ebsCsi.kmsKeyArn, and the
    // attachment's 0.2.0 address (by position), should the switch come with the upgrade.
    expect(forgotten.filter((a) => !managed.includes(a))).toEqual([
      expect.stringMatching(/^aws_iam_role_policy\.ebs-csi_irsa_policy_/),
      expect.stringMatching(/^aws_iam_role_policy_attachment\.ebs-csi_irsa_managed-0_/),
    ]);
  });

  it("removing metrics.labelSetLimits writes the default bucket without a limit, which clears AMP's", () => {
    const limitsOf = (name: string, edit?: (e: any) => void) =>
      (
        onlyResource(
          synthEnvironment(exampleEnv(name, edit)).json["cluster-monitoring"],
          "aws_prometheus_workspace_configuration",
        ) as any
      ).limits_per_label_set;
    expect(limitsOf("prod").length).toBeGreaterThan(1); // the prod example sets limits
    expect(limitsOf("prod", (e) => delete e.metrics.labelSetLimits)).toEqual([
      { label_set: {}, limits: [{ max_series: 0 }] },
    ]);
  });

  it("logs AMP's rule and alert manager errors by default, protects the created key in prod, and can be turned off", () => {
    const dev = synthEnvironment(exampleEnv("dev")).json["cluster-monitoring"];
    expect(onlyResource(dev, "aws_cloudwatch_log_group")).toMatchObject({
      name: "/aws/vendedlogs/prometheus/eksmon-dev-amp",
      retention_in_days: 30,
    });
    expect((onlyResource(dev, "aws_prometheus_workspace") as any).logging_configuration).toEqual({
      log_group_arn:
        "arn:aws:logs:us-east-1:111111111111:log-group:/aws/vendedlogs/prometheus/eksmon-dev-amp:*",
    });
    expect(onlyResource(dev, "aws_cloudwatch_log_resource_policy").policy_name).toBe("eksmon-dev-amp-logs");
    const prod = synthEnvironment(exampleEnv("prod")).json["cluster-monitoring"];
    const logsKey = Object.values(resourcesOf(prod, "aws_kms_key")).find((k) =>
      String(k.description).includes("log group"),
    );
    expect(logsKey?.lifecycle).toEqual({ prevent_destroy: true });
    const off = synthEnvironment(exampleEnv("dev", (e) => (e.amp.logging = { enabled: false }))).json[
      "cluster-monitoring"
    ];
    for (const type of ["aws_cloudwatch_log_group", "aws_cloudwatch_log_resource_policy"])
      expect(resourcesOf(off, type)).toEqual({});
    expect(Object.keys(resourcesOf(off, "aws_kms_key"))).toHaveLength(1); // the alert topic's
    expect((onlyResource(off, "aws_prometheus_workspace") as any).logging_configuration).toBeUndefined();
  });
});

describe("ClusterMonitoringStack with exporters that already run in the cluster", () => {
  const both = { nodeExporter: "existing", kubeStateMetrics: "existing" } as const;

  it("managed collector: installs neither, still opens their ports, and scrapes them in any namespace", () => {
    const stack = synthEnvironment(
      exampleEnv("staging", (e) => {
        (e.collector as { exporters?: unknown }).exporters = both;
      }),
    ).json["cluster-monitoring"];
    expect(resourcesOf(stack, "helm_release")).toEqual({});
    expect(
      Object.values(resourcesOf(stack, "kubernetes_namespace_v1")).map((n: any) => n.metadata.name),
    ).toEqual([]);
    // No release namespace: the plan readers get no Secret reads anywhere.
    expect(resourcesOf(stack, "kubernetes_role_v1")).toEqual({});
    const egress = Object.values(resourcesOf(stack, "aws_vpc_security_group_egress_rule")).map(
      (r) => r.from_port,
    );
    expect(egress.sort()).toEqual([443, 8080, 9100]);
    const scraper = onlyResource(stack, "aws_prometheus_scraper") as { scrape_configuration: string };
    const job = parse(scraper.scrape_configuration).scrape_configs.find(
      (j: any) => j.job_name === "kubernetes-service-endpoints",
    );
    expect(job.kubernetes_sd_configs).toEqual([{ role: "endpoints" }]);
    expect(job.relabel_configs[0].regex).toBe(
      "[^;]*;prometheus-node-exporter;9100|[^;]*;kube-state-metrics;8080",
    );
  });

  it("in-cluster Prometheus: the chart installs neither, and its job finds them by their label", () => {
    const stack = synthEnvironment(
      exampleEnv("dev", (e) => {
        (e.collector as { exporters?: unknown }).exporters = both;
      }),
    ).json["cluster-monitoring"];
    const release = onlyResource(stack, "helm_release") as { values: string[]; lifecycle?: unknown };
    const values = parse(release.values[0]);
    expect(values["prometheus-node-exporter"].enabled).toBe(false);
    expect(values["kube-state-metrics"].enabled).toBe(false);
    expect(values.scrapeConfigs["kubernetes-service-endpoints"].relabel_configs[0].regex).toBe(
      "true;.*|[^;]*;(prometheus-node-exporter|kube-state-metrics)",
    );
    // Nothing to collide with: no lookup of exporters at plan.
    expect(release.lifecycle).toBeUndefined();
    expect(stack.data?.kubernetes_resources).toBeUndefined();
  });
});
