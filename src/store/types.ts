import type { CheckResult, ResultStatus, Severity } from "../checks/types.js";
import type { AccountFailure, ScanReport } from "../report/types.js";

/** One scan as listed in history. */
export interface ScanSummary {
  scanId: string;
  startedAt: string;
  finishedAt: string;
  organizationId: string | null;
  accounts: number;
  failedAccounts: number;
  /** The organization score when several accounts were scanned, else the single account's. */
  score: number;
  coverage: number;
  failing: Record<Severity, number>;
}

/** The latest state of one account, for the overview. */
export interface AccountOverview {
  accountId: string;
  accountName: string | null;
  scanId: string;
  scannedAt: string;
  score: number;
  coverage: number;
  failing: Record<Severity, number>;
  unknown: number;
}

/** One account's latest state and its latest scan's results counted by status. */
export interface AccountState extends AccountOverview {
  results: Record<ResultStatus, number>;
}

export interface Overview {
  latestScan: ScanSummary | null;
  /** Every account's latest known state, worst score first. */
  accounts: AccountOverview[];
  /** Score over time (one point per scan), oldest first, within `days`. */
  history: { scanId: string; at: string; score: number; coverage: number }[];
  /** The accounts the latest scan could not scan at all. */
  failedAccounts: AccountFailure[];
}

export interface AccountHistoryPoint {
  scanId: string;
  at: string;
  score: number;
  coverage: number;
  failing: Record<Severity, number>;
}

export interface FindingQuery {
  accountId?: string;
  checkId?: string;
  status?: ResultStatus;
  severity?: Severity;
  /** Only results of this scan; default: each account's latest scan. */
  scanId?: string;
  limit?: number;
  offset?: number;
}

export interface StoredResult extends CheckResult {
  scanId: string;
  scannedAt: string;
}

/**
 * The store keeps every scan: summaries, per-account scores and every result. One implementation
 * over Kysely serves SQLite (better-sqlite3, the default) and PostgreSQL (a postgres:// URL).
 */
export interface Store {
  /**
   * Saves a finished scan; returns its id (a new UUID unless `options.scanId` is given).
   * Atomic: a failed save leaves nothing half-written.
   */
  saveScan(report: ScanReport, startedAt: Date, options?: { scanId?: string }): Promise<string>;
  listScans(options?: { limit?: number; offset?: number }): Promise<ScanSummary[]>;
  overview(options?: { days?: number }): Promise<Overview>;
  /** The account's latest state; null when no scan of it is stored. */
  account(accountId: string): Promise<AccountState | null>;
  accountHistory(accountId: string, options?: { days?: number }): Promise<AccountHistoryPoint[]>;
  findings(query: FindingQuery): Promise<{ total: number; items: StoredResult[] }>;
  close(): Promise<void>;
}
