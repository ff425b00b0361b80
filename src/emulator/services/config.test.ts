import {
  ConfigServiceClient,
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigRulesCommand,
  GetComplianceDetailsByConfigRuleCommand,
  paginateDescribeConfigRules,
} from "@aws-sdk/client-config-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../scenario.js";
import { createEmulator, type Emulator } from "../server.js";

const NOW = new Date("2026-06-01T12:00:00Z");
const ACCOUNT = "123456789012";

const scenario = parseScenario(
  {
    name: "config rules",
    accounts: [
      {
        id: ACCOUNT,
        name: "Production",
        configRules: [
          {
            name: "root-account-mfa-enabled",
            source: "ROOT_ACCOUNT_MFA_ENABLED",
            compliance: "NON_COMPLIANT",
          },
          { name: "iam-user-mfa", source: "IAM_USER_MFA_ENABLED", compliance: "COMPLIANT" },
          { name: "console-mfa", source: "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS" },
          {
            name: "hardware-mfa-eu",
            source: "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED",
            region: "eu-west-1",
            compliance: "COMPLIANT",
          },
          ...Array.from({ length: 30 }, (_, i) => ({
            name: `filler-${i}`,
            source: "S3_BUCKET_VERSIONING_ENABLED",
          })),
        ],
      },
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

function client(region = "us-east-1"): ConfigServiceClient {
  return new ConfigServiceClient({
    region,
    endpoint: emulator.endpoint,
    credentials: emulator.credentialsFor(ACCOUNT),
    maxAttempts: 1,
  });
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error("the call succeeded");
}

describe("AWS Config", () => {
  it("describes the rules of the request's region, 25 a page", async () => {
    const first = await client().send(new DescribeConfigRulesCommand({}));
    expect(first.ConfigRules).toHaveLength(25);
    expect(first.NextToken).toBeTruthy();
    const names: string[] = [];
    for await (const page of paginateDescribeConfigRules({ client: client() }, {})) {
      names.push(...(page.ConfigRules ?? []).map((r) => r.ConfigRuleName as string));
    }
    expect(names).toHaveLength(33);
    expect(names).not.toContain("hardware-mfa-eu");

    const root = first.ConfigRules?.[0];
    expect(root).toMatchObject({
      ConfigRuleName: "root-account-mfa-enabled",
      Source: { Owner: "AWS", SourceIdentifier: "ROOT_ACCOUNT_MFA_ENABLED" },
      ConfigRuleState: "ACTIVE",
    });
    expect(root?.ConfigRuleId).toMatch(/^config-rule-[0-9a-f]{6}$/);
    expect(root?.ConfigRuleArn).toBe(`arn:aws:config:us-east-1:${ACCOUNT}:config-rule/${root?.ConfigRuleId}`);

    const eu = await client("eu-west-1").send(new DescribeConfigRulesCommand({}));
    expect(eu.ConfigRules?.map((r) => r.ConfigRuleName)).toEqual(["hardware-mfa-eu"]);
    expect(eu.ConfigRules?.[0]?.ConfigRuleArn).toMatch(/^arn:aws:config:eu-west-1:/);
  });

  it("filters by rule name and rejects unknown names, other regions' rules and forged tokens", async () => {
    const named = await client().send(
      new DescribeConfigRulesCommand({ ConfigRuleNames: ["iam-user-mfa", "console-mfa"] }),
    );
    expect(named.ConfigRules?.map((r) => r.ConfigRuleName)).toEqual(["iam-user-mfa", "console-mfa"]);
    for (const name of ["no-such-rule", "hardware-mfa-eu"]) {
      const error = await failure(client().send(new DescribeConfigRulesCommand({ ConfigRuleNames: [name] })));
      expect(error.name).toBe("NoSuchConfigRuleException");
      expect(error.message).toContain(name);
    }
    const forged = await failure(client().send(new DescribeConfigRulesCommand({ NextToken: "abc" })));
    expect(forged.name).toBe("InvalidNextTokenException");
    const tooMany = await failure(
      client().send(
        new DescribeConfigRulesCommand({ ConfigRuleNames: Array.from({ length: 26 }, (_, i) => `r${i}`) }),
      ),
    );
    expect(tooMany.name).toBe("ValidationException");
  });

  it("reports compliance per rule, INSUFFICIENT_DATA when there is none", async () => {
    const { ComplianceByConfigRules } = await client().send(
      new DescribeComplianceByConfigRuleCommand({
        ConfigRuleNames: ["root-account-mfa-enabled", "iam-user-mfa", "console-mfa"],
      }),
    );
    expect(ComplianceByConfigRules?.map((c) => [c.ConfigRuleName, c.Compliance?.ComplianceType])).toEqual([
      ["root-account-mfa-enabled", "NON_COMPLIANT"],
      ["iam-user-mfa", "COMPLIANT"],
      ["console-mfa", "INSUFFICIENT_DATA"],
    ]);
    const nonCompliant = await client().send(
      new DescribeComplianceByConfigRuleCommand({ ComplianceTypes: ["NON_COMPLIANT"] }),
    );
    expect(nonCompliant.ComplianceByConfigRules?.map((c) => c.ConfigRuleName)).toEqual([
      "root-account-mfa-enabled",
    ]);
    const all = await client().send(new DescribeComplianceByConfigRuleCommand({}));
    expect(all.ComplianceByConfigRules).toHaveLength(25);
    const rest = await client().send(new DescribeComplianceByConfigRuleCommand({ NextToken: all.NextToken }));
    expect(rest.ComplianceByConfigRules).toHaveLength(8);
    expect(rest.NextToken).toBeUndefined();
    const unknown = await failure(
      client().send(new DescribeComplianceByConfigRuleCommand({ ConfigRuleNames: ["missing"] })),
    );
    expect(unknown.name).toBe("NoSuchConfigRuleException");
    const badType = await failure(
      client().send(new DescribeComplianceByConfigRuleCommand({ ComplianceTypes: ["NOT_APPLICABLE"] })),
    );
    expect(badType.name).toBe("InvalidParameterValueException");
  });

  it("gives the account-level evaluation of a rule", async () => {
    const { EvaluationResults } = await client().send(
      new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: "root-account-mfa-enabled" }),
    );
    expect(EvaluationResults).toHaveLength(1);
    expect(EvaluationResults?.[0]).toMatchObject({
      EvaluationResultIdentifier: {
        EvaluationResultQualifier: {
          ConfigRuleName: "root-account-mfa-enabled",
          ResourceType: "AWS::::Account",
          ResourceId: ACCOUNT,
        },
      },
      ComplianceType: "NON_COMPLIANT",
    });
    expect(EvaluationResults?.[0]?.ResultRecordedTime?.getTime()).toBe(NOW.getTime() - 3600e3);
    const compliantOnly = await client().send(
      new GetComplianceDetailsByConfigRuleCommand({
        ConfigRuleName: "root-account-mfa-enabled",
        ComplianceTypes: ["COMPLIANT"],
      }),
    );
    expect(compliantOnly.EvaluationResults).toEqual([]);
    const noData = await client().send(
      new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: "console-mfa" }),
    );
    expect(noData.EvaluationResults).toEqual([]);
    const tooMany = await failure(
      client().send(
        new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: "console-mfa", Limit: 101 }),
      ),
    );
    expect(tooMany.name).toBe("ValidationException");
    const unknown = await failure(
      client().send(new GetComplianceDetailsByConfigRuleCommand({ ConfigRuleName: "x" })),
    );
    expect(unknown.name).toBe("NoSuchConfigRuleException");
  });
});
