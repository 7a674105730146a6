/** EKS-style tokens as the loopback webhook checks them. */
import { awsCliStandIn, checkEksToken, TOKEN_PREFIX, webhookKubeconfig } from "../../../e2e/lib/eks-auth";

const sts = "127.0.0.1:4566";
const signedAt = Date.UTC(2026, 10, 25, 12, 0, 0);
function token(params: Record<string, string> = {}, host = sts): string {
  const q = new URLSearchParams({
    Action: "GetCallerIdentity",
    Version: "2011-06-15",
    "X-Amz-Credential": "test/20261125/us-east-1/sts/aws4_request",
    "X-Amz-Date": "20261125T120000Z",
    "X-Amz-Expires": "60",
    "X-Amz-SignedHeaders": "host;x-k8s-aws-id",
    "X-Amz-Signature": "abc",
    ...params,
  });
  return TOKEN_PREFIX + Buffer.from(`http://${host}/?${q}`).toString("base64url");
}

describe("checkEksToken", () => {
  it("accepts a fresh, cluster-bound GetCallerIdentity URL for the STS endpoint", () => {
    const facts = checkEksToken(token(), sts, signedAt + 60_000);
    expect(facts).toMatchObject({ signedAt, credential: "test/20261125/us-east-1/sts/aws4_request" });
  });

  it.each([
    ["another prefix", "Bearer xyz", /not a k8s-aws-v1 token/],
    ["another host", token({}, "sts.amazonaws.com"), /not the STS endpoint/],
    ["another action", token({ Action: "AssumeRole" }), /not a GetCallerIdentity call/],
    ["no cluster binding", token({ "X-Amz-SignedHeaders": "host" }), /x-k8s-aws-id/],
    ["a non-STS scope", token({ "X-Amz-Credential": "test/20261125/us-east-1/s3/aws4_request" }), /not STS/],
  ])("refuses %s", (_what, t, problem) => {
    const r = checkEksToken(t, sts, signedAt);
    expect("problem" in r && r.problem).toMatch(problem);
  });

  it("refuses a token older than 15 minutes", () => {
    const r = checkEksToken(token(), sts, signedAt + 16 * 60_000);
    expect("problem" in r && r.problem).toMatch(/expired/);
  });
});

describe("the webhook's kubeconfig and the aws CLI stand-in", () => {
  it("points the API server at the webhook", () => {
    expect(webhookKubeconfig("http://127.0.0.1:9/authenticate")).toContain(
      'server: "http://127.0.0.1:9/authenticate"',
    );
  });

  it("emulates only `aws eks get-token`, signs x-k8s-aws-id like the CLI, and logs its arguments", () => {
    const script = awsCliStandIn("/venv/bin/python");
    expect(script.startsWith("#!/venv/bin/python\n")).toBe(true);
    expect(script).toContain('args[:2] != ["eks", "get-token"]');
    expect(script).toContain('request.headers["x-k8s-aws-id"] = cluster');
    expect(script).toContain("E2E_AWS_CLI_LOG");
  });
});
