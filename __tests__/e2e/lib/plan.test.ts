/** Sorting a saved plan's resource changes for the upgrade and cluster-removal checks. */
import type { ResourceChange } from "../../../e2e/lib/drift";
import { baseAddress, classesLine, classifyPlan, objectKey, takeOver } from "../../../e2e/lib/plan";

const change = (
  address: string,
  actions: string[],
  extra: Partial<ResourceChange["change"]> & { mode?: string; previous_address?: string } = {},
): ResourceChange => {
  const { mode, previous_address, ...rest } = extra;
  return {
    address,
    type: address.split(".")[0],
    mode,
    previous_address,
    change: { actions, before: {}, after: {}, ...rest },
  };
};

describe("classifyPlan", () => {
  const classes = classifyPlan([
    change("aws_iam_role.a", ["no-op"], { importing: { id: "a" } }),
    change("helm_release.r", ["update"], {
      importing: { id: "prometheus/prometheus" },
      before: { values: ["x"], name: "prometheus" },
      after: { values: ["y"], name: "prometheus" },
    }),
    change("kubernetes_namespace_v1.n", ["forget"], { after: null }),
    change("aws_sns_topic.t", ["create"], { before: null }),
    change("aws_kms_key.k", ["delete"], { after: null }),
    change("aws_prometheus_workspace.w", ["delete", "create"]),
    change("aws_iam_role_policy_attachment.p", ["no-op"], {
      previous_address: "aws_iam_role_policy_attachment.q",
    }),
    change("data.aws_eks_cluster.c", ["read"], { mode: "data" }),
    change("aws_vpc.v", ["no-op"]),
  ]);

  it("counts imports whatever else the plan does to them, and an imported update as an update too", () => {
    expect(classes.imports).toEqual(["aws_iam_role.a", "helm_release.r"]);
    expect(classes.updates).toEqual(["helm_release.r (values)"]);
  });

  it("tells forgets (removed, destroy = false) from deletes, and replacements either way round", () => {
    expect(classes.forgets).toEqual(["kubernetes_namespace_v1.n"]);
    expect(classes.deletes).toEqual(["aws_kms_key.k"]);
    expect(classes.replaces).toEqual(["aws_prometheus_workspace.w"]);
    expect(classes.creates).toEqual(["aws_sns_topic.t"]);
  });

  it("reports moves, and leaves out reads and no-ops", () => {
    expect(classes.moves).toEqual(["aws_iam_role_policy_attachment.q -> aws_iam_role_policy_attachment.p"]);
    expect(Object.values(classes).flat().join(" ")).not.toMatch(/aws_vpc|data\./);
  });

  it("says what is in it in one line", () => {
    expect(classesLine(classes)).toBe(
      "imports 2, forgets 1, creates 1, updates 1, deletes 1, replaces 1, moves 1",
    );
    expect(classesLine(classifyPlan([]))).toBe("no change");
  });
});

describe("baseAddress", () => {
  it("drops the instance key only", () => {
    expect(baseAddress('aws_iam_role.x["a"]')).toBe("aws_iam_role.x");
    expect(baseAddress("aws_iam_role.x")).toBe("aws_iam_role.x");
  });
});

describe("takeOver", () => {
  const forgets = [
    change("aws_iam_role.r", ["forget"], { before: { id: "eksmon-dev-amp-ingest" }, after: null }),
    change("aws_iam_role_policy_attachment.managed-0", ["forget"], {
      before: { id: "eksmon-dev-ebs-20261206", role: "eksmon-dev-ebs", policy_arn: "arn:p" },
      after: null,
    }),
    change("helm_release.gone", ["forget"], { before: { id: "prometheus" }, after: null }),
    change("aws_sns_topic.t", ["no-op"], { before: { id: "t" } }),
  ];
  const imports = [
    change("aws_iam_role.r", ["update"], {
      importing: { id: "eksmon-dev-amp-ingest" },
      before: { id: "eksmon-dev-amp-ingest" },
    }),
    change("aws_iam_role_policy_attachment.managed-policy", ["no-op"], {
      importing: { id: "eksmon-dev-ebs/arn:p" },
      before: { id: "eksmon-dev-ebs/arn:p", role: "eksmon-dev-ebs", policy_arn: "arn:p" },
    }),
    change("helm_release.other", ["create"], { before: null }),
  ];

  it("matches each forgotten object to its import, at the same address or another", () => {
    expect(takeOver(forgets, imports)).toEqual({
      carried: [
        "aws_iam_role.r",
        "aws_iam_role_policy_attachment.managed-0 -> aws_iam_role_policy_attachment.managed-policy",
      ],
      lost: ["helm_release.gone"],
    });
  });

  it("tells a policy attachment by its role and policy, not by its id", () => {
    expect(objectKey("aws_iam_role_policy_attachment", { id: "x", role: "r", policy_arn: "p" })).toBe(
      objectKey("aws_iam_role_policy_attachment", { id: "y", role: "r", policy_arn: "p" }),
    );
    expect(objectKey("aws_iam_role", { id: "a" })).not.toBe(objectKey("aws_iam_role", { id: "b" }));
  });
});
