import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import {
  CONTROL_PLANE_METRICS_RULE,
  ControlPlaneMetricsReader,
} from "../../../constructs/collectors/control-plane-metrics";
import { fakeCluster, resourcesOf, type StackJson } from "../../helpers";
import { terraformEval, terraformEvalAvailable, terraformRender } from "../../tools";

function synth(): StackJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  // The version as the cluster's data source gives it: a reference, known at plan.
  const version = new TerraformVariable(stack, "version", { type: "string" }).stringValue;
  new ControlPlaneMetricsReader(stack, "control-plane", {
    cluster: fakeCluster({ name: "prod-eks", kubernetesVersion: version }),
    name: "eksmon-control-plane-metrics-prometheus",
    serviceAccount: { namespace: "prometheus", name: "amp-iamproxy-ingest-service-account" },
  });
  return JSON.parse(Testing.synth(stack));
}

const only = (json: StackJson, type: string) => {
  const all = Object.values(resourcesOf(json, type));
  expect(all).toHaveLength(1);
  return all[0] as any;
};

describe("ControlPlaneMetricsReader", () => {
  const json = synth();
  const role = only(json, "kubernetes_cluster_role_v1");

  it("may only get kube-scheduler's and kube-controller-manager's metrics (EKS user guide's rule)", () => {
    expect(role.rule).toEqual([
      {
        api_groups: ["metrics.eks.amazonaws.com"],
        resources: ["kcm/metrics", "ksh/metrics"],
        verbs: ["get"],
      },
    ]);
    expect(CONTROL_PLANE_METRICS_RULE.verbs).toEqual(["get"]);
  });

  it("binds it to the scraping service account only, after the role exists", () => {
    const binding = only(json, "kubernetes_cluster_role_binding_v1");
    expect(binding.subject).toEqual([
      { kind: "ServiceAccount", name: "amp-iamproxy-ingest-service-account", namespace: "prometheus" },
    ]);
    expect(binding.role_ref.name).toBe(role.metadata.name);
    expect(binding.depends_on).toEqual([expect.stringMatching(/^kubernetes_cluster_role_v1\./)]);
  });

  const withTerraform = terraformEvalAvailable("control-plane-metrics.test") ? it : it.skip;
  const hcl = (text: string) =>
    text
      .replace(/^\$\{([\s\S]*)\}$/, "$1")
      .split("var.version")
      .join("local.version");

  withTerraform(
    "fails the plan on Kubernetes before 1.28, which serves no control-plane metrics, saying why",
    () => {
      const [precondition] = role.lifecycle.precondition;
      expect(terraformEval(hcl(precondition.condition), { version: "1.27" })).toBe(false);
      expect(terraformEval(hcl(precondition.condition), { version: "1.28" })).toBe(true);
      expect(terraformEval(hcl(precondition.condition), { version: "1.34" })).toBe(true);
      const message = terraformRender(precondition.error_message.split("var.version").join("local.version"), {
        version: "1.27",
      });
      expect(message).toContain("EKS cluster prod-eks runs Kubernetes 1.27");
      expect(message).toContain("Kubernetes 1.28 and later");
    },
  );
});
