/**
 * What a user already has before the first apply, created by the harness in the emulators: the VPC (DNS
 * attributes on), two subnets in two AZs, the EKS clusters with their OIDC providers, an Identity Center user;
 * and what a user made by hand following the tutorial: an AMP workspace from the console, and in the
 * cluster the `prometheus` namespace with a `helm install prometheus` release in it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { MotoClient } from "./aws";
import type { KubeClient } from "./kube";
import { runCommand } from "./processes";
import { E2E } from "./run";

/** A VPC as a user has it: DNS support and hostnames on, two subnets in two AZs. */
export interface SeededVpc {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly subnetIds: string[];
  /** Stands in for the security group EKS creates for a cluster (moto's clusters have none). */
  readonly clusterSg: string;
}

/** An EKS cluster and its IAM OIDC provider (moto gives each cluster its own issuer). */
export interface SeededCluster {
  readonly name: string;
  readonly oidcArn: string;
  readonly issuer: string;
  /**
   * Its issuer is another cluster's, so is its OIDC provider: moto 5.2.5 draws the issuer id once per server
   * (a module constant of moto/eks/models.py), where EKS gives each cluster its own.
   */
  readonly sharedIssuer: boolean;
}

export interface SeededAccount extends SeededVpc {
  /** The EKS clusters, in the order asked for. */
  readonly clusters: SeededCluster[];
  readonly identityStoreId: string;
  readonly adminUserName: string;
  /** The AMP workspace made in the console. */
  readonly existingWorkspaceId: string;
  /** Who moto's STS says the harness's credentials are (the identity that runs Terraform here). */
  readonly deployer: string;
}

/** A VPC `<octets>.0.0/16` with DNS attributes on, two /24 subnets in two AZs, and the cluster SG stand-in. */
export async function seedVpc(moto: MotoClient, octets: string, sgName: string): Promise<SeededVpc> {
  const vpcCidr = `${octets}.0.0/16`;
  const vpc = await moto.call<{ Vpc: { VpcId: string } }>("ec2", "create_vpc", { CidrBlock: vpcCidr });
  const vpcId = vpc.Vpc.VpcId;
  const subnets = await moto.calls([
    {
      service: "ec2",
      op: "modify_vpc_attribute",
      params: { VpcId: vpcId, EnableDnsSupport: { Value: true } },
    },
    {
      service: "ec2",
      op: "modify_vpc_attribute",
      params: { VpcId: vpcId, EnableDnsHostnames: { Value: true } },
    },
    ...["a", "b"].map((az, i) => ({
      service: "ec2",
      op: "create_subnet",
      params: { VpcId: vpcId, CidrBlock: `${octets}.${i}.0/24`, AvailabilityZone: `${E2E.region}${az}` },
    })),
  ]);
  const subnetIds = subnets.slice(2).map((s) => {
    if ("error" in s) throw new Error(`create_subnet: ${s.error}`);
    return (s.ok.Subnet as { SubnetId: string }).SubnetId;
  });
  const sg = await moto.call<{ GroupId: string }>("ec2", "create_security_group", {
    GroupName: sgName,
    Description:
      "EKS created security group applied to ENI that is attached to EKS Control Plane master nodes",
    VpcId: vpcId,
  });
  return { vpcId, vpcCidr, subnetIds, clusterSg: sg.GroupId };
}

/** An EKS cluster in `vpc` and the IAM OIDC provider of its issuer, as `eksctl utils associate-iam-oidc-provider` makes it. */
export async function seedCluster(moto: MotoClient, name: string, vpc: SeededVpc): Promise<SeededCluster> {
  const cluster = await moto.call<{ cluster: { identity: { oidc: { issuer: string } } } }>(
    "eks",
    "create_cluster",
    {
      name,
      // The minor version of the loopback kube-apiserver (e2e/install-kube-apiserver.sh); moto's default,
      // 1.19, is one the collectors refuse (no kube-scheduler or kube-controller-manager metrics before 1.28).
      version: "1.34",
      roleArn: `arn:aws:iam::${E2E.account}:role/${name}-cluster`,
      resourcesVpcConfig: { subnetIds: vpc.subnetIds, securityGroupIds: [vpc.clusterSg] },
    },
  );
  const issuer = cluster.cluster.identity.oidc.issuer;
  const [oidc] = await moto.calls([
    {
      service: "iam",
      op: "create_open_id_connect_provider",
      params: {
        Url: issuer,
        ClientIDList: ["sts.amazonaws.com"],
        ThumbprintList: ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
      },
    },
  ]);
  if ("ok" in oidc)
    return { name, oidcArn: String(oidc.ok.OpenIDConnectProviderArn), issuer, sharedIssuer: false };
  if (!/EntityAlreadyExists/.test(oidc.error))
    throw new Error(`iam.create_open_id_connect_provider: ${oidc.error}`);
  const oidcArn = `arn:aws:iam::${E2E.account}:oidc-provider/${issuer.replace(/^https:\/\//, "")}`;
  return { name, oidcArn, issuer, sharedIssuer: true };
}

/** The run's account: the VPC, the clusters `clusterNames` in it, an Identity Center user, a console-made workspace. */
export async function seedAccount(moto: MotoClient, clusterNames: readonly string[]): Promise<SeededAccount> {
  const vpc = await seedVpc(moto, "10.10", `eks-cluster-sg-${clusterNames[0]}`);
  const clusters: SeededCluster[] = [];
  for (const name of clusterNames) clusters.push(await seedCluster(moto, name, vpc));
  // moto's Identity Center instance has a store id outside AWS's format (d- and 10 hex digits), which the
  // config validator rightly refuses; moto creates any store on first use, so the harness uses a valid id.
  const identityStoreId = "d-90670e2e00";
  const adminUserName = "e2e-admin";
  const [workspace, identity, user] = await moto.calls([
    // What the tutorial's console step leaves: a workspace with another alias, no tags.
    { service: "amp", op: "create_workspace", params: { alias: "tutorial-metrics" } },
    { service: "sts", op: "get_caller_identity" },
    {
      service: "identitystore",
      op: "create_user",
      params: {
        IdentityStoreId: identityStoreId,
        UserName: adminUserName,
        DisplayName: "E2E Admin",
        Name: { GivenName: "E2E", FamilyName: "Admin" },
      },
    },
  ]);
  for (const r of [workspace, identity, user]) if ("error" in r) throw new Error(r.error);
  const ok = (r: typeof workspace) => ("ok" in r ? r.ok : {}) as Record<string, string>;
  return {
    ...vpc,
    clusters,
    identityStoreId,
    adminUserName,
    existingWorkspaceId: ok(workspace).workspaceId,
    deployer: ok(identity).Arn,
  };
}

/** Packages the pinned charts of the reference folder and serves them as a chart repository on loopback. */
export async function chartRepository(
  helm: string,
  chartsDir: string,
  dir: string,
  port: number,
): Promise<Server> {
  mkdirSync(dir, { recursive: true });
  const charts = readdirSync(chartsDir).filter((c) => existsSync(join(chartsDir, c, "Chart.yaml")));
  if (charts.length === 0) throw new Error(`no chart (a folder with Chart.yaml) in ${chartsDir}`);
  for (const chart of charts) {
    const r = await runCommand(helm, ["package", join(chartsDir, chart), "-d", dir], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`helm package ${chart}: ${r.stderr.trim()}`);
  }
  const url = `http://127.0.0.1:${port}`;
  const index = await runCommand(helm, ["repo", "index", dir, "--url", url], { timeoutMs: 120_000 });
  if (index.code !== 0) throw new Error(`helm repo index: ${index.stderr.trim()}`);
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? "/").split("?")[0]).replace(/^\/+/, "");
    const file = join(dir, name);
    if (!name || name.includes("..") || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return server;
}

/**
 * The tutorial's install, as a user ran it: `helm install prometheus prometheus-community/prometheus
 * --namespace prometheus --create-namespace` with its remote-write values (no wait: no kubelet here).
 * Returns the namespace's uid and the release's revision.
 */
export async function installTutorial(
  helm: string,
  kubeconfig: string,
  repository: string,
  kube: KubeClient,
): Promise<{ namespaceUid: string; revision: number }> {
  const r = await runCommand(
    helm,
    [
      "install",
      "prometheus",
      "prometheus",
      "--repo",
      repository,
      "--version",
      "29.27.0",
      "--namespace",
      "prometheus",
      "--create-namespace",
      "--kubeconfig",
      kubeconfig,
      "--set",
      "serviceAccounts.server.name=amp-iamproxy-ingest-service-account",
      "--set",
      "alertmanager.enabled=false",
    ],
    { timeoutMs: 300_000 },
  );
  if (r.code !== 0) throw new Error(`helm install (the tutorial's release): ${r.stderr.trim()}`);
  const ns = await kube.get<{ metadata: { uid: string } }>("/api/v1/namespaces/prometheus");
  if (!ns) throw new Error("helm install left no prometheus namespace");
  return { namespaceUid: ns.metadata.uid, revision: 1 };
}
