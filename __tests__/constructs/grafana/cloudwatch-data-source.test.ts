/** CloudWatchDataSource: CloudWatch through the AMG workspace's IAM role, in the environment's region, no keys. */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { CloudWatchDataSource } from "../../../constructs/grafana/cloudwatch-data-source";
import { onlyResource } from "../../helpers";

describe("CloudWatchDataSource", () => {
  const stack = new TerraformStack(Testing.app(), "test");
  const source = new CloudWatchDataSource(stack, "cw", {
    name: "CloudWatch",
    uid: "cloudwatch",
    region: "eu-west-1",
  });
  new TerraformOutput(stack, "uid", { value: source.uid });
  const json = JSON.parse(Testing.synth(stack));
  const block = onlyResource(json, "grafana_data_source");

  it("is a CloudWatch data source with the stable uid dashboards refer to, not the default one", () => {
    expect(block).toMatchObject({
      name: "CloudWatch",
      type: "cloudwatch",
      uid: "cloudwatch",
      access_mode: "proxy",
    });
    expect(block).not.toHaveProperty("is_default");
    expect(block).not.toHaveProperty("url");
  });

  it("authenticates with the workspace's IAM role in the given region, storing no keys", () => {
    expect(JSON.parse(block.json_data_encoded as string)).toEqual({
      authType: "ec2_iam_role",
      defaultRegion: "eu-west-1",
    });
    expect(block).not.toHaveProperty("secure_json_data_encoded");
  });

  it("gives its uid as a reference, so dashboards are created after it", () => {
    expect(json.output.uid.value).toMatch(/^\$\{grafana_data_source\.[^.]+\.uid\}$/);
  });
});
