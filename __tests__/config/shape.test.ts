/** The environment's own fields (config/shape.ts): its name. */
import { configProblems, exampleInput } from "../helpers";

describe("the environment's name", () => {
  it("may not be bootstrap, the prefix of the bootstrap stacks", () => {
    expect(configProblems({ ...exampleInput("dev"), name: "bootstrap" }).join("\n")).toContain(
      `bootstrap.name: "bootstrap" is reserved (expected another name`,
    );
  });
});
