/** The one Store implementation, over Kysely: the same queries serve SQLite and PostgreSQL. */
import { randomUUID } from "node:crypto";
import { type Kysely, type Selectable, type SelectQueryBuilder, sql } from "kysely";
import type { ResultStatus, Severity } from "../checks/types.js";
import { FailureError, UsageError } from "../cli/errors.js";
import type { AccountFailure, ScanReport } from "../report/types.js";
import { isDiskFull, isDuplicate, type StoreLocation, storeError } from "./errors.js";
import type { Database, LatestScansTable, ResultsTable, ScanAccountsTable, ScansTable } from "./schema.js";
import type {
  AccountHistoryPoint,
  AccountOverview,
  AccountState,
  FindingQuery,
  Overview,
  ScanSummary,
  Store,
  StoredResult,
} from "./types.js";

type LatestResults = SelectQueryBuilder<
  Database & { r: ResultsTable; s: LatestScansTable },
  "r" | "s",
  Record<never, never>
>;

export interface StoreOptions {
  /** The clock for the `days` windows (tests pin it). */
  now?: () => Date;
}

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 90;
const DEFAULT_LIMIT = 100;
/** Rows per INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const CHUNK_ROWS = 500;

type FailingColumns = Pick<
  ScansTable,
  "failing_critical" | "failing_high" | "failing_medium" | "failing_low" | "failing_info"
>;

function failingColumns(failing: Record<Severity, number>): FailingColumns {
  return {
    failing_critical: failing.critical,
    failing_high: failing.high,
    failing_medium: failing.medium,
    failing_low: failing.low,
    failing_info: failing.info,
  };
}

function failingOf(row: FailingColumns): Record<Severity, number> {
  return {
    critical: Number(row.failing_critical),
    high: Number(row.failing_high),
    medium: Number(row.failing_medium),
    low: Number(row.failing_low),
    info: Number(row.failing_info),
  };
}

/** A time as stored: ISO 8601 in UTC, so that text order is time order on both databases. */
function iso(value: string | Date, what: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${what} is not a valid time: ${String(value)}`);
  return date.toISOString();
}

function count(value: number | undefined, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${what} must be a whole number ≥ 0`);
  return value;
}

function days(value: number | undefined): number {
  if (value === undefined) return DEFAULT_DAYS;
  if (!Number.isFinite(value) || value <= 0) throw new UsageError("days must be a number > 0");
  return value;
}

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) out.push(rows.slice(i, i + CHUNK_ROWS));
  return out;
}

/**
 * The scan's headline numbers: the organization's when present, else the only account's. A scan
 * that could scan no account at all has no coverage (0), never a perfect one.
 */
function scanRow(report: ScanReport, id: string, startedAt: string): ScansTable {
  const org = report.accounts.length > 0 ? report.organization : undefined;
  const single = report.accounts.length === 1 ? report.accounts[0]?.score : undefined;
  const zero = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  return {
    id,
    started_at: startedAt,
    finished_at: iso(report.generatedAt, "generatedAt"),
    organization_id: report.organization?.organizationId ?? null,
    tool_version: report.tool.version,
    accounts: report.accounts.length,
    failed_accounts: report.failedAccounts.length,
    score: org?.score ?? single?.score ?? 0,
    coverage: org?.coverage.ratio ?? single?.coverage.ratio ?? 0,
    ...failingColumns(org?.failing ?? single?.failing ?? zero),
  };
}

function summaryOf(row: Selectable<ScansTable>): ScanSummary {
  return {
    scanId: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    organizationId: row.organization_id,
    accounts: Number(row.accounts),
    failedAccounts: Number(row.failed_accounts),
    score: Number(row.score),
    coverage: Number(row.coverage),
    failing: failingOf(row),
  };
}

/** The latest_scans column counting results of each status. */
const COUNT_COLUMNS = {
  pass: "results_pass",
  fail: "results_fail",
  unknown: "results_unknown",
  error: "results_error",
  not_applicable: "results_not_applicable",
} as const satisfies Record<ResultStatus, keyof LatestScansTable>;

/** An account's newer scan replaces its row in latest_scans. */
const UPDATE_LATEST = Object.fromEntries(
  (["scan_id", "scan_started_at", "collected_at", "score", ...Object.values(COUNT_COLUMNS)] as const).map(
    (column) => [column, sql.ref(`excluded.${column}`)],
  ),
);

function latestRow(
  account: ScanAccountsTable,
  results: readonly { status: ResultStatus }[],
): LatestScansTable {
  const row: LatestScansTable = {
    account_id: account.account_id,
    scan_id: account.scan_id,
    scan_started_at: account.scan_started_at,
    collected_at: account.collected_at,
    score: account.score,
    results_pass: 0,
    results_fail: 0,
    results_unknown: 0,
    results_error: 0,
    results_not_applicable: 0,
  };
  for (const r of results) row[COUNT_COLUMNS[r.status]] += 1;
  return row;
}

function overviewOf(a: Selectable<ScanAccountsTable>): AccountOverview {
  return {
    accountId: a.account_id,
    accountName: a.account_name,
    scanId: a.scan_id,
    scannedAt: a.collected_at,
    score: Number(a.score),
    coverage: Number(a.coverage),
    failing: failingOf(a),
    unknown: Number(a.unknown),
  };
}

const SEVERITY_RANK = sql<number>`case r.severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end`;
const STATUS_RANK = sql<number>`case r.status when 'fail' then 0 when 'error' then 1 when 'unknown' then 2 when 'pass' then 3 else 4 end`;
/** The findings' order, over the results aliased `r`: most severe first, then a stable tiebreak. */
const FINDINGS_ORDER = [
  SEVERITY_RANK,
  STATUS_RANK,
  ...["r.account_id", "r.check_id", "r.resource", "r.scan_id", "r.seq"].map((column) => sql.ref(column)),
];

function resultOf(row: Selectable<ResultsTable> & { collected_at: string }): StoredResult {
  return {
    scanId: row.scan_id,
    scannedAt: row.collected_at,
    checkId: row.check_id,
    accountId: row.account_id,
    resource: row.resource,
    status: row.status as ResultStatus,
    severity: row.severity as Severity,
    message: row.message,
    evidence: JSON.parse(row.evidence) as StoredResult["evidence"],
    ...(row.suppressed_reason !== null
      ? {
          suppressed: {
            reason: row.suppressed_reason,
            ...(row.suppressed_expires !== null ? { expires: row.suppressed_expires } : {}),
          },
        }
      : {}),
  };
}

export function createStore(db: Kysely<Database>, at: StoreLocation, options: StoreOptions = {}): Store {
  const now = options.now ?? (() => new Date());
  const since = (window: number | undefined) =>
    new Date(now().getTime() - days(window) * DAY_MS).toISOString();
  // latest_scans is analyzed outright (a row per account, cheap): without its statistics SQLite
  // reads the default findings by scanning results instead of starting from latest_scans.
  const refreshStatistics =
    at.kind === "sqlite"
      ? [sql`pragma optimize`, sql`analyze latest_scans`]
      : [sql`analyze scans, scan_accounts, failed_accounts, results, latest_scans`];
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw storeError(error, at);
    }
  };

  async function saveScan(report: ScanReport, startedAt: Date, save: { scanId?: string } = {}) {
    const id = save.scanId ?? randomUUID();
    const started = iso(startedAt, "startedAt");
    const accounts: ScanAccountsTable[] = report.accounts.map((a) => ({
      scan_id: id,
      account_id: a.accountId,
      account_name: a.accountName ?? null,
      aws_partition: a.partition ?? null,
      region: a.region ?? null,
      scan_started_at: started,
      collected_at: iso(a.collectedAt, `collectedAt of ${a.accountId}`),
      credential_report_generated_at: a.credentialReportGeneratedAt
        ? iso(a.credentialReportGeneratedAt, `credentialReportGeneratedAt of ${a.accountId}`)
        : null,
      score: a.score.score,
      coverage: a.score.coverage.ratio,
      evaluated: a.score.coverage.evaluated,
      unknown: a.score.coverage.unknown,
      suppressed: a.score.suppressed,
      ...failingColumns(a.score.failing),
      section_errors: JSON.stringify(a.sectionErrors),
    }));
    const results: ResultsTable[] = report.accounts.flatMap((a) =>
      a.results.map((r, seq) => ({
        scan_id: id,
        account_id: r.accountId,
        seq,
        check_id: r.checkId,
        resource: r.resource,
        status: r.status,
        severity: r.severity,
        message: r.message,
        evidence: JSON.stringify(r.evidence),
        suppressed_reason: r.suppressed?.reason ?? null,
        suppressed_expires: r.suppressed?.expires ?? null,
      })),
    );
    const latest = accounts.map((a, i) => latestRow(a, report.accounts[i]?.results ?? []));
    const failed = report.failedAccounts.map((f) => ({
      scan_id: id,
      account_id: f.accountId,
      account_name: f.accountName ?? null,
      code: f.code,
      message: f.message,
    }));
    try {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto("scans")
          .values(scanRow(report, id, started))
          .execute();
        for (const rows of chunks(accounts)) await tx.insertInto("scan_accounts").values(rows).execute();
        for (const rows of chunks(failed)) await tx.insertInto("failed_accounts").values(rows).execute();
        for (const rows of chunks(results)) await tx.insertInto("results").values(rows).execute();
        for (const rows of chunks(latest)) {
          await tx
            .insertInto("latest_scans")
            .values(rows)
            .onConflict((oc) =>
              oc
                .column("account_id")
                .doUpdateSet(UPDATE_LATEST)
                .where(({ eb, ref, or, and }) =>
                  or([
                    eb("excluded.scan_started_at", ">", ref("latest_scans.scan_started_at")),
                    and([
                      eb("excluded.scan_started_at", "=", ref("latest_scans.scan_started_at")),
                      eb("excluded.scan_id", ">", ref("latest_scans.scan_id")),
                    ]),
                  ]),
                ),
            )
            .execute();
        }
      });
    } catch (error) {
      if (isDiskFull(error)) throw new FailureError("disk full: the scan was not saved; nothing was lost");
      if (isDuplicate(error)) throw new FailureError(`the scan was not saved: scan ${id} is already stored`);
      const cause = storeError(error, at);
      throw new FailureError(`the scan was not saved (nothing was written): ${cause.message}`);
    }
    // Fresh planner statistics keep the "latest scan per account" queries on their indexes. The scan
    // is saved by now, so a failure here is not the save's to report.
    for (const statement of refreshStatistics) await statement.execute(db).catch(() => {});
    return id;
  }

  function listScans(page: { limit?: number; offset?: number } = {}) {
    return guard(async () => {
      const rows = await db
        .selectFrom("scans")
        .selectAll()
        .orderBy("started_at", "desc")
        .orderBy("id", "desc")
        .limit(count(page.limit, "limit", 50))
        .offset(count(page.offset, "offset", 0))
        .execute();
      return rows.map(summaryOf);
    });
  }

  function overview(window: { days?: number } = {}): Promise<Overview> {
    return guard(async () => {
      const from = since(window.days);
      const [latestScan = null] = await listScans({ limit: 1 });
      const accounts = await db
        .selectFrom("latest_scans as l")
        .innerJoin("scan_accounts as sa", (join) =>
          join.onRef("sa.scan_id", "=", "l.scan_id").onRef("sa.account_id", "=", "l.account_id"),
        )
        .selectAll("sa")
        .orderBy("sa.score", "desc")
        .orderBy("sa.coverage", "asc")
        .orderBy("sa.account_id", "asc")
        .execute();
      const history = await db
        .selectFrom("scans")
        .select(["id", "started_at", "score", "coverage"])
        .where("started_at", ">=", from)
        .orderBy("started_at", "asc")
        .orderBy("id", "asc")
        .execute();
      const failedAccounts = latestScan
        ? await db
            .selectFrom("failed_accounts")
            .selectAll()
            .where("scan_id", "=", latestScan.scanId)
            .orderBy("account_id")
            .execute()
        : [];
      return {
        latestScan,
        accounts: accounts.map(overviewOf),
        history: history.map((h) => ({
          scanId: h.id,
          at: h.started_at,
          score: Number(h.score),
          coverage: Number(h.coverage),
        })),
        failedAccounts: failedAccounts.map(
          (f): AccountFailure => ({
            accountId: f.account_id,
            ...(f.account_name !== null ? { accountName: f.account_name } : {}),
            code: f.code,
            message: f.message,
          }),
        ),
      };
    });
  }

  function account(accountId: string): Promise<AccountState | null> {
    return guard(async () => {
      const row = await db
        .selectFrom("latest_scans as l")
        .innerJoin("scan_accounts as sa", (join) =>
          join.onRef("sa.scan_id", "=", "l.scan_id").onRef("sa.account_id", "=", "l.account_id"),
        )
        .selectAll("sa")
        .select(Object.values(COUNT_COLUMNS).map((column) => `l.${column}` as const))
        .where("l.account_id", "=", accountId)
        .executeTakeFirst();
      if (!row) return null;
      const results = Object.fromEntries(
        Object.entries(COUNT_COLUMNS).map(([status, column]) => [status, Number(row[column])]),
      ) as Record<ResultStatus, number>;
      return { ...overviewOf(row), results };
    });
  }

  function accountHistory(accountId: string, window: { days?: number } = {}) {
    return guard(async () => {
      const from = since(window.days);
      const rows = await db
        .selectFrom("scan_accounts")
        .selectAll()
        .where("account_id", "=", accountId)
        .where("collected_at", ">=", from)
        .orderBy("scan_started_at", "asc")
        .orderBy("scan_id", "asc")
        .execute();
      return rows.map(
        (r): AccountHistoryPoint => ({
          scanId: r.scan_id,
          at: r.collected_at,
          score: Number(r.score),
          coverage: Number(r.coverage),
          failing: failingOf(r),
        }),
      );
    });
  }

  function findings(query: FindingQuery) {
    return guard(async () => {
      const limit = count(query.limit, "limit", DEFAULT_LIMIT);
      const offset = count(query.offset, "offset", 0);
      let q = resultsOf(query.scanId);
      if (query.accountId) q = q.where("s.account_id", "=", query.accountId);
      if (query.checkId) q = q.where("r.check_id", "=", query.checkId);
      if (query.status) q = q.where("r.status", "=", query.status);
      if (query.severity) q = q.where("r.severity", "=", query.severity);
      const total =
        query.scanId || query.checkId || query.severity
          ? await q.select((eb) => eb.fn.countAll<number | string | bigint>().as("n")).executeTakeFirst()
          : await latestCount(query.accountId, query.status);
      // The page is sorted on the results' keys alone, then only its rows are read in full: sorting
      // whole rows (message, evidence) of every latest result costs several times more.
      let keys = q.select(["r.scan_id", "r.account_id", "r.seq"]);
      for (const by of FINDINGS_ORDER) keys = keys.orderBy(by);
      let page = db
        .selectFrom(keys.limit(limit).offset(offset).as("p"))
        .innerJoin("results as r", (join) =>
          join
            .onRef("r.scan_id", "=", "p.scan_id")
            .onRef("r.account_id", "=", "p.account_id")
            .onRef("r.seq", "=", "p.seq"),
        )
        .innerJoin("scan_accounts as s", (join) =>
          join.onRef("s.scan_id", "=", "r.scan_id").onRef("s.account_id", "=", "r.account_id"),
        )
        .selectAll("r")
        .select("s.collected_at");
      for (const by of FINDINGS_ORDER) page = page.orderBy(by);
      const rows = await page.execute();
      return { total: Number(total?.n ?? 0), items: rows.map(resultOf) };
    });
  }

  /**
   * Results `r` joined to their account's row `s`: of scan `scanId` with its scan_accounts rows,
   * by default of each account's latest scan with latest_scans (the columns used from `s`,
   * scan_id, account_id and collected_at, are in both).
   */
  function resultsOf(scanId: string | undefined): LatestResults {
    if (scanId) {
      return db
        .selectFrom("results as r")
        .innerJoin("scan_accounts as s", (join) =>
          join.onRef("s.scan_id", "=", "r.scan_id").onRef("s.account_id", "=", "r.account_id"),
        )
        .where("r.scan_id", "=", scanId);
    }
    if (at.kind === "sqlite") {
      return db
        .selectFrom("latest_scans as s")
        .innerJoin("results as r", (join) =>
          join.onRef("r.scan_id", "=", "s.scan_id").onRef("r.account_id", "=", "s.account_id"),
        );
    }
    // PostgreSQL can price an index range per account above reading every stored result, and then
    // hashes them all (240 ms for 1,000 accounts × 30 scans, growing with every scan kept). A
    // lateral subquery it cannot flatten (`offset 0`) makes it read each account's range by key.
    return db.selectFrom("latest_scans as s").innerJoinLateral(
      (eb) =>
        eb
          .selectFrom("results")
          .selectAll()
          .whereRef("results.scan_id", "=", "s.scan_id")
          .whereRef("results.account_id", "=", "s.account_id")
          .offset(0)
          .as("r"),
      (join) => join.onTrue(),
    );
  }

  /** Counts latest results from latest_scans alone: by status, or all, for one account or all. */
  function latestCount(accountId: string | undefined, status: ResultStatus | undefined) {
    const columns = status ? [COUNT_COLUMNS[status]] : Object.values(COUNT_COLUMNS);
    const added = sql.join(
      columns.map((column) => sql.ref(column)),
      sql` + `,
    );
    let q = db.selectFrom("latest_scans").select(sql<number | string | null>`sum(${added})`.as("n"));
    if (accountId) q = q.where("account_id", "=", accountId);
    return q.executeTakeFirst();
  }

  return {
    saveScan,
    listScans,
    overview,
    account,
    accountHistory,
    findings,
    close: () => db.destroy(),
  };
}
