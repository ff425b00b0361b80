import { describe, expect, it } from "vitest";
import type { CheckResult, ResultStatus } from "../checks/types.js";
import { applySuppressions, type SuppressionRule } from "./suppressions.js";

const NOW = new Date("2026-06-01T00:00:00Z");

function result(resource: string, status: ResultStatus = "fail", accountId = "111111111111"): CheckResult {
  return {
    checkId: "access-key-unused",
    accountId,
    resource,
    status,
    severity: "medium",
    message: `${status} ${resource}`,
    evidence: { key: "AKIA…" },
  };
}

const legacy = result("arn:aws:iam::111111111111:user/legacy-app");
const alice = result("arn:aws:iam::111111111111:user/alice");
const otherAccount = result("arn:aws:iam::222222222222:user/legacy-app", "fail", "222222222222");

function suppressedResources(rules: SuppressionRule[], results = [legacy, alice, otherAccount], at = NOW) {
  return applySuppressions(results, rules, at)
    .filter((r) => r.suppressed)
    .map((r) => r.resource);
}

describe("applySuppressions", () => {
  it("marks matching results with the reason and keeps their status, message and evidence", () => {
    const rule = { check: "access-key-unused", resource: legacy.resource, reason: "Decommissioned in Q3" };
    const [marked, other] = applySuppressions([legacy, alice], [rule], NOW);
    expect(marked).toEqual({ ...legacy, suppressed: { reason: "Decommissioned in Q3" } });
    expect(other).toEqual(alice);
  });

  it("suppresses verdicts (fail, pass, not_applicable) but never unknown or error results", () => {
    const statuses: ResultStatus[] = ["fail", "pass", "not_applicable", "unknown", "error"];
    const results = statuses.map((s) => result("AWS::::Account:111111111111", s));
    const rule = { check: "access-key-unused", reason: "accepted" };
    const marked = applySuppressions(results, [rule], NOW).map((r) => [r.status, r.suppressed !== undefined]);
    expect(marked).toEqual([
      ["fail", true],
      ["pass", true],
      ["not_applicable", true],
      ["unknown", false],
      ["error", false],
    ]);
  });

  it("matches only its own check", () => {
    expect(suppressedResources([{ check: "root-mfa-enabled", reason: "r" }])).toEqual([]);
  });

  it("matches every resource when no resource is given", () => {
    expect(suppressedResources([{ check: "access-key-unused", reason: "r" }])).toEqual([
      legacy.resource,
      alice.resource,
      otherAccount.resource,
    ]);
  });

  it("matches resources by exact value or by * pattern, anchored at both ends", () => {
    const rule = (resource: string) => [{ check: "access-key-unused", resource, reason: "r" }];
    expect(suppressedResources(rule("arn:aws:iam::111111111111:user/legacy-*"))).toEqual([legacy.resource]);
    expect(suppressedResources(rule("*:user/legacy-app"))).toEqual([legacy.resource, otherAccount.resource]);
    expect(suppressedResources(rule("arn:aws:iam::111111111111:user/legacy"))).toEqual([]);
    expect(suppressedResources(rule("user/legacy-*"))).toEqual([]);
  });

  it("treats regular-expression characters in patterns literally", () => {
    const rule = [
      { check: "access-key-unused", resource: "arn:aws:iam::111111111111:user/legacy.app*", reason: "r" },
    ];
    expect(suppressedResources(rule)).toEqual([]);
  });

  it("matches only the given account", () => {
    const rule = [{ check: "access-key-unused", account: "222222222222", reason: "r" }];
    expect(suppressedResources(rule)).toEqual([otherAccount.resource]);
  });

  it("stops applying from the expiry on", () => {
    const rule = [
      { check: "access-key-unused", resource: legacy.resource, reason: "r", expires: "2026-06-02" },
    ];
    expect(suppressedResources(rule, [legacy], new Date("2026-06-01T23:59:59Z"))).toEqual([legacy.resource]);
    expect(suppressedResources(rule, [legacy], new Date("2026-06-02T00:00:00Z"))).toEqual([]);
    expect(suppressedResources(rule, [legacy], new Date("2027-01-01T00:00:00Z"))).toEqual([]);
    expect(applySuppressions([legacy], rule, NOW)[0]?.suppressed).toEqual({
      reason: "r",
      expires: "2026-06-02",
    });
  });

  it("uses the first matching rule's reason", () => {
    const rules = [
      { check: "access-key-unused", resource: "*legacy*", reason: "first" },
      { check: "access-key-unused", reason: "second" },
    ];
    const [marked, other] = applySuppressions([legacy, alice], rules, NOW);
    expect(marked?.suppressed?.reason).toBe("first");
    expect(other?.suppressed?.reason).toBe("second");
  });
});
