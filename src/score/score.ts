/**
 * The risk score: a pure function from check results to 0–100 with its explanation.
 * docs/SCORING.md explains the formula; the numbers below are the whole of it.
 */
import { type CheckResult, type ResultStatus, SEVERITIES, type Severity } from "../checks/types.js";
import type { AccountScore, Contribution, Coverage, OrganizationScore, TierPoints } from "./types.js";

/**
 * Points per severity tier, in hundredths of a point (integers, so contributions sum exactly).
 * The first failing finding of a tier adds `first`; the k-th (k ≥ 2) adds `more / 2^(k-1)`,
 * rounded down, so a tier never adds `first + more` or more. Each tier's `first` is larger than
 * everything all lower tiers together can add, and all tiers together add less than 100.
 */
export const TIER_POINTS: Record<Severity, { first: number; more: number }> = {
  critical: { first: 3600, more: 2900 },
  high: { first: 1200, more: 1200 },
  medium: { first: 400, more: 400 },
  low: { first: 150, more: 150 },
  info: { first: 0, more: 0 },
};

/** Hundredths of a point added by the `k`-th (1-based) failing finding of a tier. */
function findingHundredths(severity: Severity, k: number): number {
  const tier = TIER_POINTS[severity];
  return k === 1 ? tier.first : Math.floor(tier.more / 2 ** (k - 1));
}

/** Hundredths of a point added by `n` failing findings of one tier. */
function tierHundredths(severity: Severity, n: number): number {
  let total = 0;
  for (let k = 1; k <= n; k++) {
    const points = findingHundredths(severity, k);
    if (points === 0) break;
    total += points;
  }
  return total;
}

const toPoints = (hundredths: number): number => hundredths / 100;

function emptyFailing(): Record<Severity, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

function coverageOf(evaluated: number, unknown: number): Coverage {
  const total = evaluated + unknown;
  return { evaluated, unknown, ratio: total === 0 ? 1 : evaluated / total };
}

/**
 * Coverage counted per check: a check is covered when none of its unsuppressed results is
 * `unknown` or `error`, so one unknown root check weighs as much as a check with hundreds of
 * per-user results. Checks whose results are all suppressed are left out.
 */
function checkCoverage(results: readonly CheckResult[]): Coverage {
  const judged = new Map<string, boolean>();
  for (const result of results) {
    if (result.suppressed) continue;
    const unjudged = result.status === "unknown" || result.status === "error";
    judged.set(result.checkId, (judged.get(result.checkId) ?? true) && !unjudged);
  }
  const covered = [...judged.values()].filter(Boolean).length;
  return coverageOf(covered, judged.size - covered);
}

/**
 * Scores one account. Suppressed results are left out (counted in `suppressed`); `unknown` and
 * `error` results add no points but make their check uncovered and are listed in `unknowns`.
 */
export function scoreAccount(accountId: string, results: CheckResult[]): AccountScore {
  const counts: Record<ResultStatus, number> = {
    pass: 0,
    fail: 0,
    unknown: 0,
    error: 0,
    not_applicable: 0,
  };
  const failing = emptyFailing();
  const failures: CheckResult[] = [];
  const unknowns: AccountScore["unknowns"] = [];
  let suppressed = 0;

  for (const result of results) {
    if (result.suppressed) {
      suppressed++;
      continue;
    }
    counts[result.status]++;
    if (result.status === "fail") {
      failing[result.severity]++;
      failures.push(result);
    } else if (result.status === "unknown" || result.status === "error") {
      unknowns.push({ checkId: result.checkId, resource: result.resource, message: result.message });
    }
  }

  const seen = emptyFailing();
  const contributions: Contribution[] = failures
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        compare(a.checkId, b.checkId) ||
        compare(a.resource, b.resource),
    )
    .map((result) => ({
      checkId: result.checkId,
      resource: result.resource,
      severity: result.severity,
      hundredths: findingHundredths(result.severity, ++seen[result.severity]),
      message: result.message,
    }))
    .sort((a, b) => b.hundredths - a.hundredths)
    .map(({ hundredths, ...rest }) => ({ ...rest, points: toPoints(hundredths) }));

  const total = SEVERITIES.reduce((sum, severity) => sum + tierHundredths(severity, failing[severity]), 0);
  return {
    accountId,
    score: toPoints(total),
    coverage: checkCoverage(results),
    counts,
    suppressed,
    failing,
    contributions,
    unknowns,
  };
}

/**
 * Scores an organization: the account formula applied to every failing finding of every account
 * together. So the worst finding anywhere sets the floor, the organization never scores below
 * its worst account, and each further bad account adds a decreasing share. Coverage is pooled
 * over every (account, check) pair.
 */
export function scoreOrganization(scores: AccountScore[]): OrganizationScore {
  const failing = emptyFailing();
  let evaluated = 0;
  let unknown = 0;
  for (const account of scores) {
    for (const severity of SEVERITIES) failing[severity] += account.failing[severity];
    evaluated += account.coverage.evaluated;
    unknown += account.coverage.unknown;
  }
  const tiers: TierPoints[] = SEVERITIES.map((severity) => ({
    severity,
    failing: failing[severity],
    accounts: scores.filter((s) => s.failing[severity] > 0).length,
    points: toPoints(tierHundredths(severity, failing[severity])),
  }));
  const total = SEVERITIES.reduce((sum, severity) => sum + tierHundredths(severity, failing[severity]), 0);
  return {
    score: toPoints(total),
    accounts: scores
      .map((s) => ({ accountId: s.accountId, score: s.score, coverage: s.coverage.ratio }))
      .sort((a, b) => b.score - a.score || compare(a.accountId, b.accountId)),
    coverage: coverageOf(evaluated, unknown),
    failing,
    tiers,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
