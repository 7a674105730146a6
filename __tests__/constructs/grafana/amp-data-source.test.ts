/** AmpDataSource: the AMP workspace as Grafana's default Prometheus data source, SigV4-signed with the workspace's role. */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AmpWorkspace } from "../../../constructs/amp/workspace";
import { AmpDataSource, ampJsonData } from "../../../constructs/grafana/amp-data-source";
import { onlyResource } from "../../helpers";

describe("AmpDataSource", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  const workspace = AmpWorkspace.fromAttributes(stack, "amp", {
    workspaceId: "ws-test",
    arn: "arn:aws:aps:eu-west-1:123456789012:workspace/ws-test",
    alias: "test",
    prometheusEndpoint: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-test/",
  });
  const source = new AmpDataSource(stack, "amp-ds", {
    name: "AMP test",
    uid: "amp",
    workspace,
    region: "eu-west-1",
  });
  new TerraformOutput(stack, "uid", { value: source.uid });
  const json = JSON.parse(Testing.synth(stack));
  const block = onlyResource(json, "grafana_data_source");

  it("is the default Prometheus data source, with the stable uid dashboards refer to", () => {
    expect(block).toMatchObject({ name: "AMP test", type: "prometheus", uid: "amp", is_default: true });
  });

  it("queries the workspace's endpoint without its trailing slash (never the remote-write path)", () => {
    expect(block.url).toBe(
      '${trimsuffix("https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-test/", "/")}',
    );
  });

  it("signs server side with the workspace's own IAM role in the workspace's region, storing no keys", () => {
    expect(block.access_mode).toBe("proxy");
    expect(JSON.parse(block.json_data_encoded as string)).toEqual(ampJsonData("eu-west-1"));
    expect(ampJsonData("eu-west-1")).toMatchObject({
      sigV4Auth: true,
      sigV4AuthType: "ec2_iam_role",
      sigV4Region: "eu-west-1",
      httpMethod: "POST",
    });
    expect(block).not.toHaveProperty("secure_json_data_encoded");
  });

  it("gives its uid as a reference, so dashboards are created after it", () => {
    expect(json.output.uid.value).toMatch(/^\$\{grafana_data_source\.[^.]+\.uid\}$/);
  });
});
