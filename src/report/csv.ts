/**
 * The CSV report: one row per result (and one `error` row per account that could not be scanned),
 * RFC 4180 quoting, guarded against formula injection. A report of several accounts ends with
 * `summary` rows: the organization, each account worst first, each check with failing findings.
 */
import { failingPerCheck, percent, worstFirst } from "./common.js";
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

const line = (row: readonly string[]): string => `${row.map(csvCell).join(",")}\r\n`;

export function renderCsv(report: ScanReport): string {
  return [...csvPieces(report)].join("");
}

/** The CSV report in pieces: the header, then one account's rows at a time, then the rest. */
export function* csvPieces(report: ScanReport): Generator<string> {
  yield line(CSV_COLUMNS);
  for (const account of report.accounts) {
    yield account.results
      .map((r) =>
        line([
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
        ]),
      )
      .join("");
  }
  const rest: string[][] = [];
  for (const f of report.failedAccounts) {
    const message = `The account could not be scanned: ${f.code}: ${f.message}`;
    rest.push([
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
  rest.push(...summaryRows(report));
  yield rest.map(line).join("");
}

function summaryRow(cells: {
  accountId?: string;
  accountName?: string;
  checkId?: string;
  severity?: string;
  resource: string;
  message: string;
  evidence: unknown;
}): string[] {
  const { accountId = "", accountName = "", checkId = "", severity = "" } = cells;
  return [
    accountId,
    accountName,
    checkId,
    severity,
    "summary",
    cells.resource,
    cells.message,
    "false",
    "",
    "",
    JSON.stringify(cells.evidence),
  ];
}

function summaryRows(report: ScanReport): string[][] {
  const org = report.organization;
  if (!org) return [];
  const id = org.organizationId ?? "";
  const rows = [
    summaryRow({
      resource: `AWS::Organizations::Organization:${id}`,
      message: `Organization score ${org.score}/100, coverage ${percent(org.coverage.ratio)}; ${report.accounts.length} accounts scanned, ${report.failedAccounts.length} could not be`,
      evidence: { score: org.score, coverage: org.coverage, failing: org.failing },
    }),
  ];
  for (const a of worstFirst(report.accounts)) {
    rows.push(
      summaryRow({
        accountId: a.accountId,
        ...(a.accountName ? { accountName: a.accountName } : {}),
        resource: `AWS::::Account:${a.accountId}`,
        message: `Account score ${a.score.score}/100, coverage ${percent(a.score.coverage.ratio)}${a.sectionErrors.length ? `, ${a.sectionErrors.length} sections could not be collected` : ""}`,
        evidence: { score: a.score.score, coverage: a.score.coverage, failing: a.score.failing },
      }),
    );
  }
  for (const c of failingPerCheck(report)) {
    rows.push(
      summaryRow({
        checkId: c.checkId,
        severity: c.severity,
        resource: `AWS::Organizations::Organization:${id}`,
        message: `${c.count} failing findings in ${c.accounts} accounts`,
        evidence: { count: c.count, accounts: c.accounts },
      }),
    );
  }
  return rows;
}
