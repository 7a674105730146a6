/**
 * `grafana`: the Amazon Managed Grafana workspace, its admins, its dashboards and the token Terraform signs
 * in with.
 */
import * as z from "zod";
import { SHIPPED_DASHBOARDS } from "../lib/catalogue";
import { MAX_GRAFANA_TOKEN_TTL_DAYS, tokenRotationProblem } from "../lib/limits";
import {
  iamRoleArn,
  intBetween,
  lengthBetween,
  listError,
  moved,
  pattern,
  patterns,
  show,
  uniqueItems,
  uniqueList,
} from "./fields";

/** AMG data sources the workspace may be granted (aws_grafana_workspace.data_sources). */
export const GRAFANA_DATA_SOURCES = [
  "AMAZON_OPENSEARCH_SERVICE",
  "ATHENA",
  "CLOUDWATCH",
  "PROMETHEUS",
  "REDSHIFT",
  "SITEWISE",
  "TIMESTREAM",
  "TWINMAKER",
  "XRAY",
] as const;

/** Grafana versions AMG offers; a workspace can be upgraded, never downgraded. */
export const GRAFANA_VERSIONS = ["9.4", "10.4", "12.4"] as const;

/** The Grafana roles AMG assigns to Identity Center users and groups, from most to least privileged. */
export const GRAFANA_ROLES = ["admins", "editors", "viewers"] as const;

/** Who holds one Grafana role: Identity Center users and groups, by id or (users) by user name. */
const roleMembers = (role: string) =>
  z
    .strictObject({
      userIds: uniqueList(
        patterns.identityCenterId,
        "an Identity Center user id",
        "a UUID, optionally prefixed",
        "Identity Center user ids",
      )
        .default([])
        .describe(`Identity Center user ids of the ${role}.`),
      groupIds: uniqueList(
        patterns.identityCenterId,
        "an Identity Center group id",
        "a UUID, optionally prefixed",
        "Identity Center group ids",
      )
        .default([])
        .describe(`Identity Center group ids of the ${role}.`),
      userNames: z
        .array(lengthBetween(1, 128, "an Identity Center user name"))
        .superRefine(uniqueItems())
        .default([])
        .describe(
          `User names of the ${role}, looked up at plan time in the identity store (grafana.identityCenter).`,
        ),
      identityStoreId: moved(
        "grafana.identityCenter: { identityStoreId, accountId, region } (one identity store for every role)",
      ).describe("Moved to grafana.identityCenter.identityStoreId."),
      identityCenter: moved(
        "grafana.identityCenter: { identityStoreId, accountId, region, lookupRoleArn } (beside the roles, not inside admins)",
      ).describe("Moved to grafana.identityCenter."),
      identityStoreRegion: moved(
        "grafana.identityCenter: { identityStoreId, accountId, region } (the account and home region of IAM Identity Center)",
      ).describe("Moved to grafana.identityCenter.region."),
    })
    .transform(({ identityStoreId: _s, identityCenter: _c, identityStoreRegion: _r, ...members }) => members)
    .prefault({});

type Members = { userIds: string[]; groupIds: string[]; userNames: string[] };

/**
 * A workspace without anyone to administer it cannot be used; AMG gives each user or group one role, so
 * nobody is listed under two; user names need the identity store they are looked up in.
 */
function rolesAssignable(
  g: {
    admins: Members;
    editors: Members;
    viewers: Members;
    identityCenter?: { identityStoreId: string };
  },
  ctx: z.RefinementCtx,
): void {
  const a = g.admins;
  if (a.userIds.length + a.groupIds.length + a.userNames.length === 0)
    ctx.addIssue({
      code: "custom",
      path: ["admins"],
      message: "names no admin (expected at least one of userIds, groupIds or userNames)",
    });
  for (const field of ["userIds", "groupIds", "userNames"] as const) {
    const holder = new Map<string, string>();
    for (const role of GRAFANA_ROLES)
      g[role][field].forEach((member, i) => {
        const other = holder.get(member);
        if (other && other !== role)
          ctx.addIssue({
            code: "custom",
            path: [role, field, i],
            message: `${show(member)} is already one of the ${other} (expected each user or group in one role: AMG assigns one role each, the highest listed)`,
          });
        else if (!other) holder.set(member, role);
      });
  }
  const named = GRAFANA_ROLES.filter((role) => g[role].userNames.length > 0);
  if (named.length > 0 && !g.identityCenter)
    ctx.addIssue({
      code: "custom",
      path: ["identityCenter"],
      message: `is required when userNames is set (in ${named.join(", ")}): the lookup runs in Identity Center's account and home region (expected { identityStoreId, accountId, region } of the management or delegated administrator account, and lookupRoleArn when that is not this account; or userIds instead of userNames)`,
    });
}

/** The token must be replaced before it expires. */
function tokenRenewedInTime(t: { ttlDays: number; rotationDays: number }, ctx: z.RefinementCtx): void {
  const problem = tokenRotationProblem(t.ttlDays, t.rotationDays);
  if (problem) ctx.addIssue({ code: "custom", path: ["rotationDays"], message: problem });
}

/** A listed dashboard must be one this project ships in dashboards/. */
function dashboardFileExists(file: string, ctx: z.RefinementCtx): void {
  const available = Object.keys(SHIPPED_DASHBOARDS).sort();
  if (!available.includes(file))
    ctx.addIssue({
      code: "custom",
      message: `"${file}" is not a file in dashboards/ (expected one of ${available.join(", ")})`,
    });
}

export const grafanaSchema = z
  .strictObject({
    name: pattern(
      patterns.grafanaName,
      "an AMG workspace name",
      "1-255 letters, digits and - . _ ~",
    ).describe("AMG workspace name."),
    adoptWorkspaceId: pattern(
      patterns.grafanaWorkspaceId,
      "an AMG workspace id",
      "g- followed by 10 hex digits",
    )
      .optional()
      .describe(
        "Id of an AMG workspace made by hand (g-...) to import instead of creating one; it is then protected from destroy.",
      ),
    version: z
      .enum(GRAFANA_VERSIONS, {
        error: (iss) =>
          `${show(iss.input)} is not an AMG Grafana version (expected one of ${GRAFANA_VERSIONS.join(", ")})`,
      })
      .default("10.4")
      .describe("Grafana version (upgrade only)."),
    dataSources: z
      .array(
        z.enum(GRAFANA_DATA_SOURCES, {
          error: (iss) =>
            `${show(iss.input)} is not an AMG data source (expected one of ${GRAFANA_DATA_SOURCES.join(", ")})`,
        }),
      )
      .superRefine(uniqueItems())
      .refine((list) => list.includes("PROMETHEUS"), {
        error:
          "does not include PROMETHEUS (expected PROMETHEUS, the AMP workspace is the point of this workspace)",
      })
      .default(["PROMETHEUS"])
      .describe("Data sources AMG may read; PROMETHEUS is required."),
    notificationDestinations: z
      .array(z.literal("SNS", { error: (iss) => `${show(iss.input)} is not supported (expected "SNS")` }))
      .default(["SNS"])
      .describe("Notification destinations (AMG supports SNS only)."),
    folderTitle: lengthBetween(1, 140, "a Grafana folder title")
      .default("EKS monitoring")
      .describe("Title of the project's folder in Grafana (one folder holds every dashboard below)."),
    dashboards: z
      .array(
        pattern(
          patterns.dashboardFile,
          "a dashboard file name",
          'a .json file name in dashboards/, e.g. "cluster.json"',
        ).superRefine(dashboardFileExists),
        { error: listError("dashboard file names") },
      )
      .superRefine(uniqueItems())
      .optional()
      .describe(
        "Dashboards to publish, by file name in dashboards/ (default: every shipped dashboard the environment's collector can answer).",
      ),
    grafanaComDashboards: z
      .array(
        z.strictObject({
          id: intBetween(1, 100_000_000, "a grafana.com dashboard id").describe(
            "Dashboard id on grafana.com, e.g. 3119.",
          ),
          revision: intBetween(1, 100_000, "a grafana.com dashboard revision").describe(
            "Revision to download (pinned).",
          ),
          datasourceInput: pattern(
            patterns.datasourceInput,
            "a data-source input name",
            'a name listed in the dashboard JSON "__inputs", e.g. "DS_PROMETHEUS"',
          )
            .default("DS_PROMETHEUS")
            .describe("The dashboard's data-source input, mapped to the AMP data source."),
        }),
      )
      .superRefine(uniqueItems((d) => String(d.id)))
      .default([])
      .describe(
        "grafana.com dashboards imported at apply time through the http provider (needs internet on the runner).",
      ),
    token: z
      .strictObject({
        ttlDays: intBetween(1, MAX_GRAFANA_TOKEN_TTL_DAYS, "token lifetime in days")
          .default(MAX_GRAFANA_TOKEN_TTL_DAYS)
          .describe("Token lifetime in days (AMG allows at most 30)."),
        rotationDays: intBetween(1, MAX_GRAFANA_TOKEN_TTL_DAYS - 1, "token rotation period in days")
          .default(7)
          .describe(
            "Replace the token on the first apply after this many days (below ttlDays: apply at least once in between).",
          ),
      })
      .superRefine(tokenRenewedInTime)
      .prefault({})
      .describe("The service-account token the grafana provider uses."),
    admins: roleMembers("admins").describe(
      "Workspace admins (Grafana Admin) in IAM Identity Center: at least one user or group.",
    ),
    editors: roleMembers("editors").describe(
      "Editors (Grafana Editor: dashboards and alerts, no administration) in IAM Identity Center.",
    ),
    viewers: roleMembers("viewers").describe("Viewers (Grafana Viewer: read only) in IAM Identity Center."),
    identityCenter: z
      .strictObject({
        identityStoreId: pattern(
          patterns.identityStoreId,
          "an identity store id",
          "d- followed by 10 hex digits",
        ).describe("Identity store id of the Identity Center instance."),
        accountId: pattern(patterns.accountId, "an AWS account id", "12 digits, e.g. 111111111111").describe(
          "Account of the Identity Center instance: the organization's management account or its delegated administrator.",
        ),
        region: pattern(patterns.region, "an AWS region", 'a region such as "us-east-1"').describe(
          "Home region of the Identity Center instance.",
        ),
        lookupRoleArn: iamRoleArn
          .optional()
          .describe(
            "Role in that account the lookup assumes (identitystore:GetUserId and DescribeUser); required when it is not the environment's account.",
          ),
      })
      .optional()
      .describe(
        "Where IAM Identity Center lives, for the userNames lookups of every role (required with userNames).",
      ),
  })
  .superRefine(rolesAssignable);
