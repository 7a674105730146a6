import { TerraformOutput, Testing } from "cdktf";
import {
  ExistingEksCluster,
  type KubernetesAuth,
  type OidcProviderSource,
} from "../../../constructs/cluster/existing-eks-cluster";

function synth(oidcProvider: OidcProviderSource, auth?: KubernetesAuth) {
  let cluster!: ExistingEksCluster;
  const raw = Testing.synthScope((scope) => {
    cluster = new ExistingEksCluster(scope, "cluster", {
      clusterName: "eks",
      region: "eu-central-1",
      oidcProvider,
      auth,
    });
    // Expose the attributes so the synthesized JSON shows how they resolve.
    new TerraformOutput(scope, "host", { value: cluster.oidcIssuerHost });
    new TerraformOutput(scope, "arn", { value: cluster.oidcProviderArn });
  });
  return JSON.parse(raw);
}

describe("ExistingEksCluster", () => {
  it("looks up the OIDC provider from the cluster's issuer by default", () => {
    const json = synth("lookup");
    expect(Object.values(json.data.aws_iam_openid_connect_provider)[0]).toMatchObject({
      url: expect.stringMatching(/^\$\{data\.aws_eks_cluster\..*\.identity\[0\]\.oidc\[0\]\.issuer\}$/),
    });
    expect(json.output.host.value).toMatch(/^\$\{local\.cluster_oidc_issuer_host_[A-F0-9]+\}$/);
    expect(Object.values(json.locals)[0]).toMatch(
      /^\$\{replace\(data\.aws_eks_cluster\..*issuer, "https:\/\/", ""\)\}$/,
    );
    expect(json.resource).toBeUndefined();
  });

  it("creates the OIDC provider for STS when asked", () => {
    const json = synth("create");
    expect(Object.values(json.resource.aws_iam_openid_connect_provider)[0]).toMatchObject({
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  it("uses a given provider ARN and derives the issuer host from it", () => {
    const arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC";
    const json = synth({ arn });
    expect(json.output.arn.value).toBe(arn);
    expect(json.output.host.value).toBe("oidc.eks.eu-central-1.amazonaws.com/id/ABC");
    expect(json.data.aws_iam_openid_connect_provider).toBeUndefined();
  });

  it("with a given provider ARN, fails the plan when the cluster's issuer is another (typo, re-created cluster)", () => {
    const arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC";
    const cluster = Object.values(synth({ arn }).data.aws_eks_cluster)[0] as any;
    const host = 'replace(self.identity[0].oidc[0].issuer, "https://", "")';
    expect(cluster.lifecycle.postcondition).toEqual([
      {
        condition: `\${${host} == "oidc.eks.eu-central-1.amazonaws.com/id/ABC"}`,
        error_message: `cluster.oidcProvider.arn is ${arn}, but EKS cluster eks has the issuer \${self.identity[0].oidc[0].issuer} (a typo, or a cluster re-created since): IRSA roles trusting that ARN could never be assumed. Set cluster.oidcProvider.arn to arn:aws:iam::123456789012:oidc-provider/\${${host}} ("aws iam list-open-id-connect-providers" lists the account's), or to "lookup" to read it from the cluster; "create" if the cluster has none yet.`,
      },
    ]);
    // looked up or created from the cluster's own issuer: nothing to compare
    for (const source of ["lookup", "create"] as const)
      expect((Object.values(synth(source).data.aws_eks_cluster)[0] as any).lifecycle).toBeUndefined();
  });

  it("reads no token at plan time: no aws_eks_cluster_auth data source in either mode", () => {
    expect(synth("lookup").data.aws_eks_cluster_auth).toBeUndefined();
    expect(synth("lookup", { method: "ephemeral" }).data.aws_eks_cluster_auth).toBeUndefined();
  });

  it("exec: aws eks get-token for the cluster's region in JSON, with the role when one is given", () => {
    let cluster!: ExistingEksCluster;
    Testing.synthScope((scope) => {
      cluster = new ExistingEksCluster(scope, "cluster", {
        clusterName: "eks",
        region: "eu-central-1",
        oidcProvider: "lookup",
        auth: { method: "exec", roleArn: "arn:aws:iam::123456789012:role/deployer" },
      });
    });
    expect(cluster.execCommand()).toEqual({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: [
        "eks",
        "get-token",
        "--cluster-name",
        "eks",
        "--region",
        "eu-central-1",
        "--output",
        "json",
        "--role-arn",
        "arn:aws:iam::123456789012:role/deployer",
      ],
    });
    expect(cluster.kubernetesProviderConfig().token).toBeUndefined();
    expect(cluster.helmTimeoutSeconds).toBe(600);
  });

  it("ephemeral: an ephemeral aws_eks_cluster_auth in the stack, named after the construct", () => {
    const json = synth("lookup", { method: "ephemeral" });
    expect(json.ephemeral.aws_eks_cluster_auth).toEqual({ cluster_auth: { name: "eks" } });
  });
});
