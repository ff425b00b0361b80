import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CheckResult, ResultStatus, Severity } from "../checks/types.js";
import { FailureError, UsageError } from "../cli/errors.js";
import { DEV, fixtureReport, PROD } from "../report/test-support/fixture.js";
import type { AccountFailure, AccountReport, ScanReport } from "../report/types.js";
import { scoreAccount, scoreOrganization } from "../score/score.js";
import { migrate } from "./migrations/index.js";
import { openStore } from "./open.js";
import type { Database } from "./schema.js";
import { createStore } from "./store.js";
import type { Store, StoredResult } from "./types.js";

/** The PostgreSQL server the tests create their databases on (CI starts it: .ci/run). */
const PG_SERVER = process.env.MFAWATCH_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432";
const DAY = 86_400_000;
const NOW = new Date();
const clock = () => NOW;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

const temp = mkdtempSync(join(tmpdir(), "mfawatch-store-"));
const tempFile = (name = "store") => join(temp, `${name}-${randomBytes(4).toString("hex")}.db`);
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const opened: Store[] = [];
async function open(url: string): Promise<Store> {
  const store = await openStore(url, { now: clock });
  opened.push(store);
  return store;
}
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close().catch(() => {});
});

function result(
  accountId: string,
  checkId: string,
  status: ResultStatus,
  severity: Severity,
  extra: Partial<CheckResult> = {},
): CheckResult {
  return {
    accountId,
    checkId,
    resource: `arn:aws:iam::${accountId}:user/${checkId}`,
    status,
    severity,
    message: `${checkId} ${status}`,
    evidence: { checkId },
    ...extra,
  };
}

function account(accountId: string, collectedAt: Date, results: CheckResult[]): AccountReport {
  return {
    accountId,
    accountName: `name-${accountId}`,
    collectedAt: collectedAt.toISOString(),
    sectionErrors: [],
    score: scoreAccount(accountId, results),
    results,
  };
}

function report(accounts: AccountReport[], failedAccounts: AccountFailure[] = []): ScanReport {
  const base = fixtureReport();
  const several = accounts.length + failedAccounts.length > 1;
  return {
    ...base,
    generatedAt: NOW.toISOString(),
    accounts,
    failedAccounts,
    organization: several ? scoreOrganization(accounts.map((a) => a.score)) : undefined,
  };
}

/** A one-account scan at `at`. */
const single = (accountId: string, at: Date, results: CheckResult[]) =>
  report([account(accountId, at, results)]);

const byKey = (r: CheckResult) => `${r.accountId} ${r.checkId} ${r.resource} ${r.status}`;
const sorted = <T extends CheckResult>(items: T[]) =>
  [...items].sort((a, b) => byKey(a).localeCompare(byKey(b)));

interface Backend {
  name: string;
  /** Whether closing and reopening the URL finds the same data. */
  persistent: boolean;
  /** A URL to a new, empty database. */
  fresh(): Promise<string>;
  /** Runs raw SQL on the database behind `url`, outside the store. */
  exec(url: string, statement: string): Promise<void>;
}

const sqliteExec = async (path: string, statement: string) => {
  const db = new BetterSqlite3(path);
  db.exec(statement);
  db.close();
};

const pgDatabases: string[] = [];
let pgAdmin: pg.Client | undefined;

const BACKENDS: Backend[] = [
  {
    name: "SQLite :memory:",
    persistent: false,
    fresh: async () => ":memory:",
    exec: () => Promise.reject(new Error("not persistent")),
  },
  {
    name: "SQLite file",
    persistent: true,
    fresh: async () => `sqlite:${tempFile()}`,
    exec: (url, statement) => sqliteExec(url.replace(/^sqlite:/, ""), statement),
  },
  {
    name: "PostgreSQL",
    persistent: true,
    async fresh() {
      if (!pgAdmin) throw new Error("PostgreSQL admin connection missing");
      const name = `mfawatch_test_${randomBytes(6).toString("hex")}`;
      await pgAdmin.query(`create database ${name}`);
      pgDatabases.push(name);
      return `${PG_SERVER}/${name}`;
    },
    async exec(url, statement) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    },
  },
];

describe.each(BACKENDS)("store on $name", (backend) => {
  beforeAll(async () => {
    if (backend.name !== "PostgreSQL") return;
    const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
    try {
      await client.connect();
    } catch (error) {
      throw new Error(
        `PostgreSQL is not reachable at ${PG_SERVER} (the store's tests need it; .ci/run starts it): ${String(error)}`,
      );
    }
    pgAdmin = client;
  });
  afterAll(async () => {
    if (backend.name !== "PostgreSQL" || !pgAdmin) return;
    for (const name of pgDatabases.splice(0))
      await pgAdmin.query(`drop database if exists ${name} with (force)`);
    await pgAdmin.end();
    pgAdmin = undefined;
  });

  it("saves a scan and reads every field back", async () => {
    const store = await open(await backend.fresh());
    const scan = fixtureReport();
    const prod = scan.accounts.find((a) => a.accountId === PROD);
    if (!prod) throw new Error("fixture has no prod account");
    prod.results.push(
      result(PROD, "evidence-roundtrip", "fail", "info", {
        evidence: {
          nested: { list: [1, "two", null, true, 2.5], empty: {} },
          text: "ünïcode — 🔐 'quotes' \"double\" \\ back",
          zero: 0,
        },
      }),
    );
    for (const a of scan.accounts) a.collectedAt = daysAgo(1).toISOString();
    const organization = scan.organization;
    if (!organization) throw new Error("fixture has no organization");
    const startedAt = daysAgo(1.01);

    const scanId = await store.saveScan(scan, startedAt);

    expect(scanId).toMatch(/^[0-9a-f-]{36}$/);
    const summary = {
      scanId,
      startedAt: startedAt.toISOString(),
      finishedAt: scan.generatedAt,
      organizationId: "o-abcdefghij",
      accounts: 2,
      failedAccounts: 1,
      score: organization.score,
      coverage: organization.coverage.ratio,
      failing: organization.failing,
    };
    expect(await store.listScans()).toEqual([summary]);

    const expected: StoredResult[] = scan.accounts.flatMap((a) =>
      a.results.map((r) => ({ ...r, scanId, scannedAt: a.collectedAt })),
    );
    const all = await store.findings({ scanId, limit: 1000 });
    expect(all.total).toBe(expected.length);
    expect(sorted(all.items)).toEqual(sorted(expected));
    expect(
      all.items.find((r) => r.checkId === "access-key-rotation" && r.accountId === PROD)?.suppressed,
    ).toEqual({
      reason: "CI key, rotated by the vault",
      expires: "2026-12-31",
    });
    expect((await store.findings({})).total).toBe(expected.length);

    const overview = await store.overview();
    expect(overview.latestScan).toEqual(summary);
    expect(overview.history).toEqual([
      { scanId, at: summary.startedAt, score: organization.score, coverage: organization.coverage.ratio },
    ]);
    expect(overview.failedAccounts).toEqual(scan.failedAccounts);
    const accounts = scan.accounts
      .map((a) => ({
        accountId: a.accountId,
        accountName: a.accountName ?? null,
        scanId,
        scannedAt: a.collectedAt,
        score: a.score.score,
        coverage: a.score.coverage.ratio,
        failing: a.score.failing,
        unknown: a.score.coverage.unknown,
      }))
      .sort((a, b) => b.score - a.score || a.coverage - b.coverage);
    expect(overview.accounts).toEqual(accounts);

    expect(await store.accountHistory(PROD)).toEqual([
      {
        scanId,
        at: prod.collectedAt,
        score: prod.score.score,
        coverage: prod.score.coverage.ratio,
        failing: prod.score.failing,
      },
    ]);
  });

  it("shows each account's latest state, even from an older scan", async () => {
    const store = await open(await backend.fresh());
    const older = report([
      account(PROD, daysAgo(2), [result(PROD, "root-mfa", "fail", "critical")]),
      account(DEV, daysAgo(2), [result(DEV, "root-mfa", "pass", "critical")]),
    ]);
    const newer = single(DEV, daysAgo(1), [result(DEV, "console-mfa", "fail", "high")]);
    const a = await store.saveScan(older, daysAgo(2));
    const b = await store.saveScan(newer, daysAgo(1));

    const overview = await store.overview();
    expect(overview.latestScan?.scanId).toBe(b);
    expect(overview.accounts.map((x) => [x.accountId, x.scanId])).toEqual([
      [PROD, a],
      [DEV, b],
    ]);
    expect(overview.accounts[0]?.score).toBeGreaterThan(
      overview.accounts[1]?.score ?? Number.POSITIVE_INFINITY,
    );
    expect(overview.accounts[1]?.failing.high).toBe(1);
    expect(overview.history.map((h) => h.scanId)).toEqual([a, b]);

    const latest = await store.findings({});
    expect(latest.items.map((r) => [r.accountId, r.checkId, r.scanId])).toEqual([
      [PROD, "root-mfa", a],
      [DEV, "console-mfa", b],
    ]);
    expect((await store.findings({ scanId: a })).total).toBe(2);
  });

  it("answers one account's latest state and counts its latest results by status", async () => {
    const store = await open(await backend.fresh());
    const a = await store.saveScan(
      report([
        account(PROD, daysAgo(2), [result(PROD, "root-mfa", "fail", "critical")]),
        account(DEV, daysAgo(2), [result(DEV, "root-mfa", "pass", "critical")]),
      ]),
      daysAgo(2),
    );
    const b = await store.saveScan(
      single(DEV, daysAgo(1), [
        result(DEV, "a", "fail", "high"),
        result(DEV, "b", "fail", "low"),
        result(DEV, "c", "unknown", "medium"),
        result(DEV, "d", "not_applicable", "info"),
      ]),
      daysAgo(1),
    );
    // A backdated scan saved last does not replace the newer one.
    await store.saveScan(single(DEV, daysAgo(5), [result(DEV, "old", "error", "high")]), daysAgo(5));

    const dev = await store.account(DEV);
    expect(dev).toMatchObject({ accountId: DEV, accountName: `name-${DEV}`, scanId: b, unknown: 1 });
    expect(dev?.scannedAt).toBe(daysAgo(1).toISOString());
    expect(dev?.results).toEqual({ pass: 0, fail: 2, unknown: 1, error: 0, not_applicable: 1 });
    const { results: _, ...state } = dev ?? { results: null };
    expect((await store.overview()).accounts.find((x) => x.accountId === DEV)).toEqual(state);
    expect(await store.account(PROD)).toMatchObject({
      scanId: a,
      results: { pass: 0, fail: 1, unknown: 0, error: 0, not_applicable: 0 },
    });
    expect(await store.account("999999999999")).toBeNull();

    expect((await store.findings({})).total).toBe(5);
    expect((await store.findings({ status: "fail" })).total).toBe(3);
    expect((await store.findings({ accountId: DEV })).total).toBe(4);
    expect((await store.findings({ accountId: DEV, status: "error" })).total).toBe(0);
    expect((await store.findings({ accountId: "999999999999" })).total).toBe(0);

    // The same start time: the greater scan id is the latest, whichever was saved first.
    const at = daysAgo(0.5);
    await store.saveScan(single(PROD, at, [result(PROD, "z", "pass", "low")]), at, { scanId: "scan-b" });
    await store.saveScan(single(PROD, at, [result(PROD, "y", "fail", "low")]), at, { scanId: "scan-a" });
    expect(await store.account(PROD)).toMatchObject({ scanId: "scan-b", results: { pass: 1, fail: 0 } });
    expect((await store.findings({ accountId: PROD })).items.map((r) => r.checkId)).toEqual(["z"]);
  });

  it("orders history oldest first within the days window", async () => {
    const store = await open(await backend.fresh());
    const save = (days: number) =>
      store.saveScan(single(PROD, daysAgo(days), [result(PROD, `c${days}`, "fail", "low")]), daysAgo(days));
    const d30 = await save(30);
    const d1 = await save(1);
    const d100 = await save(100);

    expect((await store.overview()).history.map((h) => h.scanId)).toEqual([d30, d1]);
    expect((await store.overview({ days: 7 })).history.map((h) => h.scanId)).toEqual([d1]);
    expect((await store.overview({ days: 365 })).history.map((h) => h.scanId)).toEqual([d100, d30, d1]);
    expect((await store.accountHistory(PROD)).map((h) => h.scanId)).toEqual([d30, d1]);
    expect((await store.accountHistory(PROD, { days: 365 })).map((h) => h.at)).toEqual(
      [100, 30, 1].map((d) => daysAgo(d).toISOString()),
    );
    expect(await store.accountHistory(DEV)).toEqual([]);
    expect((await store.listScans()).map((s) => s.scanId)).toEqual([d1, d30, d100]);
    expect((await store.listScans({ limit: 1, offset: 1 })).map((s) => s.scanId)).toEqual([d30]);
    await expect(store.overview({ days: 0 })).rejects.toThrow(UsageError);
    await expect(store.listScans({ limit: -1 })).rejects.toThrow(/limit/);
  });

  it("filters, pages and counts findings", async () => {
    const store = await open(await backend.fresh());
    const scanId = await store.saveScan(
      report([
        account(PROD, daysAgo(1), [
          result(PROD, "a", "pass", "high"),
          result(PROD, "a", "fail", "high", { resource: "r2" }),
          result(PROD, "b", "fail", "critical"),
          result(PROD, "c", "unknown", "medium"),
          result(PROD, "d", "fail", "low"),
        ]),
        account(DEV, daysAgo(1), [
          result(DEV, "a", "fail", "high"),
          result(DEV, "b", "pass", "critical"),
          result(DEV, "e", "not_applicable", "info"),
        ]),
      ]),
      daysAgo(1),
    );

    const all = await store.findings({});
    expect(all.total).toBe(8);
    expect(all.items.map((r) => r.severity)).toEqual([
      "critical",
      "critical",
      "high",
      "high",
      "high",
      "medium",
      "low",
      "info",
    ]);
    expect(all.items[0]).toMatchObject({ accountId: PROD, checkId: "b", status: "fail", scanId });
    const keys = (items: StoredResult[]) => items.map((r) => `${r.accountId}/${r.checkId}/${r.status}`);
    expect(keys((await store.findings({ accountId: DEV })).items)).toEqual([
      `${DEV}/b/pass`,
      `${DEV}/a/fail`,
      `${DEV}/e/not_applicable`,
    ]);
    expect((await store.findings({ checkId: "a" })).total).toBe(3);
    expect((await store.findings({ status: "fail" })).total).toBe(4);
    expect((await store.findings({ severity: "high" })).total).toBe(3);
    expect(
      keys((await store.findings({ accountId: PROD, checkId: "a", status: "fail", severity: "high" })).items),
    ).toEqual([`${PROD}/a/fail`]);
    expect(await store.findings({ scanId: "no-such-scan" })).toEqual({ total: 0, items: [] });

    const pages = [];
    for (let offset = 0; offset < 8; offset += 3) {
      const page = await store.findings({ limit: 3, offset });
      expect(page.total).toBe(8);
      pages.push(...page.items);
    }
    expect(pages).toEqual(all.items);
  });

  it("rolls back a failed save", async () => {
    const store = await open(await backend.fresh());
    const first = single(PROD, daysAgo(1), [result(PROD, "a", "fail", "high")]);
    await store.saveScan(first, daysAgo(1), { scanId: "scan-1" });
    const before = {
      scans: await store.listScans(),
      overview: await store.overview(),
      findings: await store.findings({}),
    };

    const duplicate = single(DEV, daysAgo(0.5), [result(DEV, "a", "fail", "high")]);
    await expect(store.saveScan(duplicate, daysAgo(0.5), { scanId: "scan-1" })).rejects.toThrow(
      /not saved: scan scan-1 is already stored/,
    );
    // The scan row and the account go in first; the result naming an account not in the scan fails last.
    const inconsistent = single(DEV, daysAgo(0.5), [
      result(DEV, "a", "fail", "high"),
      result("999999999999", "b", "fail", "high"),
    ]);
    await expect(store.saveScan(inconsistent, daysAgo(0.5), { scanId: "scan-2" })).rejects.toThrow(
      FailureError,
    );

    expect(await store.listScans()).toEqual(before.scans);
    expect(await store.overview()).toEqual(before.overview);
    expect(await store.findings({})).toEqual(before.findings);
    expect((await store.findings({ scanId: "scan-2" })).total).toBe(0);
    expect(await store.account(DEV)).toBeNull();
  });

  it("gives a scan that reached no account no coverage", async () => {
    const store = await open(await backend.fresh());
    const failed = [
      { accountId: PROD, code: "AccessDenied", message: "role not assumable" },
      { accountId: DEV, accountName: "dev", code: "ExpiredToken", message: "expired" },
    ];
    const scanId = await store.saveScan(report([], failed), daysAgo(1));
    expect(await store.listScans()).toEqual([
      expect.objectContaining({ scanId, accounts: 0, failedAccounts: 2, score: 0, coverage: 0 }),
    ]);
    const overview = await store.overview();
    expect(overview.accounts).toEqual([]);
    expect(overview.failedAccounts).toEqual(failed);
  });

  it("saves 1,000 accounts × 30 results in one go", async () => {
    const store = await open(await backend.fresh());
    const accounts = Array.from({ length: 1000 }, (_, i) => {
      const id = String(100000000000 + i);
      return account(
        id,
        daysAgo(1),
        Array.from({ length: 30 }, (_, j) =>
          result(id, `check-${j}`, j % 3 === 0 ? "fail" : "pass", j % 2 === 0 ? "high" : "low"),
        ),
      );
    });
    const started = Date.now();
    const scanId = await store.saveScan(report(accounts), daysAgo(1));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await store.findings({ scanId, limit: 1 })).total).toBe(30_000);
    expect((await store.findings({ status: "fail", severity: "high" })).total).toBe(5_000);
    expect((await store.overview()).accounts).toHaveLength(1000);
  });

  it.runIf(backend.persistent)("reopens an existing database", async () => {
    const url = await backend.fresh();
    const first = await open(url);
    const scanId = await first.saveScan(
      single(PROD, daysAgo(1), [result(PROD, "a", "fail", "high")]),
      daysAgo(1),
    );
    const scans = await first.listScans();
    await first.close();

    const again = await open(url);
    expect(await again.listScans()).toEqual(scans);
    expect((await again.findings({})).items.map((r) => r.scanId)).toEqual([scanId]);
    await again.saveScan(single(DEV, daysAgo(0.5), []), daysAgo(0.5));
    expect(await again.listScans()).toHaveLength(2);
  });

  it.runIf(backend.persistent)("fills latest_scans when it migrates a database from before it", async () => {
    const url = await backend.fresh();
    const first = await open(url);
    const older = await first.saveScan(
      report([
        account(PROD, daysAgo(2), [result(PROD, "a", "fail", "high"), result(PROD, "b", "pass", "low")]),
        account(DEV, daysAgo(2), [result(DEV, "a", "unknown", "high")]),
      ]),
      daysAgo(2),
    );
    const newer = await first.saveScan(
      single(DEV, daysAgo(1), [result(DEV, "a", "fail", "high")]),
      daysAgo(1),
    );
    const overview = await first.overview();
    const findings = await first.findings({});
    await first.close();
    await backend.exec(
      url,
      "drop table latest_scans; delete from mfawatch_migration where name = '0002_latest_scans'",
    );

    const again = await open(url);
    expect(await again.account(PROD)).toMatchObject({
      scanId: older,
      results: { pass: 1, fail: 1, unknown: 0, error: 0, not_applicable: 0 },
    });
    expect(await again.account(DEV)).toMatchObject({ scanId: newer, results: { fail: 1, unknown: 0 } });
    expect(await again.overview()).toEqual(overview);
    expect(await again.findings({})).toEqual(findings);
  });

  it.runIf(backend.persistent)("refuses a database written by a newer mfawatch", async () => {
    const url = await backend.fresh();
    await (await open(url)).close();
    await backend.exec(url, "insert into mfawatch_migration (name, timestamp) values ('9999_future', 'x')");
    await expect(openStore(url)).rejects.toThrow(
      /written by a newer mfawatch \(schema migration 9999_future is unknown/,
    );
  });
});

describe("store on SQLite: the file", () => {
  it("uses WAL and creates the database file", async () => {
    const path = tempFile();
    await open(path);
    const db = new BetterSqlite3(path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("refuses a corrupt file", async () => {
    const path = tempFile("corrupt");
    writeFileSync(path, "this is not a database\n".repeat(200));
    await expect(openStore(path)).rejects.toThrow(`${path} is not an mfawatch database`);
  });

  it("refuses another program's SQLite database", async () => {
    const path = tempFile("other");
    await sqliteExec(path, "create table users (id integer primary key)");
    await expect(openStore(`sqlite:${path}`)).rejects.toThrow(
      /is not an mfawatch database: it has tables \(users\)/,
    );
  });

  it("says when the directory does not exist", async () => {
    const path = join(temp, "missing", "store.db");
    await expect(openStore(path)).rejects.toThrow(`the directory ${join(temp, "missing")} does not exist`);
  });

  it.skipIf(process.getuid?.() === 0)("says when the directory is read-only", async () => {
    const dir = join(temp, "readonly");
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    await expect(openStore(join(dir, "store.db"))).rejects.toThrow(`the directory ${dir} is read-only`);
  });

  it("rolls back a save that fills the disk", async () => {
    const path = tempFile("full");
    const database = new BetterSqlite3(path);
    database.pragma("foreign_keys = ON");
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    await migrate(db as Kysely<unknown>, path);
    const store = createStore(db, { kind: "sqlite", where: path }, { now: clock });
    opened.push(store);
    await store.saveScan(single(PROD, daysAgo(1), [result(PROD, "a", "fail", "high")]), daysAgo(1));
    const pages = Number(database.pragma("page_count", { simple: true }));
    database.pragma(`max_page_count = ${pages + 2}`);

    const big = single(
      DEV,
      daysAgo(0.5),
      Array.from({ length: 2000 }, (_, i) =>
        result(DEV, `check-${i}`, "fail", "high", { evidence: { pad: "x".repeat(200) } }),
      ),
    );
    await expect(store.saveScan(big, daysAgo(0.5))).rejects.toThrow(
      "disk full: the scan was not saved; nothing was lost",
    );
    expect(await store.listScans()).toHaveLength(1);
    expect((await store.findings({ accountId: DEV })).total).toBe(0);
  });
});

describe("store on PostgreSQL: connection errors", () => {
  it("says when the server is unreachable, without the password", async () => {
    const error = await openStore("postgres://mfawatch:s3cret@127.0.0.1:1/mfawatch").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FailureError);
    expect((error as Error).message).toMatch(
      /^cannot connect to PostgreSQL at 127\.0\.0\.1:1: .+ — is it running\?$/,
    );
    expect((error as Error).message).not.toContain("s3cret");
  });

  it("says when the database does not exist", async () => {
    await expect(
      openStore(`${PG_SERVER}/mfawatch_missing_${randomBytes(4).toString("hex")}`),
    ).rejects.toThrow(
      /PostgreSQL at 127\.0\.0\.1:5432 refused the connection: database "mfawatch_missing_\w+" does not exist/,
    );
  });
});

describe("store URLs", () => {
  it.each([
    ["mysql://root:hunter2@db/mfawatch", /^unsupported store URL mysql:\/\/root:\*\*\*@db\/mfawatch: use/],
    [
      "postgres://root:hunter2@[bad/x",
      /^the PostgreSQL URL postgres:\/\/root:\*\*\*@\[bad\/x is not a valid URL$/,
    ],
    ["  ", /^the store URL is empty/],
    ["sqlite:", /^sqlite: needs a path/],
  ])("refuses %j", async (url, message) => {
    const error = await openStore(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("hunter2");
  });
});
