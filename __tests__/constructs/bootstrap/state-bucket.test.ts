/**
 * StateBucket: Terraform state kept versioned, encrypted, private, over TLS 1.2+ only, old versions expired,
 * and the state holding the Grafana token kept from the plan roles whatever else they are allowed.
 */
import { TerraformStack, Testing } from "cdktf";
import { StateBucket, type StateBucketProps } from "../../../constructs/bootstrap/state-bucket";
import type { PolicyStatement } from "../../../lib/iam";
import { onlyResource, type StackJson } from "../../helpers";

const base: StateBucketProps = {
  bucketName: "example-terraform-state",
  noncurrentVersionExpiryDays: 90,
  preventDestroy: true,
};
const KEY = "arn:aws:kms:eu-central-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";
const PLAN_ROLE = "arn:aws:iam::123456789012:role/eksmon-dev-plan";

function build(props: Partial<StateBucketProps> = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  new StateBucket(stack, "state", { ...base, ...props });
  return JSON.parse(Testing.synth(stack)) as StackJson;
}
const statements = (json: StackJson) =>
  JSON.parse(onlyResource(json, "aws_s3_bucket_policy").policy as string).Statement as PolicyStatement[];

describe("StateBucket", () => {
  const json = build();

  it("keeps every version, protected from destroy when asked, expiring old versions after the given days", () => {
    expect(onlyResource(json, "aws_s3_bucket")).toMatchObject({
      bucket: "example-terraform-state",
      lifecycle: { prevent_destroy: true },
    });
    expect(onlyResource(json, "aws_s3_bucket_versioning").versioning_configuration).toEqual({
      status: "Enabled",
    });
    const [rule] = onlyResource(json, "aws_s3_bucket_lifecycle_configuration").rule as Record<
      string,
      unknown
    >[];
    expect(rule).toMatchObject({
      status: "Enabled",
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    });
    expect(rule).not.toHaveProperty("expiration"); // current state versions never expire
    expect(onlyResource(build({ preventDestroy: false }), "aws_s3_bucket").lifecycle).toEqual({
      prevent_destroy: false,
    });
  });

  it("encrypts with SSE-KMS: the AWS managed key by default, the customer key when given", () => {
    const sse = (j: StackJson) =>
      (
        onlyResource(j, "aws_s3_bucket_server_side_encryption_configuration").rule as Record<
          string,
          unknown
        >[]
      )[0];
    expect(sse(json)).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" },
      bucket_key_enabled: true,
    });
    expect(sse(build({ kmsKeyArn: KEY })).apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: KEY,
    });
  });

  it("is never public and takes no ACLs", () => {
    expect(onlyResource(json, "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(onlyResource(json, "aws_s3_bucket_ownership_controls").rule).toEqual({
      object_ownership: "BucketOwnerEnforced",
    });
  });

  it("refuses plain HTTP and TLS below 1.2 for the bucket and its objects, once the public access block exists", () => {
    const policy = statements(json);
    expect(policy.map((s) => [s.Sid, s.Effect, s.Condition])).toEqual([
      ["DenyInsecureTransport", "Deny", { Bool: { "aws:SecureTransport": "false" } }],
      ["DenyOutdatedTls", "Deny", { NumericLessThan: { "s3:TlsVersion": "1.2" } }],
    ]);
    for (const s of policy)
      expect(s.Resource).toEqual([expect.stringMatching(/\.arn\}$/), expect.stringMatching(/\.arn\}\/\*$/)]);
    expect(onlyResource(json, "aws_s3_bucket_policy").depends_on).toEqual([
      expect.stringMatching(/^aws_s3_bucket_public_access_block\./),
    ]);
  });

  it("denies reading the listed state objects, any version, to the listed roles", () => {
    const policy = statements(
      build({ readDeniedTo: { principalArns: [PLAN_ROLE], keys: ["eksmon/dev/grafana-token.tfstate"] } }),
    );
    expect(policy.find((s) => s.Sid === "DenyPlanRolesTheGrafanaTokenState")).toEqual({
      Sid: "DenyPlanRolesTheGrafanaTokenState",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: [expect.stringMatching(/\.arn\}\/eksmon\/dev\/grafana-token\.tfstate$/)],
      Condition: { ArnEquals: { "aws:PrincipalArn": [PLAN_ROLE] } },
    });
  });

  it.each([
    ["no roles", { principalArns: [], keys: ["k"] }],
    ["no keys", { principalArns: [PLAN_ROLE], keys: [] }],
  ])(
    "writes no deny with %s (a Deny without principals or objects is invalid or useless)",
    (_what, readDeniedTo) => {
      expect(statements(build({ readDeniedTo })).map((s) => s.Sid)).toEqual([
        "DenyInsecureTransport",
        "DenyOutdatedTls",
      ]);
    },
  );
});
