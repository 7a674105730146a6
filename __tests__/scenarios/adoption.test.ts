/**
 * The first apply on a cluster and account that already run pieces: what the configuration says exists is
 * imported (Terraform import blocks, synthesized next to the resource), nothing else is, and adopted
 * stateful resources are never destroyed by a plan.
 */
import type { EnvironmentInput } from "../../config/environment";
import {
  configProblems,
  editedExample,
  exampleEnv,
  resourcesOf,
  type StackJson,
  synthEnvironment,
} from "../helpers";

/** Local state, whose stacks carry no Terraform floor of their own (S3 state needs >= 1.10 anyway). */
function onLocalState(e: EnvironmentInput): void {
  e.backend = { type: "local" };
  delete e.github; // pipelines need S3 state
}

type WithImports = StackJson & { import?: { to: string; id: string; provider?: string }[] };

/** The import blocks of a stack, as `<address> <- <id>`, each checked to target a resource of the stack. */
function importsOf(stack: WithImports): string[] {
  return (stack.import ?? []).map(({ to, id }) => {
    const [type, name] = to.split(".");
    expect(resourcesOf(stack, type)[name]).toBeDefined();
    return `${type} <- ${id}`;
  });
}

describe("adopting what the cluster already runs (its stack)", () => {
  it("dev imports the tutorial's prometheus namespace and Helm release, then upgrades the release in place", () => {
    const stack = synthEnvironment(exampleEnv("dev", onLocalState)).json.cluster as WithImports;
    expect(importsOf(stack)).toEqual([
      "kubernetes_namespace_v1 <- prometheus",
      "helm_release <- prometheus/prometheus",
    ]);
    expect(stack.terraform?.required_version).toBe(">= 1.5.0");
  });

  it("staging imports the AMP workspace made by hand, and its first cluster's EBS CSI add-on", () => {
    const { json } = synthEnvironment(exampleEnv("staging"));
    expect(importsOf(json["cluster-monitoring"] as WithImports)).toEqual([
      "aws_prometheus_workspace <- ws-3f9c2a7e-1b4d-4e8a-9c6f-2d7b5e1a8c40",
    ]);
    expect(importsOf(json.cluster as WithImports)).toEqual([
      "aws_eks_addon <- staging-eks:aws-ebs-csi-driver",
    ]);
  });

  it("protects an adopted AMP workspace from destroy even in an unprotected environment", () => {
    const env = exampleEnv("staging");
    expect(env.protect).toBe(false);
    const stack = synthEnvironment(env).json["cluster-monitoring"];
    expect(Object.values(resourcesOf(stack, "aws_prometheus_workspace"))[0].lifecycle).toMatchObject({
      prevent_destroy: true,
    });
  });

  it("imports the managed collector's exporter namespace when asked", () => {
    const env = exampleEnv("staging", (e) => {
      if (e.clusters[0].collector?.type === "managed") e.clusters[0].collector.adopt = { namespace: true };
    });
    const stack = synthEnvironment(env).json.cluster as WithImports;
    expect(importsOf(stack)).toContain("kubernetes_namespace_v1 <- monitoring-exporters");
  });

  it("imports nothing, and requires no newer Terraform, when nothing is adopted", () => {
    const env = exampleEnv("dev", (e) => {
      onLocalState(e);
      if (e.clusters[0].collector?.type === "prometheus") delete e.clusters[0].collector.adopt;
    });
    const stack = synthEnvironment(env).json.cluster as WithImports;
    expect(stack.import).toBeUndefined();
    expect(stack.terraform?.required_version).toBeUndefined();
  });

  it("leaves a driver installed elsewhere alone: no add-on, no driver role, no role output", () => {
    const stack = synthEnvironment(exampleEnv("dev", (e) => (e.clusters[0].ebsCsi = { driver: "existing" })))
      .json.cluster;
    expect(resourcesOf(stack, "aws_eks_addon")).toEqual({});
    expect(Object.values(resourcesOf(stack, "aws_iam_role")).map((r) => r.name)).toEqual([
      "eksmon-dev-amp-ingest",
    ]);
    expect(stack.output?.ebs_csi_driver_role_arn).toBeUndefined();
    expect(Object.keys(resourcesOf(stack, "kubernetes_storage_class_v1"))).toHaveLength(1);
  });
});

describe("adopting an AMG workspace made by hand (grafana)", () => {
  it("imports it and protects it from destroy", () => {
    const env = exampleEnv("dev", (e) => {
      onLocalState(e);
      e.grafana.adoptWorkspaceId = "g-0123456789";
    });
    const stack = synthEnvironment(env).json.grafana as WithImports;
    expect(importsOf(stack)).toEqual(["aws_grafana_workspace <- g-0123456789"]);
    expect(Object.values(resourcesOf(stack, "aws_grafana_workspace"))[0].lifecycle).toMatchObject({
      prevent_destroy: true,
    });
    // Import blocks need 1.5; the grafana stack's `removed` blocks (0.2.0's admin associations) 1.7.
    expect(stack.terraform?.required_version).toBe(">= 1.7.0");
    expect((synthEnvironment(exampleEnv("dev")).json.grafana as WithImports).import).toBeUndefined();
  });
});

describe("adoption config", () => {
  it("refuses what cannot be imported, every problem at once", () => {
    expect(
      configProblems(
        editedExample("dev", (e) => {
          if (e.clusters[0].collector?.type === "prometheus")
            e.clusters[0].collector.adopt = { release: true };
          e.clusters[0].ebsCsi = { driver: "existing", addonVersion: "v1.38.1-eksbuild.1" };
          e.amp.adoptWorkspaceId = "workspace-1";
          e.grafana.adoptWorkspaceId = "g-XYZ";
        }),
      ),
    ).toEqual([
      "dev.clusters[0].collector.adopt.namespace: is false but adopt.release is true: the release lives in that namespace, which would then be created and fail (expected namespace true)",
      'dev.amp.adoptWorkspaceId: "workspace-1" is not an AMP workspace id (expected ws- followed by the workspace\'s id, as the console shows it)',
      'dev.grafana.adoptWorkspaceId: "g-XYZ" is not an AMG workspace id (expected g- followed by 10 hex digits)',
      'dev.clusters[0].ebsCsi.addonVersion: is set but ebsCsi.driver is "existing": this project installs no add-on (expected driver "addon" or "adopt", or no addonVersion)',
    ]);
  });

  it("adopts the EBS CSI add-on only at the version it runs (EKS refuses a downgrade to AWS's default)", () => {
    expect(
      configProblems(editedExample("staging", (e) => (e.clusters[0].ebsCsi = { driver: "adopt" }))),
    ).toEqual([
      "staging.clusters[0].ebsCsi.addonVersion: is required when ebsCsi.driver is \"adopt\": without it the add-on would be set to AWS's default version for the cluster's Kubernetes version, which may be older than the one running, and EKS refuses the downgrade at apply (expected the version that runs: aws eks describe-addon --cluster-name staging-eks --addon-name aws-ebs-csi-driver --region us-east-1 --query addon.addonVersion --output text)",
    ]);
  });

  it("has no release to adopt for the managed collector", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.clusters[0].collector = {
            type: "managed",
            subnetIds: ["subnet-0b2c3d4e5f6a70001", "subnet-0b2c3d4e5f6a70002"],
          };
          (e.clusters[0].collector as { adopt?: unknown }).adopt = { release: true };
        }),
      ),
    ).toEqual([
      'staging.clusters[0].collector.adopt: unknown field "release" (expected only the fields documented in docs/configuration.md)',
    ]);
  });
});
