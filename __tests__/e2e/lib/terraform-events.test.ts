/** Reading Terraform's -json output: operations, their order, errors. */
import {
  alreadyExisting,
  completedByAction,
  orderingViolations,
  parseEvents,
} from "../../../e2e/lib/terraform-events";

const line = (o: object) => JSON.stringify(o);
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const hook = (addr: string, action: string) => ({ resource: { addr }, action });

const APPLY = [
  line({ type: "version", "@timestamp": at(0) }),
  line({ type: "apply_start", "@timestamp": at(1), hook: hook("aws_iam_role.r", "create") }),
  line({ type: "apply_start", "@timestamp": at(1), hook: hook("data.aws_eks_cluster.c", "read") }),
  line({ type: "apply_complete", "@timestamp": at(2), hook: hook("aws_iam_role.r", "create") }),
  line({ type: "apply_start", "@timestamp": at(3), hook: hook("aws_iam_role_policy.p", "create") }),
  line({ type: "apply_start", "@timestamp": at(3), hook: hook("helm_release.h", "create") }),
  line({ type: "apply_complete", "@timestamp": at(4), hook: hook("aws_iam_role_policy.p", "create") }),
  line({ type: "apply_complete", "@timestamp": at(9), hook: hook("helm_release.h", "create") }),
  line({ type: "change_summary", changes: { add: 3, change: 0, remove: 0, import: 1, operation: "apply" } }),
  "not json: a panic line",
].join("\n");

describe("parseEvents", () => {
  const report = parseEvents(APPLY);

  it("collects managed resource operations (not data reads) with their times", () => {
    expect(report.operations.map((o) => `${o.action} ${o.address} ${o.status}`)).toEqual([
      "create aws_iam_role.r complete",
      "create aws_iam_role_policy.p complete",
      "create helm_release.h complete",
    ]);
    expect(completedByAction(report.operations)).toEqual({ create: 3 });
    expect(report.summary).toEqual({ add: 3, change: 0, remove: 0, import: 1, operation: "apply" });
  });

  it("finds an ordering violation, and none where the order held", () => {
    expect(
      orderingViolations(report.operations, [
        { before: "aws_iam_role_policy.", after: "helm_release.", why: "permission first" },
        { before: "aws_iam_role.", after: "aws_iam_role_policy.", why: "role first" },
      ]),
    ).toEqual(["helm_release.h started before aws_iam_role_policy.p completed (permission first)"]);
  });

  it("reads planned changes and error diagnostics with their addresses", () => {
    const r = parseEvents(
      [
        line({ type: "planned_change", change: { resource: { addr: "aws_vpc.v" }, action: "update" } }),
        line({
          type: "diagnostic",
          diagnostic: {
            severity: "error",
            summary: 'namespaces "x" already exists',
            address: "kubernetes_namespace_v1.n",
          },
        }),
        line({
          type: "diagnostic",
          diagnostic: {
            severity: "error",
            summary: "creating rule",
            detail: "InvalidPermission.Duplicate: the rule already exists",
            address: "aws_vpc_security_group_ingress_rule.i",
          },
        }),
        line({ type: "diagnostic", diagnostic: { severity: "error", summary: "execution halted" } }),
        line({ type: "diagnostic", diagnostic: { severity: "warning", summary: "deprecated" } }),
      ].join("\n"),
    );
    expect(r.planned).toEqual(["update aws_vpc.v"]);
    expect(r.errors).toHaveLength(3);
    expect(alreadyExisting(r)).toEqual({
      addresses: ["kubernetes_namespace_v1.n", "aws_vpc_security_group_ingress_rule.i"],
      others: ["execution halted"],
    });
  });
});
