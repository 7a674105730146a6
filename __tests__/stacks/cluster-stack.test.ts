import { parse } from "yaml";
import {
  canonicalSynth,
  exampleEnv,
  onlyResource,
  resourcesOf,
  type StackJson,
  synthEnvironment,
} from "../helpers";

describe("ClusterStack", () => {
  it.each(["dev", "staging", "prod"])("%s matches the reviewed snapshot (each cluster)", (name) => {
    const { stacks } = synthEnvironment(exampleEnv(name));
    for (const stack of stacks.clusters) expect(canonicalSynth(stack)).toMatchSnapshot(stack.node.id);
  });

  /** The kubernetes provider and the helm provider's kubernetes block of a synthesized stack. */
  function clientsOf(stack: StackJson) {
    const k8s = stack.provider?.kubernetes[0] as Record<string, unknown>;
    const helm = (stack.provider!.helm[0] as { kubernetes: Record<string, unknown> }).kubernetes;
    return { k8s, helm };
  }

  it("gets Kubernetes and Helm credentials at apply time with aws eks get-token where the CLI runs (S3)", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json.cluster;
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
    const stack = synthEnvironment(exampleEnv("dev", (e) => (e.clusters[0].auth = { roleArn: role }))).json
      .cluster;
    expect((clientsOf(stack).k8s.exec as { args: string[] }[])[0].args.slice(-2)).toEqual([
      "--role-arn",
      role,
    ]);
  });

  it("uses the ephemeral token opened at apply on Terraform Cloud, and bounds Helm waits by its lifetime", () => {
    const stack = synthEnvironment(exampleEnv("prod")).json.cluster as StackJson & {
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
    const managed = synthEnvironment(
      exampleEnv("staging", (e) => (e.clusters[0].auth = { method: "ephemeral" })),
    ).json.cluster;
    for (const release of Object.values(resourcesOf(managed, "helm_release")))
      expect(release.timeout).toBe(300);
  });

  it("lets the Prometheus role remote-write only to this workspace, by default on any network path", () => {
    // aws:SourceVpce on AMP data-plane calls is undocumented: a condition on it could deny every write.
    const { json, stacks } = synthEnvironment(exampleEnv("dev"));
    const policies = Object.values(json.cluster.resource?.aws_iam_role_policy ?? {});
    const ingest = policies.find((p) => p.name === "eksmon-dev-amp-ingest") as { policy: string };
    expect(JSON.parse(ingest.policy).Statement).toEqual([
      {
        Sid: "RemoteWriteToThisWorkspace",
        Effect: "Allow",
        Action: "aps:RemoteWrite",
        Resource: "${data.terraform_remote_state.cluster-monitoring-state.outputs.amp_workspace_arn}",
      },
    ]);
    // Deployed after the workspace and the network (whose endpoint it writes through).
    expect(stacks.clusters[0].dependencies).toEqual(
      expect.arrayContaining([stacks.network, stacks.clusterMonitoring]),
    );
  });

  it("conditions remote write on its VPC's endpoint, from the network stack, when the environment opts in", () => {
    const { json } = synthEnvironment(exampleEnv("dev", (e) => (e.amp.requireVpcEndpoint = true)));
    const policies = Object.values(json.cluster.resource?.aws_iam_role_policy ?? {});
    const ingest = policies.find((p) => p.name === "eksmon-dev-amp-ingest") as { policy: string };
    expect(JSON.parse(ingest.policy).Statement[0].Condition).toEqual({
      StringEquals: {
        "aws:SourceVpce":
          "${data.terraform_remote_state.network-state.outputs.amp_vpc_endpoint_ids.vpc-0a1b2c3d4e5f67890}",
      },
    });
  });

  it("protects the Prometheus namespace in prod only", () => {
    for (const [name, expected] of [
      ["prod", true],
      ["dev", false],
    ] as const) {
      const stack = synthEnvironment(exampleEnv(name)).json.cluster;
      expect(onlyResource(stack, "kubernetes_namespace_v1").lifecycle).toEqual({ prevent_destroy: expected });
    }
  });

  it("installs the chart after the StorageClass, the role and the role's policy exist", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json.cluster;
    const release = onlyResource(stack, "helm_release") as { depends_on: string[]; values: string[] };
    expect(release.depends_on).toEqual([
      expect.stringMatching(/^kubernetes_storage_class_v1\./),
      expect.stringMatching(/^aws_iam_role\.prometheus-irsa/),
      expect.stringMatching(/^aws_iam_role_policy\.prometheus-irsa/),
    ]);
    expect(parse(release.values[0]).server.persistentVolume.storageClass).toBe("prometheus-gp3");
  });

  it("creates the EBS CSI add-on after its role's managed policy is attached", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json.cluster;
    const addon = onlyResource(stack, "aws_eks_addon") as { depends_on: string[] };
    const attachment = Object.keys(resourcesOf(stack, "aws_iam_role_policy_attachment")).find((id) =>
      id.startsWith("ebs-csi_irsa"),
    );
    expect(addon.depends_on).toContain(`aws_iam_role_policy_attachment.${attachment}`);
  });

  it("checks the managed collector's private endpoint on the cluster this stack reads", () => {
    const stack = synthEnvironment(exampleEnv("staging")).json.cluster;
    const clusterId = Object.keys(stack.data!.aws_eks_cluster)[0];
    const scraper = onlyResource(stack, "aws_prometheus_scraper") as any;
    expect(scraper.lifecycle.precondition[0].condition).toBe(
      `\${data.aws_eks_cluster.${clusterId}.vpc_config[0].endpoint_private_access}`,
    );
  });

  it("deletes the EBS CSI add-on after the Prometheus release and the StorageClass, keeping its software, then its role", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json.cluster;
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
      const stack = synthEnvironment(exampleEnv(name)).json.cluster;
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
    const before = synthEnvironment(exampleEnv("prod")).json.cluster;
    const managed = ["aws_eks_addon", "aws_iam_role", "aws_iam_role_policy_attachment"].flatMap((type) =>
      Object.keys(resourcesOf(before, type))
        .filter((id) => id.startsWith("ebs-csi"))
        .map((id) => `${type}.${id}`),
    );
    expect(managed).toHaveLength(3);
    const after = synthEnvironment(
      exampleEnv("prod", (e) => {
        e.clusters[0].ebsCsi = { driver: "existing" };
      }),
    ).json.cluster as StackJson & { removed?: { from: string; lifecycle: unknown }[] };
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
});

describe("ClusterStack with exporters that already run in the cluster", () => {
  const both = { nodeExporter: "existing", kubeStateMetrics: "existing" } as const;

  it("managed collector: installs neither, still opens their ports, and scrapes them in any namespace", () => {
    const stack = synthEnvironment(
      exampleEnv("staging", (e) => {
        (e.clusters[0].collector as { exporters?: unknown }).exporters = both;
      }),
    ).json.cluster;
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
        (e.clusters[0].collector as { exporters?: unknown }).exporters = both;
      }),
    ).json.cluster;
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
