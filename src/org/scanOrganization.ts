/**
 * `mfawatch scan --org`: every ACTIVE account of the organization (or the chosen ones), at most
 * `concurrency` at once. The scanning account is read with the caller's credentials, the others
 * through the audit role. Organization facts (accounts, root access features, SCP chains) are read
 * once from the scanning account and given to each account's snapshot. Each snapshot is judged as
 * soon as it is collected, written to `snapshotDir` when given, and then dropped: only the results
 * stay in memory, deflated until the scan ends (see docs/ORG-SCANS.md, Memory).
 *
 * An account is *failed* (listed in failedAccounts, never judged) when it could not be read at all:
 * its role could not be assumed, its credentials could not say which account they belong to, its
 * time ran out, the run was interrupted, or it is not an ACTIVE account of the organization. An
 * account whose identity was established is *scanned*, even when some sections failed (throttled
 * past the retries, AccessDenied): those sections are listed with the account and the checks that
 * needed them are unknown.
 */
import { setMaxListeners } from "node:events";
import { mkdir } from "node:fs/promises";
import { inflateRawSync } from "node:zlib";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import type { ClientOptions, RetryMode } from "../aws/clients.js";
import { toSectionError } from "../aws/errors.js";
import { CollectError } from "../collect/collectAccount.js";
import { createOrganizationReader, type OrganizationAccount } from "../collect/collectOrganization.js";
import { type CollectContext, DEFAULT_COLLECT_SETTINGS } from "../collect/context.js";
import type { AccountFailure, AccountReport } from "../report/types.js";
import type { AccountSnapshot, OrganizationConfigRule, Section } from "../snapshot/types.js";
import type { AccountCollectSettings, AccountSummary } from "./accountJob.js";
import { assumeAuditRole, sessionNameFor } from "./assumeRole.js";
import { AccountScanError, OrganizationScanError } from "./errors.js";
import { createLanes, type WorkerSettings } from "./lanes.js";
import { createLimitedClients } from "./limiter.js";
import { runQueue } from "./queue.js";

export type { AccountCollectSettings } from "./accountJob.js";

/**
 * Accounts at once: an account mostly waits (CloudTrail allows 2 lookups per second per account and
 * region), so many must be in flight to keep two cores busy; each one in flight holds its snapshot
 * and clients, so more than needed costs memory (see docs/DECISIONS.md).
 */
export const DEFAULT_CONCURRENCY = 80;
/** Seconds one account may take, role assumption and SCPs included. */
export const DEFAULT_ACCOUNT_TIMEOUT_SECONDS = 600;
/** Requests of one service in flight for one account. */
export const DEFAULT_PER_SERVICE_LIMIT = 8;

export interface OrgScanOptions {
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  region: string;
  endpoint?: string;
  roleName: string;
  externalId?: string;
  /** Only these account ids (else every ACTIVE account). */
  accounts?: string[];
  exclude?: string[];
  concurrency?: number;
  accountTimeoutMs?: number;
  perServiceLimit?: number;
  maxAttempts?: number;
  retryMode?: RetryMode;
  collect?: AccountCollectSettings;
  /** Writes each account's snapshot here (`<account id>.json`) as it is collected. */
  snapshotDir?: string;
  /** Judges one snapshot in the main thread; the snapshot is not kept afterwards. */
  judge(snapshot: AccountSnapshot): AccountReport;
  /**
   * Worker threads that scan accounts beside the main thread (see lanes.ts), judging by `spec`,
   * which must judge as `judge` does.
   */
  workers?: WorkerSettings;
  /** The accounts about to be scanned (after selection). */
  onStart?(accounts: OrganizationAccount[]): void;
  onAccount?(event: AccountEvent): void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface AccountEvent {
  accountId: string;
  accountName: string;
  durationMs: number;
  summary?: AccountSummary;
  failure?: AccountFailure;
}

export interface OrgScanResult {
  organizationId?: string;
  callerAccountId: string;
  /** AWS Config organization rules about MFA, read once in the scan's region. */
  organizationConfigRules: Section<OrganizationConfigRule[]>;
  /** In the order Organizations listed them. */
  accounts: AccountReport[];
  failedAccounts: AccountFailure[];
  /** The run was interrupted: unfinished accounts are failed with code `Interrupted`. */
  interrupted: boolean;
}

function failureOf(account: OrganizationAccount, code: string, message: string): AccountFailure {
  return { accountId: account.id, ...(account.name ? { accountName: account.name } : {}), code, message };
}

/** Chooses the accounts: the requested ones (each must be an ACTIVE member) or every ACTIVE one, minus `exclude`. */
export function selectAccounts(
  all: OrganizationAccount[],
  requested: string[] | undefined,
  exclude: string[] = [],
): { selected: OrganizationAccount[]; refused: AccountFailure[] } {
  const skip = new Set(exclude);
  const refused: AccountFailure[] = [];
  if (!requested) {
    return { selected: all.filter((a) => a.status === "ACTIVE" && !skip.has(a.id)), refused };
  }
  const selected: OrganizationAccount[] = [];
  for (const id of [...new Set(requested)].filter((id) => !skip.has(id))) {
    const account = all.find((a) => a.id === id);
    if (!account) {
      refused.push({
        accountId: id,
        code: "NotInOrganization",
        message: "not an account of the organization",
      });
    } else if (account.status !== "ACTIVE") {
      refused.push(failureOf(account, "NotActive", `the account is ${account.status}, not ACTIVE`));
    } else selected.push(account);
  }
  return { selected, refused };
}

export async function scanOrganization(options: OrgScanOptions): Promise<OrgScanResult> {
  const now = options.now ?? (() => new Date());
  const { signal } = options;
  if (signal) setMaxListeners(0, signal);
  const perService = options.perServiceLimit ?? DEFAULT_PER_SERVICE_LIMIT;
  const client: Omit<ClientOptions, "credentials"> = {
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: options.retryMode ?? "standard",
  };
  if (options.snapshotDir) {
    try {
      await mkdir(options.snapshotDir, { recursive: true });
    } catch (error) {
      throw new OrganizationScanError(
        `cannot create ${options.snapshotDir}: ${(error as Error).message}`,
        "SnapshotDirUnwritable",
      );
    }
  }
  const caller = createLimitedClients({ ...client, credentials: options.credentials }, perService);
  try {
    const identity = await caller
      .get("sts")
      .send(new GetCallerIdentityCommand({}), signal ? { abortSignal: signal } : {})
      .catch((error: unknown) => {
        signal?.throwIfAborted();
        const { code, message } = toSectionError(error, "sts:GetCallerIdentity");
        throw new OrganizationScanError(
          `cannot tell which account these credentials belong to: ${message}`,
          code,
        );
      });
    const callerAccountId = identity.Account ?? "";
    const partition = identity.Arn?.split(":")[1] ?? "aws";
    const ctx: CollectContext = {
      clients: caller,
      region: options.region,
      accountId: callerAccountId,
      now: now(),
      // Only the organization's own facts are read with this context.
      settings: DEFAULT_COLLECT_SETTINGS,
      ...(signal ? { signal } : {}),
    };
    const org = createOrganizationReader(ctx);
    let all: OrganizationAccount[];
    try {
      all = await org.listAccounts();
    } catch (error) {
      signal?.throwIfAborted();
      throw new OrganizationScanError(
        `cannot list the organization's accounts from account ${callerAccountId} (run from the management account or a delegated administrator): ${(error as Error).message}`,
        "ListAccountsFailed",
      );
    }
    const { selected, refused } = selectAccounts(all, options.accounts, options.exclude);
    const [organization, rootCredentialsManagement, organizationConfigRules] = await Promise.all([
      org.organization(),
      org.rootCredentialsManagement(),
      org.organizationConfigRules(),
    ]);
    options.onStart?.(selected);

    // Finished accounts wait deflated (a few KB each instead of about a hundred as objects): kept
    // as objects, a large organization's results fill the heap, and V8 grows the process with it.
    const reports = new Map<string, Uint8Array>();
    const failures = new Map<string, AccountFailure>();
    const settle = (
      account: OrganizationAccount,
      started: number,
      outcome: { report: Uint8Array; summary: AccountSummary } | { failure: AccountFailure },
    ) => {
      const durationMs = Date.now() - started;
      if ("report" in outcome) reports.set(account.id, outcome.report);
      else failures.set(account.id, outcome.failure);
      options.onAccount?.({
        accountId: account.id,
        accountName: account.name,
        durationMs,
        ...("report" in outcome ? { summary: outcome.summary } : { failure: outcome.failure }),
      });
    };
    const sessionName = sessionNameFor(now());
    const timeoutMs = options.accountTimeoutMs ?? DEFAULT_ACCOUNT_TIMEOUT_SECONDS * 1000;

    const scanOne = async (account: OrganizationAccount) => {
      const started = Date.now();
      // The account's own signal: aborted by its timeout or by the run's. Both are released when
      // the account settles, so nothing the account's calls hung on it outlives the account.
      const controller = new AbortController();
      const accountSignal = controller.signal;
      setMaxListeners(0, accountSignal);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new AccountScanError("Timeout", "account timeout"));
      }, timeoutMs);
      const interrupt = () => controller.abort(signal?.reason);
      if (signal?.aborted) interrupt();
      else signal?.addEventListener("abort", interrupt, { once: true });
      try {
        const [credentials, serviceControlPolicies] = await Promise.all([
          account.id === callerAccountId
            ? options.credentials
            : assumeAuditRole(
                caller,
                account.id,
                {
                  roleName: options.roleName,
                  sessionName,
                  partition,
                  ...(options.externalId ? { externalId: options.externalId } : {}),
                },
                accountSignal,
              ),
          org.serviceControlPolicies(account.id, accountSignal),
        ]);
        const result = await lanes.run(
          {
            accountId: account.id,
            accountName: account.name,
            credentials: typeof credentials === "function" ? await credentials() : credentials,
            client,
            perServiceLimit: perService,
            collect: options.collect ?? {},
            provided: { organization, rootCredentialsManagement, serviceControlPolicies },
            ...(options.snapshotDir ? { snapshotDir: options.snapshotDir } : {}),
            collectedAt: now().getTime(),
          },
          accountSignal,
        );
        settle(account, started, result);
      } catch (error) {
        settle(account, started, { failure: failureFrom(account, error, signal, timedOut, timeoutMs) });
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", interrupt);
      }
    };

    const lanes = createLanes(options.judge, options.workers);
    const { notStarted } = await runQueue(
      selected,
      options.concurrency ?? DEFAULT_CONCURRENCY,
      scanOne,
      signal,
    ).finally(() => lanes.close());
    for (const account of notStarted) {
      failures.set(
        account.id,
        failureOf(account, "Interrupted", "the run was interrupted before this account"),
      );
    }
    const order = (id: string) => all.findIndex((a) => a.id === id);
    const byListing = <T extends { accountId: string }>(items: Iterable<T>) =>
      [...items].sort((a, b) => order(a.accountId) - order(b.accountId));
    return {
      ...(organization.status === "ok" && organization.data.organizationId
        ? { organizationId: organization.data.organizationId }
        : {}),
      callerAccountId,
      organizationConfigRules,
      accounts: byListing([...reports.values()].map(restore)),
      failedAccounts: [...refused, ...byListing(failures.values())],
      interrupted: signal?.aborted ?? false,
    };
  } finally {
    caller.destroy();
  }
}

/**
 * A kept report as objects again, except its results: they stay deflated and are inflated each
 * time they are read (to count failures, to write one account of the report), so that the
 * finished accounts' results are never all in memory at once. The property stays enumerable and
 * last, so the report's JSON is unchanged.
 */
function restore(kept: Uint8Array): AccountReport {
  const inflate = () => JSON.parse(inflateRawSync(kept).toString()) as AccountReport;
  const { results: _, ...rest } = inflate();
  return Object.defineProperty(rest, "results", {
    enumerable: true,
    get: () => inflate().results,
  }) as AccountReport;
}

function failureFrom(
  account: OrganizationAccount,
  error: unknown,
  signal: AbortSignal | undefined,
  timedOut: boolean,
  timeoutMs: number,
): AccountFailure {
  if (signal?.aborted)
    return failureOf(account, "Interrupted", "the run was interrupted while this account was read");
  if (timedOut) {
    return failureOf(
      account,
      "Timeout",
      `not finished after ${Math.round(timeoutMs / 1000)} s (--account-timeout)`,
    );
  }
  if (error instanceof AccountScanError || error instanceof CollectError) {
    return failureOf(account, error.code, error.message);
  }
  const err = error as Error;
  return failureOf(account, err.name || "Error", err.message);
}
