import {
  CloudTrailClient,
  type Event,
  type LookupAttribute,
  LookupEventsCommand,
  paginateLookupEvents,
} from "@aws-sdk/client-cloudtrail";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario, type ScenarioAccount } from "../scenario.js";
import { createEmulator, type Emulator } from "../server.js";
import { userId } from "./iam/model.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const ACCOUNT = "123456789012";
const HOUR = 3600e3;
const SERIAL = `arn:aws:iam::${ACCOUNT}:mfa/alice-phone`;

const scenarioInput = {
  name: "trail",
  accounts: [
    {
      id: ACCOUNT,
      name: "Production",
      cloudTrail: [
        ...Array.from({ length: 60 }, (_, i) => ({
          name: "ConsoleLogin",
          time: `${i + 10}h ago`,
          user: "carol",
          mfaUsed: true,
        })),
        {
          name: "ConsoleLogin",
          time: "1h ago",
          mfaUsed: true,
          serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-key`,
        },
        {
          name: "ConsoleLogin",
          time: "2h ago",
          user: "bob",
          mfaUsed: false,
          success: false,
          sourceIp: "203.0.113.9",
        },
        { name: "DeactivateMFADevice", time: "3h ago", target: "alice", serialNumber: SERIAL },
        { name: "DeleteVirtualMFADevice", time: "3h ago", user: "admin", serialNumber: SERIAL },
        {
          name: "CreateVirtualMFADevice",
          time: "4h ago",
          user: "alice",
          serialNumber: SERIAL,
          mfaUsed: false,
        },
        { name: "EnableMFADevice", time: "4h ago", user: "alice", target: "alice", serialNumber: SERIAL },
        { name: "CreateLoginProfile", time: "5h ago", user: "admin", target: "dave" },
        { name: "CreateAccessKey", time: "5h ago", user: "admin", target: "dave", success: false },
        {
          name: "CredentialChallenge",
          time: "6h ago",
          user: "erin",
          credentialTypes: ["TOTP"],
          authWorkflowId: "wf-1",
          identityFormat: "legacy",
        },
        {
          name: "CredentialVerification",
          time: "6h ago",
          user: "erin",
          credentialTypes: ["TOTP"],
          authWorkflowId: "wf-1",
          identityFormat: "legacy",
          success: false,
        },
        {
          name: "UserAuthentication",
          time: "6h ago",
          user: "erin",
          credentialTypes: ["PASSWORD", "TOTP"],
          authWorkflowId: "wf-1",
          identityFormat: "legacy",
        },
        { name: "ConsoleLogin", time: "7h ago", user: "frank", region: "eu-west-1", mfaUsed: false },
        { name: "ConsoleLogin", time: "100d ago", user: "old" },
      ],
    },
  ],
};

const scenario = parseScenario(scenarioInput, NOW);
/** Lifts LookupEvents' 2 requests a second, which these tests are not about. */
const UNLIMITED = { ratePerSecond: 1000, burst: 1000 };
let emulator: Emulator;
let again: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({ scenario, port: 0, now: () => NOW, lookupEventsLimit: UNLIMITED });
  const later = new Date(NOW.getTime() + 5 * 60e3);
  again = await createEmulator({
    scenario: parseScenario(scenarioInput, later),
    port: 0,
    now: () => later,
    lookupEventsLimit: UNLIMITED,
  });
});

afterAll(async () => {
  await emulator.close();
  await again.close();
});

function client(region = "us-east-1", target = emulator): CloudTrailClient {
  return new CloudTrailClient({
    region,
    endpoint: target.endpoint,
    credentials: target.credentialsFor(ACCOUNT),
    maxAttempts: 1,
  });
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("the call succeeded");
}

async function lookupAll(attribute?: LookupAttribute, region = "us-east-1"): Promise<Event[]> {
  const events: Event[] = [];
  const input = attribute ? { LookupAttributes: [attribute] } : {};
  for await (const page of paginateLookupEvents({ client: client(region) }, input))
    events.push(...(page.Events ?? []));
  return events;
}

async function only(name: string, user?: string): Promise<{ event: Event; record: Record<string, unknown> }> {
  const events = await lookupAll({ AttributeKey: "EventName", AttributeValue: name });
  const event = events.find((e) => user === undefined || e.Username === user);
  if (!event) throw new Error(`no ${name} event`);
  return { event, record: JSON.parse(event.CloudTrailEvent as string) };
}

describe("CloudTrail LookupEvents", () => {
  it("pages 50 events at a time, newest first, and the paginator sees each event once", async () => {
    const first = await client().send(new LookupEventsCommand({}));
    expect(first.Events).toHaveLength(50);
    expect(first.NextToken).toBeTruthy();
    const second = await client().send(new LookupEventsCommand({ NextToken: first.NextToken }));
    expect(second.Events).toHaveLength(21);
    expect(second.NextToken).toBeUndefined();

    const all = await lookupAll();
    expect(all).toHaveLength(71);
    expect(new Set(all.map((e) => e.EventId)).size).toBe(71);
    const times = all.map((e) => (e.EventTime as Date).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all[0]?.EventTime?.getTime()).toBe(NOW.getTime() - HOUR);

    const small = await client().send(new LookupEventsCommand({ MaxResults: 5 }));
    expect(small.Events?.map((e) => e.EventId)).toEqual(first.Events?.slice(0, 5).map((e) => e.EventId));
  });

  it("rejects MaxResults outside 1..50", async () => {
    for (const MaxResults of [51, 0]) {
      expect(await failure(client().send(new LookupEventsCommand({ MaxResults })))).toEqual({
        name: "InvalidMaxResultsException",
        status: 400,
      });
    }
  });

  it("accepts one lookup attribute only, with a known key", async () => {
    const two = await failure(
      client().send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: "EventName", AttributeValue: "ConsoleLogin" },
            { AttributeKey: "Username", AttributeValue: "bob" },
          ],
        }),
      ),
    );
    expect(two.name).toBe("InvalidLookupAttributesException");
    const unknownKey = await failure(
      client().send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: "Color" as "EventName", AttributeValue: "x" }],
        }),
      ),
    );
    expect(unknownKey.name).toBe("InvalidLookupAttributesException");
  });

  it("filters by each lookup attribute", async () => {
    expect(await lookupAll({ AttributeKey: "EventName", AttributeValue: "ConsoleLogin" })).toHaveLength(62);
    expect(
      (await lookupAll({ AttributeKey: "Username", AttributeValue: "bob" })).map((e) => e.EventName),
    ).toEqual(["ConsoleLogin"]);
    const iam = await lookupAll({ AttributeKey: "EventSource", AttributeValue: "iam.amazonaws.com" });
    expect(iam.map((e) => e.EventName).sort()).toEqual([
      "CreateAccessKey",
      "CreateLoginProfile",
      "CreateVirtualMFADevice",
      "DeactivateMFADevice",
      "DeleteVirtualMFADevice",
      "EnableMFADevice",
    ]);
    expect(await lookupAll({ AttributeKey: "ReadOnly", AttributeValue: "true" })).toEqual([]);
    expect(await lookupAll({ AttributeKey: "ReadOnly", AttributeValue: "false" })).toHaveLength(71);
    const dave = await lookupAll({ AttributeKey: "ResourceName", AttributeValue: "dave" });
    expect(dave.map((e) => e.EventName).sort()).toEqual(["CreateAccessKey", "CreateLoginProfile"]);
    const users = await lookupAll({ AttributeKey: "ResourceType", AttributeValue: "AWS::IAM::User" });
    expect(users).toHaveLength(4);
    const key = iam[0]?.AccessKeyId as string;
    expect(key).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(
      (await lookupAll({ AttributeKey: "AccessKeyId", AttributeValue: key })).map((e) => e.EventId),
    ).toEqual([iam[0]?.EventId]);
    const byId = await lookupAll({ AttributeKey: "EventId", AttributeValue: iam[0]?.EventId as string });
    expect(byId).toHaveLength(1);
  });

  it("keeps a NextToken to the parameters it was issued for", async () => {
    const first = await client().send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "carol" }] }),
    );
    expect(first.NextToken).toBeTruthy();
    const same = await client().send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "carol" }],
        NextToken: first.NextToken,
      }),
    );
    expect(same.Events).toHaveLength(10);
    const other = await failure(
      client().send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "bob" }],
          NextToken: first.NextToken,
        }),
      ),
    );
    expect(other.name).toBe("InvalidNextTokenException");
    const forged = await failure(client().send(new LookupEventsCommand({ NextToken: "not-a-token" })));
    expect(forged.name).toBe("InvalidNextTokenException");
  });

  it("returns only events between StartTime and EndTime, within the last 90 days", async () => {
    const { Events } = await client().send(
      new LookupEventsCommand({
        StartTime: new Date(NOW.getTime() - 6.5 * HOUR),
        EndTime: new Date(NOW.getTime() - 2.5 * HOUR),
      }),
    );
    expect(Events?.map((e) => e.EventName)).toEqual([
      "DeactivateMFADevice",
      "DeleteVirtualMFADevice",
      "CreateVirtualMFADevice",
      "EnableMFADevice",
      "CreateLoginProfile",
      "CreateAccessKey",
      "CredentialChallenge",
      "CredentialVerification",
      "UserAuthentication",
    ]);
    const inverted = await failure(
      client().send(new LookupEventsCommand({ StartTime: NOW, EndTime: new Date(NOW.getTime() - HOUR) })),
    );
    expect(inverted.name).toBe("InvalidTimeRangeException");
    const ancient = await client().send(
      new LookupEventsCommand({ StartTime: new Date(NOW.getTime() - 200 * 86400e3) }),
    );
    expect(ancient.Events?.some((e) => e.Username === "old")).toBe(false);
  });

  it("returns each event only in the region where it was recorded", async () => {
    const eu = await lookupAll(undefined, "eu-west-1");
    expect(eu.map((e) => e.Username)).toEqual(["frank"]);
    expect(JSON.parse(eu[0]?.CloudTrailEvent as string).awsRegion).toBe("eu-west-1");
    expect((await lookupAll({ AttributeKey: "Username", AttributeValue: "frank" })).length).toBe(0);
    expect(await lookupAll(undefined, "ap-south-1")).toEqual([]);
  });

  it("derives event ids from the scenario, so they are the same on every load", async () => {
    const a = await lookupAll({ AttributeKey: "EventName", AttributeValue: "DeactivateMFADevice" });
    const b = await client("us-east-1", again).send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DeactivateMFADevice" }],
      }),
    );
    expect(a[0]?.EventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(b.Events?.[0]?.EventId).toBe(a[0]?.EventId);
  });
});

describe("CloudTrailEvent documents", () => {
  it("records a root console sign-in with MFA", async () => {
    const { event, record } = await only("ConsoleLogin", "root");
    expect(event).toMatchObject({ EventSource: "signin.amazonaws.com", ReadOnly: "false", Resources: [] });
    expect(event.AccessKeyId).toBeUndefined();
    expect(record).toMatchObject({
      eventVersion: expect.any(String),
      userIdentity: {
        type: "Root",
        principalId: ACCOUNT,
        arn: `arn:aws:iam::${ACCOUNT}:root`,
        accountId: ACCOUNT,
      },
      eventTime: new Date(NOW.getTime() - HOUR).toISOString().replace(".000Z", "Z"),
      eventSource: "signin.amazonaws.com",
      eventName: "ConsoleLogin",
      awsRegion: "us-east-1",
      sourceIPAddress: "198.51.100.7",
      userAgent: expect.stringContaining("Mozilla"),
      responseElements: { ConsoleLogin: "Success" },
      additionalEventData: {
        MFAUsed: "Yes",
        MFAIdentifier: `arn:aws:iam::${ACCOUNT}:mfa/root-key`,
        MobileVersion: "No",
        LoginTo: expect.stringMatching(/^https:\/\/console\.aws\.amazon\.com/),
      },
      eventID: event.EventId,
      eventType: "AwsConsoleSignIn",
      recipientAccountId: ACCOUNT,
    });
  });

  it("records a failed IAM user sign-in without MFA", async () => {
    const { record } = await only("ConsoleLogin", "bob");
    expect(record).toMatchObject({
      userIdentity: {
        type: "IAMUser",
        arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
        userName: "bob",
        accountId: ACCOUNT,
      },
      sourceIPAddress: "203.0.113.9",
      errorMessage: "Failed authentication",
      responseElements: { ConsoleLogin: "Failure" },
      additionalEventData: { MFAUsed: "No" },
    });
    expect((record.userIdentity as { principalId: string }).principalId).toBe(
      userId(scenario.accounts[0] as ScenarioAccount, "bob"),
    );
  });

  it("records IAM changes in us-east-1 with their request parameters", async () => {
    const deactivate = await only("DeactivateMFADevice");
    expect(deactivate.event.Username).toBe("root");
    expect(deactivate.event.Resources).toEqual([
      { ResourceType: "AWS::IAM::User", ResourceName: "alice" },
      { ResourceType: "AWS::IAM::MFADevice", ResourceName: SERIAL },
    ]);
    expect(deactivate.record).toMatchObject({
      userIdentity: { type: "Root", accessKeyId: deactivate.event.AccessKeyId },
      eventSource: "iam.amazonaws.com",
      awsRegion: "us-east-1",
      eventType: "AwsApiCall",
      readOnly: false,
      requestParameters: { userName: "alice", serialNumber: SERIAL },
      recipientAccountId: ACCOUNT,
    });
    expect((await only("DeleteVirtualMFADevice")).record.requestParameters).toEqual({ serialNumber: SERIAL });
    const created = await only("CreateVirtualMFADevice");
    expect(created.record).toMatchObject({
      userIdentity: {
        type: "IAMUser",
        userName: "alice",
        sessionContext: { attributes: { mfaAuthenticated: "false" } },
      },
      requestParameters: { virtualMFADeviceName: "alice-phone", path: "/" },
      responseElements: { virtualMFADevice: { serialNumber: SERIAL } },
    });
    expect((await only("EnableMFADevice")).record.requestParameters).toEqual({
      userName: "alice",
      serialNumber: SERIAL,
    });
    expect((await only("CreateLoginProfile")).record.requestParameters).toEqual({
      userName: "dave",
      passwordResetRequired: false,
    });
    const key = await only("CreateAccessKey");
    expect(key.record).toMatchObject({
      requestParameters: { userName: "dave" },
      errorCode: "AccessDenied",
      errorMessage: expect.stringContaining("iam:CreateAccessKey"),
    });
    expect(key.record.responseElements).toBeNull();
  });

  it("records Identity Center sign-in steps in the legacy form, an unknown identity with a user name", async () => {
    const challenge = await only("CredentialChallenge");
    expect(challenge.record).toMatchObject({
      userIdentity: { type: "Unknown", accountId: ACCOUNT, userName: "erin" },
      eventSource: "signin.amazonaws.com",
      eventType: "AwsServiceEvent",
      additionalEventData: { CredentialType: "TOTP", AuthWorkflowID: "wf-1" },
      serviceEventDetails: { CredentialChallenge: "Success" },
    });
    const verification = await only("CredentialVerification");
    expect(verification.record).toMatchObject({
      serviceEventDetails: { CredentialVerification: "Failure" },
      errorMessage: "Failed authentication",
    });
    const authentication = await only("UserAuthentication");
    expect(authentication.event.Username).toBe("erin");
    expect(authentication.record).toMatchObject({
      additionalEventData: { CredentialType: "PASSWORD,TOTP", AuthWorkflowID: "wf-1" },
      serviceEventDetails: { UserAuthentication: "Success" },
    });
  });
});
