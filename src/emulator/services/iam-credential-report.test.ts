import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from "@aws-sdk/client-iam";
import { afterEach, describe, expect, it } from "vitest";
import { parseScenario } from "../scenario.js";
import { createEmulator, type Emulator } from "../server.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const A = "111111111111";
const DAY = 86400e3;

/** The report's date form, written out independently of the code under test. */
const daysAgo = (days: number) => `${new Date(NOW.getTime() - days * DAY).toISOString().slice(0, 19)}+00:00`;

/** The earliest time the account mentions: the root user's user_creation_time. */
const DAVE_CREATED = "2013-05-01T08:09:10+00:00";

const HEADER =
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

function accountInput(credentialReport: Record<string, unknown> = {}, root: Record<string, unknown> = {}) {
  return {
    id: A,
    name: "Alpha",
    credentialReport: { delaySeconds: 5, ...credentialReport },
    passwordPolicy: { maxPasswordAge: 90 },
    root: {
      password: { lastUsed: "3d ago" },
      mfa: [{ type: "virtual", enabled: "400d ago" }],
      accessKeys: [
        { created: "500d ago", lastUsed: "2d ago", lastUsedService: "s3", lastUsedRegion: "us-east-1" },
      ],
      ...root,
    },
    users: [
      {
        name: "alice",
        created: "300d ago",
        password: { created: "300d ago", lastUsed: "1d ago" },
        mfa: [{ type: "virtual", enabled: "299d ago" }],
        accessKeys: [
          { created: "100d ago" },
          { active: false, created: "50d ago", lastUsed: "40d ago", lastUsedService: "iam" },
        ],
      },
      { name: "bob", created: "200d ago", password: { lastUsed: "never", nextRotation: "10d ago" } },
      { name: "carol", created: "100d ago", certificates: [{ created: "90d ago" }] },
      { name: "dave", created: "2013-05-01T08:09:10Z", password: { lastUsed: "before-2014" } },
    ],
  };
}

let emulator: Emulator | undefined;
let clock = NOW;

afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(account: Record<string, unknown> = accountInput()) {
  clock = NOW;
  const scenario = parseScenario({ name: "credential report", accounts: [account] }, NOW);
  emulator = await createEmulator({ scenario, now: () => clock });
  return new IAMClient({
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: emulator.credentialsFor(A),
  });
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("the call succeeded");
    },
    (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number } },
  );
}

const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

async function reportText(iam: IAMClient): Promise<string> {
  await iam.send(new GenerateCredentialReportCommand({}));
  advance(5000);
  const report = await iam.send(new GetCredentialReportCommand({}));
  return Buffer.from(report.Content ?? new Uint8Array()).toString("utf8");
}

describe("credential report life cycle", () => {
  it("goes ReportNotPresent → STARTED → ReportInProgress/INPROGRESS → COMPLETE, reused for 4 hours, then ReportExpired", async () => {
    const iam = await start();
    const absent = await failure(iam.send(new GetCredentialReportCommand({})));
    expect(absent.name).toBe("CredentialReportNotPresentException");
    expect(absent.$metadata.httpStatusCode).toBe(410);

    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe("STARTED");
    const inProgress = await failure(iam.send(new GetCredentialReportCommand({})));
    expect(inProgress.name).toBe("CredentialReportNotReadyException");
    expect(inProgress.$metadata.httpStatusCode).toBe(404);
    advance(4000);
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe("INPROGRESS");

    advance(1000);
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe("COMPLETE");
    const first = await iam.send(new GetCredentialReportCommand({}));
    expect(first.ReportFormat).toBe("text/csv");
    expect(first.GeneratedTime).toEqual(NOW);
    expect(Buffer.from(first.Content ?? new Uint8Array()).toString("utf8")).toMatch(/^user,arn,/);

    advance(3 * 3600e3);
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe("COMPLETE");
    expect((await iam.send(new GetCredentialReportCommand({}))).GeneratedTime).toEqual(first.GeneratedTime);

    advance(3600e3 - 5000);
    const expired = await failure(iam.send(new GetCredentialReportCommand({})));
    expect(expired.name).toBe("CredentialReportExpiredException");
    expect(expired.$metadata.httpStatusCode).toBe(410);

    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe("STARTED");
    const started = clock;
    advance(5000);
    const second = await iam.send(new GetCredentialReportCommand({}));
    expect(second.GeneratedTime).toEqual(started);
  });

  it("gives as GeneratedTime the moment its content was taken, so later changes wait for the next report", async () => {
    const iam = await start();
    await iam.send(new GenerateCredentialReportCommand({}));
    const alice = emulator?.scenario.accounts[0]?.users.find((u) => u.name === "alice");
    if (!alice) throw new Error("alice is missing");
    alice.mfa = [];
    advance(5000);
    const report = await iam.send(new GetCredentialReportCommand({}));
    expect(report.GeneratedTime).toEqual(NOW);
    const text = Buffer.from(report.Content ?? new Uint8Array()).toString("utf8");
    expect(
      text
        .split("\n")
        .find((line) => line.startsWith("alice,"))
        ?.split(",")[7],
    ).toBe("true");
  });
});

describe("credential report content", () => {
  it("writes the root row first and every value form AWS uses", async () => {
    const text = await reportText(await start());
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toBe(HEADER);
    expect(lines.slice(1)).toEqual([
      `<root_account>,arn:aws:iam::${A}:root,${DAVE_CREATED},not_supported,${daysAgo(3)},not_supported,not_supported,true,true,${daysAgo(500)},${daysAgo(2)},us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
      `alice,arn:aws:iam::${A}:user/alice,${daysAgo(300)},true,${daysAgo(1)},${daysAgo(300)},${daysAgo(210)},true,true,${daysAgo(100)},N/A,N/A,N/A,false,${daysAgo(50)},${daysAgo(40)},N/A,iam,false,N/A,false,N/A`,
      `bob,arn:aws:iam::${A}:user/bob,${daysAgo(200)},true,no_information,${daysAgo(200)},${daysAgo(10)},false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
      `carol,arn:aws:iam::${A}:user/carol,${daysAgo(100)},false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,true,${daysAgo(90)},false,N/A`,
      `dave,arn:aws:iam::${A}:user/dave,${DAVE_CREATED},true,no_information,${DAVE_CREATED},2013-07-30T08:09:10+00:00,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    ]);
  });

  it("quotes a user name that holds a comma", async () => {
    const account = {
      ...accountInput({ omitRootRow: true }),
      users: [{ name: "smith,john", created: "5d ago" }],
    };
    const lines = (await reportText(await start(account))).split("\n");
    const expected = `"smith,john","arn:aws:iam::${A}:user/smith,john",${daysAgo(5)},false,`;
    expect(lines[1]?.slice(0, expected.length)).toBe(expected);
  });

  it("upper-cases booleans, omits the root row and the trailing newline when the scenario says so", async () => {
    const text = await reportText(
      await start(accountInput({ upperCaseBooleans: true, omitRootRow: true, trailingNewline: false })),
    );
    expect(text.endsWith("\n")).toBe(false);
    const lines = text.split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(
      `alice,arn:aws:iam::${A}:user/alice,${daysAgo(300)},TRUE,${daysAgo(1)},${daysAgo(300)},${daysAgo(210)},TRUE,TRUE,${daysAgo(100)},N/A,N/A,N/A,FALSE,${daysAgo(50)},${daysAgo(40)},N/A,iam,FALSE,N/A,FALSE,N/A`,
    );
    expect(text).not.toContain("<root_account>");
  });

  it("reports root's actual password_enabled when asked: false and N/A without a password", async () => {
    const text = await reportText(
      await start(accountInput({ rootPasswordEnabled: "actual" }, { password: false, accessKeys: [] })),
    );
    expect(text.split("\n")[1]).toBe(
      `<root_account>,arn:aws:iam::${A}:root,${DAVE_CREATED},false,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`,
    );
    const withPassword = await reportText(await start(accountInput({ rootPasswordEnabled: "actual" })));
    expect(withPassword.split("\n")[1]).toMatch(/^<root_account>,[^,]+,[^,]+,true,/);
  });
});
