import { ListInstancesCommand, SSOAdminClient } from "@aws-sdk/client-sso-admin";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../scenario.js";
import { createEmulator, type Emulator } from "../server.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const WITH_CENTER = "111111111111";
const WITHOUT = "222222222222";

const scenario = parseScenario(
  {
    name: "identity center",
    accounts: [
      {
        id: WITH_CENTER,
        name: "Management",
        identityCenter: {
          region: "eu-west-1",
          instanceId: "abcdef0123456789",
          identityStoreId: "d-93670abcde",
        },
      },
      { id: WITHOUT, name: "Member" },
    ],
  },
  NOW,
);

let emulator: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({ scenario, port: 0, now: () => NOW });
});

afterAll(async () => {
  await emulator.close();
});

function client(accountId: string, region: string): SSOAdminClient {
  return new SSOAdminClient({
    region,
    endpoint: emulator.endpoint,
    credentials: emulator.credentialsFor(accountId),
    maxAttempts: 1,
  });
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as Error).name;
  }
  throw new Error("the call succeeded");
}

describe("SSO Admin ListInstances", () => {
  it("lists the instance in its own region", async () => {
    const { Instances, NextToken } = await client(WITH_CENTER, "eu-west-1").send(
      new ListInstancesCommand({}),
    );
    expect(NextToken).toBeUndefined();
    expect(Instances).toEqual([
      {
        InstanceArn: "arn:aws:sso:::instance/ssoins-abcdef0123456789",
        IdentityStoreId: "d-93670abcde",
        OwnerAccountId: WITH_CENTER,
        Name: "Management",
        CreatedDate: expect.any(Date),
        Status: "ACTIVE",
      },
    ]);
  });

  it("lists nothing in other regions or in an account without Identity Center", async () => {
    const other = await client(WITH_CENTER, "us-east-1").send(new ListInstancesCommand({}));
    expect(other.Instances).toEqual([]);
    const none = await client(WITHOUT, "eu-west-1").send(new ListInstancesCommand({}));
    expect(none.Instances).toEqual([]);
  });

  it("pages with MaxResults and rejects values outside 1..100 and forged tokens", async () => {
    const one = await client(WITH_CENTER, "eu-west-1").send(new ListInstancesCommand({ MaxResults: 1 }));
    expect(one.Instances).toHaveLength(1);
    for (const MaxResults of [0, 101]) {
      expect(
        await failure(client(WITH_CENTER, "eu-west-1").send(new ListInstancesCommand({ MaxResults }))),
      ).toBe("ValidationException");
    }
    expect(
      await failure(client(WITH_CENTER, "eu-west-1").send(new ListInstancesCommand({ NextToken: "x" }))),
    ).toBe("ValidationException");
  });
});
