/**
 * Who holds a Grafana role, through the real AWS provider: `terraform apply` of GrafanaUsers against a stand-in
 * of the AMG permissions API (ListPermissions, UpdatePermissions) on 127.0.0.1 that records every update
 * instruction the provider sends. Proves what the provider's source says (terraform-provider-aws#37777,
 * internal/service/grafana/role_association.go: updates only ADD, deletes REVOKE what state holds, reads put
 * every member of the role into each association), and that one association per role, replaced when its
 * members change, really revokes a removed member; and that upgrading from the two ADMIN associations of
 * 0.2.0 revokes nobody. Needs Terraform and an AWS provider in a local filesystem mirror (never downloads);
 * without them it skips in one line.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GrafanaRoleAssociation } from "@cdktf/provider-aws/lib/grafana-role-association";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { GrafanaUsers, type GrafanaUsersProps } from "../../constructs/grafana/users";
import { findPackage, mirrorCliConfig, mirrorVersions } from "../../scripts/lib/provider-packages";
import { terraformEnv } from "../../scripts/lib/terraform-env";

const WORKSPACE = "g-0123456789";
const terraform = process.env.TERRAFORM_BINARY_NAME || "terraform";
const mirrors = [join(process.env.HOME ?? "", ".cache/eksmon/terraform-mirror"), "/opt/tf-plugins"];
const awsVersion = mirrorVersions(mirrors, "registry.terraform.io/hashicorp/aws")[0];
const hasTerraform = spawnSync(terraform, ["version"], { encoding: "utf8" }).status === 0;
const missing = !hasTerraform
  ? `${terraform} not found`
  : !awsVersion || !findPackage(mirrors, "registry.terraform.io/hashicorp/aws", awsVersion)
    ? `no hashicorp/aws provider in ${mirrors.join(", ")}`
    : undefined;
if (missing) console.log(`grafana-roles: skipped, ${missing}`);
const describeWithTerraform = missing ? describe.skip : describe;

interface Instruction {
  readonly action: "ADD" | "REVOKE";
  readonly role: string;
  readonly users: { id: string; type: string }[];
}

/** The AMG permissions API of one workspace: who holds which role, and every instruction received. */
class FakePermissions {
  readonly holders = new Map<string, string>(); // `<type>:<id>` -> role
  readonly batches: Instruction[][] = [];
  private server?: Server;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(payload));
        };
        if (!req.url?.startsWith(`/workspaces/${WORKSPACE}/permissions`))
          return reply(404, { message: `no route ${req.method} ${req.url}` });
        if (req.method === "GET")
          return reply(200, {
            permissions: [...this.holders].map(([key, role]) => {
              const [type, id] = key.split(":");
              return { role, user: { id, type } };
            }),
          });
        const batch = (JSON.parse(body).updateInstructionBatch ?? []) as Instruction[];
        this.batches.push(batch);
        for (const instruction of batch)
          for (const user of instruction.users) {
            const key = `${user.type}:${user.id}`;
            if (instruction.action === "ADD") this.holders.set(key, instruction.role);
            else if (this.holders.get(key) === instruction.role) this.holders.delete(key);
          }
        return reply(200, { errors: [] });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** `<role>: <sorted members>` for every role held. */
  roles(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [key, role] of this.holders) {
      out[role] ??= [];
      out[role].push(key);
    }
    for (const list of Object.values(out)) list.sort();
    return out;
  }
}

describeWithTerraform("Grafana role assignments through the AWS provider", () => {
  const api = new FakePermissions();
  let dir = "";
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    await api.start();
    dir = mkdtempSync(join(tmpdir(), "eksmon-grafana-roles-"));
    const cli = join(dir, "cli.tfrc");
    writeFileSync(cli, mirrorCliConfig(mirrors));
    env = terraformEnv({ ...process.env, TF_CLI_CONFIG_FILE: cli });
  });
  afterAll(async () => {
    await api.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The stack with `build`'s constructs, its AWS provider pointed at the stand-in, as Terraform JSON. */
  function write(build: (stack: TerraformStack) => void): void {
    const stack = new TerraformStack(Testing.app(), "roles");
    new AwsProvider(stack, "aws", {
      region: "us-east-1",
      accessKey: "test",
      secretKey: "test",
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: "true",
      endpoints: [{ grafana: api.url }],
    });
    build(stack);
    const json = JSON.parse(Testing.synth(stack));
    json.terraform.required_providers.aws.version = awsVersion;
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(json, null, 2));
  }

  /** Runs Terraform without blocking this process, which serves the stand-in API meanwhile. */
  function tf(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(terraform, args, { cwd: dir, env, timeout: 600_000 });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.on("close", (status) => {
        if (status === 0 || (args[0] === "plan" && status === 2)) resolve(stdout);
        else reject(new Error(`terraform ${args.join(" ")} exited ${status}:\n${stderr}\n${stdout}`));
      });
    });
  }

  /** What the next plan would do, per resource address (`terraform plan -json` change summaries). */
  async function planned(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const line of (await tf("plan", "-json", "-input=false", "-detailed-exitcode")).split("\n")) {
      const event = line ? JSON.parse(line) : undefined;
      if (event?.type === "planned_change") out[event.change.resource.addr] = [event.change.action];
    }
    return out;
  }

  const users = (props: Partial<GrafanaUsersProps["roles"]>) => (stack: TerraformStack) => {
    const construct = new GrafanaUsers(stack, "users", {
      workspace: { workspaceId: WORKSPACE, url: "https://unused" },
      roles: props,
    });
    construct.forgetEarlierAdminAssociations("admins");
  };
  const apply = () => tf("apply", "-auto-approve", "-input=false", "-no-color");
  const user = (id: string) => ({ id, type: "SSO_USER" });
  const group = (id: string) => ({ id, type: "SSO_GROUP" });

  /** 0.2.0's layout: two ADMIN associations under `admins`, one for users, one for groups. */
  const earlierAdmins = (userIds: string[], groupIds: string[]) => (stack: TerraformStack) => {
    const admins = new Construct(stack, "admins");
    new GrafanaRoleAssociation(admins, "users", { workspaceId: WORKSPACE, role: "ADMIN", userIds });
    new GrafanaRoleAssociation(admins, "groups", { workspaceId: WORKSPACE, role: "ADMIN", groupIds });
  };

  it("0.2.0's two ADMIN associations never settle: each reads the other's members and wants them gone", async () => {
    write(earlierAdmins(["u1"], ["g1"]));
    await tf("init", "-input=false", "-no-color");
    await apply();
    expect(api.roles()).toEqual({ ADMIN: ["SSO_GROUP:g1", "SSO_USER:u1"] });
    const plan = await planned();
    expect(Object.values(plan)).toEqual([["update"], ["update"]]);
  }, 900_000);

  it("upgrading to one association per role forgets the two, revokes nobody, adds a new role's members, and settles", async () => {
    api.batches.length = 0;
    write(users({ ADMIN: { userIds: ["u1", "u2"], groupIds: ["g1"] }, VIEWER: { groupIds: ["g2"] } }));
    await apply();
    expect(api.batches.flat().filter((b) => b.action === "REVOKE")).toEqual([]);
    expect(api.roles()).toEqual({
      ADMIN: ["SSO_GROUP:g1", "SSO_USER:u1", "SSO_USER:u2"],
      VIEWER: ["SSO_GROUP:g2"],
    });
    expect(await planned()).toEqual({}); // settled: the second plan is empty
  }, 900_000);

  it("removing a member replaces the role's association: REVOKE of the role, then ADD of the rest", async () => {
    api.batches.length = 0;
    write(users({ ADMIN: { userIds: ["u1"], groupIds: ["g1"] }, VIEWER: { groupIds: ["g2"] } }));
    const plan = await planned();
    // The ADMIN association is replaced, because the list of its members changed; VIEWER is untouched.
    expect(Object.entries(plan).filter(([, a]) => a[0] !== "update")).toEqual([
      [expect.stringMatching(/^aws_grafana_role_association\.users_admin_/), ["replace"]],
    ]);
    await apply();
    // Delete of the old association (REVOKE what it held), then create of the new one (ADD the list).
    expect(api.batches).toEqual([
      [
        { action: "REVOKE", role: "ADMIN", users: [user("u1"), user("u2")] },
        { action: "REVOKE", role: "ADMIN", users: [group("g1")] },
      ],
      [
        { action: "ADD", role: "ADMIN", users: [user("u1")] },
        { action: "ADD", role: "ADMIN", users: [group("g1")] },
      ],
    ]);
    expect(api.roles()).toEqual({ ADMIN: ["SSO_GROUP:g1", "SSO_USER:u1"], VIEWER: ["SSO_GROUP:g2"] });
    expect(await planned()).toEqual({});
  }, 900_000);
});
