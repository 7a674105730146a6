/**
 * State access by object key: an identity that deploys reads and writes its environment's state and its
 * lock files; one that plans reads exactly the stacks it plans, nothing else, and never writes.
 */
import {
  grantStateRead,
  grantStateReadWrite,
  type StateLocation,
  stateObjectArn,
} from "../../../constructs/bootstrap/state-access";
import type { IGrantable, PolicyStatement } from "../../../lib/iam";

const state: StateLocation = { bucket: "example-terraform-state", keyPrefix: "eksmon/dev", partition: "aws" };
const KEY = "arn:aws:kms:eu-central-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";

function granted(grant: (grantee: IGrantable) => void): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  grant({ addToPolicy: (...s) => statements.push(...s) });
  return statements;
}
const actionsOf = (statements: PolicyStatement[]) => statements.flatMap((s) => [s.Action ?? []].flat());

describe("grantStateReadWrite", () => {
  const statements = granted((g) => grantStateReadWrite(g, state));

  it("lists only the environment's prefix", () => {
    expect(statements[0]).toEqual({
      Sid: "ListEnvironmentState",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: "arn:aws:s3:::example-terraform-state",
      Condition: { StringLike: { "s3:prefix": "eksmon/dev/*" } },
    });
  });

  it("reads and writes the environment's objects, and deletes only lock files", () => {
    expect(statements.find((s) => s.Sid === "ReadWriteEnvironmentState")).toMatchObject({
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: "arn:aws:s3:::example-terraform-state/eksmon/dev/*",
    });
    expect(statements.find((s) => s.Sid === "ReleaseStateLocks")).toMatchObject({
      Action: "s3:DeleteObject",
      Resource: "arn:aws:s3:::example-terraform-state/eksmon/dev/*.tflock",
    });
    expect(statements.every((s) => s.Effect === "Allow")).toBe(true);
    expect(JSON.stringify(statements)).not.toMatch(/s3:\*|"\*"/);
  });

  it("uses the state's key only when it has one, in the state's partition", () => {
    expect(actionsOf(statements).filter((a) => a.startsWith("kms:"))).toEqual([]);
    const withKey = granted((g) => grantStateReadWrite(g, { ...state, kmsKeyArn: KEY }));
    expect(withKey.at(-1)).toEqual({
      Sid: "EncryptEnvironmentState",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: KEY,
    });
    const gov = granted((g) => grantStateReadWrite(g, { ...state, partition: "aws-us-gov" }));
    expect(gov[0].Resource).toBe("arn:aws-us-gov:s3:::example-terraform-state");
  });
});

describe("grantStateRead", () => {
  const keys = ["eksmon/dev/network.tfstate", "eksmon/dev/grafana.tfstate"];
  const statements = granted((g) => grantStateRead(g, state, keys));

  it("reads exactly the given state objects and writes nothing", () => {
    expect(statements.find((s) => s.Sid === "ReadPlannedStacksState")).toEqual({
      Sid: "ReadPlannedStacksState",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: keys.map((k) => `arn:aws:s3:::example-terraform-state/${k}`),
    });
    expect(actionsOf(statements).sort()).toEqual(["s3:GetObject", "s3:ListBucket"]);
  });

  it("may only decrypt with the state's key", () => {
    const withKey = granted((g) => grantStateRead(g, { ...state, kmsKeyArn: KEY }, keys));
    expect(actionsOf(withKey).filter((a) => a.startsWith("kms:"))).toEqual(["kms:Decrypt"]);
    expect(withKey.at(-1)?.Resource).toBe(KEY);
  });

  it("names state objects for bucket policies the same way", () => {
    expect(stateObjectArn(state, keys[0])).toBe(
      "arn:aws:s3:::example-terraform-state/eksmon/dev/network.tfstate",
    );
  });
});
