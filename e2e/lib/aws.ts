/**
 * AWS API calls against moto for the e2e: creating what a user already has (VPC, subnets, EKS cluster, OIDC
 * provider) and reading back what the stacks created. The client is boto3 from moto's own virtualenv
 * (e2e/install-moto.sh installs it with moto), driven by a short Python program: no AWS SDK in the
 * project's dependencies for a test harness. S3 reads during an apply (the lock object) use plain HTTP
 * with a placeholder Authorization header (moto checks no signature unless told to, but treats a request
 * without one as anonymous and refuses private objects), so polling stays cheap.
 */
import { runCommand } from "./processes";

export interface AwsCall {
  readonly service: string;
  readonly op: string;
  readonly params?: Record<string, unknown>;
}

export type AwsResult = { ok: Record<string, unknown> } | { error: string };

const PROGRAM = `
import json, sys, boto3
req = json.load(sys.stdin)
kw = dict(endpoint_url=req["endpoint"], region_name=req["region"],
          aws_access_key_id="test", aws_secret_access_key="test")
clients, out = {}, []
for c in req["calls"]:
    cl = clients.get(c["service"]) or clients.setdefault(c["service"], boto3.client(c["service"], **kw))
    try:
        r = getattr(cl, c["op"])(**c.get("params", {}))
        r.pop("ResponseMetadata", None)
        if hasattr(r.get("Body"), "read"):
            r["Body"] = r["Body"].read().decode("utf-8", "replace")
        out.append({"ok": r})
    except Exception as e:
        out.append({"error": type(e).__name__ + ": " + str(e)})
print(json.dumps(out, default=str))
`;

/** Marks a request as signed for moto, which does not verify signatures by default. */
const UNSIGNED_AUTH = {
  authorization:
    "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0",
};

/** An AWS client bound to moto. */
export class MotoClient {
  constructor(
    private readonly python: string,
    readonly endpoint: string,
    readonly region: string,
  ) {}

  /** Runs the calls in order in one Python process; a failed call does not stop the others. */
  async calls(calls: readonly AwsCall[]): Promise<AwsResult[]> {
    const r = await runCommand(this.python, ["-c", PROGRAM], {
      input: JSON.stringify({ endpoint: this.endpoint, region: this.region, calls }),
      timeoutMs: 120_000,
    });
    if (r.code !== 0)
      throw new Error(`boto3 against moto failed: ${r.stderr.trim().split("\n").slice(-3).join(" ")}`);
    return JSON.parse(r.stdout) as AwsResult[];
  }

  /** One call; throws on an AWS error. */
  async call<T = Record<string, unknown>>(
    service: string,
    op: string,
    params: Record<string, unknown> = {},
  ): Promise<T> {
    const [result] = await this.calls([{ service, op, params }]);
    if ("error" in result) throw new Error(`${service}.${op}: ${result.error}`);
    return result.ok as T;
  }

  /** Keys under `prefix` in `bucket` (S3 ListObjectsV2, path style, no signature). */
  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    const res = await fetch(`${this.endpoint}/${bucket}?list-type=2&prefix=${encodeURIComponent(prefix)}`, {
      headers: UNSIGNED_AUTH,
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`list s3://${bucket}/${prefix}: HTTP ${res.status}`);
    return [...(await res.text()).matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);
  }

  /** An object's body, or undefined when it does not exist (S3 GetObject, no signature). */
  async getObject(bucket: string, key: string): Promise<string | undefined> {
    const res = await fetch(
      `${this.endpoint}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`,
      { headers: UNSIGNED_AUTH, signal: AbortSignal.timeout(10_000) },
    );
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`get s3://${bucket}/${key}: HTTP ${res.status}`);
    return res.text();
  }
}
