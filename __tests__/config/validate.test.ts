import type { EnvironmentInput } from "../../config/environment";
import { validateEnvironments } from "../../config/validate";
import { environments } from "../../environments";
import { configProblems, exampleInput } from "../helpers";

const problemsOf = configProblems;

function devWith(edit: (env: Record<string, any>) => void): EnvironmentInput {
  const env = exampleInput("dev") as Record<string, any>;
  edit(env);
  return env as EnvironmentInput;
}

describe("the example environments", () => {
  it("are valid", () => {
    expect(validateEnvironments(environments).map((e) => e.name)).toEqual(["dev", "staging", "prod"]);
  });

  it("protect prod and not dev, each saying so explicitly", () => {
    const [dev, , prod] = validateEnvironments(environments);
    expect(dev.protect).toBe(false);
    expect(prod.protect).toBe(true);
    expect(problemsOf(devWith((e) => delete e.protect))).toEqual([
      "dev.protect: is required (expected true or false: protect stateful resources from destroy)",
    ]);
  });

  it("fill in the tutorial's queue_config and per-environment S3 keys", () => {
    const [dev] = validateEnvironments(environments);
    expect(dev.clusters[0].collector).toMatchObject({
      queueConfig: { maxSamplesPerSend: 1000, maxShards: 200, capacity: 2500 },
    });
    expect(dev.backend).toMatchObject({ type: "s3", keyPrefix: "eksmon/dev", region: "us-east-1" });
  });
});

// Each case: an edit of the dev example, and the exact `<env>.<field>: ...` line it must produce.
const badCases: [string, (env: Record<string, any>) => void, RegExp][] = [
  [
    "account id of 4 digits",
    (e) => (e.accountId = "1234"),
    /^dev\.accountId: "1234" is not an AWS account id \(expected 12 digits/,
  ],
  ["missing account id", (e) => delete e.accountId, /^dev\.accountId: is required \(expected 12 digits/],
  [
    "malformed region",
    (e) => (e.region = "us-east"),
    /^dev\.region: "us-east" is not an AWS region \(expected a region such as "us-east-1"\)/,
  ],
  ["bad partition", (e) => (e.partition = "azure"), /^dev\.partition: "azure" is not an AWS partition/],
  [
    "env name with upper case",
    (e) => (e.name = "Dev"),
    /^Dev\.name: "Dev" is not an environment name \(expected 1-12 lower-case/,
  ],
  [
    "cluster name starting with a hyphen",
    (e) => (e.clusters[0].name = "-eks"),
    /^dev\.clusters\[0\]\.name: "-eks" is not an EKS cluster name/,
  ],
  [
    "cluster name over 100 characters",
    (e) => (e.clusters[0].name = "a".repeat(101)),
    /^dev\.clusters\[0\]\.name: .* is not an EKS cluster name \(expected 1-100/,
  ],
  [
    "OIDC provider neither lookup, create nor ARN",
    (e) => (e.clusters[0].oidcProvider = "find"),
    /^dev\.clusters\[0\]\.oidcProvider: must be "lookup", "create" or \{ arn/,
  ],
  [
    "OIDC provider ARN of another account",
    (e) =>
      (e.clusters[0].oidcProvider = {
        arn: "arn:aws:iam::999999999999:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC123",
      }),
    /^dev\.clusters\[0\]\.oidcProvider\.arn: belongs to account 999999999999 \(expected the environment's account 111111111111\)/,
  ],
  [
    "OIDC provider ARN malformed",
    (e) => (e.clusters[0].oidcProvider = { arn: "arn:aws:iam::111111111111:role/x" }),
    /^dev\.clusters\[0\]\.oidcProvider\.arn: "arn:aws:iam::111111111111:role\/x" is not an IAM OIDC provider ARN/,
  ],
  [
    "VPC id too short",
    (e) => (e.network.vpcId = "vpc-123"),
    /^dev\.network\.vpcId: "vpc-123" is not a VPC id \(expected vpc- followed by 8 or 17 hex digits\)/,
  ],
  [
    "one endpoint subnet",
    (e) => (e.network.endpointSubnetIds = ["subnet-0a1b2c3d4e5f60001"]),
    /^dev\.network\.endpointSubnetIds: has fewer than 2 subnets \(expected at least 2, in different AZs\)/,
  ],
  [
    "subnet listed twice",
    (e) => (e.network.endpointSubnetIds = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60001"]),
    /^dev\.network\.endpointSubnetIds: lists "subnet-0a1b2c3d4e5f60001" more than once/,
  ],
  [
    "malformed subnet id",
    (e) => (e.network.endpointSubnetIds[1] = "sub-1"),
    /^dev\.network\.endpointSubnetIds\[1\]: "sub-1" is not a subnet id/,
  ],
  [
    "CIDR open to the world",
    (e) => (e.network.vpcCidrs = ["0.0.0.0/0"]),
    /^dev\.network\.vpcCidrs\[0\]: "0\.0\.0\.0\/0" is wider than a VPC can be/,
  ],
  [
    "CIDR that is not a CIDR",
    (e) => (e.network.vpcCidrs = ["10.0.0.0"]),
    /^dev\.network\.vpcCidrs\[0\]: "10\.0\.0\.0" is not an IPv4 CIDR block/,
  ],
  [
    "no CIDR",
    (e) => (e.network.vpcCidrs = []),
    /^dev\.network\.vpcCidrs: is empty \(expected at least one CIDR block/,
  ],
  [
    "empty AMP alias",
    (e) => (e.amp.alias = ""),
    /^dev\.amp\.alias: "" is too short \(expected an AMP workspace alias, 1-100 characters\)/,
  ],
  [
    "retention over 1095 days",
    (e) => (e.amp.retentionDays = 2000),
    /^dev\.amp\.retentionDays: 2000 is too large \(expected retention in days, 1-1095\)/,
  ],
  ["retention of zero days", (e) => (e.amp.retentionDays = 0), /^dev\.amp\.retentionDays: 0 is too small/],
  [
    "KMS alias instead of key ARN",
    (e) => (e.amp.kmsKeyArn = "alias/aws/aps"),
    /^dev\.amp\.kmsKeyArn: "alias\/aws\/aps" is not a KMS key ARN \(expected arn:aws:kms:<region>:<account>:key\/<key-id>; an alias is not accepted\)/,
  ],
  [
    "KMS key in another region",
    (e) => (e.amp.kmsKeyArn = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    /^dev\.amp\.kmsKeyArn: is in region "eu-west-1" \(expected a key in us-east-1/,
  ],
  [
    "KMS key in another account",
    (e) =>
      (e.clusters[0].ebsCsi.kmsKeyArn =
        "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    /^dev\.clusters\[0\]\.ebsCsi\.kmsKeyArn: belongs to account 999999999999/,
  ],
  [
    "chart version range",
    (e) => (e.clusters[0].collector.chartVersion = "29.x"),
    /^dev\.clusters\[0\]\.collector\.chartVersion: "29\.x" is not a chart version \(expected an exact version/,
  ],
  [
    "capacity below max_samples_per_send",
    (e) => (e.clusters[0].collector.queueConfig = { maxSamplesPerSend: 5000, capacity: 2500 }),
    /^dev\.clusters\[0\]\.collector\.queueConfig\.capacity: 2500 is below maxSamplesPerSend 5000/,
  ],
  [
    "fractional shard count",
    (e) => (e.clusters[0].collector.queueConfig = { maxShards: 1.5 }),
    /^dev\.clusters\[0\]\.collector\.queueConfig\.maxShards: 1\.5 is not an integer/,
  ],
  [
    "retention that is not a duration",
    (e) => (e.clusters[0].collector.retention = "15 days"),
    /^dev\.clusters\[0\]\.collector\.retention: "15 days" is not a Prometheus duration/,
  ],
  [
    "volume size without unit syntax",
    (e) => (e.clusters[0].collector.persistentVolumeSize = "8 GB"),
    /^dev\.clusters\[0\]\.collector\.persistentVolumeSize: "8 GB" is not a volume size/,
  ],
  [
    "overriding the managed remote write",
    (e) => (e.clusters[0].collector.values = { server: { remoteWrite: [{ url: "http://x" }] } }),
    /^dev\.clusters\[0\]\.collector\.values\.server\.remoteWrite: is managed by this project/,
  ],
  [
    "overriding the service account",
    (e) => (e.clusters[0].collector.values = { serviceAccounts: { server: { name: "other" } } }),
    /^dev\.clusters\[0\]\.collector\.values\.serviceAccounts\.server: is managed by this project/,
  ],
  [
    "namespace with upper case",
    (e) => (e.clusters[0].collector.namespace = "Prometheus"),
    /^dev\.clusters\[0\]\.collector\.namespace: "Prometheus" is not a namespace name \(expected a DNS-1123 label\)/,
  ],
  [
    "add-on version without eksbuild",
    (e) => (e.clusters[0].ebsCsi.addonVersion = "1.38.1"),
    /^dev\.clusters\[0\]\.ebsCsi\.addonVersion: "1\.38\.1" is not an EKS add-on version \(expected a version such as "v1\.38\.1-eksbuild\.1"\)/,
  ],
  [
    "Grafana name with spaces",
    (e) => (e.grafana.name = "my grafana"),
    /^dev\.grafana\.name: "my grafana" is not an AMG workspace name/,
  ],
  [
    "unknown Grafana version",
    (e) => (e.grafana.version = "11.0"),
    /^dev\.grafana\.version: "11\.0" is not an AMG Grafana version \(expected one of 9\.4, 10\.4, 12\.4\)/,
  ],
  [
    "data sources without PROMETHEUS",
    (e) => (e.grafana.dataSources = ["CLOUDWATCH"]),
    /^dev\.grafana\.dataSources: does not include PROMETHEUS/,
  ],
  [
    "unknown data source",
    (e) => (e.grafana.dataSources = ["PROMETHEUS", "LOKI"]),
    /^dev\.grafana\.dataSources\[1\]: "LOKI" is not an AMG data source/,
  ],
  [
    "notification destination other than SNS",
    (e) => (e.grafana.notificationDestinations = ["EMAIL"]),
    /^dev\.grafana\.notificationDestinations\[0\]: "EMAIL" is not supported \(expected "SNS"\)/,
  ],
  [
    "no admin at all",
    (e) => (e.grafana.admins = {}),
    /^dev\.grafana\.admins: names no admin \(expected at least one of userIds, groupIds or userNames\)/,
  ],
  [
    "malformed Identity Center group id",
    (e) => (e.grafana.admins = { groupIds: ["admins"] }),
    /^dev\.grafana\.admins\.groupIds\[0\]: "admins" is not an Identity Center group id/,
  ],
  [
    "user names without identity store",
    (e) => (e.grafana.admins = { userNames: ["jane"] }),
    /^dev\.grafana\.identityCenter: is required when userNames is set \(in admins\)/,
  ],
  [
    "malformed identity store id",
    (e) => {
      e.grafana.admins = { userNames: ["jane"] };
      e.grafana.identityCenter = {
        identityStoreId: "store-1",
        accountId: "111111111111",
        region: "us-east-1",
      };
    },
    /^dev\.grafana\.identityCenter\.identityStoreId: "store-1" is not an identity store id \(expected d- followed by 10 hex digits\)/,
  ],
  [
    "unknown backend type",
    (e) => (e.backend = { type: "gcs", bucket: "x" }),
    /^dev\.backend(\.type)?: .*expected type "s3", "cloud" or "local"/,
  ],
  [
    "S3 bucket name with upper case",
    (e) => (e.backend.bucket = "My_Bucket"),
    /^dev\.backend\.bucket: "My_Bucket" is not an S3 bucket name/,
  ],
  [
    "cloud backend without organization",
    (e) => (e.backend = { type: "cloud" }),
    /^dev\.backend\.organization: is required/,
  ],
  [
    "typo in a field name",
    (e) => (e.amp.retentiondays = 10),
    /^dev\.amp: unknown field "retentiondays" \(expected only the fields documented in docs\/configuration\.md\)/,
  ],
  [
    "tag key in the aws: namespace",
    (e) => (e.tags = { "aws:owner": "me" }),
    /^dev\.tags\.aws:owner: "aws:owner" is not a tag key \(expected 1-128 characters, not starting with aws:\)/,
  ],
  [
    "more tags than AWS allows",
    (e) => (e.tags = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`k${i}`, "v"]))),
    /^dev\.tags: has 47 tags \(expected at most 46/,
  ],
  ["protect that is not a boolean", (e) => (e.protect = "yes"), /^dev\.protect: must be true or false/],
];

describe("a bad configuration", () => {
  it.each(badCases)("is rejected with a clear message: %s", (_name, edit, expected) => {
    const problems = problemsOf(devWith(edit));
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });

  it("has at least 20 distinct cases above", () => {
    expect(new Set(badCases.map((c) => c[0])).size).toBeGreaterThanOrEqual(20);
  });

  it("reports every problem at once, in every environment", () => {
    const dev = devWith((e) => {
      e.accountId = "1";
      e.region = "nowhere";
    });
    const staging = exampleInput("staging") as Record<string, any>;
    staging.grafana.version = "8.0";
    const problems = problemsOf(dev, staging as EnvironmentInput);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^dev\.accountId: /),
        expect.stringMatching(/^dev\.region: /),
        expect.stringMatching(/^staging\.grafana\.version: /),
      ]),
    );
  });

  it("renders as one message without a stack trace", () => {
    try {
      validateEnvironments([devWith((e) => (e.accountId = "1"))]);
      throw new Error("not rejected");
    } catch (error) {
      expect((error as Error).message).toBe(
        'Invalid environment configuration (1 problem):\n  - dev.accountId: "1" is not an AWS account id (expected 12 digits, e.g. 111111111111)',
      );
    }
  });
});

describe("the environment list", () => {
  it("reject an empty environment list", () => {
    expect(problemsOf()).toEqual([expect.stringMatching(/none defined/)]);
  });
});
