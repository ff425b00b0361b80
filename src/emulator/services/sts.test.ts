import {
  AssumeRoleCommand,
  AssumeRootCommand,
  GetCallerIdentityCommand,
  STSClient,
  type STSClientConfig,
} from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { parseScenario, type Scenario } from "../scenario.js";
import { createEmulator, type Emulator } from "../server.js";

const MGMT = "111111111111";
const MEMBER = "222222222222";
const OUTSIDER = "333333333333";
const AUDIT_TASK = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials";

const allow = (principal: unknown, condition?: unknown) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: principal,
      Action: "sts:AssumeRole",
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});

function scenario(rootFeatures: string[] = ["RootCredentialsManagement", "RootSessions"]): Scenario {
  return parseScenario({
    name: "sts test",
    organization: { id: "o-abcdefghij", managementAccount: MGMT, rootFeatures },
    accounts: [
      {
        id: MGMT,
        name: "Management",
        roles: [{ name: "Hop", trustPolicy: allow({ AWS: `arn:aws:iam::${MGMT}:root` }) }],
      },
      {
        id: MEMBER,
        name: "Member",
        roles: [
          { name: "Audit", trustPolicy: allow({ AWS: `arn:aws:iam::${MGMT}:root` }) },
          { name: "ByAccountId", trustPolicy: allow({ AWS: [OUTSIDER, MGMT] }) },
          {
            name: "External",
            trustPolicy: allow({ AWS: MGMT }, { StringEquals: { "sts:ExternalId": "s3cret" } }),
          },
          {
            name: "FromHop",
            trustPolicy: allow({ AWS: `arn:aws:iam::${MGMT}:role/Hop` }),
            maxSessionDuration: 43200,
          },
          { name: "Long", trustPolicy: allow({ AWS: MGMT }), maxSessionDuration: 14400 },
          {
            name: "Denied",
            trustPolicy: {
              Statement: [
                { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" },
                { Effect: "Deny", Principal: { AWS: MGMT }, Action: "sts:*" },
              ],
            },
          },
        ],
      },
      { id: OUTSIDER, name: "Outsider" },
    ],
  });
}

let emulator: Emulator;
let clock = new Date("2026-06-01T12:00:00Z");

async function start(s: Scenario = scenario()) {
  clock = new Date("2026-06-01T12:00:00Z");
  emulator = await createEmulator({ scenario: s, now: () => clock });
}

afterEach(async () => {
  await emulator?.close();
});

function sts(accountId: string, extra: Partial<STSClientConfig> = {}) {
  return new STSClient({
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: emulator.credentialsFor(accountId),
    maxAttempts: 1,
    ...extra,
  });
}

async function errorOf(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("the call succeeded");
    },
    (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number } },
  );
}

const roleArn = (name: string, account = MEMBER) => `arn:aws:iam::${account}:role/${name}`;

/** A client whose requests carry the global endpoint's Host header, as a client of sts.amazonaws.com sends. */
function viaHost(client: STSClient, host: string): STSClient {
  client.middlewareStack.add(
    (next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers.host = host;
      return next(args);
    },
    { step: "build" },
  );
  return client;
}

/** A client signed in as a session of the Hop role in the management account. */
async function hopSession(): Promise<STSClient> {
  const hop = await sts(MGMT).send(
    new AssumeRoleCommand({ RoleArn: roleArn("Hop", MGMT), RoleSessionName: "hop" }),
  );
  const creds = hop.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
  return new STSClient({
    endpoint: emulator.endpoint,
    region: "us-east-1",
    maxAttempts: 1,
    credentials: {
      accessKeyId: creds.AccessKeyId,
      secretAccessKey: creds.SecretAccessKey,
      sessionToken: creds.SessionToken,
    },
  });
}

describe("AssumeRole", () => {
  it("issues credentials when the trust policy allows the caller, usable only with the session token", async () => {
    await start();
    const out = await sts(MGMT).send(
      new AssumeRoleCommand({ RoleArn: roleArn("Audit"), RoleSessionName: "mfawatch", DurationSeconds: 900 }),
    );
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/Audit/mfawatch`);
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]{17}:mfawatch$/);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(out.Credentials?.Expiration).toEqual(new Date(clock.getTime() + 900_000));

    const creds = out.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const session = {
      accessKeyId: creds.AccessKeyId,
      secretAccessKey: creds.SecretAccessKey,
      sessionToken: creds.SessionToken,
    };
    const client = new STSClient({ endpoint: emulator.endpoint, region: "us-east-1", credentials: session });
    const identity = await client.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: MEMBER,
      Arn: `arn:aws:sts::${MEMBER}:assumed-role/Audit/mfawatch`,
      UserId: out.AssumedRoleUser?.AssumedRoleId,
    });

    const noToken = new STSClient({
      endpoint: emulator.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: creds.AccessKeyId, secretAccessKey: creds.SecretAccessKey },
    });
    expect((await errorOf(noToken.send(new GetCallerIdentityCommand({})))).name).toBe("InvalidClientTokenId");

    clock = new Date(clock.getTime() + 901_000);
    const expired = await errorOf(client.send(new GetCallerIdentityCommand({})));
    expect(expired.name).toBe("ExpiredToken");
    expect(expired.$metadata.httpStatusCode).toBe(403);
  });

  it("accepts an account id as principal, and a role ARN for a chained session", async () => {
    await start();
    await expect(
      sts(OUTSIDER).send(new AssumeRoleCommand({ RoleArn: roleArn("ByAccountId"), RoleSessionName: "s1" })),
    ).resolves.toBeDefined();
    const chained = await hopSession();
    const out = await chained.send(
      new AssumeRoleCommand({ RoleArn: roleArn("FromHop"), RoleSessionName: "two" }),
    );
    expect(out.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/FromHop/two`);
    // The management account's root is not the Hop role.
    const denied = await errorOf(
      sts(MGMT).send(new AssumeRoleCommand({ RoleArn: roleArn("FromHop"), RoleSessionName: "xx" })),
    );
    expect(denied.name).toBe("AccessDenied");
  });

  it("refuses a caller the trust policy does not name, a missing role and an explicit Deny", async () => {
    await start();
    const untrusted = await errorOf(
      sts(OUTSIDER).send(new AssumeRoleCommand({ RoleArn: roleArn("Audit"), RoleSessionName: "s1" })),
    );
    expect(untrusted.name).toBe("AccessDenied");
    expect(untrusted.message).toBe(
      `User: arn:aws:iam::${OUTSIDER}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn("Audit")}`,
    );
    expect(untrusted.$metadata.httpStatusCode).toBe(403);

    for (const arn of [roleArn("Missing"), roleArn("Audit", "999999999999"), roleArn("Denied")]) {
      const error = await errorOf(
        sts(MGMT).send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: "s1" })),
      );
      expect(error.name, arn).toBe("AccessDenied");
    }
  });

  it("checks sts:ExternalId", async () => {
    await start();
    const call = (ExternalId?: string) =>
      sts(MGMT).send(
        new AssumeRoleCommand({ RoleArn: roleArn("External"), RoleSessionName: "s1", ExternalId }),
      );
    expect((await errorOf(call("wrong"))).name).toBe("AccessDenied");
    expect((await errorOf(call())).name).toBe("AccessDenied");
    await expect(call("s3cret")).resolves.toBeDefined();
  });

  it("bounds DurationSeconds to 900..43200", async () => {
    await start();
    for (const DurationSeconds of [899, 43201]) {
      const error = await errorOf(
        sts(MGMT).send(
          new AssumeRoleCommand({ RoleArn: roleArn("Audit"), RoleSessionName: "s1", DurationSeconds }),
        ),
      );
      expect(error.name).toBe("ValidationError");
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });
});

describe("AssumeRole DurationSeconds", () => {
  const assume = (client: STSClient, name: string, DurationSeconds: number) =>
    client.send(new AssumeRoleCommand({ RoleArn: roleArn(name), RoleSessionName: "s1", DurationSeconds }));

  it("refuses more than the role's MaxSessionDuration, 3600 seconds unless the role says more", async () => {
    await start();
    const short = await errorOf(assume(sts(MGMT), "Audit", 3601));
    expect(short.name).toBe("ValidationError");
    expect(short.message).toBe(
      "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    );
    expect(short.$metadata.httpStatusCode).toBe(400);
    const long = await assume(sts(MGMT), "Long", 14400);
    expect(long.Credentials?.Expiration).toEqual(new Date(clock.getTime() + 14400_000));
    expect((await errorOf(assume(sts(MGMT), "Long", 14401))).name).toBe("ValidationError");
  });

  it("caps a session assumed from a role session (role chaining) at one hour", async () => {
    await start();
    const chained = await hopSession();
    const error = await errorOf(assume(chained, "FromHop", 3601));
    expect(error.name).toBe("ValidationError");
    expect(error.message).toBe(
      "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
    );
    const out = await assume(chained, "FromHop", 3600);
    expect(out.Credentials?.Expiration).toEqual(new Date(clock.getTime() + 3600_000));
  });
});

describe("AssumeRoot", () => {
  const assumeRoot = (TargetPrincipal = MEMBER, TaskPolicyArn = AUDIT_TASK, DurationSeconds?: number) =>
    new AssumeRootCommand({ TargetPrincipal, TaskPolicyArn: { arn: TaskPolicyArn }, DurationSeconds });

  it("gives the management account a root session in a member account", async () => {
    await start();
    const out = await sts(MGMT).send(assumeRoot());
    expect(out.Credentials?.Expiration).toEqual(new Date(clock.getTime() + 900_000));
    const creds = out.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    const root = new STSClient({
      endpoint: emulator.endpoint,
      region: "us-east-1",
      credentials: {
        accessKeyId: creds.AccessKeyId,
        secretAccessKey: creds.SecretAccessKey,
        sessionToken: creds.SessionToken,
      },
    });
    const identity = await root.send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: MEMBER, Arn: `arn:aws:iam::${MEMBER}:root` });
  });

  it("refuses members, non-member targets, other policies and long sessions", async () => {
    await start();
    const fromMember = await errorOf(sts(MEMBER).send(assumeRoot(OUTSIDER)));
    expect(fromMember.name).toBe("AccessDenied");
    expect(fromMember.$metadata.httpStatusCode).toBe(403);
    expect((await errorOf(sts(MGMT).send(assumeRoot(MGMT)))).name).toBe("AccessDenied");
    expect((await errorOf(sts(MGMT).send(assumeRoot("999999999999")))).name).toBe("AccessDenied");
    const policy = "arn:aws:iam::aws:policy/AdministratorAccess";
    expect((await errorOf(sts(MGMT).send(assumeRoot(MEMBER, policy)))).name).toBe("ValidationError");
    expect((await errorOf(sts(MGMT).send(assumeRoot(MEMBER, AUDIT_TASK, 901)))).name).toBe("ValidationError");
  });

  it("refuses the global endpoint when the Host header names it, and accepts a regional one", async () => {
    await start();
    const global = await errorOf(viaHost(sts(MGMT), "sts.amazonaws.com").send(assumeRoot()));
    expect(global.name).toBe("InvalidAction");
    expect(global.$metadata.httpStatusCode).toBe(400);
    await expect(viaHost(sts(MGMT), "sts.eu-west-1.amazonaws.com").send(assumeRoot())).resolves.toBeDefined();
  });

  it("needs RootSessions enabled for the organization", async () => {
    await start(scenario(["RootCredentialsManagement"]));
    const error = await errorOf(sts(MGMT).send(assumeRoot()));
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toContain("RootSessions");
  });
});
