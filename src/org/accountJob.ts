/**
 * One account of an organization scan once its credentials are known: collect it, write its
 * snapshot when asked, judge it and keep the report deflated. The same code runs in the main
 * thread and in the scan's worker threads (`lanes.ts`), so everything a job takes and gives is
 * plain data that can cross between threads.
 */
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import type { AwsCredentialIdentity } from "@aws-sdk/types";
import type { ClientOptions } from "../aws/clients.js";
import { type CollectOptions, collectAccount } from "../collect/collectAccount.js";
import type { AccountReport } from "../report/types.js";
import { writeSnapshot } from "../snapshot/io.js";
import type { AccountSnapshot, Sections } from "../snapshot/types.js";
import { createLimitedClients } from "./limiter.js";

/** Collection settings passed through to every account. */
export type AccountCollectSettings = Pick<
  CollectOptions,
  | "cloudTrailDays"
  | "cloudTrailRequestsPerSecond"
  | "userMfaDevices"
  | "userMfaDevicesLimit"
  | "credentialReportWaitMs"
>;

export interface AccountJob {
  accountId: string;
  accountName: string;
  /** Resolved credentials: the audit role's session, or the caller's own for its account. */
  credentials: AwsCredentialIdentity;
  client: Omit<ClientOptions, "credentials">;
  perServiceLimit: number;
  collect: AccountCollectSettings;
  /** Sections read once for the organization (see `CollectOptions.provided`). */
  provided: Pick<Sections, "organization" | "rootCredentialsManagement" | "serviceControlPolicies">;
  /** Writes the snapshot to `<snapshotDir>/<account id>.json`. */
  snapshotDir?: string;
  /** When the account is collected, in ms since the epoch. */
  collectedAt: number;
}

/** What the progress display says of a finished account. */
export interface AccountSummary {
  score: number;
  failing: number;
  sectionErrors: number;
}

export interface JobResult {
  /** The account's report as deflated JSON: a few KB instead of about a hundred as objects. */
  report: Uint8Array;
  summary: AccountSummary;
}

export async function runAccountJob(
  job: AccountJob,
  judge: (snapshot: AccountSnapshot) => AccountReport,
  signal: AbortSignal,
): Promise<JobResult> {
  const clients = createLimitedClients({ ...job.client, credentials: job.credentials }, job.perServiceLimit);
  try {
    const snapshot = await collectAccount({
      credentials: job.credentials,
      clients,
      region: job.client.region,
      accountId: job.accountId,
      ...job.collect,
      provided: job.provided,
      signal,
      now: () => new Date(job.collectedAt),
    });
    snapshot.accountName = job.accountName;
    if (job.snapshotDir) await writeSnapshot(join(job.snapshotDir, `${job.accountId}.json`), snapshot);
    const report = judge(snapshot);
    return {
      report: deflateRawSync(JSON.stringify(report)),
      summary: {
        score: report.score.score,
        failing: report.score.counts.fail,
        sectionErrors: report.sectionErrors.length,
      },
    };
  } finally {
    clients.destroy();
  }
}
