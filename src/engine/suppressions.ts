import type { CheckResult } from "../checks/types.js";

/** A suppression from the configuration file: accepted risk, with a reason and an optional expiry. */
export interface SuppressionRule {
  /** The check id. */
  check: string;
  /** An exact resource (ARN) or a pattern with `*`; omitted: every resource. */
  resource?: string;
  /** Only in this account; omitted: every account. */
  account?: string;
  reason: string;
  /** ISO date; from then on the suppression no longer applies. */
  expires?: string;
}

function matches(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  const regex = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`);
  return regex.test(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A suppression accepts the risk of a verdict; a result that could not be judged has none to accept. */
const SUPPRESSIBLE = new Set<CheckResult["status"]>(["pass", "fail", "not_applicable"]);

/**
 * Marks results matched by an unexpired suppression. Suppressed results keep their status and
 * stay visible with the reason; the score leaves them out. `unknown` and `error` results are
 * never suppressed: they stay coverage gaps, whatever the rules say.
 */
export function applySuppressions(
  results: CheckResult[],
  rules: readonly SuppressionRule[],
  at: Date,
): CheckResult[] {
  const active = rules.filter((rule) => !rule.expires || new Date(rule.expires).getTime() > at.getTime());
  if (active.length === 0) return results;
  return results.map((result) => {
    if (!SUPPRESSIBLE.has(result.status)) return result;
    const rule = active.find(
      (r) =>
        r.check === result.checkId &&
        (r.account === undefined || r.account === result.accountId) &&
        (r.resource === undefined || matches(r.resource, result.resource)),
    );
    if (!rule) return result;
    return {
      ...result,
      suppressed: { reason: rule.reason, ...(rule.expires ? { expires: rule.expires } : {}) },
    };
  });
}
