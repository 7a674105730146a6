import { STACK_KINDS, TOKEN_STACKS } from "../../stacks/graph";
import { exampleEnv, synthEnvironment } from "../helpers";

describe("GrafanaTokenStack", () => {
  it.each(["dev", "staging", "prod"])("%s matches the reviewed snapshot", (name) => {
    expect(synthEnvironment(exampleEnv(name)).raw["grafana-token"]).toMatchSnapshot();
  });

  it("is the only stack with the token as an output, and only the token stacks read it", () => {
    const { json } = synthEnvironment(exampleEnv("dev"));
    for (const kind of STACK_KINDS) {
      const text = JSON.stringify(json[kind]);
      const holdsToken = /aws_grafana_workspace_service_account_token\./.test(text);
      const readsToken = /outputs\.grafana_service_account_token\b/.test(text);
      expect({ kind, touchesToken: holdsToken || readsToken }).toEqual({
        kind,
        touchesToken: kind in TOKEN_STACKS,
      });
    }
  });
});
