/** The one mapping from a finished scan to its exit code and the line that says why. */
import { SEVERITIES, type Severity } from "../checks/types.js";
import { EXIT, type ExitCode } from "../cli/errors.js";
import type { ScanReport } from "../report/types.js";

export interface ScanOutcome {
  exitCode: ExitCode;
  message: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * 1 when an unsuppressed failing finding is at or above `failOn`; else 3 when anything could not
 * be judged (unknown or error results, accounts that could not be scanned); else 0. 4 when no
 * account could be scanned at all. A section that could not be collected counts only through the
 * results it made unknown: sections no running check needs (a member account's SCPs) are listed in
 * the report but do not make every scan "incomplete".
 */
export function scanOutcome(report: ScanReport, failOn: Severity): ScanOutcome {
  if (report.accounts.length === 0) {
    return {
      exitCode: EXIT.failure,
      message: `no account could be scanned (${report.failedAccounts.map((f) => `${f.accountId}: ${f.code}`).join(", ") || "none given"}).`,
    };
  }
  const threshold = SEVERITIES.indexOf(failOn);
  let atOrAbove = 0;
  let below = 0;
  let unknown = 0;
  for (const account of report.accounts) {
    for (const r of account.results) {
      if (r.suppressed) continue;
      if (r.status === "fail") {
        if (SEVERITIES.indexOf(r.severity) <= threshold) atOrAbove++;
        else below++;
      } else if (r.status === "unknown" || r.status === "error") unknown++;
    }
  }
  const gaps = [
    unknown ? `${plural(unknown, "result")} could not be judged` : "",
    report.failedAccounts.length
      ? `${plural(report.failedAccounts.length, "account")} could not be scanned`
      : "",
  ].filter(Boolean);
  if (atOrAbove > 0) {
    return {
      exitCode: EXIT.findings,
      message: `${plural(atOrAbove, "failing finding")} at or above ${failOn}${gaps.length ? `; also ${gaps.join(", ")}` : ""}.`,
    };
  }
  if (gaps.length > 0) {
    return {
      exitCode: EXIT.incomplete,
      message: `scan incomplete: ${gaps.join(", ")}${below ? ` (and ${plural(below, "failing finding")} below ${failOn})` : ""}.`,
    };
  }
  return {
    exitCode: EXIT.ok,
    message: `no failing finding at or above ${failOn}${below ? ` (${plural(below, "failing finding")} below it)` : ""}.`,
  };
}
