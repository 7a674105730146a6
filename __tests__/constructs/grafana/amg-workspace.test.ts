import { Testing } from "cdktf";
import { AMP_ACTIONS } from "../../../constructs/amp/actions";
import { AmpWorkspace } from "../../../constructs/amp/workspace";
import { AmgWorkspace, type GrafanaWorkspaceProps } from "../../../constructs/grafana/amg-workspace";
import { TEST_TARGET } from "../../helpers";

const AMP_WORKSPACE_ARN = "arn:aws:aps:eu-central-1:123456789012:workspace/ws-1";
const props: Omit<GrafanaWorkspaceProps, "ampWorkspace"> = {
  name: "grafana",
  description: "test",
  grafanaVersion: "10.4",
  dataSources: ["PROMETHEUS", "CLOUDWATCH"],
  notificationDestinations: ["SNS"],
  roleName: "grafana-role",
  target: TEST_TARGET,
  preventDestroy: true,
};

function synth(p: Omit<GrafanaWorkspaceProps, "ampWorkspace">) {
  return JSON.parse(
    Testing.synthScope(
      (scope) =>
        new AmgWorkspace(scope, "amg", {
          ...p,
          ampWorkspace: AmpWorkspace.fromAttributes(scope, "amp", {
            workspaceId: "ws-1",
            arn: AMP_WORKSPACE_ARN,
            alias: "test",
            prometheusEndpoint: "https://aps-workspaces.eu-central-1.amazonaws.com/workspaces/ws-1/",
          }),
        }),
    ),
  );
}

describe("AmgWorkspace", () => {
  const json = synth(props);
  const workspace = Object.values(json.resource.aws_grafana_workspace)[0] as any;

  it("is a current-account, Identity Center, customer-managed workspace on the pinned version", () => {
    expect(workspace).toMatchObject({
      account_access_type: "CURRENT_ACCOUNT",
      authentication_providers: ["AWS_SSO"],
      // Created through the API with our own role: AWS documents CUSTOMER_MANAGED for that.
      permission_type: "CUSTOMER_MANAGED",
      grafana_version: "10.4",
      data_sources: ["PROMETHEUS", "CLOUDWATCH"],
      notification_destinations: ["SNS"],
      lifecycle: { prevent_destroy: true },
    });
    expect(workspace.role_arn).toMatch(/^\$\{aws_iam_role\..*\.arn\}$/);
    expect(JSON.stringify(workspace)).not.toMatch(/ENTERPRISE/);
  });

  it("has a role trusted by Grafana only for this account's workspaces", () => {
    const role = Object.values(json.resource.aws_iam_role)[0] as any;
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toEqual({
      Sid: "GrafanaWorkspacesOfThisAccount",
      Effect: "Allow",
      Principal: { Service: "grafana.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": "arn:aws:grafana:eu-central-1:123456789012:/workspaces/*" },
      },
    });
  });

  it("may query exactly the one AMP workspace, and publish to grafana* topics for SNS alerts", () => {
    const policy = JSON.parse((Object.values(json.resource.aws_iam_role_policy)[0] as any).policy);
    expect(policy.Statement).toEqual([
      {
        Sid: "QueryAmpWorkspace",
        Effect: "Allow",
        Action: [...AMP_ACTIONS.query],
        Resource: AMP_WORKSPACE_ARN,
      },
      {
        Sid: "DescribeAmpWorkspace",
        Effect: "Allow",
        Action: "aps:DescribeWorkspace",
        Resource: AMP_WORKSPACE_ARN,
      },
      {
        Sid: "ListAmpRulesAndAlerts",
        Effect: "Allow",
        Action: ["aps:ListRules", "aps:ListAlerts"],
        Resource: AMP_WORKSPACE_ARN,
      },
      {
        Sid: "PublishAlerts",
        Effect: "Allow",
        Action: "sns:Publish",
        Resource: ["arn:aws:sns:eu-central-1:123456789012:grafana*"],
      },
    ]);
  });

  it("drops the SNS permission when no SNS destination is configured", () => {
    const policy = JSON.parse(
      (
        Object.values(
          synth({ ...props, notificationDestinations: [] }).resource.aws_iam_role_policy,
        )[0] as any
      ).policy,
    );
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual([
      "QueryAmpWorkspace",
      "DescribeAmpWorkspace",
      "ListAmpRulesAndAlerts",
    ]);
  });
});
