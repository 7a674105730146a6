import { configProblems, editedExample, exampleEnv } from "../helpers";

describe("amp.logging config", () => {
  it("is on by default: 30 days, a key created for it", () => {
    expect(exampleEnv("dev").amp.logging).toEqual({ enabled: true, retentionDays: 30 });
  });

  it("refuses a retention CloudWatch Logs does not accept, and a key of another account or region", () => {
    expect(
      configProblems(
        editedExample("dev", (e) => {
          e.amp.logging = {
            retentionDays: 31,
            kmsKeyArn: "arn:aws:kms:eu-west-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          };
        }),
      ),
    ).toEqual([
      "dev.amp.logging.retentionDays: 31 is not a retention CloudWatch Logs accepts (expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
      'dev.amp.logging.kmsKeyArn: is in region "eu-west-1" (expected a key in us-east-1, where it is used)',
      "dev.amp.logging.kmsKeyArn: belongs to account 999999999999 (expected a key in the environment's account 111111111111)",
    ]);
  });

  it("refuses unknown fields", () => {
    expect(
      configProblems(
        editedExample("dev", (e) => {
          (e.amp as any).logging = { retention: 30 };
        }),
      ),
    ).toEqual([
      'dev.amp.logging: unknown field "retention" (expected only the fields documented in docs/configuration.md)',
    ]);
  });
});
