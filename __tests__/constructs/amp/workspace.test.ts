import { Testing } from "cdktf";
import { AmpWorkspace, type AmpWorkspaceProps } from "../../../constructs/amp/workspace";

function synth(props: AmpWorkspaceProps) {
  return JSON.parse(Testing.synthScope((scope) => new AmpWorkspace(scope, "amp", props)));
}

describe("AmpWorkspace", () => {
  const props = { alias: "metrics", retentionDays: 400, preventDestroy: true };

  it("sets alias, retention and prevent_destroy", () => {
    const json = synth(props);
    const ws = Object.values(json.resource.aws_prometheus_workspace)[0] as any;
    expect(ws.alias).toBe("metrics");
    expect(ws.lifecycle).toEqual({ prevent_destroy: true });
    const cfg = Object.values(json.resource.aws_prometheus_workspace_configuration)[0] as any;
    expect(cfg.retention_period_in_days).toBe(400);
    expect(cfg.workspace_id).toMatch(/^\$\{aws_prometheus_workspace\..*\.id\}$/);
  });

  it("can be destroyed when not protected, and uses a customer key when given", () => {
    const kms = "arn:aws:kms:eu-central-1:123456789012:key/abc";
    const ws = Object.values(
      synth({ ...props, preventDestroy: false, kmsKeyArn: kms }).resource.aws_prometheus_workspace,
    )[0] as any;
    expect(ws.lifecycle).toEqual({ prevent_destroy: false });
    expect(ws.kms_key_arn).toBe(kms);
  });

  it("writes the label-set limits given, and without any the default bucket with no limit (so removing them clears AMP's)", () => {
    const cfgOf = (p: AmpWorkspaceProps) =>
      Object.values(synth(p).resource.aws_prometheus_workspace_configuration)[0] as any;
    const limited = cfgOf({
      ...props,
      labelSetLimits: [
        { labelSet: { job: "kubernetes-nodes-cadvisor" }, maxSeries: 50000 },
        { labelSet: {}, maxSeries: 200000 },
      ],
    });
    expect(limited.limits_per_label_set).toEqual([
      { label_set: { job: "kubernetes-nodes-cadvisor" }, limits: [{ max_series: 50000 }] },
      { label_set: {}, limits: [{ max_series: 200000 }] },
    ]);
    // AMP: max_series 0 enforces no limit; the list replaces what the workspace held.
    const cleared = [{ label_set: {}, limits: [{ max_series: 0 }] }];
    expect(cfgOf(props).limits_per_label_set).toEqual(cleared);
    expect(cfgOf({ ...props, labelSetLimits: [] }).limits_per_label_set).toEqual(cleared);
  });

  it("sends rule and alert manager errors to its log group once the log group and the delivery permission exist", () => {
    const json = synth({
      ...props,
      logging: {
        logGroupName: "/aws/vendedlogs/prometheus/eksmon-test-amp",
        retentionDays: 30,
        resourcePolicyName: "eksmon-test-amp-logs",
        target: { accountId: "123456789012", region: "eu-central-1", partition: "aws" },
      },
    });
    const ws = Object.values(json.resource.aws_prometheus_workspace)[0] as any;
    expect(ws.logging_configuration).toEqual({
      log_group_arn:
        "arn:aws:logs:eu-central-1:123456789012:log-group:/aws/vendedlogs/prometheus/eksmon-test-amp:*",
    });
    expect(ws.depends_on).toEqual([
      expect.stringMatching(/^aws_cloudwatch_log_group\./),
      expect.stringMatching(/^aws_cloudwatch_log_resource_policy\./),
    ]);
    const without = Object.values(synth(props).resource.aws_prometheus_workspace)[0] as any;
    expect(without.logging_configuration).toBeUndefined();
    expect(synth(props).resource.aws_cloudwatch_log_group).toBeUndefined();
  });
});
