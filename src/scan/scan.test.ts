import { describe, expect, it } from "vitest";
import { caseSnapshot, TEST_ACCOUNT } from "../checks/test-support/snapshot.js";
import userConsoleMfa from "../checks/user-console-mfa/check.js";
import { EXIT } from "../cli/errors.js";
import { fixtureReport } from "../report/test-support/fixture.js";
import type { ScanReport } from "../report/types.js";
import { scanOutcome } from "./outcome.js";
import { buildScanReport, judgeSnapshot } from "./report.js";

const AT = new Date("2026-06-01T00:00:00Z");

function snapshot(mfaActive: boolean) {
  return caseSnapshot({
    credentialReport: {
      status: "ok",
      data: {
        generatedTime: "2026-05-31T22:00:00+00:00",
        root: null,
        users: [{ user: "bob", passwordEnabled: true, mfaActive } as never],
      },
    },
  });
}

describe("judgeSnapshot and buildScanReport", () => {
  it("judges, scores and lists the sections that could not be collected", () => {
    const account = judgeSnapshot(snapshot(false), { checks: [userConsoleMfa], evaluatedAt: AT });
    expect(account.results).toMatchObject([{ checkId: "user-console-mfa", status: "fail" }]);
    expect(account.score.failing.high).toBe(1);
    expect(account.credentialReportGeneratedAt).toBe("2026-05-31T22:00:00+00:00");
    expect(account.sectionErrors.map((s) => s.section)).toContain("accountSummary");
    expect(account.sectionErrors.map((s) => s.section)).not.toContain("credentialReport");
    const report = buildScanReport({ accounts: [account], checks: [userConsoleMfa], generatedAt: AT });
    expect(report.organization).toBeUndefined();
    expect(report.checks).toEqual([expect.objectContaining({ id: "user-console-mfa", severity: "high" })]);
  });

  it("applies suppressions and adds an organization score for several accounts", () => {
    const account = judgeSnapshot(snapshot(false), {
      checks: [userConsoleMfa],
      suppressions: [{ check: "user-console-mfa", reason: "break-glass user" }],
      evaluatedAt: AT,
    });
    expect(account.results[0]?.suppressed).toEqual({ reason: "break-glass user" });
    expect(account.score.suppressed).toBe(1);
    const other = {
      ...judgeSnapshot(snapshot(true), { checks: [userConsoleMfa], evaluatedAt: AT }),
      accountId: "999999999999",
    };
    const report = buildScanReport({
      accounts: [account, other],
      checks: [userConsoleMfa],
      generatedAt: AT,
      organizationId: "o-1234567890",
    });
    expect(report.organization?.organizationId).toBe("o-1234567890");
    expect(report.organization?.accounts).toHaveLength(2);
  });
});

describe("scanOutcome", () => {
  function single(mutate: (r: ScanReport) => void = () => {}): ScanReport {
    const report = judgeSnapshot(snapshot(false), { checks: [userConsoleMfa], evaluatedAt: AT });
    const scan = buildScanReport({
      accounts: [{ ...report, sectionErrors: [] }],
      checks: [userConsoleMfa],
      generatedAt: AT,
    });
    mutate(scan);
    return scan;
  }

  it("1 for a failing finding at or above --fail-on, 0 below it", () => {
    expect(scanOutcome(single(), "high")).toMatchObject({
      exitCode: EXIT.findings,
      message: "1 failing finding at or above high.",
    });
    expect(scanOutcome(single(), "critical")).toMatchObject({ exitCode: EXIT.ok });
    expect(scanOutcome(single(), "critical").message).toContain("1 failing finding below it");
  });

  it("3 when a result could not be judged and nothing else failed; a section error alone changes nothing", () => {
    const unknown = single((r) => {
      const result = r.accounts[0]?.results[0];
      if (result) result.status = "unknown";
    });
    expect(scanOutcome(unknown, "high")).toMatchObject({ exitCode: EXIT.incomplete });
    const sectionError = single((r) => {
      r.accounts[0]?.sectionErrors.push({
        section: "cloudTrail",
        error: { code: "AccessDenied", message: "no" },
      });
    });
    expect(scanOutcome(sectionError, "critical").exitCode).toBe(
      scanOutcome(
        single(() => {}),
        "critical",
      ).exitCode,
    );
    expect(scanOutcome(sectionError, "high").exitCode).toBe(EXIT.findings);
  });

  it("suppressed failures do not fail the scan; no account at all is 4", () => {
    const quiet = single((r) => {
      const result = r.accounts[0]?.results[0];
      if (result) result.suppressed = { reason: "accepted" };
    });
    expect(scanOutcome(quiet, "high").exitCode).toBe(EXIT.ok);
    const none = single((r) => {
      r.accounts = [];
      r.failedAccounts = [{ accountId: TEST_ACCOUNT, code: "AccessDenied", message: "no" }];
    });
    expect(scanOutcome(none, "high").exitCode).toBe(EXIT.failure);
  });

  it("the fixture fails at high and at critical (its root finding is critical)", () => {
    expect(scanOutcome(fixtureReport(), "high").exitCode).toBe(EXIT.findings);
    expect(scanOutcome(fixtureReport(), "critical").exitCode).toBe(EXIT.findings);
  });
});
