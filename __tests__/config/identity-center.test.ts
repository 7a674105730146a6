/** grafana.admins.identityCenter: user names are looked up where Identity Center lives, or refused. */
import { configProblems, editedExample, exampleEnv } from "../helpers";

const ROLE = "arn:aws:iam::444444444444:role/eksmon-identity-lookup";

describe("grafana.admins.identityCenter", () => {
  it("is required with userNames, and says where the lookup runs", () => {
    expect(configProblems(editedExample("staging", (e) => delete e.grafana.admins.identityCenter))).toEqual([
      "staging.grafana.admins.identityCenter: is required when userNames is set: the lookup runs in Identity Center's account and home region (expected { accountId, region } of the management or delegated administrator account, and lookupRoleArn when that is not this account; or userIds instead of userNames)",
    ]);
  });

  it("refuses a lookup from a workload account without a role in Identity Center's account", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.grafana.admins.identityCenter = { accountId: "444444444444", region: "eu-west-1" };
        }),
      ),
    ).toEqual([
      "staging.grafana.admins.identityCenter.lookupRoleArn: is required: userNames are looked up in Identity Center's account 444444444444, and from this environment's account 222222222222 the lookup fails with AccessDenied (expected the ARN of a role in 444444444444 that may call identitystore:GetUserId and identitystore:DescribeUser, trusted by the identities that plan and deploy; or userIds instead of userNames)",
    ]);
  });

  it("refuses a lookup role outside Identity Center's account", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.grafana.admins.identityCenter = {
            accountId: "444444444444",
            region: "us-east-1",
            lookupRoleArn: "arn:aws:iam::222222222222:role/lookup",
          };
        }),
      ),
    ).toEqual([
      "staging.grafana.admins.identityCenter.lookupRoleArn: belongs to account 222222222222 (expected a role in Identity Center's account 444444444444)",
    ]);
  });

  it("needs no role when Identity Center is in the environment's own account (another region is fine)", () => {
    const env = exampleEnv("staging", (e) => {
      e.grafana.admins.identityCenter = { accountId: "222222222222", region: "eu-west-1" };
    });
    expect(env.grafana.admins.identityCenter).toEqual({ accountId: "222222222222", region: "eu-west-1" });
    expect(exampleEnv("staging").grafana.admins.identityCenter?.lookupRoleArn).toBe(ROLE);
  });

  it("tells a configuration of the previous version where identityStoreRegion went", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          (e.grafana.admins as Record<string, unknown>).identityStoreRegion = "us-east-1";
        }),
      ),
    ).toEqual([
      "staging.grafana.admins.identityStoreRegion: has moved (expected identityCenter: { accountId, region } (the account and home region of IAM Identity Center))",
    ]);
  });

  it("refuses the same user name twice", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.grafana.admins.userNames = ["jane.doe@example.com", "jane.doe@example.com"];
        }),
      ),
    ).toEqual([
      'staging.grafana.admins.userNames: lists "jane.doe@example.com" more than once (expected each once)',
    ]);
  });
});
