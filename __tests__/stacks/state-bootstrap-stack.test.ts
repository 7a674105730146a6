import { Testing } from "cdktf";
import { addBootstrap } from "../../app";
import type { EnvironmentConfig } from "../../config/environment";
import { validateEnvironments } from "../../config/validate";
import { exampleEnv, exampleInput, onlyResource, type StackJson } from "../helpers";

function synthState(envs: EnvironmentConfig[]): Record<string, StackJson> {
  const app = Testing.app();
  const { state } = addBootstrap(app, envs);
  return Object.fromEntries(state.map((s) => [s.stackName, JSON.parse(Testing.synth(s)) as StackJson]));
}

type Statement = {
  Sid: string;
  Effect: string;
  Principal: unknown;
  Action: string;
  Resource: string[];
  Condition: unknown;
};

describe("StateBootstrapStack", () => {
  const stacks = synthState([exampleEnv("dev"), exampleEnv("staging")]);
  const dev = stacks["bootstrap-state-111111111111"];

  it("matches the reviewed snapshot", () => {
    expect(dev).toMatchSnapshot();
  });

  it("creates one stack per account, named bootstrap-state-<account>, for S3-backed environments only", () => {
    expect(Object.keys(stacks).sort()).toEqual([
      "bootstrap-state-111111111111",
      "bootstrap-state-222222222222",
    ]);
    const app = Testing.app();
    expect(addBootstrap(app, [exampleEnv("prod")]).state).toEqual([]);
  });

  it("protects the bucket with prevent_destroy, whatever the environment's protect flag", () => {
    const bucket = onlyResource(dev, "aws_s3_bucket");
    expect(bucket).toMatchObject({
      bucket: "example-dev-terraform-state",
      lifecycle: { prevent_destroy: true },
    });
  });

  it("blocks every form of public access and disables ACLs", () => {
    expect(onlyResource(dev, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(dev, "aws_s3_bucket_ownership_controls")).toMatchObject({
      rule: { object_ownership: "BucketOwnerEnforced" },
    });
  });

  it("versions state and expires noncurrent versions after the configured days", () => {
    expect(onlyResource(dev, "aws_s3_bucket_versioning")).toMatchObject({
      versioning_configuration: { status: "Enabled" },
    });
    const rule = (
      onlyResource(dev, "aws_s3_bucket_lifecycle_configuration").rule as Record<string, unknown>[]
    )[0];
    expect(rule).toMatchObject({
      status: "Enabled",
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
    });
    // A whole-bucket rule: no expiration of current versions, ever.
    expect(rule.expiration).toBeUndefined();
  });

  it("never lets a pull-request plan role read the state that holds the Grafana token, any version", () => {
    const policy = JSON.parse(onlyResource(dev, "aws_s3_bucket_policy").policy as string);
    const deny = (policy.Statement as Statement[]).find((s) => s.Sid === "DenyPlanRolesTheGrafanaTokenState");
    expect(deny).toEqual({
      Sid: "DenyPlanRolesTheGrafanaTokenState",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: [
        expect.stringMatching(/^\$\{aws_s3_bucket\.\S+\.arn\}\/eksmon\/dev\/dev-grafana-token\.tfstate$/),
        expect.stringMatching(/^\$\{aws_s3_bucket\.\S+\.arn\}\/eksmon\/dev\/dev-grafana-config\.tfstate$/),
      ],
      Condition: {
        ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::111111111111:role/eksmon-dev-github-plan"] },
      },
    });
  });

  it("has no plan-role statement when no environment of the account plans from GitHub", () => {
    const stack = synthState([exampleEnv("dev", (e) => delete e.github)])["bootstrap-state-111111111111"];
    const policy = JSON.parse(onlyResource(stack, "aws_s3_bucket_policy").policy as string);
    expect((policy.Statement as Statement[]).map((s) => s.Sid)).toEqual([
      "DenyInsecureTransport",
      "DenyOutdatedTls",
    ]);
  });

  it("denies every request not made over TLS 1.2+, on the bucket and its objects", () => {
    const policy = JSON.parse(onlyResource(dev, "aws_s3_bucket_policy").policy as string);
    const statements = (policy.Statement as Statement[]).filter(
      (s) => s.Sid?.includes("Tls") || s.Sid === "DenyInsecureTransport",
    );
    expect(statements).toHaveLength(2);
    expect(statements.every((s) => s.Effect === "Deny" && s.Action === "s3:*" && s.Principal === "*")).toBe(
      true,
    );
    const insecure = statements.find((s) => s.Sid === "DenyInsecureTransport")!;
    expect(insecure.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
    expect(insecure.Resource).toEqual([
      expect.stringMatching(/^\$\{aws_s3_bucket\.\S+\.arn\}$/),
      expect.stringMatching(/^\$\{aws_s3_bucket\.\S+\.arn\}\/\*$/),
    ]);
    expect(statements.find((s) => s.Sid === "DenyOutdatedTls")!.Condition).toEqual({
      NumericLessThan: { "s3:TlsVersion": "1.2" },
    });
  });

  it("encrypts with SSE-KMS: the AWS managed aws/s3 key by default, the configured key when given", () => {
    expect(onlyResource(dev, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" }, bucket_key_enabled: true },
    ]);
    const key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const kms = synthState([
      exampleEnv("dev", (e) => {
        e.backend = { type: "s3", bucket: "example-dev-terraform-state", kmsKeyArn: key };
      }),
    ])["bootstrap-state-111111111111"];
    expect(onlyResource(kms, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
      {
        apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: key },
        bucket_key_enabled: true,
      },
    ]);
  });

  it("keeps its own state local until bootstrapStateInBucket moves it into the bucket (with S3 locking)", () => {
    expect(dev.terraform?.backend).toEqual({
      local: { path: "../../../terraform.bootstrap-state-111111111111.tfstate" },
    });
    const migrated = synthState([
      exampleEnv("dev", (e) => {
        e.backend = { type: "s3", bucket: "example-dev-terraform-state", bootstrapStateInBucket: true };
      }),
    ])["bootstrap-state-111111111111"];
    expect(migrated.terraform?.backend).toEqual({
      s3: {
        bucket: "example-dev-terraform-state",
        key: "bootstrap/bootstrap-state-111111111111.tfstate",
        region: "us-east-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });

  it("pins its AWS provider to the account", () => {
    expect(dev.provider?.aws?.[0]).toMatchObject({
      allowed_account_ids: ["111111111111"],
      region: "us-east-1",
    });
  });

  it("shares one bucket between environments of the same account", () => {
    const devInput = exampleInput("dev");
    const second = { ...exampleInput("dev"), name: "dev2" };
    second.backend = { type: "s3", bucket: "example-dev-terraform-state", keyPrefix: "eksmon/dev2" };
    second.amp = { alias: "dev2-eks-metrics" };
    const stacks2 = synthState(validateEnvironments([devInput, second]));
    expect(Object.keys(stacks2)).toEqual(["bootstrap-state-111111111111"]);
  });
});
