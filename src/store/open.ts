/** `openStore(url)`: SQLite for a file path, `sqlite:PATH` or `:memory:`; PostgreSQL for postgres:// URLs. */
import { accessSync, constants, existsSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { FailureError, UsageError } from "../cli/errors.js";
import { redactUrl, type StoreLocation, storeError } from "./errors.js";
import { migrate } from "./migrations/index.js";
import type { Database } from "./schema.js";
import { createStore, type StoreOptions } from "./store.js";
import type { Store } from "./types.js";

export type StoreTarget = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string; where: string };

/** Milliseconds a SQLite writer waits for another's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/** The store URL with a relative SQLite path made relative to `cwd` (a command's working directory). */
export function resolveStoreUrl(value: string, cwd: string): string {
  const target = parseStoreUrl(value);
  if (target.kind === "postgres" || target.path === ":memory:" || isAbsolute(target.path)) return value;
  return `sqlite:${resolve(cwd, target.path)}`;
}

export function parseStoreUrl(url: string): StoreTarget {
  const trimmed = url.trim();
  if (trimmed === "")
    throw new UsageError("the store URL is empty: use a file path, sqlite:PATH or postgres://…");
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new UsageError(`the PostgreSQL URL ${redactUrl(trimmed)} is not a valid URL`);
    }
    if (!parsed.hostname) throw new UsageError(`the PostgreSQL URL ${redactUrl(trimmed)} has no host`);
    return { kind: "postgres", url: trimmed, where: `${parsed.hostname}:${parsed.port || "5432"}` };
  }
  if (/^sqlite:/i.test(trimmed)) {
    const path = trimmed.replace(/^sqlite:(\/\/)?/i, "");
    if (path === "") throw new UsageError("sqlite: needs a path, e.g. sqlite:./mfawatch.db");
    return { kind: "sqlite", path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new UsageError(
      `unsupported store URL ${redactUrl(trimmed)}: use a file path, sqlite:PATH, :memory: or postgres://…`,
    );
  }
  return { kind: "sqlite", path: trimmed };
}

function openSqlite(path: string, at: StoreLocation): BetterSqlite3.Database {
  if (path !== ":memory:") {
    const dir = dirname(resolve(path));
    if (!existsSync(dir)) {
      throw new FailureError(
        `cannot create the SQLite database ${path}: the directory ${dir} does not exist`,
      );
    }
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw new FailureError(`cannot write the SQLite database ${path}: the directory ${dir} is read-only`);
    }
  }
  let database: BetterSqlite3.Database | undefined;
  try {
    database = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
    if (path !== ":memory:") database.pragma("journal_mode = WAL");
    database.pragma("foreign_keys = ON");
    // Bounds the cost of the `pragma optimize` run after each save.
    database.pragma("analysis_limit = 1000");
    return database;
  } catch (error) {
    database?.close();
    throw storeError(error, at);
  }
}

async function openPostgres(url: string, at: StoreLocation): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on("error", () => {});
  try {
    await pool.query("select 1");
    return pool;
  } catch (error) {
    await pool.end();
    throw storeError(error, at);
  }
}

/** Opens the store and brings its schema up to date. */
export async function openStore(url: string, options: StoreOptions = {}): Promise<Store> {
  const target = parseStoreUrl(url);
  const at: StoreLocation =
    target.kind === "sqlite"
      ? { kind: "sqlite", where: target.path }
      : { kind: "postgres", where: target.where };
  const dialect =
    target.kind === "sqlite"
      ? new SqliteDialect({ database: openSqlite(target.path, at) })
      : new PostgresDialect({ pool: await openPostgres(target.url, at) });
  const db = new Kysely<Database>({ dialect });
  try {
    await migrate(db as Kysely<unknown>, at.where);
  } catch (error) {
    await db.destroy();
    throw storeError(error, at);
  }
  return createStore(db, at, options);
}
