import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GenerateCredentialReportCommand, IAMClient, LimitExceededException } from "@aws-sdk/client-iam";
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { parseScenario } from "./scenario.js";
import { createEmulator, type Emulator, type EmulatorOptions } from "./server.js";
import type { ServiceDefinition } from "./types.js";

const A = "111111111111";
const B = "222222222222";

const scenario = parseScenario({
  name: "server test",
  accounts: [
    { id: A, name: "Alpha" },
    { id: B, name: "Beta", accessKeyId: "AKIABETA000000000000" },
  ],
});

const organizationsStub: ServiceDefinition = {
  name: "organizations",
  protocol: "json",
  targetPrefix: "AWSOrganizationsV20161128",
  handlers: {
    DescribeOrganization: (ctx) => ({
      Organization: { Id: "o-abcdefghij", MasterAccountId: ctx.account.id, FeatureSet: "ALL" },
    }),
  },
};

const cloudTrailStub: ServiceDefinition = {
  name: "cloudtrail",
  protocol: "json",
  targetPrefix: "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101",
  handlers: {
    LookupEvents: () => ({
      Events: [{ EventId: "e1", EventName: "ConsoleLogin", EventTime: new Date("2026-01-02T03:04:05Z") }],
    }),
  },
};

const ec2Stub: ServiceDefinition = {
  name: "ec2",
  protocol: "ec2",
  xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
  handlers: {
    DescribeRegions: (ctx) => ({
      regionInfo: ["us-east-1", "eu-west-1"]
        .filter((r) => ctx.input.AllRegions === "true" || r === "us-east-1")
        .map((regionName) => ({ regionName, optInStatus: "opt-in-not-required" })),
    }),
  },
};

let emulator: Emulator;

async function start(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  emulator = await createEmulator({
    scenario,
    services: { organizations: organizationsStub, cloudtrail: cloudTrailStub, ec2: ec2Stub },
    ...options,
  });
  return emulator;
}

afterEach(async () => {
  await emulator?.close();
});

function clientConfig(accountId: string, extra: Record<string, unknown> = {}) {
  return {
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: emulator.credentialsFor(accountId),
    ...extra,
  };
}

const fakeKeys = { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "nope" };

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error("the call succeeded");
    },
    (e: unknown) => e as Error & { $metadata: { httpStatusCode?: number; attempts?: number } },
  );
  return error;
}

describe("routing and authentication", () => {
  it("answers GetCallerIdentity for the account whose key signed the request", async () => {
    await start();
    for (const [id, key] of [
      [A, emulator.credentialsFor(A).accessKeyId],
      [B, "AKIABETA000000000000"],
    ]) {
      const sts = new STSClient(clientConfig(id as string));
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      expect(identity).toMatchObject({ Account: id, Arn: `arn:aws:iam::${id}:root`, UserId: id });
      expect(emulator.credentialsFor(id as string).accessKeyId).toBe(key);
    }
    expect(emulator.credentialsFor(A).accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
  });

  it("refuses an unknown access key with InvalidClientTokenId (Query) and UnrecognizedClientException (JSON)", async () => {
    await start();
    const sts = new STSClient({ endpoint: emulator.endpoint, region: "us-east-1", credentials: fakeKeys });
    const queryError = await failure(sts.send(new GetCallerIdentityCommand({})));
    expect(queryError.name).toBe("InvalidClientTokenId");
    expect(queryError.message).toBe("The security token included in the request is invalid.");
    expect(queryError.$metadata.httpStatusCode).toBe(403);

    const org = new OrganizationsClient({
      endpoint: emulator.endpoint,
      region: "us-east-1",
      credentials: fakeKeys,
    });
    const jsonError = await failure(org.send(new DescribeOrganizationCommand({})));
    expect(jsonError.name).toBe("UnrecognizedClientException");
    expect(jsonError.message).toBe("The security token included in the request is invalid.");
    expect(jsonError.$metadata.httpStatusCode).toBe(400);

    expect(emulator.callLog.map((e) => [e.service, e.operation, e.accountId, e.status, e.errorCode])).toEqual(
      [
        ["sts", "GetCallerIdentity", null, 403, "InvalidClientTokenId"],
        ["organizations", "DescribeOrganization", null, 400, "UnrecognizedClientException"],
      ],
    );
  });

  it("refuses a request without Authorization", async () => {
    await start();
    const res = await fetch(emulator.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("<Code>MissingAuthenticationToken</Code>");
  });
});

describe("protocols", () => {
  it("serves JSON 1.1 with dates as epoch seconds, and UnknownOperationException for other operations", async () => {
    await start();
    const org = new OrganizationsClient(clientConfig(B));
    const { Organization } = await org.send(new DescribeOrganizationCommand({}));
    expect(Organization).toMatchObject({ Id: "o-abcdefghij", MasterAccountId: B });

    const trail = new CloudTrailClient(clientConfig(A));
    const { Events } = await trail.send(new LookupEventsCommand({}));
    expect(Events?.[0]?.EventTime).toEqual(new Date("2026-01-02T03:04:05Z"));

    const unknown = await failure(org.send(new ListAccountsCommand({})));
    expect(unknown.name).toBe("UnknownOperationException");
    expect(unknown.$metadata.httpStatusCode).toBe(400);
  });

  it("serves EC2 responses with <item> lists and EC2-shaped errors", async () => {
    await start();
    const ec2 = new EC2Client(clientConfig(A, { maxAttempts: 1 }));
    const { Regions } = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    expect(Regions?.map((r) => r.RegionName)).toEqual(["us-east-1", "eu-west-1"]);
    expect(Regions?.[0]).toMatchObject({ OptInStatus: "opt-in-not-required" });

    emulator.addFault(A, { operation: "ec2:DescribeRegions", kind: "Throttling" });
    const throttled = await failure(ec2.send(new DescribeRegionsCommand({})));
    expect(throttled.name).toBe("RequestLimitExceeded");
    expect(throttled.$metadata.httpStatusCode).toBe(503);
  });

  it("surfaces Query errors with the AWS code and status", async () => {
    await start();
    emulator.addFault(A, { operation: "sts:GetCallerIdentity", kind: "AccessDenied" });
    const error = await failure(new STSClient(clientConfig(A)).send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe("AccessDenied");
    expect(error.message).toContain(
      `User: arn:aws:iam::${A}:root is not authorized to perform: sts:GetCallerIdentity`,
    );
    expect(error.$metadata.httpStatusCode).toBe(403);
  });
});

describe("faults", () => {
  it("throttles every attempt of a Throttling fault so the SDK's retries are exhausted", async () => {
    await start();
    emulator.addFault(A, { operation: "sts:*", kind: "Throttling" });
    const sts = new STSClient(clientConfig(A, { maxAttempts: 2 }));
    const error = await failure(sts.send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe("Throttling");
    expect(error.message).toBe("Rate exceeded");
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.$metadata.attempts).toBe(2);
    // Other accounts are not affected.
    await expect(
      new STSClient(clientConfig(B)).send(new GetCallerIdentityCommand({})),
    ).resolves.toBeDefined();
  });

  it("fails only `times` times, so the SDK's retry succeeds", async () => {
    await start();
    emulator.addFault("*", { operation: "*", kind: "InternalError", times: 1 });
    const identity = await new STSClient(clientConfig(A)).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(A);
    expect(emulator.callLog.map((e) => [e.status, e.errorCode])).toEqual([
      [500, "InternalFailure"],
      [200, undefined],
    ]);
  });

  it("answers Http500NonAws with an HTML 500 that the SDK reports with status 500", async () => {
    await start();
    emulator.addFault(B, { operation: "organizations:DescribeOrganization", kind: "Http500NonAws" });
    const error = await failure(
      new OrganizationsClient(clientConfig(B, { maxAttempts: 1 })).send(new DescribeOrganizationCommand({})),
    );
    expect(error.$metadata.httpStatusCode).toBe(500);
    emulator.clearFaults();
    await expect(
      new OrganizationsClient(clientConfig(B)).send(new DescribeOrganizationCommand({})),
    ).resolves.toBeDefined();
  });

  it("throttles by token bucket per account and service, and the SDK retries until tokens refill", async () => {
    await start({
      scenario: parseScenario({
        name: "throttled",
        throttle: { ratePerSecond: 5, burst: 1 },
        accounts: [{ id: A, name: "Alpha" }],
      }),
    });
    const noRetry = new STSClient(clientConfig(A, { maxAttempts: 1 }));
    await noRetry.send(new GetCallerIdentityCommand({}));
    const error = await failure(noRetry.send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe("Throttling");

    const retrying = new STSClient(clientConfig(A, { maxAttempts: 8 }));
    const identity = await retrying.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(A);
    const attempts = identity.$metadata.attempts ?? 0;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(emulator.callLog.slice(2).map((e) => e.status)).toEqual([...Array(attempts - 1).fill(400), 200]);
  });

  it("limits CloudTrail LookupEvents to 2 requests per second per account and region", async () => {
    await start();
    const trail = new CloudTrailClient(clientConfig(A, { maxAttempts: 1 }));
    await trail.send(new LookupEventsCommand({}));
    await trail.send(new LookupEventsCommand({}));
    const error = await failure(trail.send(new LookupEventsCommand({})));
    expect(error.name).toBe("ThrottlingException");
    expect(error.$metadata.httpStatusCode).toBe(400);
    // Another region has its own limit.
    const west = new CloudTrailClient(clientConfig(A, { maxAttempts: 1, region: "eu-west-1" }));
    await expect(west.send(new LookupEventsCommand({}))).resolves.toBeDefined();
  });

  it("keeps LookupEvents' own limit under a scenario-wide throttle, and lets an option raise it", async () => {
    await start({
      scenario: parseScenario({
        name: "generous throttle",
        throttle: { ratePerSecond: 1000, burst: 1000 },
        accounts: [{ id: A, name: "Alpha" }],
      }),
    });
    const trail = new CloudTrailClient(clientConfig(A, { maxAttempts: 1 }));
    await trail.send(new LookupEventsCommand({}));
    await trail.send(new LookupEventsCommand({}));
    expect((await failure(trail.send(new LookupEventsCommand({})))).name).toBe("ThrottlingException");
    await emulator.close();

    await start({ lookupEventsLimit: { ratePerSecond: 0.01, burst: 5 } });
    const raised = new CloudTrailClient(clientConfig(A, { maxAttempts: 1 }));
    for (let i = 0; i < 5; i++) await raised.send(new LookupEventsCommand({}));
    expect((await failure(raised.send(new LookupEventsCommand({})))).name).toBe("ThrottlingException");
  });

  it("throttles each JSON service with its own error: TooManyRequestsException for Organizations", async () => {
    await start();
    emulator.addFault(A, { operation: "organizations:*", kind: "Throttling" });
    emulator.addFault(A, { operation: "cloudtrail:*", kind: "Throttling" });
    const organizations = new OrganizationsClient(clientConfig(A, { maxAttempts: 1 }));
    const error = await failure(organizations.send(new DescribeOrganizationCommand({})));
    expect(error.name).toBe("TooManyRequestsException");
    expect(error.message).toMatch(/^You have sent too many requests/);
    expect(error.$metadata.httpStatusCode).toBe(400);
    const trail = new CloudTrailClient(clientConfig(A, { maxAttempts: 1 }));
    expect((await failure(trail.send(new LookupEventsCommand({})))).name).toBe("ThrottlingException");
  });

  it("answers a LimitExceeded fault with IAM's LimitExceeded, HTTP 409, and refuses it for other services", async () => {
    await start();
    emulator.addFault(A, { operation: "iam:GenerateCredentialReport", kind: "LimitExceeded" });
    const iam = new IAMClient(clientConfig(A, { maxAttempts: 1 }));
    const error = await failure(iam.send(new GenerateCredentialReportCommand({})));
    expect(error).toBeInstanceOf(LimitExceededException);
    expect(error.$metadata.httpStatusCode).toBe(409);
    expect(emulator.callLog.at(-1)?.errorCode).toBe("LimitExceeded");
    expect(() => emulator.addFault(A, { operation: "sts:*", kind: "LimitExceeded" })).toThrow(/IAM/);
    expect(() =>
      parseScenario({
        name: "wrong service",
        accounts: [{ id: A, name: "Alpha", faults: [{ operation: "sts:*", kind: "LimitExceeded" }] }],
      }),
    ).toThrow(/LimitExceeded is an IAM error/);
  });

  it("adds latency", async () => {
    await start();
    emulator.addFault(A, { operation: "sts:GetCallerIdentity", kind: "Latency", latencyMs: 150 });
    await new STSClient(clientConfig(A)).send(new GetCallerIdentityCommand({}));
    expect(emulator.callLog[0]?.durationMs).toBeGreaterThanOrEqual(140);
  });
});

describe("call log", () => {
  it("records service, operation, account, region and status of each call", async () => {
    await start();
    await new STSClient(clientConfig(A, { region: "eu-west-1" })).send(new GetCallerIdentityCommand({}));
    await new OrganizationsClient(clientConfig(B)).send(new DescribeOrganizationCommand({}));
    expect(emulator.callLog).toEqual([
      expect.objectContaining({
        service: "sts",
        operation: "GetCallerIdentity",
        accountId: A,
        region: "eu-west-1",
        status: 200,
      }),
      expect.objectContaining({
        service: "organizations",
        operation: "DescribeOrganization",
        accountId: B,
        region: "us-east-1",
        status: 200,
      }),
    ]);
    expect(emulator.callLog[0]?.errorCode).toBeUndefined();
    emulator.clearCallLog();
    expect(emulator.callLog).toEqual([]);
  });
});
