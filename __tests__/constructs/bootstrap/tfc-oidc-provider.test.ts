/** TfcOidcProvider: the account's trust in HCP Terraform's workload identity tokens, for one hostname. */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { TFC_AWS_AUDIENCE, TfcOidcProvider } from "../../../constructs/bootstrap/tfc-oidc-provider";
import { onlyResource } from "../../helpers";

describe("TfcOidcProvider", () => {
  it("trusts the hostname's issuer with the HCP Terraform audience only, no thumbprint", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const provider = new TfcOidcProvider(stack, "tfc", { hostname: "tfe.example.com" });
    new TerraformOutput(stack, "arn", { value: provider.arn });
    const json = JSON.parse(Testing.synth(stack));
    expect(onlyResource(json, "aws_iam_openid_connect_provider")).toEqual({
      url: "https://tfe.example.com",
      client_id_list: [TFC_AWS_AUDIENCE],
    });
    expect(TFC_AWS_AUDIENCE).toBe("aws.workload.identity");
    // The hostname is the prefix of the run roles' :aud and :sub condition keys.
    expect(provider.hostname).toBe("tfe.example.com");
    expect(json.output.arn.value).toMatch(/^\$\{aws_iam_openid_connect_provider\..+\.arn\}$/);
  });
});
