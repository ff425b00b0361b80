/** The tables as Kysely sees them. Times are ISO 8601 UTC strings (`toISOString()`), JSON is text. */

export interface ScansTable {
  id: string;
  started_at: string;
  finished_at: string;
  organization_id: string | null;
  tool_version: string;
  accounts: number;
  failed_accounts: number;
  score: number;
  coverage: number;
  failing_critical: number;
  failing_high: number;
  failing_medium: number;
  failing_low: number;
  failing_info: number;
}

export interface ScanAccountsTable {
  scan_id: string;
  account_id: string;
  account_name: string | null;
  aws_partition: string | null;
  region: string | null;
  /** The scan's started_at, copied so that "latest scan per account" is one index lookup. */
  scan_started_at: string;
  collected_at: string;
  credential_report_generated_at: string | null;
  score: number;
  coverage: number;
  evaluated: number;
  unknown: number;
  suppressed: number;
  failing_critical: number;
  failing_high: number;
  failing_medium: number;
  failing_low: number;
  failing_info: number;
  /** JSON: `{ section, error }[]`. */
  section_errors: string;
}

export interface FailedAccountsTable {
  scan_id: string;
  account_id: string;
  account_name: string | null;
  code: string;
  message: string;
}

export interface ResultsTable {
  scan_id: string;
  account_id: string;
  /** The result's position in its account's results. */
  seq: number;
  check_id: string;
  resource: string;
  status: string;
  severity: string;
  message: string;
  /** JSON. */
  evidence: string;
  suppressed_reason: string | null;
  suppressed_expires: string | null;
}

/** Each account's latest scan (greatest scan_started_at, then scan_id), kept by saveScan. */
export interface LatestScansTable {
  account_id: string;
  scan_id: string;
  scan_started_at: string;
  collected_at: string;
  score: number;
  /** The latest scan's results of this account, counted by status. */
  results_pass: number;
  results_fail: number;
  results_unknown: number;
  results_error: number;
  results_not_applicable: number;
}

export interface Database {
  scans: ScansTable;
  scan_accounts: ScanAccountsTable;
  failed_accounts: FailedAccountsTable;
  results: ResultsTable;
  latest_scans: LatestScansTable;
}
