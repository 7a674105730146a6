/**
 * ProjectStack.toTerraform is cdktf's TerraformStack.toTerraform with a resolution that skips what holds no
 * token (lib/cdktf-internals/settled.ts): the two must give the same document, for every example stack and for tokens where
 * only the full resolution would find them (stack and element overrides).
 */
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { App, Fn, Lazy, TerraformOutput, TerraformStack, Testing } from "cdktf";
import { addBootstrap, addEnvironment } from "../../app";
import { validateEnvironments } from "../../config/validate";
import { environments } from "../../environments";
import { ProjectStack } from "../../stacks/project-stack";

/** What cdktf's own TerraformStack.toTerraform makes of `stack`. */
const cdktfDocument = (stack: TerraformStack) => TerraformStack.prototype.toTerraform.call(stack);

describe("ProjectStack.toTerraform", () => {
  const app = new App({ outdir: Testing.app().outdir });
  const configs = validateEnvironments(environments);
  for (const env of configs) addEnvironment(app, env);
  addBootstrap(app, configs);
  const stacks = app.node.children.filter(TerraformStack.isStack);

  it("covers every example stack", () => {
    expect(stacks.length).toBeGreaterThanOrEqual(21);
    for (const stack of stacks) expect(stack).toBeInstanceOf(ProjectStack);
  });

  it.each(stacks.map((s) => [s.node.id, s] as const))(
    "gives %s the document cdktf gives it",
    (_id, stack) => {
      expect(stack.toTerraform()).toStrictEqual(cdktfDocument(stack));
    },
  );

  it("resolves tokens in stack and element overrides as cdktf does", () => {
    class Fixture extends ProjectStack {}
    const stack = new Fixture(Testing.app(), "fixture");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const region = new DataAwsRegion(stack, "region");
    const bucket = new S3Bucket(stack, "bucket", { bucket: `logs-${region.name}` });
    bucket.addOverride("lifecycle.replace_triggered_by", [region.fqn]);
    bucket.addOverride("tags", Lazy.anyValue({ produce: () => ({ region: region.name }) }));
    stack.addOverride("terraform.required_version", Lazy.stringValue({ produce: () => ">= 1.10" }));
    stack.addOverride(`check.region`, {
      assert: [{ condition: Fn.contains(["us-east-1"], region.name), error_message: `not ${region.name}` }],
    });
    stack.addOverride("locals.count", Lazy.numberValue({ produce: () => 3 }));
    stack.addOverride("locals.gone", undefined);
    new TerraformOutput(stack, "name", { value: bucket.bucket });
    expect(stack.toTerraform()).toStrictEqual(cdktfDocument(stack));
    expect(stack.toTerraform().check.region.assert[0].condition).toBe(
      '${contains(["us-east-1"], data.aws_region.region.name)}',
    );
  });
});
