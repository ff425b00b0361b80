import { describe, expect, it } from "vitest";
import { asffFindings } from "./asff.js";
import { fixtureReport, PROD } from "./test-support/fixture.js";

describe("asff references", () => {
  const report = fixtureReport();
  report.checks = report.checks.map((c) =>
    c.id === "password-policy"
      ? {
          ...c,
          references: {
            cis: ["1.8", "1.9"],
            awsConfig: ["iam-password-policy"],
            securityHub: ["IAM.15", "IAM.16"],
          },
        }
      : c,
  );
  const findings = asffFindings(report);

  it("never claims a Security Hub control in Compliance.SecurityControlId, and keeps every reference", () => {
    for (const f of findings) expect(f.Compliance).not.toHaveProperty("SecurityControlId");
    const policy = findings.find((f) => f.GeneratorId === "password-policy" && f.AwsAccountId === PROD);
    expect(policy?.Compliance.RelatedRequirements).toEqual([
      "CIS AWS Foundations Benchmark v3.0.0/1.8",
      "CIS AWS Foundations Benchmark v3.0.0/1.9",
    ]);
    expect(policy?.ProductFields["mfawatch/RelatedSecurityHubControls"]).toBe("IAM.15, IAM.16");
    expect(policy?.ProductFields["mfawatch/RelatedConfigRules"]).toBe("iam-password-policy");
  });
});
