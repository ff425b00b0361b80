/** Identity Center sign-ins in CloudTrail: failed sign-ins, and the current and legacy identity forms. */
import { CloudTrailClient, type Event, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { IdentitystoreClient, ListUsersCommand } from "@aws-sdk/client-identitystore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../scenario.js";
import { createEmulator, type Emulator } from "../server.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const CURRENT = "123456789012";
const LEGACY = "210987654321";
const STORE = "d-1234567890";

const scenario = parseScenario(
  {
    name: "identity center sign-ins",
    accounts: [
      {
        id: CURRENT,
        name: "Current",
        identityCenter: { identityStoreId: STORE, users: ["gina", "hank", "ivan"] },
        cloudTrail: [
          {
            name: "UserAuthentication",
            time: "1h ago",
            user: "gina",
            credentialTypes: ["PASSWORD", "WEBAUTHN"],
          },
          {
            name: "UserAuthentication",
            time: "2h ago",
            user: "hank",
            credentialTypes: ["PASSWORD", "TOTP"],
            authWorkflowId: "wf-hank",
            success: false,
          },
          {
            name: "UserAuthentication",
            time: "3h ago",
            user: "ivan",
            credentialTypes: ["PASSWORD"],
            identityFormat: "legacy",
          },
        ],
      },
      {
        id: LEGACY,
        name: "Legacy",
        identityCenter: { identityFormat: "legacy", users: ["jo"] },
        cloudTrail: [
          { name: "UserAuthentication", time: "1h ago", user: "jo", credentialTypes: ["PASSWORD"] },
        ],
      },
    ],
  },
  NOW,
);

let emulator: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({
    scenario,
    now: () => NOW,
    lookupEventsLimit: { ratePerSecond: 1000, burst: 1000 },
  });
});

afterAll(async () => {
  await emulator.close();
});

async function events(accountId: string, eventName: string): Promise<Event[]> {
  const client = new CloudTrailClient({
    region: "us-east-1",
    endpoint: emulator.endpoint,
    credentials: emulator.credentialsFor(accountId),
    maxAttempts: 1,
  });
  const out = await client.send(
    new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: eventName }] }),
  );
  return out.Events ?? [];
}

const document = (event: Event | undefined) =>
  JSON.parse(event?.CloudTrailEvent ?? "null") as Record<string, unknown>;

describe("Identity Center sign-ins in CloudTrail", () => {
  it("logs a failed sign-in as the failed CredentialVerification of its last challenge, never a UserAuthentication", async () => {
    const authentications = await events(CURRENT, "UserAuthentication");
    expect(authentications.map((e) => e.EventTime)).toEqual([
      new Date(NOW.getTime() - 3600e3),
      new Date(NOW.getTime() - 3 * 3600e3),
    ]);
    const verifications = await events(CURRENT, "CredentialVerification");
    expect(verifications).toHaveLength(1);
    expect(document(verifications[0])).toMatchObject({
      eventName: "CredentialVerification",
      eventSource: "signin.amazonaws.com",
      eventTime: "2026-06-01T10:00:00Z",
      errorMessage: "Failed authentication",
      additionalEventData: { CredentialType: "TOTP", AuthWorkflowID: "wf-hank" },
      serviceEventDetails: { CredentialVerification: "Failure" },
    });
  });

  it("names the user the current way by default: IdentityCenterUser with the identity store's user id, no user name", async () => {
    const [gina] = await events(CURRENT, "UserAuthentication");
    expect(gina?.Username).toBeUndefined();
    const record = document(gina);
    expect(record.eventVersion).toBe("1.10");
    expect(record.userIdentity).toEqual({
      type: "IdentityCenterUser",
      accountId: CURRENT,
      onBehalfOf: {
        userId: expect.any(String),
        identityStoreArn: `arn:aws:identitystore::${CURRENT}:identitystore/${STORE}`,
      },
      credentialId: expect.any(String),
    });
    expect(record).toMatchObject({
      additionalEventData: { CredentialType: "PASSWORD,WEBAUTHN" },
      serviceEventDetails: { UserAuthentication: "Success" },
    });
    expect(JSON.stringify(record)).not.toContain("gina");

    const store = new IdentitystoreClient({
      region: "us-east-1",
      endpoint: emulator.endpoint,
      credentials: emulator.credentialsFor(CURRENT),
    });
    const { Users } = await store.send(new ListUsersCommand({ IdentityStoreId: STORE }));
    const ginaId = Users?.find((u) => u.UserName === "gina")?.UserId;
    expect(ginaId).toBeDefined();
    expect((record.userIdentity as { onBehalfOf: { userId: string } }).onBehalfOf.userId).toBe(ginaId);
  });

  it("keeps the legacy form, an unknown identity with userName, per event and per account", async () => {
    const [, ivan] = await events(CURRENT, "UserAuthentication");
    expect(ivan?.Username).toBe("ivan");
    expect(document(ivan)).toMatchObject({
      eventVersion: "1.08",
      userIdentity: { type: "Unknown", principalId: CURRENT, accountId: CURRENT, userName: "ivan" },
    });
    const [jo] = await events(LEGACY, "UserAuthentication");
    expect(document(jo).userIdentity).toMatchObject({ type: "Unknown", userName: "jo" });
  });
});
