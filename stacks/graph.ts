/**
 * The stacks of an environment and how they connect: for each kind, the stacks it reads outputs from
 * (`upstream`, which also orders deploys and decides Terraform Cloud's state sharing), the outputs it
 * publishes for them (the contract of the remote-state wiring: downstream stacks read these names only,
 * through `EnvironmentStack.upstream`, so every read has its output by construction), and whether its state
 * holds the Grafana token. Declared once; the stacks, the bootstrap stacks and the scripts read it from here.
 */

/** A stack kind's place in the graph. */
export interface StackNode {
  /** The stack kinds it reads outputs from (and deploys after). */
  readonly upstream: readonly string[];
  /** One stack per cluster of the environment (`<env>-<kind>-<cluster key>`) rather than one. @default false */
  readonly perCluster?: boolean;
  /** Its outputs, by the name code uses: the Terraform output name and its description. */
  readonly outputs: Readonly<Record<string, { readonly name: string; readonly description: string }>>;
  /**
   * Why its state holds the Grafana service-account token (ADMIN), or its plan needs it: readable only by
   * the identities that apply it, never planned by pull requests. @default it holds no secret
   */
  readonly holdsToken?: string;
}

export const STACK_GRAPH = {
  network: {
    upstream: [],
    outputs: {
      ampEndpointId: {
        name: "amp_vpc_endpoint_id",
        description: "Id of the AMP aps-workspaces interface endpoint (created by this stack, or reused)",
      },
      ampEndpointDnsName: {
        name: "amp_vpc_endpoint_dns_name",
        description: "Regional DNS name of the AMP aps-workspaces endpoint",
      },
      endpointSecurityGroupId: {
        name: "endpoint_security_group_id",
        description: "Security group of the AMP endpoints this stack creates (absent when it creates none)",
      },
      ampEndpointIds: {
        name: "amp_vpc_endpoint_ids",
        description:
          "Id of the AMP aps-workspaces interface endpoint of each VPC of the environment's clusters, by VPC id",
      },
    },
  },
  "cluster-monitoring": {
    // The environment's workspace and what is shared by its clusters: rules, alerts, budget. It reads no
    // other stack; the clusters' stacks read it.
    upstream: [],
    outputs: {
      ampWorkspaceId: { name: "amp_workspace_id", description: "AMP workspace id" },
      ampWorkspaceArn: { name: "amp_workspace_arn", description: "AMP workspace ARN" },
      ampPrometheusEndpoint: {
        name: "amp_prometheus_endpoint",
        description: "AMP Prometheus endpoint (ends in /)",
      },
      ampRemoteWriteUrl: {
        name: "amp_remote_write_url",
        description: "AMP remote-write URL",
      },

      alertTopicArn: {
        name: "alert_topic_arn",
        description: "SNS topic of critical AMP alerts, and of alerts without a known severity (mail)",
      },
      alertWarningTopicArn: {
        name: "alert_warning_topic_arn",
        description: "SNS topic of warning AMP alerts (mail)",
      },
      alertInfoTopicArn: {
        name: "alert_info_topic_arn",
        description: "SNS topic of info AMP alerts (mail)",
      },
      alertTopicKeyArn: {
        name: "alert_topic_key_arn",
        description: "KMS key of the alert topics",
      },
    },
  },
  cluster: {
    // One per cluster: what runs in it and for it (collector, EBS CSI, IRSA roles, exporters, plan readers),
    // writing to the workspace through its VPC's endpoint.
    upstream: ["network", "cluster-monitoring"],
    perCluster: true,
    outputs: {
      prometheusRoleArn: {
        name: "prometheus_role_arn",
        description: "IAM role of the Prometheus server service account",
      },
      ampScraperArn: { name: "amp_scraper_arn", description: "ARN of the AMP managed collector" },
      ebsCsiRoleArn: { name: "ebs_csi_driver_role_arn", description: "IAM role of the EBS CSI driver" },
    },
  },
  grafana: {
    upstream: ["cluster-monitoring"],
    outputs: {
      grafanaWorkspaceId: { name: "grafana_workspace_id", description: "AMG workspace id" },
      grafanaWorkspaceUrl: { name: "grafana_workspace_url", description: "AMG workspace URL" },
      grafanaRoleArn: {
        name: "grafana_workspace_role_arn",
        description: "IAM role the AMG workspace assumes",
      },
    },
  },
  "grafana-token": {
    upstream: ["grafana"],
    outputs: {
      serviceAccountToken: {
        name: "grafana_service_account_token",
        description:
          "Token of the terraform service account (ADMIN), rotated every grafana.token.rotationDays",
      },
      serviceAccountTokenExpiresAt: {
        name: "grafana_service_account_token_expires_at",
        description: "When the service-account token expires: apply this stack before then",
      },
    },
    holdsToken:
      "its state holds the Grafana service-account token (ADMIN), which pull-request plans may not read",
  },
  "grafana-config": {
    upstream: ["cluster-monitoring", "grafana", "grafana-token"],
    outputs: {},
    holdsToken:
      "it signs into Grafana with the service-account token (ADMIN), which pull-request plans may not read",
  },
} as const satisfies Readonly<Record<string, StackNode>>;

/** The kinds of stack an environment has. */
export type StackKind = keyof typeof STACK_GRAPH;
/** The kinds `kind` reads outputs from. */
export type UpstreamKind<K extends StackKind> = (typeof STACK_GRAPH)[K]["upstream"][number];
/** The names (in code) of the outputs `kind` publishes. */
export type OutputKey<K extends StackKind> = keyof (typeof STACK_GRAPH)[K]["outputs"] & string;

/** The stack kinds of an environment, in dependency order. */
export const STACK_KINDS = Object.keys(STACK_GRAPH) as StackKind[];

/** One stack of an environment: its kind, its name, and its cluster's key for a per-cluster kind. */
export interface EnvironmentStackRef {
  readonly kind: StackKind;
  readonly name: string;
  /** The cluster's key (id, or name), for a per-cluster stack. @default none: a stack of the whole environment */
  readonly cluster?: string;
}

/** The name of the stack of kind `kind` (of cluster `cluster`, for a per-cluster kind) of `env`. */
export function stackNameOf(env: string, kind: StackKind, cluster?: string): string {
  if ((STACK_GRAPH[kind] as StackNode).perCluster) {
    if (cluster === undefined) throw new Error(`stack kind ${kind} is per cluster: name the cluster`);
    return `${env}-${kind}-${cluster}`;
  }
  return `${env}-${kind}`;
}

/** Every stack of an environment whose clusters have these keys, in dependency order. */
export function stacksOf(env: {
  readonly name: string;
  readonly clusters: readonly { readonly key: string }[];
}): EnvironmentStackRef[] {
  return STACK_KINDS.flatMap((kind) =>
    (STACK_GRAPH[kind] as StackNode).perCluster
      ? env.clusters.map((c) => ({ kind, name: stackNameOf(env.name, kind, c.key), cluster: c.key }))
      : [{ kind, name: stackNameOf(env.name, kind) }],
  );
}

/** The stack kinds whose state holds the Grafana token, with why: pull requests do not plan them. */
export const TOKEN_STACKS: Readonly<Partial<Record<StackKind, string>>> = Object.fromEntries(
  Object.entries(STACK_GRAPH as Readonly<Record<string, StackNode>>).flatMap(([kind, node]) =>
    node.holdsToken ? [[kind, node.holdsToken]] : [],
  ),
);

/** The stack kinds `kind` reads outputs from. */
export function upstreamsOf(kind: StackKind): readonly StackKind[] {
  return STACK_GRAPH[kind].upstream;
}

/** The stack kinds that read `kind`'s state (Terraform Cloud shares a workspace's state with exactly these). */
export function stackConsumers(kind: StackKind): StackKind[] {
  return STACK_KINDS.filter((k) => upstreamsOf(k).includes(kind));
}

/** The Terraform output name and description of `kind`'s output `key`. */
export function outputOf<K extends StackKind>(
  kind: K,
  key: OutputKey<K>,
): { name: string; description: string } {
  return (STACK_GRAPH[kind].outputs as Record<string, { name: string; description: string }>)[key];
}
