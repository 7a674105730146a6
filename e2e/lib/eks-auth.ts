/**
 * EKS authentication on loopback, the way EKS does it (aws-iam-authenticator): a bearer token
 * `k8s-aws-v1.<base64url of a presigned STS GetCallerIdentity URL>` is checked by a token webhook that the
 * kube-apiserver calls; the webhook asks STS (moto) who signed it and answers with that identity. So the
 * Kubernetes and Helm providers authenticate with the credentials the stacks themselves obtain at apply
 * time (the AWS provider's ephemeral `aws_eks_cluster_auth`, or `aws eks get-token` through `exec`), not
 * with a token the harness hands them.
 *
 * What it cannot check: moto verifies no signatures, so a token is accepted for its shape, freshness,
 * cluster binding (x-k8s-aws-id among the signed headers) and STS's answer, not for its signature.
 * `checkEksToken` is pure and unit-tested (__tests__/e2e/lib/eks-auth.test.ts).
 */
import { createServer, type Server } from "node:http";

export const TOKEN_PREFIX = "k8s-aws-v1.";
/** EKS accepts a token for 15 minutes after it was signed. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;

export interface TokenFacts {
  readonly url: URL;
  /** X-Amz-Date, as a time. */
  readonly signedAt: number;
  /** The access key and scope of X-Amz-Credential. */
  readonly credential: string;
}

/** Is `token` an EKS token for STS at `stsHost`, bound to a cluster and fresh at `now`? */
export function checkEksToken(token: string, stsHost: string, now: number): TokenFacts | { problem: string } {
  if (!token.startsWith(TOKEN_PREFIX)) return { problem: "not a k8s-aws-v1 token" };
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString("utf8"));
  } catch {
    return { problem: "the token does not hold a URL" };
  }
  const q = url.searchParams;
  if (url.host !== stsHost) return { problem: `signed for ${url.host}, not the STS endpoint ${stsHost}` };
  if (q.get("Action") !== "GetCallerIdentity" || q.get("Version") !== "2011-06-15")
    return { problem: `not a GetCallerIdentity call (${q.get("Action")})` };
  const signed = (q.get("X-Amz-SignedHeaders") ?? "").split(";");
  if (!signed.includes("x-k8s-aws-id"))
    return { problem: "no x-k8s-aws-id among the signed headers (not bound to a cluster)" };
  const date = q.get("X-Amz-Date") ?? "";
  const m = date.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  if (!m) return { problem: `bad X-Amz-Date ${date}` };
  const signedAt = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (now - signedAt > TOKEN_LIFETIME_MS)
    return { problem: `expired (signed ${new Date(signedAt).toISOString()})` };
  if (signedAt - now > 60_000) return { problem: "signed in the future" };
  const credential = q.get("X-Amz-Credential") ?? "";
  if (!credential.endsWith("/sts/aws4_request"))
    return { problem: `credential scope is not STS (${credential})` };
  return { url, signedAt, credential };
}

/** One request the webhook answered. */
export interface Authentication {
  readonly at: number;
  readonly signedAt?: number;
  readonly username?: string;
  readonly problem?: string;
}

export interface EksAuthWebhook {
  readonly server: Server;
  readonly url: string;
  readonly log: Authentication[];
  /** The cluster name a token must carry in x-k8s-aws-id (sent to STS, as EKS does). */
  readonly clusterName: string;
}

/**
 * Asks STS who signed the presigned URL. moto routes a request by its SigV4 credential scope and checks no
 * signature, so the query's credential is restated as an Authorization header; x-k8s-aws-id goes along as
 * EKS sends it.
 */
async function callerArn(facts: TokenFacts, clusterName: string): Promise<string> {
  const q = facts.url.searchParams;
  const res = await fetch(facts.url, {
    headers: {
      "x-k8s-aws-id": clusterName,
      authorization: `AWS4-HMAC-SHA256 Credential=${q.get("X-Amz-Credential")}, SignedHeaders=${q.get("X-Amz-SignedHeaders")}, Signature=${q.get("X-Amz-Signature")}`,
    },
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.text();
  const arn = body.match(/<Arn>([^<]+)<\/Arn>/)?.[1];
  if (!res.ok || !arn) throw new Error(`STS answered HTTP ${res.status}: ${body.slice(0, 200)}`);
  return arn;
}

/** Starts the TokenReview webhook on 127.0.0.1:`port`; every answer is logged. */
export async function startEksAuthWebhook(
  port: number,
  stsEndpoint: string,
  clusterName: string,
): Promise<EksAuthWebhook> {
  const log: Authentication[] = [];
  const stsHost = new URL(stsEndpoint).host;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", async () => {
      const review = JSON.parse(body || "{}") as { apiVersion?: string; spec?: { token?: string } };
      const answer = (status: Record<string, unknown>) =>
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            apiVersion: review.apiVersion ?? "authentication.k8s.io/v1",
            kind: "TokenReview",
            status,
          }),
        );
      const at = Date.now();
      const facts = checkEksToken(review.spec?.token ?? "", stsHost, at);
      if ("problem" in facts) {
        log.push({ at, problem: facts.problem });
        answer({ authenticated: false, error: facts.problem });
        return;
      }
      try {
        const arn = await callerArn(facts, clusterName);
        log.push({ at, signedAt: facts.signedAt, username: arn });
        answer({
          authenticated: true,
          user: { username: arn, uid: `aws-iam-authenticator:${arn}`, groups: ["system:authenticated"] },
        });
      } catch (error) {
        const problem = error instanceof Error ? error.message : String(error);
        log.push({ at, problem });
        answer({ authenticated: false, error: problem });
      }
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  return { server, url: `http://127.0.0.1:${port}/authenticate`, log, clusterName };
}

/** The kubeconfig kube-apiserver reads to call the webhook (--authentication-token-webhook-config-file). */
export function webhookKubeconfig(url: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: eks-auth\n  cluster: {server: "${url}"}`,
    "users:",
    "- name: kube-apiserver\n  user: {}",
    "contexts:",
    "- name: eks-auth\n  context: {cluster: eks-auth, user: kube-apiserver}",
    "current-context: eks-auth",
    "",
  ].join("\n");
}

/**
 * A stand-in for the aws CLI's `aws eks get-token`, in Python with moto's boto3 (what the CLI is built on):
 * it presigns GetCallerIdentity with the x-k8s-aws-id header exactly as the CLI does, prints the
 * ExecCredential, and logs its arguments, so a run shows the providers call it at apply time with the
 * arguments the stacks configure. Any other command fails.
 */
export function awsCliStandIn(python: string): string {
  return `#!${python}
import base64, datetime, json, os, sys, boto3
args = sys.argv[1:]
with open(os.environ["E2E_AWS_CLI_LOG"], "a") as log:
    log.write(json.dumps({"args": args, "at": datetime.datetime.now(datetime.timezone.utc).isoformat()}) + "\\n")
if args[:2] != ["eks", "get-token"]:
    sys.exit("aws stand-in: only 'eks get-token' is emulated, got: " + " ".join(args))
opts = dict(zip(args[2::2], args[3::2]))
cluster, region = opts["--cluster-name"], opts["--region"]
sts = boto3.client("sts", region_name=region, endpoint_url=os.environ["AWS_ENDPOINT_URL_STS"])
def add_header(request, **kwargs):
    request.headers["x-k8s-aws-id"] = cluster
sts.meta.events.register("before-sign.sts.GetCallerIdentity", add_header)
url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=60, HttpMethod="GET")
token = "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")
expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=14)
print(json.dumps({"kind": "ExecCredential", "apiVersion": "client.authentication.k8s.io/v1beta1", "spec": {},
                  "status": {"expirationTimestamp": expires.strftime("%Y-%m-%dT%H:%M:%SZ"), "token": token}}))
`;
}
