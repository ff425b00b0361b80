import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListAccountsCommand,
  ListParentsCommand,
  ListPoliciesCommand,
  ListPoliciesForTargetCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListAccounts,
} from "@aws-sdk/client-organizations";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../scenario.js";
import { createEmulator, type Emulator } from "../server.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const MANAGEMENT = "111111111111";
const DELEGATED = "222222222222";
const LONE = "999999999999";
const MEMBERS = Array.from({ length: 21 }, (_, i) => String(300000000000 + i * 111111111 + 33333333333));

const denyWithoutMfa = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyWithoutMfa",
      Effect: "Deny",
      NotAction: ["iam:*MFA*"],
      Resource: "*",
      Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
    },
  ],
};

const organizationScenario = parseScenario(
  {
    name: "organization",
    organization: {
      id: "o-abcdef1234",
      rootId: "r-a1b2",
      managementAccount: MANAGEMENT,
      delegatedAdministrators: [DELEGATED],
      ous: [{ id: "ou-a1b2-prod0001", name: "Production" }],
      scps: [
        { id: "p-mfa00001", name: "RequireMfa", document: denyWithoutMfa, targets: ["ou-a1b2-prod0001"] },
      ],
    },
    accounts: [
      { id: MANAGEMENT, name: "Management", email: "root@example.com" },
      { id: DELEGATED, name: "Security" },
      ...MEMBERS.map((id, i) => ({ id, name: `Member ${i}`, parent: "ou-a1b2-prod0001" })),
    ],
  },
  NOW,
);

const loneScenario = parseScenario({ name: "standalone", accounts: [{ id: LONE, name: "Alone" }] }, NOW);

let emulator: Emulator;
let lone: Emulator;

beforeAll(async () => {
  emulator = await createEmulator({ scenario: organizationScenario, port: 0, now: () => NOW });
  lone = await createEmulator({ scenario: loneScenario, port: 0, now: () => NOW });
});

afterAll(async () => {
  await emulator.close();
  await lone.close();
});

function client(accountId: string, target = emulator): OrganizationsClient {
  return new OrganizationsClient({
    region: "us-east-1",
    endpoint: target.endpoint,
    credentials: target.credentialsFor(accountId),
    maxAttempts: 1,
  });
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("the call succeeded");
}

describe("Organizations", () => {
  it("describes the organization to any member account", async () => {
    const { Organization } = await client(MEMBERS[0] as string).send(new DescribeOrganizationCommand({}));
    expect(Organization).toMatchObject({
      Id: "o-abcdef1234",
      Arn: `arn:aws:organizations::${MANAGEMENT}:organization/o-abcdef1234`,
      FeatureSet: "ALL",
      MasterAccountId: MANAGEMENT,
      MasterAccountArn: `arn:aws:organizations::${MANAGEMENT}:account/o-abcdef1234/${MANAGEMENT}`,
      MasterAccountEmail: "root@example.com",
      AvailablePolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
    });
  });

  it("answers AWSOrganizationsNotInUseException outside an organization", async () => {
    const error = await failure(client(LONE, lone).send(new DescribeOrganizationCommand({})));
    expect(error).toMatchObject({ name: "AWSOrganizationsNotInUseException", status: 400 });
    const list = await failure(client(LONE, lone).send(new ListAccountsCommand({})));
    expect(list.name).toBe("AWSOrganizationsNotInUseException");
  });

  it("lists every account in pages of at most 20 for the management account", async () => {
    const first = await client(MANAGEMENT).send(new ListAccountsCommand({ MaxResults: 20 }));
    expect(first.Accounts).toHaveLength(20);
    expect(first.NextToken).toBeTruthy();
    const second = await client(MANAGEMENT).send(
      new ListAccountsCommand({ MaxResults: 20, NextToken: first.NextToken }),
    );
    expect(second.Accounts).toHaveLength(3);
    expect(second.NextToken).toBeUndefined();

    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: client(MANAGEMENT), pageSize: 7 }, {})) {
      expect(page.Accounts?.length).toBeLessThanOrEqual(7);
      ids.push(...(page.Accounts ?? []).map((a) => a.Id as string));
    }
    expect(ids).toEqual(organizationScenario.accounts.map((a) => a.id));

    const management = first.Accounts?.find((a) => a.Id === MANAGEMENT);
    expect(management).toMatchObject({
      Arn: `arn:aws:organizations::${MANAGEMENT}:account/o-abcdef1234/${MANAGEMENT}`,
      Email: "root@example.com",
      Name: "Management",
      Status: "ACTIVE",
      State: "ACTIVE",
      JoinedMethod: "INVITED",
    });
    expect(management?.JoinedTimestamp).toBeInstanceOf(Date);
  });

  it("lets a delegated administrator list accounts", async () => {
    const { Accounts } = await client(DELEGATED).send(new ListAccountsCommand({}));
    expect(Accounts).toHaveLength(20);
  });

  it("refuses ListAccounts and the other administrator reads to a member account", async () => {
    const member = client(MEMBERS[3] as string);
    const error = await failure(member.send(new ListAccountsCommand({})));
    expect(error).toEqual({
      name: "AccessDeniedException",
      message: "You don't have permissions to access this resource.",
      status: 400,
    });
    for (const command of [
      new ListRootsCommand({}),
      new ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY" }),
      new DescribePolicyCommand({ PolicyId: "p-FullAWSAccess" }),
    ]) {
      expect((await failure(member.send(command as ListRootsCommand))).name).toBe("AccessDeniedException");
    }
  });

  it("rejects MaxResults above 20 or below 1 and tokens it did not issue", async () => {
    for (const MaxResults of [21, 0]) {
      const error = await failure(client(MANAGEMENT).send(new ListAccountsCommand({ MaxResults })));
      expect(error.name).toBe("InvalidInputException");
    }
    const bad = await failure(client(MANAGEMENT).send(new ListAccountsCommand({ NextToken: "forged" })));
    expect(bad.name).toBe("InvalidInputException");
  });

  it("lists the root with SCPs enabled and each child's parent", async () => {
    const { Roots } = await client(MANAGEMENT).send(new ListRootsCommand({}));
    expect(Roots).toEqual([
      {
        Id: "r-a1b2",
        Arn: `arn:aws:organizations::${MANAGEMENT}:root/o-abcdef1234/r-a1b2`,
        Name: "Root",
        PolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
      },
    ]);
    const inOu = await client(MANAGEMENT).send(new ListParentsCommand({ ChildId: MEMBERS[0] }));
    expect(inOu.Parents).toEqual([{ Id: "ou-a1b2-prod0001", Type: "ORGANIZATIONAL_UNIT" }]);
    const atRoot = await client(DELEGATED).send(new ListParentsCommand({ ChildId: MANAGEMENT }));
    expect(atRoot.Parents).toEqual([{ Id: "r-a1b2", Type: "ROOT" }]);
    const ou = await client(MANAGEMENT).send(new ListParentsCommand({ ChildId: "ou-a1b2-prod0001" }));
    expect(ou.Parents).toEqual([{ Id: "r-a1b2", Type: "ROOT" }]);
    const unknown = await failure(
      client(MANAGEMENT).send(new ListParentsCommand({ ChildId: "444444444444" })),
    );
    expect(unknown.name).toBe("ChildNotFoundException");
  });

  it("lists SCPs, with AWS's FullAWSAccess attached to the root, every OU and every account", async () => {
    const all = await client(MANAGEMENT).send(new ListPoliciesCommand({ Filter: "SERVICE_CONTROL_POLICY" }));
    expect(all.Policies?.map((p) => [p.Id, p.Name, p.AwsManaged])).toEqual([
      ["p-FullAWSAccess", "FullAWSAccess", true],
      ["p-mfa00001", "RequireMfa", false],
    ]);
    expect(all.Policies?.[0]?.Arn).toBe(
      "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
    );
    const tags = await client(MANAGEMENT).send(new ListPoliciesCommand({ Filter: "TAG_POLICY" }));
    expect(tags.Policies).toEqual([]);

    const onRoot = await client(MANAGEMENT).send(
      new ListPoliciesForTargetCommand({ TargetId: "r-a1b2", Filter: "SERVICE_CONTROL_POLICY" }),
    );
    expect(onRoot.Policies?.map((p) => p.Id)).toEqual(["p-FullAWSAccess"]);
    const onOu = await client(MANAGEMENT).send(
      new ListPoliciesForTargetCommand({ TargetId: "ou-a1b2-prod0001", Filter: "SERVICE_CONTROL_POLICY" }),
    );
    expect(onOu.Policies?.map((p) => p.Id)).toEqual(["p-FullAWSAccess", "p-mfa00001"]);
    const onAccount = await client(MANAGEMENT).send(
      new ListPoliciesForTargetCommand({ TargetId: MEMBERS[0], Filter: "SERVICE_CONTROL_POLICY" }),
    );
    expect(onAccount.Policies?.map((p) => p.Id)).toEqual(["p-FullAWSAccess"]);
    const unknown = await failure(
      client(MANAGEMENT).send(
        new ListPoliciesForTargetCommand({ TargetId: "ou-a1b2-missing1", Filter: "SERVICE_CONTROL_POLICY" }),
      ),
    );
    expect(unknown.name).toBe("TargetNotFoundException");
  });

  it("describes a policy with its content as a JSON string", async () => {
    const { Policy } = await client(MANAGEMENT).send(new DescribePolicyCommand({ PolicyId: "p-mfa00001" }));
    expect(Policy?.PolicySummary).toMatchObject({ Id: "p-mfa00001", Type: "SERVICE_CONTROL_POLICY" });
    expect(JSON.parse(Policy?.Content as string)).toEqual(denyWithoutMfa);
    const full = await client(MANAGEMENT).send(new DescribePolicyCommand({ PolicyId: "p-FullAWSAccess" }));
    expect(JSON.parse(full.Policy?.Content as string).Statement).toEqual([
      { Effect: "Allow", Action: "*", Resource: "*" },
    ]);
    const missing = await failure(
      client(MANAGEMENT).send(new DescribePolicyCommand({ PolicyId: "p-missing000" })),
    );
    expect(missing.name).toBe("PolicyNotFoundException");
  });
});
