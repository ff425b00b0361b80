/**
 * The CSV report: one row per result (and one `error` row per account that could not be scanned),
 * RFC 4180 quoting, guarded against formula injection.
 */
import type { ScanReport } from "./types.js";

export const CSV_COLUMNS = [
  "account_id",
  "account_name",
  "check_id",
  "severity",
  "status",
  "resource",
  "message",
  "suppressed",
  "suppression_reason",
  "suppression_expires",
  "evidence",
] as const;

/**
 * One cell: a value a spreadsheet would run as a formula (starting with = + - @, tab or carriage
 * return) gets a leading apostrophe; a value with a comma, quote or line break is quoted.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function renderCsv(report: ScanReport): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const account of report.accounts) {
    for (const r of account.results) {
      rows.push([
        account.accountId,
        account.accountName ?? "",
        r.checkId,
        r.severity,
        r.status,
        r.resource,
        r.message,
        r.suppressed ? "true" : "false",
        r.suppressed?.reason ?? "",
        r.suppressed?.expires ?? "",
        JSON.stringify(r.evidence),
      ]);
    }
  }
  for (const f of report.failedAccounts) {
    const message = `The account could not be scanned: ${f.code}: ${f.message}`;
    rows.push([
      f.accountId,
      f.accountName ?? "",
      "",
      "",
      "error",
      `AWS::::Account:${f.accountId}`,
      message,
      "false",
      "",
      "",
      "{}",
    ]);
  }
  return rows.map((row) => `${row.map(csvCell).join(",")}\r\n`).join("");
}
