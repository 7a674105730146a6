import { readFileSync } from "node:fs";
import { generateReference, referencePath } from "../../scripts/config-reference";

describe("docs/configuration.md", () => {
  it("is what the schema generates (run `npm run docs:config` after changing a field in config/)", () => {
    expect(readFileSync(referencePath, "utf8")).toBe(generateReference());
  });

  it("documents every field with a description", () => {
    const undocumented = generateReference()
      .split("\n")
      .filter((line) => line.startsWith("| `") && line.endsWith("|  |"));
    expect(undocumented).toEqual([]);
  });
});
