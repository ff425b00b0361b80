/**
 * The organization flow that `scan --org` and `demo` share: the org flags, the progress display,
 * the organization scan and its report.
 */
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { positiveInt } from "../cli/args.js";
import { FailureError, UsageError } from "../cli/errors.js";
import type { CliIo } from "../cli/io.js";
import { DEFAULT_ROLE_NAME } from "../org/assumeRole.js";
import { OrganizationScanError } from "../org/errors.js";
import { workersAvailable } from "../org/lanes.js";
import { createProgress, type Progress } from "../org/progress.js";
import {
  type AccountEvent,
  DEFAULT_ACCOUNT_TIMEOUT_SECONDS,
  DEFAULT_CONCURRENCY,
  type OrgScanResult,
  scanOrganization,
} from "../org/scanOrganization.js";
import type { ScanReport } from "../report/types.js";
import type { Judging } from "./cli.js";
import { buildScanReport, judgeSnapshot } from "./report.js";

/** How much a heap may grow past what it held at its last full collection (V8's default: 2 to 4 times). */
const HEAP_GROWING_PERCENT = 30;

/** Worker threads by default: one fewer than the cores, each about 80 MB. */
const MAX_DEFAULT_WORKERS = 3;
export const DEFAULT_WORKERS = Math.max(0, Math.min(availableParallelism() - 1, MAX_DEFAULT_WORKERS));

export const ORG_FLAGS = {
  org: { type: "boolean" },
  "role-name": { type: "string" },
  "external-id": { type: "string" },
  accounts: { type: "string" },
  "accounts-file": { type: "string" },
  exclude: { type: "string" },
  concurrency: { type: "string" },
  workers: { type: "string" },
  "account-timeout": { type: "string" },
  "snapshot-dir": { type: "string" },
} as const;

export const ORG_USAGE = `Organization (--org):
  --org                  scan every ACTIVE account of the AWS Organization (run from the
                         management account or a delegated administrator); the caller's own
                         account is scanned with the caller's credentials
  --role-name NAME       role assumed in each other account (default ${DEFAULT_ROLE_NAME})
  --external-id ID       external id the role's trust policy requires
  --accounts ID,ID       only these accounts
  --accounts-file FILE   only the accounts listed in FILE (one id a line, # comments)
  --exclude ID,ID        skip these accounts
  --concurrency N        accounts scanned at once (default ${DEFAULT_CONCURRENCY})
  --workers N            worker threads that scan accounts beside the main thread; 0: the
                         main thread only (default ${DEFAULT_WORKERS} here: one fewer than the cores, at most ${MAX_DEFAULT_WORKERS})
  --account-timeout S    seconds before one account is given up as failed (default ${DEFAULT_ACCOUNT_TIMEOUT_SECONDS})
  --snapshot-dir DIR     write each account's snapshot to DIR/<account id>.json as it finishes
`;

export interface OrgFlags {
  org?: boolean;
  "role-name"?: string;
  "external-id"?: string;
  accounts?: string;
  "accounts-file"?: string;
  exclude?: string;
  concurrency?: string;
  workers?: string;
  "account-timeout"?: string;
  "snapshot-dir"?: string;
}

export interface OrgSettings {
  roleName: string;
  externalId?: string;
  accounts?: string[];
  exclude: string[];
  concurrency: number;
  workers: number;
  accountTimeoutMs: number;
  snapshotDir?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

function workerCount(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WORKERS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new UsageError(`--workers takes a whole number from 0 to 64, not "${value}".`);
  return n;
}

function accountIds(source: string, text: string): string[] {
  const ids = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = ids.filter((id) => !ACCOUNT_ID.test(id));
  if (bad.length > 0) throw new UsageError(`${source}: not 12-digit account ids: ${bad.join(", ")}.`);
  return ids;
}

/** Reads an accounts file: ids separated by lines, spaces or commas; `#` starts a comment. */
export function parseAccountsFile(file: string, text: string): string[] {
  return accountIds(
    file,
    text
      .split("\n")
      .map((line) => line.replace(/#.*/, ""))
      .join("\n"),
  );
}

/** Checks the org flags; flags that only make sense with --org are usage errors without it. */
export async function resolveOrgFlags(flags: OrgFlags, io: CliIo): Promise<OrgSettings | undefined> {
  if (!flags.org) {
    const stray = Object.keys(ORG_FLAGS).filter(
      (name) => name !== "org" && flags[name as keyof OrgFlags] !== undefined,
    );
    if (stray.length > 0) throw new UsageError(`--${stray[0]} needs --org.`);
    return undefined;
  }
  let accounts = flags.accounts !== undefined ? accountIds("--accounts", flags.accounts) : undefined;
  if (flags["accounts-file"] !== undefined) {
    const file = resolve(io.cwd, flags["accounts-file"]);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new UsageError(`cannot read --accounts-file ${file}: ${(error as Error).message}`);
    }
    accounts = [...(accounts ?? []), ...parseAccountsFile(file, text)];
  }
  if (accounts?.length === 0) throw new UsageError("--accounts and --accounts-file name no account.");
  const roleName = flags["role-name"] ?? DEFAULT_ROLE_NAME;
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName))
    throw new UsageError(`--role-name "${roleName}" is not a role name.`);
  const timeout = Number(flags["account-timeout"] ?? DEFAULT_ACCOUNT_TIMEOUT_SECONDS);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new UsageError(`--account-timeout takes seconds above 0, not "${flags["account-timeout"]}".`);
  }
  return {
    roleName,
    ...(flags["external-id"] ? { externalId: flags["external-id"] } : {}),
    ...(accounts ? { accounts } : {}),
    exclude: flags.exclude !== undefined ? accountIds("--exclude", flags.exclude) : [],
    concurrency: positiveInt("concurrency", flags.concurrency, DEFAULT_CONCURRENCY),
    workers: workerCount(flags.workers),
    accountTimeoutMs: timeout * 1000,
    ...(flags["snapshot-dir"] ? { snapshotDir: resolve(io.cwd, flags["snapshot-dir"]) } : {}),
  };
}

export interface OrgRun {
  command: string;
  settings: OrgSettings;
  judging: Judging;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  region: string;
  endpoint?: string;
  /** `bar`: the progress display; `accounts`: one line per account (the demo); `none`: --quiet. */
  progress: "bar" | "accounts" | "none";
}

function accountLine(event: AccountEvent): string {
  const who = `${event.accountId} (${event.accountName})`;
  if (event.summary) {
    const { score, failing, sectionErrors } = event.summary;
    const partial = sectionErrors ? `, ${sectionErrors} sections could not be read` : "";
    return `scanned ${who} in ${event.durationMs} ms: score ${score}, ${failing} failing${partial}`;
  }
  return `could not scan ${who}: ${event.failure?.code}: ${event.failure?.message}`;
}

/** Scans the organization and builds its report; a run that cannot start is a FailureError. */
export async function runOrgScan(
  run: OrgRun,
  io: CliIo,
): Promise<{ report: ScanReport; result: OrgScanResult }> {
  const prefix = `mfawatch ${run.command}: `;
  // V8 lets a heap grow to several times what it holds before collecting it in full; in an
  // organization scan that is most of the memory (docs/ORG-SCANS.md, Memory). Growing by at
  // most 30 % costs more collections, and keeps every thread's heap near what it holds.
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  let progress: Progress | undefined;
  let result: OrgScanResult;
  try {
    result = await scanOrganization({
      credentials: run.credentials,
      region: run.region,
      ...(run.endpoint ? { endpoint: run.endpoint } : {}),
      roleName: run.settings.roleName,
      ...(run.settings.externalId ? { externalId: run.settings.externalId } : {}),
      ...(run.settings.accounts ? { accounts: run.settings.accounts } : {}),
      exclude: run.settings.exclude,
      concurrency: run.settings.concurrency,
      ...(run.settings.workers > 0 && workersAvailable()
        ? {
            workers: {
              count: run.settings.workers,
              spec: {
                checkIds: run.judging.checks.map((c) => c.id),
                options: run.judging.options,
                suppressions: run.judging.suppressions,
              },
            },
          }
        : {}),
      accountTimeoutMs: run.settings.accountTimeoutMs,
      ...(run.settings.snapshotDir ? { snapshotDir: run.settings.snapshotDir } : {}),
      collect: run.judging.collect,
      judge: (snapshot) => judgeSnapshot(snapshot, { ...run.judging, evaluatedAt: new Date() }),
      onStart: (accounts) => {
        if (run.progress === "bar") progress = createProgress(io.stderr, { total: accounts.length, prefix });
      },
      onAccount: (event) => {
        progress?.settled(event.failure !== undefined);
        if (run.progress === "accounts") io.stderr.write(`${prefix}${accountLine(event)}\n`);
      },
      ...(io.signal ? { signal: io.signal } : {}),
    });
  } catch (error) {
    if (error instanceof OrganizationScanError)
      throw new FailureError(`could not scan the organization: ${error.message}`);
    if (io.signal?.aborted)
      throw new FailureError("interrupted before any account was listed; nothing was reported.");
    throw error;
  } finally {
    progress?.finish();
  }
  if (result.interrupted) {
    io.stderr.write(
      `${prefix}interrupted: reporting the ${result.accounts.length} accounts that finished; the others are listed as Interrupted.\n`,
    );
  }
  const report = buildScanReport({
    accounts: result.accounts,
    failedAccounts: result.failedAccounts,
    checks: run.judging.checks,
    generatedAt: new Date(),
    ...(result.organizationId ? { organizationId: result.organizationId } : {}),
    organizationConfigRules: result.organizationConfigRules,
  });
  return { report, result };
}
