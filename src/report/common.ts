/** Small helpers every report format shares. */
import { type CheckResult, type ResultStatus, SEVERITIES, type Severity } from "../checks/types.js";
import type { AccountReport, CheckMeta, ScanReport } from "./types.js";

export const STATUS_LABELS: Record<ResultStatus, string> = {
  pass: "pass",
  fail: "fail",
  unknown: "unknown",
  error: "error",
  not_applicable: "not applicable",
};

/** Statuses that mean "could not be judged": never a pass. */
export function isUnknown(result: CheckResult): boolean {
  return result.status === "unknown" || result.status === "error";
}

/** Failing results that count (not suppressed). */
export function failing(account: AccountReport): CheckResult[] {
  return account.results.filter((r) => r.status === "fail" && !r.suppressed);
}

/** Unknown and error results that count (not suppressed). */
export function unknowns(account: AccountReport): CheckResult[] {
  return account.results.filter((r) => isUnknown(r) && !r.suppressed);
}

export function suppressed(account: AccountReport): CheckResult[] {
  return account.results.filter((r) => r.suppressed);
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** Results ordered critical first, then by check id and resource. */
export function bySeverity(results: CheckResult[]): CheckResult[] {
  return [...results].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      a.checkId.localeCompare(b.checkId) ||
      a.resource.localeCompare(b.resource),
  );
}

/** Accounts worst first: highest score, then lowest coverage. */
export function worstFirst(accounts: AccountReport[]): AccountReport[] {
  return [...accounts].sort(
    (a, b) => b.score.score - a.score.score || a.score.coverage.ratio - b.score.coverage.ratio,
  );
}

/** Unsuppressed failing results per check across every account, most first. */
export function failingPerCheck(
  report: Pick<ScanReport, "accounts">,
): { checkId: string; severity: Severity; count: number; accounts: number }[] {
  const rows = new Map<
    string,
    { checkId: string; severity: Severity; count: number; accounts: Set<string> }
  >();
  for (const account of report.accounts) {
    for (const result of failing(account)) {
      const row = rows.get(result.checkId) ?? {
        checkId: result.checkId,
        severity: result.severity,
        count: 0,
        accounts: new Set<string>(),
      };
      row.count++;
      row.accounts.add(account.accountId);
      rows.set(result.checkId, row);
    }
  }
  return [...rows.values()]
    .map((r) => ({ checkId: r.checkId, severity: r.severity, count: r.count, accounts: r.accounts.size }))
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || b.count - a.count);
}

export function checkMeta(report: ScanReport, checkId: string): CheckMeta | undefined {
  return report.checks.find((c) => c.id === checkId);
}

export function accountLabel(account: { accountId: string; accountName?: string }): string {
  return account.accountName ? `${account.accountId} (${account.accountName})` : account.accountId;
}

export function percent(ratio: number): string {
  return `${Math.floor(ratio * 100)}%`;
}

/** One sentence on the AWS Config organization rules about MFA, when an organization scan read them. */
export function configRulesLine(report: ScanReport): string | undefined {
  const rules = report.organization?.configRules;
  if (!rules) return undefined;
  if (rules.status === "error") {
    return `AWS Config organization rules could not be read: ${rules.error.code}: ${rules.error.message}`;
  }
  if (rules.data.length === 0) return "AWS Config organization rules about MFA: none deployed.";
  const list = rules.data.map(
    (r) =>
      `${r.name} (${r.sourceIdentifier}${r.excludedAccounts.length ? `, excluding ${r.excludedAccounts.join(", ")}` : ""})`,
  );
  return `AWS Config organization rules about MFA: ${list.join("; ")}.`;
}
