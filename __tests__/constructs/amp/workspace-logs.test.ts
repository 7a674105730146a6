import { Testing } from "cdktf";
import { AmpWorkspaceLogs, type AmpWorkspaceLogsProps } from "../../../constructs/amp/workspace-logs";
import { TEST_TARGET } from "../../helpers";

const props: AmpWorkspaceLogsProps = {
  logGroupName: "/aws/vendedlogs/prometheus/eksmon-test-amp",
  retentionDays: 30,
  resourcePolicyName: "eksmon-test-amp-logs",
  target: TEST_TARGET,
};
const LOG_GROUP_ARN =
  "arn:aws:logs:eu-central-1:123456789012:log-group:/aws/vendedlogs/prometheus/eksmon-test-amp";

function synth(p: AmpWorkspaceLogsProps) {
  return JSON.parse(Testing.synthScope((scope) => new AmpWorkspaceLogs(scope, "logs", p)));
}
const onlyOf = (json: any, type: string) => {
  const all = Object.values(json.resource[type] ?? {}) as any[];
  expect(all).toHaveLength(1);
  return all[0];
};

describe("AmpWorkspaceLogs", () => {
  const json = synth(props);

  it("keeps AMP's errors for the retention given, encrypted with a key of its own", () => {
    const group = onlyOf(json, "aws_cloudwatch_log_group");
    expect(group).toMatchObject({ name: props.logGroupName, retention_in_days: 30 });
    expect(group.kms_key_id).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
    expect(group.lifecycle).toBeUndefined(); // diagnostics that expire: not protected
    expect(onlyOf(json, "aws_kms_alias").name).toBe("alias/eksmon-test-amp-logs");
  });

  it("lets CloudWatch Logs use the key only for this log group (encryption context), conditioned on the source", () => {
    const key = onlyOf(json, "aws_kms_key");
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: false } });
    const [admin, logs] = JSON.parse(key.policy).Statement;
    expect(admin.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(logs).toEqual({
      Sid: "CloudWatchLogsEncryptsThisLogGroup",
      Effect: "Allow",
      Principal: { Service: "logs.eu-central-1.amazonaws.com" },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: {
        ArnEquals: { "kms:EncryptionContext:aws:logs:arn": LOG_GROUP_ARN },
        StringEqualsIfExists: { "aws:SourceAccount": "123456789012" },
        ArnLikeIfExists: { "aws:SourceArn": [LOG_GROUP_ARN, `${LOG_GROUP_ARN}:*`] },
      },
    });
    expect(onlyOf(synth({ ...props, keyPreventDestroy: true }), "aws_kms_key").lifecycle).toEqual({
      prevent_destroy: true,
    });
  });

  it("lets log delivery write into this log group only, for this account", () => {
    const policy = onlyOf(json, "aws_cloudwatch_log_resource_policy");
    expect(policy.policy_name).toBe("eksmon-test-amp-logs");
    expect(JSON.parse(policy.policy_document).Statement).toEqual([
      {
        Sid: "LogDeliveryWritesAmpLogs",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${LOG_GROUP_ARN}:log-stream:*`,
        Condition: {
          StringEquals: { "aws:SourceAccount": "123456789012" },
          ArnLike: { "aws:SourceArn": "arn:aws:logs:eu-central-1:123456789012:*" },
        },
      },
    ]);
  });

  it("uses a key given instead of creating one", () => {
    const kms = "arn:aws:kms:eu-central-1:123456789012:key/abc";
    const given = synth({ ...props, kmsKeyArn: kms });
    expect(given.resource.aws_kms_key).toBeUndefined();
    expect(onlyOf(given, "aws_cloudwatch_log_group").kms_key_id).toBe(kms);
  });

  it("refuses a retention CloudWatch Logs does not accept", () => {
    expect(() => synth({ ...props, retentionDays: 31 })).toThrow(
      /logs: retentionDays 31 is not a retention CloudWatch Logs accepts \(expected one of 1, 3, 5, 7, 14, 30, /,
    );
  });
});
