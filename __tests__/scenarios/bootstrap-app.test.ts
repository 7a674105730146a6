import { Testing } from "cdktf";
import { addBootstrap, addEnvironment } from "../../app";
import { validateEnvironments } from "../../config/validate";
import { environments } from "../../environments";
import { STACK_KINDS, stackConsumers, stacksOf, upstreamsOf } from "../../stacks/graph";
import { exampleEnv, synthEnvironment } from "../helpers";

/** cdktf's stack glob: `*` matches anything. */
function globMatches(glob: string, name: string): boolean {
  return new RegExp(
    `^${glob
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  ).test(name);
}

describe("bootstrap stacks in the app", () => {
  const configs = validateEnvironments(environments);
  const app = Testing.app();
  const envStacks = configs.flatMap((env) => Object.values(addEnvironment(app, env)).flat());
  const boot = addBootstrap(app, configs);
  const bootNames = [...boot.state, ...boot.tfc, ...boot.tfcAws].map((s) => s.stackName);

  it("synthesizes a bootstrap stack for every backend that needs one", () => {
    expect(bootNames.sort()).toEqual([
      "bootstrap-state-111111111111",
      "bootstrap-state-222222222222",
      "bootstrap-tfc-aws-333333333333",
      "bootstrap-tfc-example-org",
    ]);
  });

  it("are never selected by an environment's '<env>-*' glob, which selects exactly its stacks, its clusters' among them", () => {
    const all = [...envStacks.map((s) => s.node.id), ...bootNames];
    for (const env of configs) {
      expect(all.filter((n) => globMatches(`${env.name}-*`, n)).sort()).toEqual(
        stacksOf(env)
          .map((s) => s.name)
          .sort(),
      );
    }
  });
});

describe("the stack graph's upstreams (what the Terraform Cloud bootstrap shares state by)", () => {
  // With amp.requireVpcEndpoint, every read a stack can make is made (the endpoint id from network).
  const { json } = synthEnvironment(exampleEnv("dev", (e) => (e.amp.requireVpcEndpoint = true)));

  it("lists exactly the remote-state reads each stack makes", () => {
    for (const kind of STACK_KINDS) {
      const reads = Object.keys(json[kind].data?.terraform_remote_state ?? {}).map((id) =>
        id.replace(/-state$/, ""),
      );
      expect(reads.sort()).toEqual([...upstreamsOf(kind)].sort());
    }
  });

  it("shares network with the clusters, cluster-monitoring with the clusters, grafana and grafana-config, grafana with both after it, the token with grafana-config only", () => {
    expect(stackConsumers("network")).toEqual(["cluster"]);
    expect(stackConsumers("cluster-monitoring")).toEqual(["cluster", "grafana", "grafana-config"]);
    expect(stackConsumers("cluster")).toEqual([]);
    expect(stackConsumers("grafana")).toEqual(["grafana-token", "grafana-config"]);
    expect(stackConsumers("grafana-token")).toEqual(["grafana-config"]);
    expect(stackConsumers("grafana-config")).toEqual([]);
  });
});
