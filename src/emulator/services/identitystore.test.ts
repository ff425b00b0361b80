import {
  IdentitystoreClient,
  ListUsersCommand,
  paginateListUsers,
  type User,
} from "@aws-sdk/client-identitystore";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../scenario.js";
import { createEmulator, type Emulator } from "../server.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const ACCOUNT = "111111111111";
const OTHER = "222222222222";
const STORE = "d-93670abcde";
const USERS = ["jane.doe@example.com", ...Array.from({ length: 104 }, (_, i) => `user${i}`)];

const scenario = parseScenario(
  {
    name: "identity store",
    accounts: [
      {
        id: ACCOUNT,
        name: "Management",
        identityCenter: { region: "eu-west-1", identityStoreId: STORE, users: USERS },
      },
      { id: OTHER, name: "Member" },
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

function client(accountId = ACCOUNT, region = "eu-west-1"): IdentitystoreClient {
  return new IdentitystoreClient({
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

describe("Identity Store ListUsers", () => {
  it("lists every user over several pages", async () => {
    const first = await client().send(new ListUsersCommand({ IdentityStoreId: STORE }));
    expect(first.Users).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    const users: User[] = [];
    for await (const page of paginateListUsers(
      { client: client(), pageSize: 40 },
      { IdentityStoreId: STORE },
    )) {
      expect(page.Users?.length).toBeLessThanOrEqual(40);
      users.push(...(page.Users ?? []));
    }
    expect(users.map((u) => u.UserName)).toEqual(USERS);
    expect(new Set(users.map((u) => u.UserId)).size).toBe(USERS.length);
    expect(users[0]).toMatchObject({
      IdentityStoreId: STORE,
      UserName: "jane.doe@example.com",
      DisplayName: "Jane Doe",
      Name: { GivenName: "Jane", FamilyName: "Doe" },
      Emails: [{ Value: "jane.doe@example.com", Type: "work", Primary: true }],
    });
    expect(users[0]?.UserId).toMatch(
      /^93670abcde-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it("filters by user name", async () => {
    const { Users } = await client().send(
      new ListUsersCommand({
        IdentityStoreId: STORE,
        Filters: [{ AttributePath: "UserName", AttributeValue: "user7" }],
      }),
    );
    expect(Users?.map((u) => u.UserName)).toEqual(["user7"]);
  });

  it("answers ResourceNotFoundException for an unknown store, another region or another account", async () => {
    expect(await failure(client().send(new ListUsersCommand({ IdentityStoreId: "d-0000000000" })))).toBe(
      "ResourceNotFoundException",
    );
    expect(
      await failure(client(ACCOUNT, "us-east-1").send(new ListUsersCommand({ IdentityStoreId: STORE }))),
    ).toBe("ResourceNotFoundException");
    expect(await failure(client(OTHER).send(new ListUsersCommand({ IdentityStoreId: STORE })))).toBe(
      "ResourceNotFoundException",
    );
  });

  it("rejects MaxResults outside 1..100, malformed store ids and forged tokens", async () => {
    for (const MaxResults of [0, 101]) {
      expect(await failure(client().send(new ListUsersCommand({ IdentityStoreId: STORE, MaxResults })))).toBe(
        "ValidationException",
      );
    }
    expect(await failure(client().send(new ListUsersCommand({ IdentityStoreId: "store" })))).toBe(
      "ValidationException",
    );
    expect(
      await failure(client().send(new ListUsersCommand({ IdentityStoreId: STORE, NextToken: "x" }))),
    ).toBe("ValidationException");
  });
});
