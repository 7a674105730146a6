/** The identities that run Terraform, and their access to the cluster (EKS access entries), per account. */
import { Testing } from "cdktf";
import { addBootstrap } from "../../app";
import type { EnvironmentConfig } from "../../config/environment";
import { exampleEnv, onlyResource, resourcesOf, type StackJson, synthEnvironment } from "../helpers";

function synthBootstrap(envs: EnvironmentConfig[]) {
  const app = Testing.app();
  const stacks = addBootstrap(app, envs);
  const json = (s: Parameters<typeof Testing.synth>[0]) => JSON.parse(Testing.synth(s)) as StackJson;
  return {
    github: Object.fromEntries(stacks.githubAws.map((s) => [s.stackName, json(s)])),
    tfcAws: Object.fromEntries(stacks.tfcAws.map((s) => [s.stackName, json(s)])),
  };
}

const { github } = synthBootstrap([exampleEnv("dev"), exampleEnv("staging"), exampleEnv("prod")]);
const dev = github["bootstrap-github-aws-111111111111"];

/** The role named `name`, and its inline policy's statements. */
function role(stack: StackJson, name: string) {
  const [id, r] = Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, r]) => r.name === name)!;
  const inline = Object.values(resourcesOf(stack, "aws_iam_role_policy")).find(
    (p) => p.role === `\${aws_iam_role.${id}.name}`,
  );
  return {
    ref: `\${aws_iam_role.${id}.arn}`,
    role: r,
    trust: JSON.parse(r.assume_role_policy as string).Statement,
    statements: JSON.parse(inline!.policy as string).Statement as Record<string, any>[],
  };
}

describe("GithubAwsBootstrapStack", () => {
  it("matches the reviewed snapshot", () => {
    expect(dev).toMatchSnapshot();
  });

  it("is one stack per account of the environments that plan and deploy from GitHub, never for Terraform Cloud", () => {
    expect(Object.keys(github).sort()).toEqual([
      "bootstrap-github-aws-111111111111",
      "bootstrap-github-aws-222222222222",
    ]);
  });

  it("creates GitHub's OIDC provider, or looks up the one the account has", () => {
    expect(onlyResource(dev, "aws_iam_openid_connect_provider")).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
    const staging = github["bootstrap-github-aws-222222222222"];
    expect(resourcesOf(staging, "aws_iam_openid_connect_provider")).toEqual({});
    expect(Object.values(staging.data?.aws_iam_openid_connect_provider ?? {})).toEqual([
      { url: "https://token.actions.githubusercontent.com" },
    ]);
  });

  it("lets only the job of GitHub environment <env> deploy, with the environment's whole state, for 90 minutes", () => {
    const deploy = role(dev, "eksmon-dev-github-deploy");
    expect(deploy.trust).toEqual([
      expect.objectContaining({
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": "repo:example-org/eksmon:environment:dev",
          },
        },
      }),
    ]);
    expect(deploy.role.max_session_duration).toBe(5400);
    expect(deploy.statements.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ["ListEnvironmentState", "s3:ListBucket", "arn:aws:s3:::example-dev-terraform-state"],
      [
        "ReadWriteEnvironmentState",
        ["s3:GetObject", "s3:PutObject"],
        "arn:aws:s3:::example-dev-terraform-state/eksmon/dev/*",
      ],
      [
        "ReleaseStateLocks",
        "s3:DeleteObject",
        "arn:aws:s3:::example-dev-terraform-state/eksmon/dev/*.tflock",
      ],
    ]);
  });

  it("lets pull requests plan with a read-only role that cannot read the Grafana token's state", () => {
    const plan = role(dev, "eksmon-dev-github-plan");
    expect(plan.trust[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"]).toBe(
      "repo:example-org/eksmon:pull_request",
    );
    const reads = plan.statements.find((s) => s.Sid === "ReadPlannedStacksState")!;
    expect(reads.Action).toBe("s3:GetObject");
    expect(reads.Resource).toEqual([
      "arn:aws:s3:::example-dev-terraform-state/eksmon/dev/dev-network.tfstate",
      "arn:aws:s3:::example-dev-terraform-state/eksmon/dev/dev-cluster-monitoring.tfstate",
      "arn:aws:s3:::example-dev-terraform-state/eksmon/dev/dev-cluster-dev-eks.tfstate",
      "arn:aws:s3:::example-dev-terraform-state/eksmon/dev/dev-grafana.tfstate",
    ]);
    expect(JSON.stringify(plan.statements)).not.toMatch(
      /PutObject|DeleteObject|grafana-token|grafana-config/,
    );
  });

  it("gives the deploy role cluster admin and the plan role the plan readers' group, on the environment's cluster", () => {
    const deploy = role(dev, "eksmon-dev-github-deploy");
    const plan = role(dev, "eksmon-dev-github-plan");
    const entries = Object.values(resourcesOf(dev, "aws_eks_access_entry"));
    expect(
      entries.map((e) => [e.principal_arn, e.kubernetes_groups, e.cluster_name, e.provider, e.type]),
    ).toEqual([
      [deploy.ref, undefined, "dev-eks", undefined, "STANDARD"],
      [plan.ref, ["eksmon-plan-readers"], "dev-eks", undefined, "STANDARD"],
    ]);
    // The role ARN itself, never an assumed-role session ARN.
    for (const e of entries) expect(e.principal_arn).not.toMatch(/assumed-role|sts::/);
    expect(Object.values(resourcesOf(dev, "aws_eks_access_policy_association"))).toEqual([
      expect.objectContaining({
        cluster_name: "dev-eks",
        principal_arn: expect.stringMatching(/^\$\{aws_eks_access_entry\..*\.principal_arn\}$/),
        policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        access_scope: { type: "cluster" },
      }),
    ]);
  });

  it("fails the plan, saying how to switch, on a cluster whose authentication mode has no access entries", () => {
    for (const entry of Object.values(resourcesOf(dev, "aws_eks_access_entry"))) {
      const [pre] = (entry.lifecycle as { precondition: { condition: string; error_message: string }[] })
        .precondition;
      expect(pre.condition).toMatch(
        /^\$\{contains\(\["API", "API_AND_CONFIG_MAP"\], data\.aws_eks_cluster\.[\w-]+\.access_config\[0\]\.authentication_mode\)\}$/,
      );
      expect(pre.error_message).toMatch(
        /^EKS cluster dev-eks authenticates with \$\{data\.aws_eks_cluster\..*authentication_mode\}, which has no access entries \(they need API or API_AND_CONFIG_MAP\)\. Switch it with "aws eks update-cluster-config --name dev-eks --region us-east-1 --access-config authenticationMode=API_AND_CONFIG_MAP"/,
      );
    }
    expect(Object.values(dev.data?.aws_eks_cluster ?? {})).toEqual([{ name: "dev-eks" }]);
  });

  it("reaches a cluster in another region of the account through a provider alias of that region, never a resource's own region argument (AWS provider 6 only)", () => {
    const west = { ...exampleEnv("staging"), name: "west", region: "us-west-2" } as EnvironmentConfig;
    west.clusters = west.clusters.map((c, i) => ({ ...c, name: `west-eks-${i}`, key: `west-eks-${i}` }));
    const stack = synthBootstrap([exampleEnv("staging"), west]).github["bootstrap-github-aws-222222222222"];
    const providers = (stack.provider as Record<string, Record<string, unknown>[]>).aws;
    expect(providers.map((p) => [p.alias, p.region, p.allowed_account_ids])).toEqual([
      [undefined, "us-east-1", ["222222222222"]],
      ["us-west-2", "us-west-2", ["222222222222"]],
    ]);
    const byCluster = (type: string) =>
      Object.fromEntries(Object.values(resourcesOf(stack, type)).map((r) => [r.cluster_name, r.provider]));
    // Every cluster of each environment: staging's two, west's two.
    const expected = {
      "staging-eks": undefined,
      "staging-eks-green": undefined,
      "west-eks-0": "aws.us-west-2",
      "west-eks-1": "aws.us-west-2",
    };
    expect(byCluster("aws_eks_access_entry")).toEqual(expected);
    expect(byCluster("aws_eks_access_policy_association")).toEqual(expected);
    expect(Object.values(stack.data?.aws_eks_cluster ?? {})).toEqual([
      { name: "staging-eks" },
      { name: "staging-eks-green" },
      { name: "west-eks-0", provider: "aws.us-west-2" },
      { name: "west-eks-1", provider: "aws.us-west-2" },
    ]);
    expect(JSON.stringify(stack)).not.toMatch(/"region":"us-west-2","(?!allowed)/);
  });
});

describe("TfcAwsBootstrapStack cluster access", () => {
  const { tfcAws } = synthBootstrap([exampleEnv("prod")]);
  const stack = tfcAws["bootstrap-tfc-aws-333333333333"];

  it("gives the apply role cluster admin and the plan role the plan readers' group, from the stack that owns them", () => {
    const roleId = (name: string) =>
      Object.entries(resourcesOf(stack, "aws_iam_role")).find(([, r]) => r.name === name)![0];
    const entries = Object.values(resourcesOf(stack, "aws_eks_access_entry"));
    const entryOf = (name: string) =>
      entries.find((e) => e.principal_arn === `\${aws_iam_role.${roleId(name)}.arn}`);
    expect(entryOf("eksmon-prod-tfc-run")).toMatchObject({ cluster_name: "prod-eks", type: "STANDARD" });
    expect(entryOf("eksmon-prod-tfc-run")?.kubernetes_groups).toBeUndefined();
    expect(entryOf("eksmon-prod-tfc-plan")).toMatchObject({
      cluster_name: "prod-eks",
      type: "STANDARD",
      kubernetes_groups: ["eksmon-plan-readers"],
    });
    // One association: cluster admin for the apply role; the plan role has no access policy at all.
    expect(onlyResource(stack, "aws_eks_access_policy_association")).toMatchObject({
      policy_arn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
      access_scope: { type: "cluster" },
      principal_arn: expect.stringMatching(
        /^\$\{aws_eks_access_entry\.prod-cluster-access_run-role_\w+\.principal_arn\}$/,
      ),
    });
  });
});

describe("plan readers in the cluster (each cluster's stack)", () => {
  it("binds the plan readers' group to reads of what the stacks manage, and of Helm's records in the release namespace only", () => {
    const stack = synthEnvironment(exampleEnv("dev")).json.cluster;
    const clusterRole = Object.values(resourcesOf(stack, "kubernetes_cluster_role_v1")).find(
      (r: any) => r.metadata.name === "eksmon-plan-reader",
    ) as any;
    expect(clusterRole.rule).toEqual([
      { api_groups: [""], resources: ["namespaces"], verbs: ["get", "list", "watch"] },
      { api_groups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: ["get", "list", "watch"] },
      {
        api_groups: ["rbac.authorization.k8s.io"],
        resources: ["clusterroles", "clusterrolebindings", "roles", "rolebindings"],
        verbs: ["get", "list", "watch"],
      },
      // What the first install of an exporter reads: Services by label, and the CRDs the provider looks in.
      { api_groups: [""], resources: ["services"], verbs: ["list"] },
      { api_groups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["list"] },
    ]);
    expect(JSON.stringify(clusterRole)).not.toMatch(/secrets|"\*"|create|update|delete|patch/);
    const role = onlyResource(stack, "kubernetes_role_v1") as any;
    expect(role.metadata.namespace).toMatch(
      /^\$\{kubernetes_namespace_v1\.prometheus_namespace_\w+\.metadata\[0\]\.name\}$/,
    );
    expect(role.rule).toEqual([
      { api_groups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] },
      { api_groups: [""], resources: ["persistentvolumeclaims"], verbs: ["get"] },
    ]);
    for (const binding of [
      ...Object.values(resourcesOf(stack, "kubernetes_cluster_role_binding_v1")),
      ...Object.values(resourcesOf(stack, "kubernetes_role_binding_v1")),
    ] as any[])
      expect(binding.subject).toEqual([
        { kind: "Group", name: "eksmon-plan-readers", api_group: "rbac.authorization.k8s.io" },
      ]);
  });

  it("is created for Terraform Cloud's plan role too, and not without plan identities (local state)", () => {
    const prod = synthEnvironment(exampleEnv("prod")).json.cluster;
    expect(
      Object.values(resourcesOf(prod, "kubernetes_cluster_role_v1")).map((r: any) => r.metadata.name),
    ).toEqual(["eksmon-plan-reader"]);
    const local = synthEnvironment(
      exampleEnv("dev", (e) => {
        e.backend = { type: "local" };
        delete e.github;
      }),
    ).json.cluster;
    expect(resourcesOf(local, "kubernetes_cluster_role_v1")).toEqual({});
    expect(resourcesOf(local, "kubernetes_role_v1")).toEqual({});
  });

  it("checks the authentication mode before the managed collector's own access entry too", () => {
    const stack = synthEnvironment(exampleEnv("staging")).json.cluster;
    const entry = onlyResource(stack, "aws_eks_access_entry") as any;
    expect(entry.lifecycle.precondition[0].condition).toMatch(/authentication_mode/);
  });
});
