import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { Construct } from "constructs";

/** Audience HCP Terraform puts in its workload identity tokens for AWS. */
export const TFC_AWS_AUDIENCE = "aws.workload.identity";

export interface TfcOidcProviderProps {
  /** Terraform Cloud / Enterprise hostname, e.g. app.terraform.io (the token issuer is https://<hostname>). */
  readonly hostname: string;
}

/** The IAM OIDC identity provider that lets an AWS account trust HCP Terraform's workload identity tokens. */
export class TfcOidcProvider extends Construct {
  /** The provider. */
  readonly provider: IamOpenidConnectProvider;
  /** Provider ARN (the `Federated` principal of run-role trust policies). */
  readonly arn: string;
  /** Issuer host: the prefix of the `:aud` and `:sub` condition keys. */
  readonly hostname: string;

  constructor(scope: Construct, id: string, props: TfcOidcProviderProps) {
    super(scope, id);
    this.hostname = props.hostname;
    // No thumbprint_list: IAM validates well-known issuers against its own trusted CAs.
    this.provider = new IamOpenidConnectProvider(this, "provider", {
      url: `https://${props.hostname}`,
      clientIdList: [TFC_AWS_AUDIENCE],
    });
    this.arn = this.provider.arn;
  }
}
