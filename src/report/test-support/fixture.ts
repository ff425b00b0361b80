import type { CheckResult } from "../../checks/types.js";
import { scoreAccount, scoreOrganization } from "../../score/score.js";
import { type AccountReport, type CheckMeta, REPORT_SCHEMA_VERSION, type ScanReport } from "../types.js";

export const PROD = "111111111111";
export const DEV = "222222222222";
export const EVIL_USER = "<script>alert('x')</script>";
export const FORMULA_MESSAGE = '=HYPERLINK("http://evil.example","click")';

const meta = (id: string, severity: CheckMeta["severity"], title: string): CheckMeta => ({
  id,
  title,
  severity,
  risk: `Risk of ${id}.`,
  remediation: {
    console: `Console steps for ${id}`,
    cli: `aws iam fix-${id}`,
    docs: `https://docs.aws.amazon.com/IAM/latest/UserGuide/${id}.html`,
  },
  references: { cis: ["1.5"], securityHub: ["IAM.9"] },
});

const CHECKS: CheckMeta[] = [
  meta("root-mfa-enabled", "critical", "The root user has MFA"),
  meta("user-console-mfa", "high", "IAM users who can sign in to the console have MFA"),
  meta("access-key-rotation", "medium", "Access keys are rotated"),
  meta("password-policy", "low", "The password policy is strong"),
  meta("identity-center-mfa", "medium", "Identity Center requires MFA"),
];

function result(
  accountId: string,
  fields: Partial<CheckResult> & Pick<CheckResult, "checkId" | "status">,
): CheckResult {
  const severity = CHECKS.find((c) => c.id === fields.checkId)?.severity ?? "info";
  return {
    accountId,
    resource: `AWS::::Account:${accountId}`,
    severity,
    message: `${fields.checkId} ${fields.status}`,
    evidence: { checked: true },
    ...fields,
  };
}

function account(
  accountId: string,
  accountName: string,
  results: CheckResult[],
  extra: Partial<AccountReport> = {},
): AccountReport {
  return {
    accountId,
    accountName,
    partition: "aws",
    region: "eu-west-1",
    collectedAt: "2026-06-01T10:00:00.000Z",
    credentialReportGeneratedAt: "2026-06-01T09:00:00+00:00",
    sectionErrors: [],
    score: scoreAccount(accountId, results),
    results,
    ...extra,
  };
}

/** Two accounts with every status: pass, fail, unknown, error, not_applicable, suppressed. */
export function fixtureReport(): ScanReport {
  const prod = account(
    PROD,
    "prod",
    [
      result(PROD, {
        checkId: "root-mfa-enabled",
        status: "fail",
        resource: `arn:aws:iam::${PROD}:root`,
        message: "The root user has no MFA device.",
        evidence: { accountMFAEnabled: 0 },
      }),
      result(PROD, {
        checkId: "user-console-mfa",
        status: "fail",
        resource: `arn:aws:iam::${PROD}:user/${EVIL_USER}`,
        message: `${EVIL_USER} can sign in with a "password", alone`,
        evidence: { user: EVIL_USER, mfaActive: false },
      }),
      result(PROD, {
        checkId: "user-console-mfa",
        status: "pass",
        resource: `arn:aws:iam::${PROD}:user/alice`,
        message: "alice signs in with MFA.",
      }),
      result(PROD, {
        checkId: "access-key-rotation",
        status: "fail",
        resource: `arn:aws:iam::${PROD}:user/ci`,
        message: FORMULA_MESSAGE,
        suppressed: { reason: "CI key, rotated by the vault", expires: "2026-12-31" },
      }),
      result(PROD, {
        checkId: "identity-center-mfa",
        status: "unknown",
        message: "Could not evaluate: identityCenter: AccessDeniedException (sso:ListInstances): denied",
      }),
      result(PROD, { checkId: "password-policy", status: "not_applicable", message: "Nothing to check." }),
    ],
    {
      sectionErrors: [
        {
          section: "identityCenter",
          error: { code: "AccessDeniedException", message: "denied", operation: "sso:ListInstances" },
        },
      ],
    },
  );
  const dev = account(DEV, "dev", [
    result(DEV, { checkId: "root-mfa-enabled", status: "pass", resource: `arn:aws:iam::${DEV}:root` }),
    result(DEV, { checkId: "password-policy", status: "fail", message: "-1 days of reuse prevention" }),
    result(DEV, {
      checkId: "access-key-rotation",
      status: "error",
      message: "Check access-key-rotation failed: boom",
    }),
  ]);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: "mfawatch", version: "9.9.9" },
    generatedAt: "2026-06-01T10:05:00.000Z",
    accounts: [dev, prod],
    failedAccounts: [
      { accountId: "333333333333", accountName: "lost", code: "AccessDenied", message: "role not assumable" },
    ],
    organization: { ...scoreOrganization([dev.score, prod.score]), organizationId: "o-abcdefghij" },
    checks: CHECKS,
  };
}
