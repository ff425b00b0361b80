/** The dashboard's read-only JSON API: every answer comes from the store, never from AWS. */
import { type ResultStatus, SEVERITIES, type Severity } from "../checks/types.js";
import type { FindingQuery, Store, StoredResult } from "../store/types.js";

const STATUSES: readonly ResultStatus[] = ["pass", "fail", "unknown", "error", "not_applicable"];
const ACCOUNT_ID = /^\d{12}$/;
const CHECK_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
const SCAN_ID = /^[A-Za-z0-9_.:-]{1,100}$/;

/** The most results of one kind the account view lists; the counts say when there are more. */
export const ACCOUNT_RESULTS_LIMIT = 500;
export const FINDINGS_DEFAULT_LIMIT = 50;
export const FINDINGS_MAX_LIMIT = 500;
export const DEFAULT_DAYS = 90;

/** An answer with its status code: a JSON body, or an error naming what was wrong. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/** A request the API refuses: a 400 naming the parameter, or a 404. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 404 | 405,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Params = URLSearchParams;

function only(params: Params, allowed: readonly string[]): void {
  for (const name of params.keys()) {
    if (!allowed.includes(name)) throw new ApiError(400, `unknown parameter "${name}"`, name);
  }
}

function single(params: Params, name: string): string | undefined {
  const values = params.getAll(name);
  if (values.length > 1) throw new ApiError(400, `parameter "${name}" is given more than once`, name);
  return values[0] === "" ? undefined : values[0];
}

function integer(params: Params, name: string, fallback: number, min: number, max: number): number {
  const value = single(params, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max)
    throw new ApiError(400, `parameter "${name}" takes a whole number from ${min} to ${max}`, name);
  return n;
}

function matching(params: Params, name: string, pattern: RegExp, what: string): string | undefined {
  const value = single(params, name);
  if (value !== undefined && !pattern.test(value))
    throw new ApiError(400, `parameter "${name}" takes ${what}`, name);
  return value;
}

function oneOf<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const value = single(params, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value))
    throw new ApiError(400, `parameter "${name}" takes one of ${values.join(", ")}`, name);
  return value as T;
}

const days = (params: Params) => integer(params, "days", DEFAULT_DAYS, 1, 3660);

async function overview(store: Store, params: Params) {
  only(params, ["days"]);
  return store.overview({ days: days(params) });
}

async function scans(store: Store, params: Params) {
  only(params, ["limit", "offset"]);
  const limit = integer(params, "limit", FINDINGS_DEFAULT_LIMIT, 1, FINDINGS_MAX_LIMIT);
  const offset = integer(params, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  return { limit, offset, items: await store.listScans({ limit, offset }) };
}

const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

/** The account's latest state, score history and latest results grouped for reading. */
async function account(store: Store, accountId: string, params: Params) {
  only(params, ["days"]);
  if (!ACCOUNT_ID.test(accountId))
    throw new ApiError(400, `parameter "account" takes a 12-digit AWS account id`, "account");
  const list = (status: ResultStatus) =>
    store.findings({ accountId, status, limit: ACCOUNT_RESULTS_LIMIT, offset: 0 });
  const window = days(params);
  const latest = await store.account(accountId);
  if (!latest) throw new ApiError(404, `no scan of account ${accountId} is stored`);
  const [history, fail, unknown, error] = await Promise.all([
    store.accountHistory(accountId, { days: window }),
    list("fail"),
    list("unknown"),
    list("error"),
  ]);
  const { results: counts, ...state } = latest;
  const failing = fail.items.filter((r) => !r.suppressed);
  failing.sort((a, b) => severityRank(a.severity) - severityRank(b.severity));
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, failing.filter((r) => r.severity === s)]),
  ) as Record<Severity, StoredResult[]>;
  const suppressed = [...fail.items, ...unknown.items, ...error.items].filter((r) => r.suppressed);
  return {
    account: state,
    history,
    counts,
    truncated: [fail, unknown, error].some((r) => r.total > r.items.length),
    failing: bySeverity,
    unknowns: [...unknown.items, ...error.items].filter((r) => !r.suppressed),
    suppressed,
  };
}

async function findings(store: Store, params: Params) {
  only(params, ["account", "check", "status", "severity", "scan", "limit", "offset"]);
  const query: FindingQuery = {
    limit: integer(params, "limit", FINDINGS_DEFAULT_LIMIT, 1, FINDINGS_MAX_LIMIT),
    offset: integer(params, "offset", 0, 0, Number.MAX_SAFE_INTEGER),
  };
  const accountId = matching(params, "account", ACCOUNT_ID, "a 12-digit AWS account id");
  const checkId = matching(params, "check", CHECK_ID, "a check id such as user-console-mfa");
  const scanId = matching(params, "scan", SCAN_ID, "a scan id");
  const status = oneOf(params, "status", STATUSES);
  const severity = oneOf(params, "severity", SEVERITIES);
  if (accountId) query.accountId = accountId;
  if (checkId) query.checkId = checkId;
  if (scanId) query.scanId = scanId;
  if (status) query.status = status;
  if (severity) query.severity = severity;
  const page = await store.findings(query);
  return { total: page.total, limit: query.limit, offset: query.offset, items: page.items };
}

/** Answers one API request (`path` starts with /api/). Throws ApiError for a refused request. */
export async function answerApi(
  store: Store,
  method: string,
  path: string,
  params: Params,
): Promise<unknown> {
  if (method !== "GET" && method !== "HEAD") throw new ApiError(405, "the API is read-only: use GET");
  if (path === "/api/overview") return overview(store, params);
  if (path === "/api/scans") return scans(store, params);
  if (path === "/api/findings") return findings(store, params);
  const match = /^\/api\/accounts\/([^/]+)$/.exec(path);
  if (match?.[1] !== undefined) return account(store, match[1], params);
  throw new ApiError(404, `no such endpoint: ${path}`);
}
