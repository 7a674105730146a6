import { DataAwsIamOpenidConnectProvider } from "@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Construct } from "constructs";

/** Issuer host of GitHub Actions' OIDC tokens: the prefix of the `:aud` and `:sub` condition keys. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** Audience aws-actions/configure-aws-credentials asks GitHub for. */
export const GITHUB_AWS_AUDIENCE = "sts.amazonaws.com";

export interface GithubOidcProviderProps {
  /** "create" the account's IAM OIDC provider for GitHub Actions, or "lookup" the one it already has (one per account). */
  readonly source: "create" | "lookup";
}

/** The IAM OIDC identity provider that lets an AWS account trust GitHub Actions' tokens. */
export class GithubOidcProvider extends Construct {
  /** Provider ARN (the `Federated` principal of the roles' trust policies). */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: GithubOidcProviderProps) {
    super(scope, id);
    const url = `https://${GITHUB_OIDC_HOST}`;
    // No thumbprint_list: IAM validates well-known issuers against its own trusted CAs.
    this.arn =
      props.source === "create"
        ? new IamOpenidConnectProvider(this, "provider", { url, clientIdList: [GITHUB_AWS_AUDIENCE] }).arn
        : new DataAwsIamOpenidConnectProvider(this, "provider", { url }).arn;
  }
}
