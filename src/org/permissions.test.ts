/**
 * permissions/: the scanner policy allows exactly the calls an organization scan makes from the
 * scanning account besides reading that account itself, and the StackSet template's role carries
 * the read-only policy under the default role name.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checks } from "../checks/index.js";
import { testScenario, withEmulator } from "../collect/test-support/emulator.js";
import { judgeSnapshot } from "../scan/report.js";
import { DEFAULT_ROLE_NAME } from "./assumeRole.js";
import { scanOrganization } from "./scanOrganization.js";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string;
}

const read = (path: string) => readFileSync(new URL(`../../permissions/${path}`, import.meta.url), "utf8");
const actions = (statements: Statement[]) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();

const readonly = JSON.parse(read("mfawatch-readonly.json")) as { Statement: Statement[] };
const scanner = JSON.parse(read("mfawatch-scanner-policy.json")) as { Statement: Statement[] };

describe("permissions for organization scans", () => {
  it("the scanner policy allows every call the scan makes from the scanning account for the others, and no more", async () => {
    await withEmulator(testScenario("org-faults"), async (emulator) => {
      const result = await scanOrganization({
        credentials: emulator.credentialsFor("100000000001"),
        region: "us-east-1",
        endpoint: emulator.endpoint,
        roleName: DEFAULT_ROLE_NAME,
        accounts: ["200000000001", "200000000002"],
        judge: (snapshot) => judgeSnapshot(snapshot, { checks, evaluatedAt: new Date() }),
      });
      expect(result.failedAccounts).toEqual([]);
      const called = [
        ...new Set(
          emulator.callLog
            .filter((c) => c.accountId === "100000000001")
            .map((c) => `${c.service}:${c.operation}`),
        ),
      ].sort();
      expect(actions(scanner.Statement)).toEqual(called);
    });
    const assume = scanner.Statement.find((s) => s.Action === "sts:AssumeRole");
    expect(assume?.Resource).toBe(`arn:aws:iam::*:role/${DEFAULT_ROLE_NAME}`);
  });

  it("the StackSet template creates the audit role with the read-only policy and an optional external id", () => {
    const template = parse(read("cloudformation/mfawatch-audit-role.yaml")) as {
      Parameters: Record<string, { Default?: string }>;
      Resources: {
        MfawatchAuditRole: {
          Properties: {
            AssumeRolePolicyDocument: { Statement: { Action: string; Condition: unknown }[] };
            Policies: { PolicyDocument: { Statement: Statement[] } }[];
          };
        };
      };
    };
    expect(template.Parameters.RoleName?.Default).toBe(DEFAULT_ROLE_NAME);
    expect(template.Parameters.ExternalId?.Default).toBe("");
    const role = template.Resources.MfawatchAuditRole.Properties;
    expect(actions(role.Policies[0]?.PolicyDocument.Statement ?? [])).toEqual(actions(readonly.Statement));
    expect(role.AssumeRolePolicyDocument.Statement[0]?.Action).toBe("sts:AssumeRole");
    expect(JSON.stringify(role.AssumeRolePolicyDocument.Statement[0]?.Condition)).toContain("sts:ExternalId");
  });

  it("the Terraform module deploys that template as a StackSet and the scanner policy", () => {
    const main = read("terraform/main.tf");
    expect(main).toMatch(/template_body += file\(".*\/\.\.\/cloudformation\/mfawatch-audit-role\.yaml"\)/);
    expect(main).toMatch(/file\(".*\/\.\.\/mfawatch-scanner-policy\.json"\)/);
    expect(main).toContain('permission_model = "SERVICE_MANAGED"');
    expect(read("terraform/variables.tf")).toContain(`default     = "${DEFAULT_ROLE_NAME}"`);
  });
});
