/**
 * The proofs stage (issue 16, on loopback): what a cluster someone already uses holds against the stacks,
 * on the second cluster, emptied by remove-cluster.
 *
 * - A wrong `oidcProvider.arn`: the first cluster's stack refuses to plan, with the precondition's message.
 * - node-exporter already running (a Service with its label): the second cluster's stack refuses to plan
 *   with the message that says to set `exporters.nodeExporter: "existing"`.
 * - A default gp2 StorageClass and the tutorial's release, whose claim got gp2: adopting the release keeps
 *   gp2 (the apply succeeds, the claim is the same object with the same class), and forcing our class onto
 *   that claim is refused by the API server (the claim's spec is immutable), which is why the stacks read it.
 * The second cluster's stack applied here is torn down by destroy.
 */
import { join } from "node:path";
import { E2E_ENV, GREEN_ID } from "./lib/environment";
import type { KubeClient } from "./lib/kube";
import { out } from "./lib/report";
import { deployStack, E2E, prepare } from "./lib/run";
import { installTutorial } from "./lib/seed";
import { StackError } from "./lib/stack-runner";
import { currentEnvironment, greenStack, name, type Run, seeded, synth } from "./scenario";

/** An OIDC provider ARN of the right shape naming an issuer no cluster has. */
export const WRONG_OIDC_ARN = `arn:aws:iam::${E2E.account}:oidc-provider/oidc.eks.${E2E.region}.amazonaws.com/id/0000000000000000000000000000E2E0`;

/** Plans a stack copy that must be refused; returns the error text (empty when the plan passed). */
async function refusedPlan(run: Run, outdir: string, stack: string, label: string): Promise<string> {
  const p = prepare(seeded(run).ctx, outdir, stack, true, label);
  await p.runner.init(join(p.runner.dir, "e2e_backend.hcl"));
  try {
    await p.runner.plan("plan (must be refused)");
    return "";
  } catch (error) {
    if (error instanceof StackError) return error.message;
    throw error;
  }
}

/** The claim of the tutorial's Prometheus server: its uid and StorageClass. */
async function serverClaim(kube: KubeClient): Promise<{ uid?: string; storageClassName?: string }> {
  const pvc = await kube.get<{ metadata: { uid: string }; spec: { storageClassName?: string } }>(
    "/api/v1/namespaces/prometheus/persistentvolumeclaims/prometheus-server",
  );
  return { uid: pvc?.metadata.uid, storageClassName: pvc?.spec.storageClassName };
}

export async function proofs(run: Run): Promise<void> {
  const s = seeded(run);
  const { ctx } = s;
  const green = s.kube?.clusters.get(E2E.greenCluster);
  if (!green || !s.kube?.helm) {
    out.skipped("issue 16 proofs", "the Kubernetes half or the charts are not available");
    return;
  }

  out.section(`a wrong oidcProvider.arn on ${E2E.cluster}: the plan is refused`);
  const wrong = await synth(run, "proof-oidc", `${E2E.cluster} with oidcProvider.arn ${WRONG_OIDC_ARN}`, [
    currentEnvironment(run, { firstOidcProviderArn: WRONG_OIDC_ARN }),
  ]);
  const oidcError = await refusedPlan(run, wrong, name("cluster", E2E.cluster), "wrong OIDC provider");
  out.check(
    `${name("cluster", E2E.cluster)}: a wrong oidcProvider.arn refuses the plan, naming the cluster's issuer`,
    oidcError.includes(
      `cluster.oidcProvider.arn is ${WRONG_OIDC_ARN}, but EKS cluster ${E2E.cluster} has the issuer`,
    ),
    oidcError || "the plan passed",
    oidcError
      .split("\n")
      .find((l) => l.includes("oidcProvider.arn"))
      ?.trim(),
  );

  out.section(`node-exporter already runs in ${E2E.greenCluster}: the plan is refused`);
  await green.client.create("/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "kube-prometheus" },
  });
  await green.client.create("/api/v1/namespaces/kube-prometheus/services", {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "node-exporter",
      labels: { "app.kubernetes.io/name": "prometheus-node-exporter" },
    },
    spec: { ports: [{ name: "metrics", port: 9100 }], selector: { app: "node-exporter" } },
  });
  out.say(
    "  created Service kube-prometheus/node-exporter (app.kubernetes.io/name=prometheus-node-exporter)",
  );
  const withExporter = await synth(
    run,
    "proof-node-exporter",
    `${E2E.greenCluster} back in the configuration`,
    [currentEnvironment(run, { green: true })],
  );
  const exporterError = await refusedPlan(run, withExporter, greenStack(), "existing node-exporter");
  out.check(
    `${greenStack()}: an existing node-exporter refuses the plan, saying to set exporters.nodeExporter: "existing"`,
    exporterError.includes(
      "node-exporter already runs in the cluster (Service kube-prometheus/node-exporter)",
    ) && exporterError.includes('nodeExporter: "existing"'),
    exporterError || "the plan passed",
    exporterError
      .split("\n")
      .find((l) => l.includes("node-exporter already runs"))
      ?.trim(),
  );
  const del = await green.client.raw("DELETE", "/api/v1/namespaces/kube-prometheus");
  if (del.status >= 300) throw new Error(`DELETE namespace kube-prometheus: HTTP ${del.status}`);

  out.section(
    `${E2E.greenCluster} with a default gp2 StorageClass and the tutorial's release: adopted, gp2 kept`,
  );
  await green.client.create("/apis/storage.k8s.io/v1/storageclasses", {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: "gp2", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "kubernetes.io/aws-ebs",
    parameters: { type: "gp2", fsType: "ext4" },
    volumeBindingMode: "WaitForFirstConsumer",
  });
  await installTutorial(s.kube.helm, green.api.kubeconfig, s.kube.chartUrl!, green.client);
  const before = await serverClaim(green.client);
  out.say(
    `  the tutorial's release installed on a cluster whose default class is gp2: claim prometheus/prometheus-server has ${before.storageClassName}`,
  );
  const env = currentEnvironment(run, { green: true, greenVariant: { adoptTutorial: true } });
  const outdir = await synth(run, "proof-gp2", `${E2E.greenCluster} adopting the tutorial's release`, [env]);
  const stack = greenStack();
  const p = prepare(ctx, outdir, stack, false, `${stack} (adopting a gp2 release)`);
  run.deployed.set(stack, p);
  run.withGreen = true;
  await deployStack(ctx, p.runner);
  const after = await serverClaim(green.client);
  out.check(
    `${E2E.greenCluster}: adopting the release keeps its claim on gp2 (same claim, same class)`,
    before.storageClassName === "gp2" && after.uid === before.uid && after.storageClassName === "gp2",
    `before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
    `${after.storageClassName}`,
  );
  const pvcPath = "/api/v1/namespaces/prometheus/persistentvolumeclaims/prometheus-server";
  const pvc = await green.client.get<{ spec: Record<string, unknown> }>(pvcPath);
  const forced = await green.client.raw("PUT", pvcPath, {
    ...pvc,
    spec: { ...pvc?.spec, storageClassName: "prometheus-gp3" },
  });
  out.check(
    `${E2E.greenCluster}: forcing prometheus-gp3 onto that claim is refused by the API server (spec immutable)`,
    forced.status === 422 && /immutable/.test(forced.body),
    `HTTP ${forced.status} ${forced.body.slice(0, 300)}`,
    `HTTP ${forced.status}: ${(forced.body.match(/spec: Forbidden: [^"\\]*/) ?? [""])[0].slice(0, 120)}`,
  );
  out.say(`  (${E2E_ENV}-cluster-${GREEN_ID} stays applied; destroy tears it down)`);
}
