import { describe, expect, it } from "vitest";
import { caseSnapshot, reportRow, TEST_ACCOUNT, TEST_COLLECTED_AT } from "../checks/test-support/snapshot.js";
import { type AnyCheck, defineCheck } from "../checks/types.js";
import type { Sections } from "../snapshot/types.js";
import { accountResource, runChecks } from "./runChecks.js";

const ACCOUNT = accountResource(TEST_ACCOUNT);

const metadata = {
  title: "Test check",
  severity: "high",
  risk: "Testing.",
  remediation: { console: "-", cli: "-", docs: "https://docs.aws.amazon.com/" },
  references: {},
} as const;

/** Passes users with MFA, fails the others. */
const mfaCheck: AnyCheck = defineCheck({
  ...metadata,
  id: "test-mfa",
  requires: ["credentialReport", "accountSummary"],
  evaluate({ credentialReport }, ctx) {
    return credentialReport.users.map((u) =>
      u.mfaActive === true ? ctx.pass(u.arn, `${u.user} has MFA`) : ctx.fail(u.arn, `${u.user} has no MFA`),
    );
  },
});

const okSections: Partial<Sections> = {
  credentialReport: {
    status: "ok",
    data: {
      generatedTime: TEST_COLLECTED_AT,
      root: null,
      users: [reportRow({ user: "alice", mfaActive: true }), reportRow({ user: "bob", mfaActive: false })],
    },
  },
  accountSummary: { status: "ok", data: { AccountMFAEnabled: 1 } },
};

describe("runChecks", () => {
  it("adds check id, account, severity to each finding", () => {
    const results = runChecks(caseSnapshot(okSections), [mfaCheck]);
    expect(results).toEqual([
      {
        checkId: "test-mfa",
        accountId: TEST_ACCOUNT,
        resource: `arn:aws:iam::${TEST_ACCOUNT}:user/alice`,
        status: "pass",
        severity: "high",
        message: "alice has MFA",
        evidence: {},
      },
      {
        checkId: "test-mfa",
        accountId: TEST_ACCOUNT,
        resource: `arn:aws:iam::${TEST_ACCOUNT}:user/bob`,
        status: "fail",
        severity: "high",
        message: "bob has no MFA",
        evidence: {},
      },
    ]);
  });

  it("gives one unknown naming the section, the error code and the operation when a required section failed", () => {
    const snapshot = caseSnapshot({
      ...okSections,
      credentialReport: {
        status: "error",
        error: { code: "AccessDenied", message: "not authorized", operation: "iam:GetCredentialReport" },
      },
    });
    const results = runChecks(snapshot, [mfaCheck]);
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result?.status).toBe("unknown");
    expect(result?.resource).toBe(ACCOUNT);
    expect(result?.severity).toBe("high");
    expect(result?.message).toContain("credentialReport");
    expect(result?.message).toContain("AccessDenied");
    expect(result?.message).toContain("iam:GetCredentialReport");
    expect(result?.evidence).toEqual({
      missingSections: [
        {
          section: "credentialReport",
          code: "AccessDenied",
          message: "not authorized",
          operation: "iam:GetCredentialReport",
        },
      ],
    });
  });

  it("names every failed required section, never evaluating the check", () => {
    let called = false;
    const check = defineCheck({
      ...mfaCheck,
      evaluate: () => {
        called = true;
        return [];
      },
    });
    const results = runChecks(caseSnapshot({}), [check]);
    expect(called).toBe(false);
    expect(results.map((r) => r.status)).toEqual(["unknown"]);
    expect(results[0]?.message).toContain("credentialReport: NotInCase");
    expect(results[0]?.message).toContain("accountSummary: NotInCase");
  });

  it("gives an error result naming the check when it throws, and runs the other checks", () => {
    const throwing = defineCheck({
      ...metadata,
      id: "test-throws",
      requires: [],
      evaluate: () => {
        throw new TypeError("cannot read properties of undefined");
      },
    });
    const results = runChecks(caseSnapshot(okSections), [throwing, mfaCheck]);
    expect(results.map((r) => `${r.checkId} ${r.status}`)).toEqual([
      "test-throws error",
      "test-mfa pass",
      "test-mfa fail",
    ]);
    expect(results[0]?.resource).toBe(ACCOUNT);
    expect(results[0]?.message).toContain("test-throws");
    expect(results[0]?.message).toContain("cannot read properties of undefined");
  });

  it("gives not_applicable when a check finds nothing to judge", () => {
    const snapshot = caseSnapshot({
      ...okSections,
      credentialReport: { status: "ok", data: { generatedTime: TEST_COLLECTED_AT, root: null, users: [] } },
    });
    const results = runChecks(snapshot, [mfaCheck]);
    expect(results.map((r) => [r.status, r.resource])).toEqual([["not_applicable", ACCOUNT]]);
  });

  it("gives checks the snapshot time, the options over the defaults, and optional sections", () => {
    const seen: unknown[] = [];
    const check = defineCheck({
      ...metadata,
      id: "test-context",
      requires: [],
      optional: ["passwordPolicy"],
      evaluate(_data, ctx) {
        seen.push(ctx.now.toISOString(), ctx.options.accessKeyMaxAgeDays, ctx.options.passwordMinLength);
        seen.push(ctx.section("passwordPolicy").status);
        return [];
      },
    });
    runChecks(caseSnapshot({}, "2026-01-02T03:04:05.000Z"), [check], {
      options: { accessKeyMaxAgeDays: 30 },
    });
    expect(seen).toEqual(["2026-01-02T03:04:05.000Z", 30, 14, "error"]);
  });

  it("applies suppressions, judged at the snapshot's time unless told otherwise", () => {
    const suppressions = [{ check: "test-mfa", resource: "*/bob", reason: "leaving", expires: "2026-07-01" }];
    const before = runChecks(caseSnapshot(okSections), [mfaCheck], { suppressions });
    const bob = before.find((r) => r.resource.endsWith("/bob"));
    expect(bob?.status).toBe("fail");
    expect(bob?.suppressed).toEqual({ reason: "leaving", expires: "2026-07-01" });
    expect(before.find((r) => r.resource.endsWith("/alice"))?.suppressed).toBeUndefined();

    const later = runChecks(caseSnapshot(okSections), [mfaCheck], {
      suppressions,
      evaluatedAt: new Date("2026-07-02T00:00:00Z"),
    });
    expect(later.every((r) => r.suppressed === undefined)).toBe(true);
  });
  it("leaves an unknown from a failed section unsuppressed by a rule without a resource", () => {
    const snapshot = caseSnapshot({
      ...okSections,
      credentialReport: { status: "error", error: { code: "AccessDenied", message: "denied" } },
    });
    const results = runChecks(snapshot, [mfaCheck], {
      suppressions: [{ check: "test-mfa", reason: "accepted" }],
    });
    expect(results.map((r) => [r.status, r.suppressed])).toEqual([["unknown", undefined]]);
  });
});
