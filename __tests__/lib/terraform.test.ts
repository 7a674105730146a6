import { DataAwsEksAddonVersion } from "@cdktf/provider-aws/lib/data-aws-eks-addon-version";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DefaultTokenResolver, Fn, Op, StringConcat, TerraformStack, Testing, Tokenization } from "cdktf";
import { addonVersionAtLeast, addonVersionNumber } from "../../lib/terraform";

describe("addonVersionAtLeast", () => {
  const stack = new TerraformStack(Testing.app(), "addon-version");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const data = new DataAwsEksAddonVersion(stack, "latest", {
    addonName: "aws-ebs-csi-driver",
    kubernetesVersion: "1.31",
    mostRecent: true,
  });
  const resolve = (value: unknown) =>
    Tokenization.resolve(value, {
      scope: stack,
      preparing: false,
      resolver: new DefaultTokenResolver(new StringConcat()),
    });

  /** The same condition built with cdktf's Fn and Op, as it was before it was written as text. */
  function withFnAndOp(left: number, right: number) {
    return Fn.try([Op.gte(left, right), true]);
  }
  function numberExpression(version: string): number {
    const parts = Fn.regex("^v([0-9]+)[.]([0-9]+)[.]([0-9]+)-eksbuild[.]([0-9]+)$", version);
    const weighted = [1e9, 1e6, 1e3, 1].map((w, i) => Op.mul(Fn.tonumber(Fn.element(parts, i)), w));
    return weighted.slice(1).reduce((sum, part) => Op.add(sum, part), weighted[0]);
  }

  it("renders what Fn.try, Op.gte and Fn.regex render, a reference on either side", () => {
    const pinned = "v1.38.1-eksbuild.1";
    expect(resolve(addonVersionAtLeast({ reference: data.version }, { version: pinned }))).toBe(
      resolve(withFnAndOp(numberExpression(data.version), addonVersionNumber(pinned))),
    );
    expect(resolve(addonVersionAtLeast({ version: pinned }, { reference: data.version }))).toBe(
      resolve(withFnAndOp(addonVersionNumber(pinned), numberExpression(data.version))),
    );
  });

  it("compares versions known at synth as their numbers", () => {
    expect(addonVersionAtLeast({ version: "v1.38.1-eksbuild.1" }, { version: "v1.9.0-eksbuild.12" })).toBe(
      "${try((1038001001 >= 1009000012), true)}",
    );
  });
});
