/**
 * Points a synthesized stack at the loopback servers without touching the product's code paths: a
 * Terraform override file (`e2e_override.tf.json`, merged by Terraform over cdk.tf.json) for the providers,
 * the remote-state reads and Helm's wait, and `-backend-config` settings for the S3 backend, which Terraform
 * merges with the backend block the product wrote (bucket, key, encrypt, use_lockfile stay the product's).
 * Pure, unit-tested in __tests__/e2e/lib/overrides.test.ts.
 */
import type { TfJson } from "./exclusions";

/** The AWS emulator and the identity the run uses. */
export interface AwsLoopback {
  /** `http://127.0.0.1:<port>` of moto. */
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
}

/** The Kubernetes API server on loopback. */
export interface KubeLoopback {
  /** `https://127.0.0.1:<port>` */
  readonly host: string;
  /** PEM CA of the server's certificate. */
  readonly caPem: string;
  /**
   * A static bearer token to use instead of the stack's own credentials. Unset: the stack's credentials
   * (exec or ephemeral token) are kept, and the API server checks them like EKS (e2e/lib/eks-auth.ts).
   */
  readonly token?: string;
}

/**
 * Services the stacks call, each pointed at moto. One left out would make the provider call real AWS and
 * fail (no network), visibly.
 */
export const AWS_SERVICES = [
  "amp",
  "cloudwatch",
  "ec2",
  "eks",
  "grafana",
  "iam",
  "identitystore",
  "kms",
  "logs",
  "s3",
  "sns",
  "ssoadmin",
  "sts",
] as const;

/** Settings every S3 client of the run needs against moto (backend and remote-state reads). */
export function s3ClientSettings(aws: AwsLoopback): Record<string, unknown> {
  return {
    use_path_style: true,
    access_key: aws.accessKey,
    secret_key: aws.secretKey,
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    endpoints: { s3: aws.endpoint, sts: aws.endpoint, iam: aws.endpoint },
  };
}

/** `-backend-config` file content (HCL): merged with the product's `backend "s3"` block at init. */
export function backendConfigHcl(aws: AwsLoopback): string {
  const lines = Object.entries(s3ClientSettings(aws)).map(([key, value]) => {
    if (value && typeof value === "object")
      return `${key} = {\n${Object.entries(value)
        .map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`)
        .join("\n")}\n}`;
    return `${key} = ${JSON.stringify(value)}`;
  });
  return `${lines.join("\n")}\n`;
}

/** A provider version standing in for the pinned one (e.g. aws 5.100.0 for 6.25.0), printed by the run. */
export interface ProviderStandIn {
  readonly name: string;
  readonly source: string;
  readonly version: string;
}

export interface OverrideOptions {
  readonly aws: AwsLoopback;
  /**
   * The API server standing in for each EKS cluster, by cluster name. Absent when the Kubernetes half is
   * skipped (its resources are excluded then).
   */
  readonly clusters?: Readonly<Record<string, KubeLoopback>>;
  readonly providerStandIns?: readonly ProviderStandIn[];
}

/** What the override changes, for the run's output. */
export interface StackOverride {
  readonly json: TfJson;
  readonly lines: string[];
}

/**
 * The override file for one (already prepared) stack:
 * - every `aws` provider configuration (each alias) gets moto's endpoints and static test credentials;
 *   `skip_requesting_account_id` stays false so the product's `allowed_account_ids` is checked against
 *   moto's STS;
 * - `kubernetes` and `helm` providers get the loopback API server standing in for the EKS cluster their
 *   `host` reads (`data.aws_eks_cluster.<name>.endpoint`, that data source's cluster name), and its CA (the
 *   EKS cluster moto emulates has an unreachable endpoint and a CA of random bytes); their credentials stay
 *   the stack's own unless a static token is given. A provider without a `host` (declared only for
 *   resources a stack forgets) is left as the product wrote it: what it would reach on AWS, it reaches here;
 * - every S3 `terraform_remote_state` read keeps the product's bucket, key and region and gets the S3
 *   client settings;
 * - every `helm_release` gets `wait = false` and `atomic = false`: no kubelet runs on loopback, so pods
 *   never start and a release that waits for readiness would time out (`atomic` implies waiting);
 * - pinned provider versions the machine does not have are replaced by the stand-ins given.
 */
export function stackOverride(stack: TfJson, options: OverrideOptions): StackOverride {
  const json: TfJson = {};
  const lines: string[] = [];
  const endpoints = Object.fromEntries(AWS_SERVICES.map((s) => [s, options.aws.endpoint]));

  const required = stack.terraform?.required_providers ?? {};
  const versions: Record<string, { source: string; version: string }> = {};
  for (const s of options.providerStandIns ?? []) {
    const pinned = required[s.name];
    if (!pinned || pinned.version === s.version) continue;
    versions[s.name] = { source: s.source, version: s.version };
    lines.push(`provider ${s.source} ${s.version} stands in for the pinned ${pinned.version}`);
  }
  if (Object.keys(versions).length > 0) json.terraform = { required_providers: versions };

  const providers: Record<string, Record<string, unknown>[]> = {};
  for (const config of stack.provider?.aws ?? []) {
    providers.aws ??= [];
    providers.aws.push({
      ...(config.alias ? { alias: config.alias } : {}),
      access_key: options.aws.accessKey,
      secret_key: options.aws.secretKey,
      skip_credentials_validation: true,
      skip_requesting_account_id: false,
      skip_metadata_api_check: true,
      skip_region_validation: true,
      s3_use_path_style: true,
      endpoints: [endpoints],
    });
  }
  if (providers.aws)
    lines.push(
      `aws provider (${providers.aws.length}x): every endpoint -> ${options.aws.endpoint}, test keys`,
    );
  const clusters = options.clusters;
  if (clusters) {
    const targets: string[] = [];
    const connection = (host: unknown, what: string): Record<string, unknown> | undefined => {
      if (host === undefined) {
        lines.push(`${what} has no host (declared, not configured): left as the stack has it`);
        return undefined;
      }
      const name = clusterOfHost(stack, host);
      const kube = name === undefined ? undefined : clusters[name];
      if (!kube)
        throw new Error(
          `${what}: no loopback API server for its host ${JSON.stringify(host)} (EKS cluster ${name ?? "unknown"}; have ${Object.keys(clusters).join(", ")})`,
        );
      if (!targets.includes(name!)) targets.push(name!);
      return {
        host: kube.host,
        cluster_ca_certificate: kube.caPem,
        ...(kube.token ? { token: kube.token } : {}),
      };
    };
    for (const config of stack.provider?.kubernetes ?? []) {
      const c = connection(config.host, `kubernetes provider${config.alias ? ` ${config.alias}` : ""}`);
      if (!c) continue;
      providers.kubernetes ??= [];
      providers.kubernetes.push({ ...(config.alias ? { alias: config.alias } : {}), ...c });
    }
    for (const config of stack.provider?.helm ?? []) {
      // `kubernetes` is one attribute of the helm provider: an override replaces it whole, so the stack's own
      // credentials (token or exec) are carried over into it.
      const own = (config.kubernetes ?? {}) as Record<string, unknown>;
      const c = connection(own.host, `helm provider${config.alias ? ` ${config.alias}` : ""}`);
      if (!c) continue;
      providers.helm ??= [];
      providers.helm.push({
        ...(config.alias ? { alias: config.alias } : {}),
        kubernetes: { ...own, ...c },
      });
    }
    if (providers.kubernetes || providers.helm)
      lines.push(
        `kubernetes/helm providers -> ${targets.map((t) => `${clusters[t].host} (EKS cluster ${t})`).join(", ")}: loopback kube-apiserver and its CA; ${targets.some((t) => clusters[t].token) ? "static token" : "the stack's own credentials"}`,
      );
  }
  if (Object.keys(providers).length > 0) json.provider = providers;

  const remoteStates: Record<string, Record<string, unknown>> = {};
  for (const [name, block] of Object.entries(stack.data?.terraform_remote_state ?? {})) {
    if (block.backend !== "s3") continue;
    const config = (block.config ?? {}) as Record<string, unknown>;
    remoteStates[name] = { config: { ...config, ...s3ClientSettings(options.aws) } };
    lines.push(`terraform_remote_state.${name}: s3://${config.bucket}/${config.key} through moto`);
  }
  if (Object.keys(remoteStates).length > 0) json.data = { terraform_remote_state: remoteStates };

  const releases = Object.keys(stack.resource?.helm_release ?? {});
  if (releases.length > 0) {
    json.resource = {
      helm_release: Object.fromEntries(releases.map((r) => [r, { wait: false, atomic: false }])),
    };
    lines.push(
      `helm_release (${releases.length}x): wait = false, atomic = false (no kubelet on loopback: pods never become ready)`,
    );
  }
  return { json, lines };
}

/**
 * The EKS cluster a provider's `host` reads: `${data.aws_eks_cluster.<name>.endpoint}`, and that data
 * source's `name` (a literal in the stacks).
 */
export function clusterOfHost(stack: TfJson, host: unknown): string | undefined {
  const m = String(host).match(/^\$\{data\.aws_eks_cluster\.([\w-]+)\.endpoint\}$/);
  const name = m ? stack.data?.aws_eks_cluster?.[m[1]]?.name : undefined;
  return typeof name === "string" ? name : undefined;
}
