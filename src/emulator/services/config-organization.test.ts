import {
  ConfigServiceClient,
  DescribeOrganizationConfigRulesCommand,
  paginateDescribeOrganizationConfigRules,
} from "@aws-sdk/client-config-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../scenario.js";
import { createEmulator, type Emulator } from "../server.js";

const MANAGEMENT = "111111111111";
const MEMBER = "222222222222";

const scenario = parseScenario({
  name: "config organization rules",
  organization: {
    id: "o-configrules1",
    managementAccount: MANAGEMENT,
    configRules: [
      { name: "org-root-mfa", source: "ROOT_ACCOUNT_MFA_ENABLED", excludedAccounts: [MEMBER] },
      { name: "org-hardware-mfa-eu", source: "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED", region: "eu-west-1" },
      ...Array.from({ length: 120 }, (_, i) => ({
        name: `filler-${i}`,
        source: "S3_BUCKET_VERSIONING_ENABLED",
      })),
    ],
  },
  accounts: [
    { id: MANAGEMENT, name: "management" },
    { id: MEMBER, name: "member" },
  ],
});

describe("config:DescribeOrganizationConfigRules through the real SDK", () => {
  let emulator: Emulator;
  const client = (accountId: string, region = "us-east-1") =>
    new ConfigServiceClient({
      region,
      endpoint: emulator.endpoint,
      credentials: emulator.credentialsFor(accountId),
      maxAttempts: 1,
    });

  beforeAll(async () => {
    emulator = await createEmulator({ scenario, port: 0 });
  });
  afterAll(() => emulator.close());

  it("lists the region's rules for the management account in pages of 100", async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeOrganizationConfigRules({ client: client(MANAGEMENT) }, {})) {
      pages++;
      names.push(...(page.OrganizationConfigRules ?? []).map((r) => r.OrganizationConfigRuleName ?? ""));
    }
    expect(pages).toBe(2);
    expect(names).toHaveLength(121);
    expect(names).not.toContain("org-hardware-mfa-eu");
    const out = await client(MANAGEMENT).send(
      new DescribeOrganizationConfigRulesCommand({ OrganizationConfigRuleNames: ["org-root-mfa"] }),
    );
    expect(out.OrganizationConfigRules?.[0]).toMatchObject({
      OrganizationConfigRuleName: "org-root-mfa",
      OrganizationConfigRuleArn: expect.stringMatching(
        /^arn:aws:config:us-east-1:111111111111:organization-config-rule\/org-root-mfa-[0-9a-f]{8}$/,
      ),
      OrganizationManagedRuleMetadata: { RuleIdentifier: "ROOT_ACCOUNT_MFA_ENABLED" },
      ExcludedAccounts: [MEMBER],
    });
    expect(out.OrganizationConfigRules?.[0]?.LastUpdateTime).toBeInstanceOf(Date);
    const eu = await client(MANAGEMENT, "eu-west-1").send(new DescribeOrganizationConfigRulesCommand({}));
    expect(eu.OrganizationConfigRules?.map((r) => r.OrganizationConfigRuleName)).toEqual([
      "org-hardware-mfa-eu",
    ]);
  });

  it("refuses member accounts and unknown rule names", async () => {
    await expect(client(MEMBER).send(new DescribeOrganizationConfigRulesCommand({}))).rejects.toMatchObject({
      name: "OrganizationAccessDeniedException",
    });
    await expect(
      client(MANAGEMENT).send(
        new DescribeOrganizationConfigRulesCommand({ OrganizationConfigRuleNames: ["nope"] }),
      ),
    ).rejects.toMatchObject({ name: "NoSuchOrganizationConfigRuleException" });
  });
});
