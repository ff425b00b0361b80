import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import userMfaEnforced from "../../checks/user-mfa-enforced/check.js";
import { collectAccount } from "../../collect/collectAccount.js";
import { parseScenario } from "../../emulator/scenario.js";
import { createEmulator, type Emulator } from "../../emulator/server.js";
import { iamWriteHandlers } from "../../emulator/services/iam/writes.js";
import { services } from "../../emulator/services/index.js";
import { runChecks } from "../../engine/runChecks.js";
import { serializeSnapshot } from "../../snapshot/io.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";
import { main } from "../main.js";

const ACCOUNT = "444455556666";
const OTHER = "777788889999";
const WRITES = new Set(["CreatePolicy", "CreateGroup", "AttachGroupPolicy", "AddUserToGroup"]);

const SCENARIO = {
  name: "cli-fix",
  accounts: [
    {
      id: ACCOUNT,
      name: "cli-fix",
      regions: ["us-east-1"],
      root: { password: false },
      users: [
        {
          name: "alice",
          created: "60d ago",
          password: { lastUsed: "1d ago" },
          mfa: [{ type: "virtual", enabled: "50d ago" }],
          managedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"],
        },
        {
          name: "bob",
          created: "60d ago",
          password: { lastUsed: "2d ago" },
          managedPolicies: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        },
        { name: "ci", created: "400d ago", accessKeys: [{ created: "300d ago", lastUsed: "1d ago" }] },
      ],
    },
    { id: OTHER, name: "other", regions: ["us-east-1"], root: { password: false } },
  ],
};

describe("mfawatch fix against the emulator", () => {
  let emulator: Emulator;
  let dir: string;
  const envFor = (account: string) => {
    const keys = emulator.credentialsFor(account);
    return { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
  };
  const run = async (args: string[], options: { stdin?: CliIo["stdin"]; account?: string } = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      ...(options.stdin ? { stdin: options.stdin } : {}),
      env: envFor(options.account ?? ACCOUNT),
      cwd: dir,
    };
    const code = await main(
      ["fix", "--endpoint", emulator.endpoint, "--region", "us-east-1", "--quiet", ...args],
      io,
    );
    return { code, stdout: out.join(""), stderr: err.join("") };
  };
  const writes = () => emulator.callLog.filter((e) => WRITES.has(e.operation)).map((e) => e.operation);
  const terminal = (answer: string) => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    stdin.end(answer);
    return stdin;
  };
  const collect = () =>
    collectAccount({
      credentials: emulator.credentialsFor(ACCOUNT),
      region: "us-east-1",
      endpoint: emulator.endpoint,
      cloudTrailRequestsPerSecond: 1000,
    });
  const enforcement = async () =>
    runChecks(await collect(), [userMfaEnforced]).map((r) => `${r.resource.split("/").pop()} ${r.status}`);

  beforeAll(async () => {
    emulator = await createEmulator({
      scenario: parseScenario(SCENARIO),
      services: {
        ...services,
        iam: { ...services.iam, handlers: { ...services.iam.handlers, ...iamWriteHandlers } },
      },
    });
    dir = await mkdtemp(join(tmpdir(), "mfawatch-fix-"));
    await writeFile(join(dir, "snapshot.json"), serializeSnapshot(await collect()));
    emulator.clearCallLog();
  });
  afterAll(() => emulator.close());

  it("prints the plan without writing anything", async () => {
    const { code, stdout, stderr } = await run(["--plan"]);
    expect(stderr).toBe("");
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain(`mfawatch fix plan for account ${ACCOUNT}`);
    expect(stdout).toContain(
      "aws iam add-user-to-group --group-name mfawatch-mfa-required --user-name alice",
    );
    expect(stdout).toContain("2. Users to ask to enrol an MFA device (1):\n     bob");
    expect(stdout).toContain(`rotate arn:aws:iam::${ACCOUNT}:user/ci#access_key_1: access-key-rotation`);
    expect(writes()).toEqual([]);

    const tf = await run(["--plan", "--format", "terraform", "--snapshot", "snapshot.json"]);
    expect(tf.stdout).toContain('resource "aws_iam_policy" "force_mfa"');
    const cfn = await run(["--plan", "--format", "cloudformation", "--snapshot", "snapshot.json"]);
    expect(cfn.stdout).toContain("Type: AWS::IAM::ManagedPolicy");
  });

  it("refuses bad flags and --apply without a terminal unless --yes", async () => {
    expect((await run([])).code).toBe(EXIT.usage);
    expect((await run(["--plan", "--format", "pdf"])).code).toBe(EXIT.usage);
    const refused = await run(["--apply"]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toContain("without one, add --yes");
    expect(writes()).toEqual([]);
  });

  it("changes nothing when the confirmation is not 'yes'", async () => {
    const { code, stdout, stderr } = await run(["--apply", "--snapshot", "snapshot.json"], {
      stdin: terminal("no\n"),
    });
    expect(code).toBe(EXIT.ok);
    expect(stderr).toContain("Type 'yes' to apply");
    expect(stdout).toContain("Nothing was changed.");
    expect(writes()).toEqual([]);
  });

  it("refuses to apply a saved plan with another account's credentials", async () => {
    const { code, stderr } = await run(["--apply", "--yes", "--snapshot", "snapshot.json"], {
      account: OTHER,
    });
    expect(code).toBe(EXIT.failure);
    expect(stderr).toContain(
      `the credentials belong to account ${OTHER}, but the plan is for account ${ACCOUNT}`,
    );
    expect(writes()).toEqual([]);
  });

  it("applies the policy and group after 'yes', after which MFA is enforced; a re-run changes nothing", async () => {
    expect(await enforcement()).toEqual(["alice fail", "bob fail"]);
    const { code, stdout } = await run(["--apply", "--snapshot", "snapshot.json"], {
      stdin: terminal("yes\n"),
    });
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain("done    add bob to group mfawatch-mfa-required");
    expect(writes()).toEqual([
      "CreatePolicy",
      "CreateGroup",
      "AttachGroupPolicy",
      "AddUserToGroup",
      "AddUserToGroup",
    ]);
    expect(await enforcement()).toEqual(["alice pass", "bob pass"]);

    emulator.clearCallLog();
    const again = await run(["--apply", "--yes", "--snapshot", "snapshot.json"]);
    expect(again.code).toBe(EXIT.ok);
    expect(again.stdout).toContain("already create policy");
    expect(writes()).toEqual(["AttachGroupPolicy"]);
  });
});
