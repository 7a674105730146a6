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
});
