/**
 * Reads one AWS account into an AccountSnapshot. Every section is read, independent ones
 * concurrently; a section that cannot be read is an error section, never an empty one.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { type ClientFactory, createClientFactory, type RetryMode } from "../aws/clients.js";
import {
  type AccountSnapshot,
  SCHEMA_VERSION,
  type Section,
  type SectionData,
  type SectionName,
  type Sections,
} from "../snapshot/types.js";
import { VERSION } from "../version.js";
import {
  type CollectContext,
  type CollectSettings,
  DEFAULT_COLLECT_SETTINGS,
  runSection,
  type UserMfaDevicesMode,
} from "./context.js";
import { readAccountSummary } from "./sections/accountSummary.js";
import { readAuthorizationDetails } from "./sections/authorizationDetails.js";
import { readCallerIdentity } from "./sections/callerIdentity.js";
import { readCloudTrail } from "./sections/cloudTrail.js";
import { readConfigRules } from "./sections/configRules.js";
import { readCredentialReport } from "./sections/credentialReport.js";
import { readIdentityCenter } from "./sections/identityCenter.js";
import { readIdentityProviders } from "./sections/identityProviders.js";
import { readOrganization } from "./sections/organization.js";
import { readPasswordPolicy } from "./sections/passwordPolicy.js";
import { readRegions } from "./sections/regions.js";
import { readRootCredentialsManagement } from "./sections/rootCredentialsManagement.js";
import { readServiceControlPolicies } from "./sections/serviceControlPolicies.js";
import { readUserMfaDevices } from "./sections/userMfaDevices.js";
import { readVirtualMfaDevices } from "./sections/virtualMfaDevices.js";

export type { UserMfaDevicesMode } from "./context.js";

export interface CollectProgress {
  section: SectionName;
  status: "ok" | "error";
  /** The error code when the section failed. */
  code?: string;
  durationMs: number;
}

export interface CollectOptions {
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  region: string;
  /** Sends every call here; otherwise AWS_ENDPOINT_URL(_<SERVICE>) or AWS's endpoints apply. */
  endpoint?: string;
  /** The account the credentials should belong to; else taken from GetCallerIdentity. */
  accountId?: string;
  /** CloudTrail window in days (default 30; AWS keeps 90). */
  cloudTrailDays?: number;
  /** CloudTrail LookupEvents requests per second per region (default 1.8; AWS allows 2). */
  cloudTrailRequestsPerSecond?: number;
  /** Regions to search for an Identity Center instance (default: every enabled region). */
  identityCenterRegions?: string[];
  /** ListMFADevices for users with a virtual device: auto (default), all, none. */
  userMfaDevices?: UserMfaDevicesMode;
  /** The most users `auto` mode calls ListMFADevices for (default 100). */
  userMfaDevicesLimit?: number;
  /** Longest wait for the credential report, in ms (default 300 000: large accounts can take minutes). */
  credentialReportWaitMs?: number;
  maxAttempts?: number;
  retryMode?: RetryMode;
  now?: () => Date;
  /**
   * Clients to use instead of building them from the options above (credentials, endpoint,
   * retries); the caller owns them and destroys them. The organization scan passes clients with
   * its per-service limiter.
   */
  clients?: ClientFactory;
  /**
   * Sections already read elsewhere (an organization scan reads the member's SCPs and the
   * organization's root-access features once, from the management account): they are used as
   * given and their calls are not made.
   */
  provided?: Partial<Omit<Sections, "callerIdentity">>;
  onProgress?: (event: CollectProgress) => void;
  signal?: AbortSignal;
}

/** Collection could not start: no account to attribute it to. */
export class CollectError extends Error {
  constructor(
    message: string,
    /** `NoCredentials`, `Unreachable`, `AccountMismatch`, or the AWS error code of GetCallerIdentity. */
    readonly code: string,
  ) {
    super(message);
    this.name = "CollectError";
  }
}

export async function collectAccount(options: CollectOptions): Promise<AccountSnapshot> {
  const { signal } = options;
  signal?.throwIfAborted();
  const now = options.now?.() ?? new Date();
  const defaults = DEFAULT_COLLECT_SETTINGS;
  const settings: CollectSettings = {
    cloudTrailDays: options.cloudTrailDays ?? defaults.cloudTrailDays,
    cloudTrailRequestsPerSecond: options.cloudTrailRequestsPerSecond ?? defaults.cloudTrailRequestsPerSecond,
    identityCenterRegions: options.identityCenterRegions ?? defaults.identityCenterRegions,
    userMfaDevices: options.userMfaDevices ?? defaults.userMfaDevices,
    userMfaDevicesLimit: options.userMfaDevicesLimit ?? defaults.userMfaDevicesLimit,
    credentialReportWaitMs: options.credentialReportWaitMs ?? defaults.credentialReportWaitMs,
  };
  const clients =
    options.clients ??
    createClientFactory({
      credentials: options.credentials,
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.retryMode ? { retryMode: options.retryMode } : {}),
    });
  const ctx: CollectContext = { clients, region: options.region, accountId: "", now, settings };
  if (signal) ctx.signal = signal;

  const timed = async <N extends SectionName>(
    name: N,
    read: () => Promise<Sections[N]>,
  ): Promise<Sections[N]> => {
    const started = Date.now();
    const section = await read();
    options.onProgress?.({
      section: name,
      status: section.status,
      ...(section.status === "error" ? { code: section.error.code } : {}),
      durationMs: Date.now() - started,
    });
    return section;
  };
  const provided: Partial<Sections> = options.provided ?? {};
  const read = <N extends SectionName>(name: N, reader: () => Promise<SectionData<N>>) => {
    const given = provided[name];
    return given
      ? Promise.resolve(given)
      : timed(name, () => runSection(ctx, reader) as Promise<Sections[N]>);
  };

  try {
    const callerIdentity = await read("callerIdentity", () => readCallerIdentity(ctx));
    ctx.accountId = accountIdOf(callerIdentity, options.accountId);

    const regions = read("regions", () => readRegions(ctx));
    const virtualMfaDevices = read("virtualMfaDevices", () => readVirtualMfaDevices(ctx));
    const [
      accountSummary,
      credentialReport,
      authorizationDetails,
      passwordPolicy,
      identityProviders,
      configRules,
      organization,
      rootCredentialsManagement,
      serviceControlPolicies,
      userMfaDevices,
      cloudTrail,
      identityCenter,
    ] = await Promise.all([
      read("accountSummary", () => readAccountSummary(ctx)),
      read("credentialReport", () => readCredentialReport(ctx)),
      read("authorizationDetails", () => readAuthorizationDetails(ctx)),
      read("passwordPolicy", () => readPasswordPolicy(ctx)),
      read("identityProviders", () => readIdentityProviders(ctx)),
      regions.then((r) => read("configRules", () => readConfigRules(ctx, r))),
      read("organization", () => readOrganization(ctx)),
      read("rootCredentialsManagement", () => readRootCredentialsManagement(ctx)),
      read("serviceControlPolicies", () => readServiceControlPolicies(ctx)),
      virtualMfaDevices.then((v) => read("userMfaDevices", () => readUserMfaDevices(ctx, v))),
      regions.then((r) => read("cloudTrail", () => readCloudTrail(ctx, r))),
      regions.then((r) => read("identityCenter", () => readIdentityCenter(ctx, r))),
    ]);
    const sections: Sections = {
      callerIdentity,
      accountSummary,
      credentialReport,
      virtualMfaDevices: await virtualMfaDevices,
      userMfaDevices,
      authorizationDetails,
      passwordPolicy,
      identityProviders,
      regions: await regions,
      configRules,
      cloudTrail,
      identityCenter,
      organization,
      rootCredentialsManagement,
      serviceControlPolicies,
    };
    signal?.throwIfAborted();
    return {
      schemaVersion: SCHEMA_VERSION,
      tool: { name: "mfawatch", version: VERSION },
      accountId: ctx.accountId,
      partition: partitionOf(callerIdentity),
      region: options.region,
      collectedAt: now.toISOString(),
      sections,
    };
  } finally {
    if (!options.clients) clients.destroy();
  }
}

/** The account id from GetCallerIdentity, checked against the expected one. */
function accountIdOf(identity: Section<{ account: string }>, expected: string | undefined): string {
  if (identity.status === "ok") {
    if (expected && identity.data.account !== expected) {
      throw new CollectError(
        `the credentials belong to account ${identity.data.account}, not the expected ${expected}`,
        "AccountMismatch",
      );
    }
    return identity.data.account;
  }
  if (expected) return expected;
  const { code, message } = identity.error;
  if (code === "NoCredentials") throw new CollectError(`no AWS credentials found: ${message}`, code);
  if (code === "NetworkError") throw new CollectError(`cannot reach AWS: ${message}`, "Unreachable");
  throw new CollectError(
    `cannot tell which account these credentials belong to (sts:GetCallerIdentity failed: ${code}: ${message})`,
    code,
  );
}

function partitionOf(identity: Section<{ arn: string }>): string {
  return identity.status === "ok" ? (identity.data.arn.split(":")[1] ?? "aws") : "aws";
}
