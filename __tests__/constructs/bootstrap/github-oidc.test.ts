/** GithubOidcProvider: the account's trust in GitHub Actions' tokens, made here or looked up (one per account). */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import {
  GITHUB_AWS_AUDIENCE,
  GITHUB_OIDC_HOST,
  GithubOidcProvider,
} from "../../../constructs/bootstrap/github-oidc";
import type { StackJson } from "../../helpers";

function build(source: "create" | "lookup") {
  const stack = new TerraformStack(Testing.app(), "test");
  const provider = new GithubOidcProvider(stack, "github", { source });
  new TerraformOutput(stack, "arn", { value: provider.arn });
  return JSON.parse(Testing.synth(stack)) as StackJson & { output: { arn: { value: string } } };
}

describe("GithubOidcProvider", () => {
  it("creates the provider for GitHub's issuer with the STS audience only, no thumbprint", () => {
    const json = build("create");
    const providers = Object.values(json.resource?.aws_iam_openid_connect_provider ?? {});
    expect(providers).toEqual([
      { url: `https://${GITHUB_OIDC_HOST}`, client_id_list: [GITHUB_AWS_AUDIENCE] },
    ]);
    expect(json.data).toBeUndefined();
    expect(json.output.arn.value).toMatch(/^\$\{aws_iam_openid_connect_provider\..+\.arn\}$/);
  });

  it("looks up the account's existing provider instead, creating nothing", () => {
    const json = build("lookup");
    expect(json.resource).toBeUndefined();
    expect(Object.values(json.data?.aws_iam_openid_connect_provider ?? {})).toEqual([
      { url: "https://token.actions.githubusercontent.com" },
    ]);
    expect(json.output.arn.value).toMatch(/^\$\{data\.aws_iam_openid_connect_provider\..+\.arn\}$/);
  });

  it("uses the audience aws-actions/configure-aws-credentials asks for", () => {
    expect(GITHUB_AWS_AUDIENCE).toBe("sts.amazonaws.com");
  });
});
