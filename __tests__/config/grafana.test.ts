/**
 * grafana: the dashboards published, grafana.com imports, the token's rotation, who holds which role, and the
 * Identity Center lookup (user names are looked up where Identity Center lives, or refused): defaults and bad
 * input.
 */
import type { EnvironmentInput } from "../../config/environment";
import { dashboardsFor } from "../../lib/catalogue";
import { configProblems, editedExample, exampleEnv } from "../helpers";

/** The dev example, edited: every problem validation reports, one per line ("" when valid). */
const problemsOf = (edit: (env: EnvironmentInput) => void) =>
  configProblems(editedExample("dev", edit)).join("\n");

describe("grafana defaults", () => {
  const env = exampleEnv("dev", (e) => {
    e.grafana = { name: e.grafana.name, admins: e.grafana.admins };
  });

  it("publishes every shipped dashboard its collector answers, imports nothing from grafana.com", () => {
    expect(env.grafana.dashboards).toEqual(dashboardsFor("prometheus"));
    expect(env.grafana.grafanaComDashboards).toEqual([]);
  });

  it("issues a 30-day token rotated weekly", () => {
    expect(env.grafana.token).toEqual({ ttlDays: 30, rotationDays: 7 });
  });

  it("maps a grafana.com import's data-source input to DS_PROMETHEUS unless told otherwise", () => {
    const withImport = exampleEnv("dev", (e) => {
      e.grafana.grafanaComDashboards = [{ id: 3119, revision: 2 }];
    });
    expect(withImport.grafana.grafanaComDashboards).toEqual([
      { id: 3119, revision: 2, datasourceInput: "DS_PROMETHEUS" },
    ]);
  });
});

describe("grafana rejects", () => {
  it("an unknown dashboard file, listing the files that exist", () => {
    expect(
      problemsOf((e) => {
        e.grafana.dashboards = ["cluster.json", "nodes.json"];
      }),
    ).toContain(
      'dev.grafana.dashboards[1]: "nodes.json" is not a file in dashboards/ (expected one of api-server.json, cluster.json, eks-control-plane.json, fleet.json, managed-collector.json, monitoring-cost.json, namespace.json, node.json, persistent-volumes.json, pod.json, prometheus-collector.json, workload.json)',
    );
  });

  it("a dashboard name that is not a .json file name", () => {
    expect(
      problemsOf((e) => {
        e.grafana.dashboards = ["../secrets.json"];
      }),
    ).toContain(
      'dev.grafana.dashboards[0]: "../secrets.json" is not a dashboard file name (expected a .json file name in dashboards/, e.g. "cluster.json")',
    );
  });

  it("a dashboard listed twice", () => {
    expect(
      problemsOf((e) => {
        e.grafana.dashboards = ["cluster.json", "cluster.json"];
      }),
    ).toContain('dev.grafana.dashboards: lists "cluster.json" more than once (expected each once)');
  });

  it("a token that would live longer than AMG allows", () => {
    expect(
      problemsOf((e) => {
        e.grafana.token = { ttlDays: 31 };
      }),
    ).toContain("dev.grafana.token.ttlDays: 31 is too large (expected token lifetime in days, 1-30)");
  });

  it("a rotation period that is not shorter than the token's lifetime", () => {
    expect(
      problemsOf((e) => {
        e.grafana.token = { ttlDays: 10, rotationDays: 10 };
      }),
    ).toContain(
      "dev.grafana.token.rotationDays: 10 is not below ttlDays 10 (expected the token to be replaced before it expires)",
    );
  });

  it("a grafana.com import without a revision, or imported twice", () => {
    expect(
      problemsOf((e) => {
        e.grafana.grafanaComDashboards = [{ id: 3119 } as never];
      }),
    ).toContain(
      "dev.grafana.grafanaComDashboards[0].revision: must be a number (expected a grafana.com dashboard revision, an integer 1-100000)",
    );
    expect(
      problemsOf((e) => {
        e.grafana.grafanaComDashboards = [
          { id: 3119, revision: 2 },
          { id: 3119, revision: 3 },
        ];
      }),
    ).toContain('dev.grafana.grafanaComDashboards: lists "3119" more than once (expected each once)');
  });
});

const ROLE = "arn:aws:iam::444444444444:role/eksmon-identity-lookup";
const GROUP = "9067729b3d-94f1e0bb-2a6c-4c3f-8d1e-5b7a9c0d1e2f";
const USER = "9067729b3d-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const grafana = (e: EnvironmentInput) => e.grafana as Record<string, any>;

describe("grafana.identityCenter", () => {
  it("is required with userNames in any role, and says where the lookup runs", () => {
    expect(configProblems(editedExample("staging", (e) => delete e.grafana.identityCenter))).toEqual([
      "staging.grafana.identityCenter: is required when userNames is set (in admins, viewers): the lookup runs in Identity Center's account and home region (expected { identityStoreId, accountId, region } of the management or delegated administrator account, and lookupRoleArn when that is not this account; or userIds instead of userNames)",
    ]);
  });

  it("refuses a lookup from a workload account without a role in Identity Center's account", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.grafana.identityCenter = {
            identityStoreId: "d-9067729b3d",
            accountId: "444444444444",
            region: "eu-west-1",
          };
        }),
      ),
    ).toEqual([
      "staging.grafana.identityCenter.lookupRoleArn: is required: userNames are looked up in Identity Center's account 444444444444, and from this environment's account 222222222222 the lookup fails with AccessDenied (expected the ARN of a role in 444444444444 that may call identitystore:GetUserId and identitystore:DescribeUser, trusted by the identities that plan and deploy; or userIds instead of userNames)",
    ]);
  });

  it("refuses a lookup role outside Identity Center's account", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.grafana.identityCenter = {
            identityStoreId: "d-9067729b3d",
            accountId: "444444444444",
            region: "us-east-1",
            lookupRoleArn: "arn:aws:iam::222222222222:role/lookup",
          };
        }),
      ),
    ).toEqual([
      "staging.grafana.identityCenter.lookupRoleArn: belongs to account 222222222222 (expected a role in Identity Center's account 444444444444)",
    ]);
  });

  it("needs no role when Identity Center is in the environment's own account (another region is fine)", () => {
    const env = exampleEnv("staging", (e) => {
      e.grafana.identityCenter = {
        identityStoreId: "d-9067729b3d",
        accountId: "222222222222",
        region: "eu-west-1",
      };
    });
    expect(env.grafana.identityCenter).toEqual({
      identityStoreId: "d-9067729b3d",
      accountId: "222222222222",
      region: "eu-west-1",
    });
    expect(exampleEnv("staging").grafana.identityCenter?.lookupRoleArn).toBe(ROLE);
  });

  it("tells a configuration of an earlier version where identityStoreId, identityCenter and identityStoreRegion went", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          grafana(e).admins.identityStoreId = "d-9067729b3d";
          grafana(e).admins.identityCenter = { accountId: "444444444444", region: "us-east-1" };
          grafana(e).admins.identityStoreRegion = "us-east-1";
        }),
      ),
    ).toEqual([
      "staging.grafana.admins.identityStoreId: has moved (expected grafana.identityCenter: { identityStoreId, accountId, region } (one identity store for every role))",
      "staging.grafana.admins.identityCenter: has moved (expected grafana.identityCenter: { identityStoreId, accountId, region, lookupRoleArn } (beside the roles, not inside admins))",
      "staging.grafana.admins.identityStoreRegion: has moved (expected grafana.identityCenter: { identityStoreId, accountId, region } (the account and home region of IAM Identity Center))",
    ]);
  });
});

describe("grafana.admins, editors and viewers", () => {
  it("refuses the same user name twice", () => {
    expect(
      configProblems(
        editedExample("staging", (e) => {
          e.grafana.admins = { userNames: ["jane.doe@example.com", "jane.doe@example.com"] };
        }),
      ),
    ).toEqual([
      'staging.grafana.admins.userNames: lists "jane.doe@example.com" more than once (expected each once)',
    ]);
  });

  it("needs at least one admin", () => {
    expect(configProblems(editedExample("dev", (e) => delete e.grafana.admins))).toEqual([
      "dev.grafana.admins: names no admin (expected at least one of userIds, groupIds or userNames)",
    ]);
  });

  it("refuses a user or group in two roles (AMG assigns one role each)", () => {
    expect(
      configProblems(
        editedExample("prod", (e) => {
          e.grafana.viewers = { groupIds: [GROUP], userIds: [USER] };
        }),
      ),
    ).toEqual([
      `prod.grafana.viewers.userIds[0]: "${USER}" is already one of the admins (expected each user or group in one role: AMG assigns one role each, the highest listed)`,
      `prod.grafana.viewers.groupIds[0]: "${GROUP}" is already one of the admins (expected each user or group in one role: AMG assigns one role each, the highest listed)`,
    ]);
  });

  it("defaults editors and viewers to nobody", () => {
    const env = exampleEnv("dev");
    expect(env.grafana.editors).toEqual({ userIds: [], groupIds: [], userNames: [] });
    expect(env.grafana.viewers).toEqual({ userIds: [], groupIds: [], userNames: [] });
  });
});
