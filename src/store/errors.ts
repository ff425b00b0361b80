/** Turns database errors into messages a user can act on; never shows a password from a URL. */
import { FailureError, UsageError } from "../cli/errors.js";

/** The URL with its password replaced by `***`; a URL that does not parse is masked by pattern. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "57P01",
  "57P03",
]);

/** What `where` names: `host:port` for PostgreSQL, the file for SQLite. */
export interface StoreLocation {
  kind: "sqlite" | "postgres";
  where: string;
}

/** Any error from opening or querying the store, as an error whose message says what to do. */
export function storeError(error: unknown, at: StoreLocation): Error {
  if (error instanceof UsageError || error instanceof FailureError) return error;
  const code = codeOf(error);
  const message = messageOf(error);
  if (at.kind === "postgres") {
    if (code && CONNECTION_CODES.has(code)) {
      return new FailureError(`cannot connect to PostgreSQL at ${at.where}: ${message} — is it running?`);
    }
    if (code === "3D000" || code === "28P01" || code === "28000") {
      return new FailureError(`PostgreSQL at ${at.where} refused the connection: ${message}`);
    }
    return new FailureError(`PostgreSQL at ${at.where}: ${message}`);
  }
  if (code === "SQLITE_NOTADB") return new UsageError(`${at.where} is not an mfawatch database (${message})`);
  if (code === "SQLITE_CANTOPEN" || code?.startsWith("SQLITE_READONLY") || code === "SQLITE_PERM") {
    return new FailureError(
      `cannot write the SQLite database at ${at.where}: ${message} — is its directory writable?`,
    );
  }
  if (code === "SQLITE_CORRUPT") return new FailureError(`the SQLite database at ${at.where} is corrupt`);
  return new FailureError(`SQLite database ${at.where}: ${message}`);
}

export function isDiskFull(error: unknown): boolean {
  const code = codeOf(error);
  return code === "SQLITE_FULL" || code === "ENOSPC" || code === "53100";
}

export function isDuplicate(error: unknown): boolean {
  const code = codeOf(error);
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}
