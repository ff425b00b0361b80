import { describe, expect, it } from "vitest";
import { type CheckResult, type ResultStatus, SEVERITIES, type Severity } from "../checks/types.js";
import { scoreAccount, scoreOrganization } from "./score.js";

const ACCOUNT = "111111111111";
const STATUSES: ResultStatus[] = ["pass", "fail", "unknown", "error", "not_applicable"];

function result(status: ResultStatus, severity: Severity, n = 0, accountId = ACCOUNT): CheckResult {
  return {
    checkId: `check-${severity}`,
    accountId,
    resource: `arn:aws:iam::${accountId}:user/u${n}`,
    status,
    severity,
    message: `${status} ${n}`,
    evidence: {},
  };
}

function many(count: number, status: ResultStatus, severity: Severity): CheckResult[] {
  return Array.from({ length: count }, (_, n) => result(status, severity, n));
}

/** mulberry32: a small seeded generator, so the property tests are deterministic. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomResults(rand: () => number, accountId: string): CheckResult[] {
  const count = Math.floor(rand() * 40);
  return Array.from({ length: count }, (_, n) => {
    const r = result(
      STATUSES[Math.floor(rand() * STATUSES.length)] as ResultStatus,
      SEVERITIES[Math.floor(rand() * SEVERITIES.length)] as Severity,
      n,
      accountId,
    );
    return rand() < 0.1 ? { ...r, suppressed: { reason: "accepted" } } : r;
  });
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe("scoreAccount", () => {
  it("is 0 with full coverage when nothing failed", () => {
    const score = scoreAccount(ACCOUNT, [result("pass", "critical"), result("not_applicable", "high")]);
    expect(score.score).toBe(0);
    expect(score.coverage).toEqual({ evaluated: 2, unknown: 0, ratio: 1 });
    expect(score.contributions).toEqual([]);
  });

  it("shows unknown and error results as lost coverage of their check, adds no points, and lists them", () => {
    const score = scoreAccount(ACCOUNT, [
      result("pass", "high", 1),
      result("unknown", "critical", 2),
      result("error", "high", 3),
      result("not_applicable", "low", 4),
    ]);
    expect(score.score).toBe(0);
    expect(score.coverage).toEqual({ evaluated: 1, unknown: 2, ratio: 1 / 3 });
    expect(score.unknowns.map((u) => u.message)).toEqual(["unknown 2", "error 3"]);
    expect(score.counts).toMatchObject({ pass: 1, unknown: 1, error: 1, not_applicable: 1 });
  });

  it("counts coverage per check, so one unknown critical check is not drowned by per-user passes", () => {
    const score = scoreAccount(ACCOUNT, [
      ...many(300, "pass", "high"),
      result("unknown", "critical"),
      result("pass", "low"),
      result("pass", "medium"),
    ]);
    expect(score.coverage).toEqual({ evaluated: 3, unknown: 1, ratio: 0.75 });
  });

  it("leaves suppressed results out and counts them apart", () => {
    const failing = result("fail", "critical");
    const score = scoreAccount(ACCOUNT, [{ ...failing, suppressed: { reason: "accepted" } }]);
    expect(score.score).toBe(0);
    expect(score.suppressed).toBe(1);
    expect(score.counts.fail).toBe(0);
    expect(score.coverage.evaluated).toBe(0);
  });

  it("scores the documented tier values", () => {
    expect(scoreAccount(ACCOUNT, many(1, "fail", "critical")).score).toBe(36);
    expect(scoreAccount(ACCOUNT, many(2, "fail", "critical")).score).toBe(50.5);
    expect(scoreAccount(ACCOUNT, many(1, "fail", "high")).score).toBe(12);
    expect(scoreAccount(ACCOUNT, many(1, "fail", "medium")).score).toBe(4);
    expect(scoreAccount(ACCOUNT, many(1, "fail", "low")).score).toBe(1.5);
    expect(scoreAccount(ACCOUNT, many(5, "fail", "info")).score).toBe(0);
  });

  it("stays within 0–100 however many findings fail", () => {
    const all = SEVERITIES.flatMap((s) => many(500, "fail", s));
    const score = scoreAccount(ACCOUNT, all).score;
    expect(score).toBeGreaterThan(90);
    expect(score).toBeLessThanOrEqual(100);
  });

  it("lets one finding outweigh any number of findings of every lower severity", () => {
    for (const [i, severity] of SEVERITIES.slice(0, -2).entries()) {
      const lower = SEVERITIES.slice(i + 1).flatMap((s) => many(1000, "fail", s));
      const one = scoreAccount(ACCOUNT, many(1, "fail", severity)).score;
      expect(one, severity).toBeGreaterThan(scoreAccount(ACCOUNT, lower).score);
    }
  });

  it("explains itself: one contribution per failing finding, largest first, summing to the score", () => {
    const score = scoreAccount(ACCOUNT, [
      ...many(3, "fail", "low"),
      result("fail", "critical", 9),
      result("pass", "critical", 10),
    ]);
    expect(score.contributions.map((c) => [c.severity, c.points])).toEqual([
      ["critical", 36],
      ["low", 1.5],
      ["low", 0.75],
      ["low", 0.37],
    ]);
    expect(score.contributions[0]?.resource).toBe(`arn:aws:iam::${ACCOUNT}:user/u9`);
    expect(sum(score.contributions.map((c) => c.points))).toBeCloseTo(score.score, 9);
  });
});

describe("scoreOrganization", () => {
  it("is never below its worst account and grows with the number of bad accounts", () => {
    const bad = (id: string) => scoreAccount(id, [result("fail", "high", 0, id)]);
    const clean = (id: string) => scoreAccount(id, [result("pass", "high", 0, id)]);
    const one = scoreOrganization([bad("1"), clean("2"), clean("3")]);
    const two = scoreOrganization([bad("1"), bad("2"), clean("3")]);
    expect(one.score).toBe(12);
    expect(two.score).toBeGreaterThan(one.score);
    expect(two.accounts.map((a) => a.accountId)).toEqual(["1", "2", "3"]);
    expect(two.tiers.find((t) => t.severity === "high")).toEqual({
      severity: "high",
      failing: 2,
      accounts: 2,
      points: 18,
    });
  });

  it("lets one critical anywhere outweigh any number of lower findings in every account", () => {
    const oneCritical = scoreOrganization([
      scoreAccount("1", many(1, "fail", "critical")),
      ...Array.from({ length: 50 }, (_, i) => scoreAccount(`${i + 2}`, [])),
    ]);
    const manyLower = scoreOrganization(
      Array.from({ length: 50 }, (_, i) =>
        scoreAccount(`${i + 2}`, [...many(100, "fail", "high"), ...many(100, "fail", "low")]),
      ),
    );
    expect(oneCritical.score).toBeGreaterThan(manyLower.score);
  });

  it("pools coverage over every (account, check) pair", () => {
    const org = scoreOrganization([
      scoreAccount("1", [result("pass", "high"), result("unknown", "high", 1, "1"), result("pass", "low")]),
      scoreAccount("2", [result("pass", "high"), result("pass", "low")]),
    ]);
    expect(org.coverage).toEqual({ evaluated: 3, unknown: 1, ratio: 0.75 });
  });
});

describe("score properties over random result sets (seeded)", () => {
  const rand = random(20261129);
  const orgs = Array.from({ length: 150 }, (_, i) =>
    Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, a) =>
      randomResults(rand, `${100000000000 + i * 10 + a}`),
    ),
  );

  const fixes = (results: CheckResult[]) =>
    results.flatMap((r, i) =>
      r.status === "fail"
        ? [
            results.map((x, j) => (j === i ? { ...x, status: "pass" as const } : x)),
            results.filter((_, j) => j !== i),
          ]
        : [],
    );

  it("fixing any one finding never raises the account or the organization score", () => {
    let checked = 0;
    for (const accounts of orgs) {
      const scores = accounts.map((results) => scoreAccount(results[0]?.accountId ?? "x", results));
      const org = scoreOrganization(scores).score;
      for (const [a, results] of accounts.entries()) {
        const before = scores[a]?.score ?? 0;
        for (const fixed of fixes(results)) {
          const after = scoreAccount(results[0]?.accountId ?? "x", fixed);
          expect(after.score).toBeLessThanOrEqual(before);
          const orgAfter = scoreOrganization(scores.map((s, j) => (j === a ? after : s))).score;
          expect(orgAfter).toBeLessThanOrEqual(org);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("contributions sum to the account score and tiers to the organization score", () => {
    for (const accounts of orgs) {
      const scores = accounts.map((results) => scoreAccount("x", results));
      for (const score of scores) {
        expect(sum(score.contributions.map((c) => c.points))).toBeCloseTo(score.score, 9);
        expect(score.contributions.length).toBe(sum(Object.values(score.failing)));
        expect(score.score).toBeGreaterThanOrEqual(0);
        expect(score.score).toBeLessThanOrEqual(100);
      }
      const org = scoreOrganization(scores);
      expect(sum(org.tiers.map((t) => t.points))).toBeCloseTo(org.score, 9);
      expect(org.score).toBeGreaterThanOrEqual(Math.max(0, ...scores.map((s) => s.score)));
    }
  });

  it("one critical outweighs any random set of lower-severity results", () => {
    const critical = scoreAccount(ACCOUNT, many(1, "fail", "critical")).score;
    for (const accounts of orgs) {
      const lower = accounts.flat().filter((r) => r.severity !== "critical");
      expect(critical).toBeGreaterThan(scoreAccount(ACCOUNT, lower).score);
    }
  });
});
