import {
  type AnyCheck,
  type CheckContext,
  type CheckOptions,
  type CheckResult,
  DEFAULT_CHECK_OPTIONS,
  type Evidence,
  type Finding,
  type RequiredData,
} from "../checks/types.js";
import type { AccountSnapshot, SectionError, SectionName } from "../snapshot/types.js";
import { applySuppressions, type SuppressionRule } from "./suppressions.js";

export interface RunOptions {
  options?: Partial<CheckOptions>;
  suppressions?: readonly SuppressionRule[];
  /** When the results are judged (suppression expiry); defaults to the snapshot's collectedAt. */
  evaluatedAt?: Date;
}

/** The resource name of account-level results, in Security Hub's form. */
export function accountResource(accountId: string): string {
  return `AWS::::Account:${accountId}`;
}

function finding(status: Finding["status"]) {
  return (resource: string, message: string, evidence: Evidence = {}): Finding => ({
    resource,
    status,
    message,
    evidence,
  });
}

function describeError(name: SectionName, error: SectionError): string {
  const via = error.operation ? ` (${error.operation})` : "";
  return `${name}: ${error.code}${via}: ${error.message}`;
}

/**
 * Runs every check on the snapshot. A check whose required sections are not all `ok` yields one
 * `unknown` result naming them; a check that throws yields one `error` result; a check that finds
 * nothing to judge yields one `not_applicable` result. Every check is therefore always visible.
 */
export function runChecks(
  snapshot: AccountSnapshot,
  checks: readonly AnyCheck[],
  run: RunOptions = {},
): CheckResult[] {
  const options: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...run.options };
  const { accountId, sections } = snapshot;
  const account = accountResource(accountId);
  const ctx: CheckContext = {
    now: new Date(snapshot.collectedAt),
    accountId,
    region: snapshot.region,
    options,
    section: (name) => sections[name],
    pass: finding("pass"),
    fail: finding("fail"),
    unknown: finding("unknown"),
    notApplicable: finding("not_applicable"),
  };

  const results: CheckResult[] = [];
  for (const check of checks) {
    const toResult = (f: Finding): CheckResult => ({
      checkId: check.id,
      accountId,
      resource: f.resource,
      status: f.status,
      severity: check.severity,
      message: f.message,
      evidence: f.evidence,
    });

    const missing: { section: SectionName; error: SectionError }[] = [];
    const data: Partial<Record<SectionName, unknown>> = {};
    for (const name of check.requires) {
      const section = sections[name];
      if (section.status === "ok") data[name] = section.data;
      else missing.push({ section: name, error: section.error });
    }
    if (missing.length > 0) {
      const reasons = missing.map((m) => describeError(m.section, m.error));
      results.push(
        toResult(
          ctx.unknown(
            account,
            `Could not evaluate: the data it needs was not collected. ${reasons.join("; ")}`,
            {
              missingSections: missing.map((m) => ({ section: m.section, ...m.error })),
            },
          ),
        ),
      );
      continue;
    }

    let findings: Finding[];
    try {
      findings = check.evaluate(data as RequiredData<SectionName>, ctx);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.push({
        ...toResult(ctx.unknown(account, `Check ${check.id} failed: ${message}`)),
        status: "error",
      });
      continue;
    }
    if (findings.length === 0) {
      findings = [ctx.notApplicable(account, `Nothing to check: no resource in this account is in scope.`)];
    }
    results.push(...findings.map(toResult));
  }
  return applySuppressions(
    results,
    run.suppressions ?? [],
    run.evaluatedAt ?? new Date(snapshot.collectedAt),
  );
}
