/** Credentials for a member account: sts:AssumeRole of the audit role, from the scanning account. */
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@aws-sdk/types";
import type { ClientFactory } from "../aws/clients.js";
import { toSectionError } from "../aws/errors.js";
import { AccountScanError } from "./errors.js";

export const DEFAULT_ROLE_NAME = "MfawatchAudit";

/** One hour: longer than the default per-account timeout, so credentials never expire mid-account. */
const SESSION_SECONDS = 3600;

export interface AssumeSettings {
  roleName: string;
  externalId?: string;
  /** `mfawatch-<run>`: identifies mfawatch in the member's CloudTrail. */
  sessionName: string;
  partition: string;
}

/** A session name that identifies mfawatch and the run (`[\w+=,.@-]{2,64}`). */
export function sessionNameFor(startedAt: Date): string {
  return `mfawatch-${startedAt.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "")}`;
}

export function roleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** Assumes the audit role in `accountId`; a refusal throws an AccountScanError with AWS's code. */
export async function assumeAuditRole(
  clients: ClientFactory,
  accountId: string,
  settings: AssumeSettings,
  signal?: AbortSignal,
): Promise<AwsCredentialIdentity> {
  const RoleArn = roleArn(settings.partition, accountId, settings.roleName);
  try {
    const out = await clients.get("sts").send(
      new AssumeRoleCommand({
        RoleArn,
        RoleSessionName: settings.sessionName,
        DurationSeconds: SESSION_SECONDS,
        ...(settings.externalId ? { ExternalId: settings.externalId } : {}),
      }),
      signal ? { abortSignal: signal } : {},
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new AccountScanError("AssumeRoleFailed", `sts:AssumeRole ${RoleArn} returned no credentials`);
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof AccountScanError) throw error;
    const { code, message } = toSectionError(error, "sts:AssumeRole");
    throw new AccountScanError(code, `cannot assume ${RoleArn}: ${message}`);
  }
}
