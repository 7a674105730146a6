/** The no-changes plan: known emulator drift is explained (and printed), everything else is a finding. */
import { changedAttributes, classifyChanges, type ResourceChange } from "../../../e2e/lib/drift";

const rule = (before: Record<string, unknown>, after: Record<string, unknown>): ResourceChange => ({
  address: "aws_vpc_security_group_egress_rule.e",
  type: "aws_vpc_security_group_egress_rule",
  change: { actions: ["update"], before, after },
});

describe("classifyChanges", () => {
  it("explains moto's dropped description on a security-group-referencing rule", () => {
    const c = rule(
      { description: null, referenced_security_group_id: "sg-1" },
      { description: "to b", referenced_security_group_id: "sg-1" },
    );
    expect(changedAttributes(c)).toEqual(["description"]);
    const r = classifyChanges([c]);
    expect(r.unexplained).toEqual([]);
    expect(r.explained[0].reason).toMatch(/moto/);
  });

  it("does not explain the same change on a CIDR rule, another attribute, or a replacement", () => {
    const cidr = rule(
      { description: null, cidr_ipv4: "10.0.0.0/16" },
      { description: "x", cidr_ipv4: "10.0.0.0/16" },
    );
    const port = rule(
      { from_port: 443, referenced_security_group_id: "sg-1" },
      { from_port: 8443, referenced_security_group_id: "sg-1" },
    );
    const replace: ResourceChange = {
      ...rule({}, { description: "x", referenced_security_group_id: "sg-1" }),
      change: { actions: ["delete", "create"], before: {}, after: {} },
    };
    expect(classifyChanges([cidr, port, replace]).unexplained).toHaveLength(3);
  });

  it("ignores no-ops and reads", () => {
    const noop: ResourceChange = { address: "a.b", type: "a", change: { actions: ["no-op"] } };
    expect(classifyChanges([noop])).toEqual({ explained: [], unexplained: [] });
  });
});
