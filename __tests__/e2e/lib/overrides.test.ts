/** How the e2e points a stack at loopback: an override file and backend settings, nothing else. */
import type { TfJson } from "../../../e2e/lib/exclusions";
import { AWS_SERVICES, backendConfigHcl, clusterOfHost, stackOverride } from "../../../e2e/lib/overrides";

const aws = { endpoint: "http://127.0.0.1:4566", accessKey: "test", secretKey: "test" };
const kube = { host: "https://127.0.0.1:6443", caPem: "-----BEGIN CERTIFICATE-----\n..." };

const stack: TfJson = {
  terraform: {
    required_providers: {
      aws: { source: "aws", version: "6.25.0" },
      helm: { source: "helm", version: "3.1.1" },
    },
  },
  provider: {
    aws: [
      { region: "us-east-1", allowed_account_ids: ["111111111111"] },
      { alias: "ic", region: "eu-west-1" },
    ],
    kubernetes: [{ host: "${data.aws_eks_cluster.c.endpoint}", exec: [{ command: "aws" }] }],
    helm: [
      {
        kubernetes: {
          host: "${data.aws_eks_cluster.c.endpoint}",
          token: "${ephemeral.aws_eks_cluster_auth.a.token}",
        },
      },
    ],
  },
  data: {
    aws_eks_cluster: { c: { name: "e2e-eks" } },
    terraform_remote_state: {
      "network-state": {
        backend: "s3",
        config: { bucket: "b", key: "k/network.tfstate", region: "us-east-1" },
      },
      "other-state": { backend: "remote", config: {} },
    },
  },
  resource: { helm_release: { r: { name: "prometheus", wait: true, atomic: true } } },
};

describe("stackOverride", () => {
  const { json, lines } = stackOverride(stack, {
    aws,
    clusters: { "e2e-eks": kube, other: { ...kube, host: "https://127.0.0.1:7443" } },
    providerStandIns: [{ name: "aws", source: "hashicorp/aws", version: "5.100.0" }],
  });

  it("points every aws provider configuration (each alias) at the emulator, keeping the account check", () => {
    const providers = json.provider?.aws ?? [];
    expect(providers).toHaveLength(2);
    expect(providers[1].alias).toBe("ic");
    for (const p of providers) {
      expect(p.skip_requesting_account_id).toBe(false);
      expect(p).not.toHaveProperty("allowed_account_ids");
      expect((p.endpoints as Record<string, string>[])[0]).toEqual(
        Object.fromEntries(AWS_SERVICES.map((s) => [s, aws.endpoint])),
      );
    }
  });

  it("points kubernetes and helm at the API server, keeping the stack's own credentials", () => {
    expect(json.provider?.kubernetes).toEqual([{ host: kube.host, cluster_ca_certificate: kube.caPem }]);
    // helm's `kubernetes` is one attribute: the override carries the stack's token over.
    expect(json.provider?.helm).toEqual([
      {
        kubernetes: {
          host: kube.host,
          cluster_ca_certificate: kube.caPem,
          token: "${ephemeral.aws_eks_cluster_auth.a.token}",
        },
      },
    ]);
  });

  it("uses a static token only when given one", () => {
    const withToken = stackOverride(stack, { aws, clusters: { "e2e-eks": { ...kube, token: "t" } } }).json;
    expect(withToken.provider?.kubernetes?.[0].token).toBe("t");
  });

  it("points each stack at the API server of the EKS cluster its providers' host reads", () => {
    const green: TfJson = {
      ...stack,
      data: { aws_eks_cluster: { c: { name: "e2e-eks-green" } } },
    };
    const { json: g, lines: l } = stackOverride(green, {
      aws,
      clusters: { "e2e-eks": kube, "e2e-eks-green": { ...kube, host: "https://127.0.0.1:7443" } },
    });
    expect(g.provider?.kubernetes?.[0].host).toBe("https://127.0.0.1:7443");
    expect(g.provider?.helm?.[0].kubernetes).toMatchObject({ host: "https://127.0.0.1:7443" });
    expect(l.some((x) => x.includes("EKS cluster e2e-eks-green"))).toBe(true);
  });

  it("refuses a host no loopback API server stands in for, naming the cluster", () => {
    expect(() => stackOverride(stack, { aws, clusters: { other: kube } })).toThrow(
      /no loopback API server .*EKS cluster e2e-eks; have other/,
    );
  });

  it("leaves providers without a host (declared for forgotten resources) as the stack has them", () => {
    const declared: TfJson = { provider: { kubernetes: [{}], helm: [{}] } };
    const { json: d, lines: l } = stackOverride(declared, { aws, clusters: { "e2e-eks": kube } });
    expect(d.provider).toBeUndefined();
    expect(l).toEqual([
      "kubernetes provider has no host (declared, not configured): left as the stack has it",
      "helm provider has no host (declared, not configured): left as the stack has it",
    ]);
  });

  it("keeps the product's bucket and key for S3 remote-state reads and adds only the client settings", () => {
    const config = json.data?.terraform_remote_state["network-state"].config as Record<string, unknown>;
    expect(config).toMatchObject({
      bucket: "b",
      key: "k/network.tfstate",
      region: "us-east-1",
      use_path_style: true,
    });
    expect(config.endpoints).toEqual({ s3: aws.endpoint, sts: aws.endpoint, iam: aws.endpoint });
    expect(json.data?.terraform_remote_state).not.toHaveProperty("other-state");
  });

  it("turns off Helm's wait (no kubelet: pods never become ready), atomic with it", () => {
    expect(json.resource?.helm_release.r).toEqual({ wait: false, atomic: false });
    expect(lines.some((l) => l.includes("no kubelet"))).toBe(true);
  });

  it("replaces a pinned provider version by the stand-in, and says so", () => {
    expect(json.terraform?.required_providers?.aws).toEqual({ source: "hashicorp/aws", version: "5.100.0" });
    expect(lines).toContain("provider hashicorp/aws 5.100.0 stands in for the pinned 6.25.0");
  });

  it("leaves the Kubernetes providers alone when the Kubernetes half is skipped", () => {
    expect(stackOverride(stack, { aws }).json.provider).not.toHaveProperty("kubernetes");
  });
});

describe("clusterOfHost", () => {
  it("reads the cluster name of the data source the host expression reads, else nothing", () => {
    expect(clusterOfHost(stack, "${data.aws_eks_cluster.c.endpoint}")).toBe("e2e-eks");
    expect(clusterOfHost(stack, "${data.aws_eks_cluster.missing.endpoint}")).toBeUndefined();
    expect(clusterOfHost(stack, "https://example.com")).toBeUndefined();
  });
});

describe("backendConfigHcl", () => {
  it("gives the S3 backend the emulator's endpoints and path-style addressing, nothing of the product's", () => {
    const hcl = backendConfigHcl(aws);
    expect(hcl).toContain("use_path_style = true");
    expect(hcl).toContain(`endpoints = {\n  s3 = "${aws.endpoint}"`);
    expect(hcl).not.toMatch(/^(bucket|key|region|use_lockfile|encrypt) =/m);
  });
});
