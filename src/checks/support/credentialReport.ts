import type {
  CredentialReport,
  CredentialReportAccessKey,
  CredentialReportRow,
} from "../../snapshot/types.js";
import type { CheckContext, Evidence, Finding } from "../types.js";
import { isTrue } from "./time.js";

export interface ActiveKey extends CredentialReportAccessKey {
  /** 1 or 2: the credential report's key column. */
  slot: 1 | 2;
}

/** IAM users (not root) who can sign in to the console. */
export function consoleUsers(report: CredentialReport): CredentialReportRow[] {
  return report.users.filter((u) => isTrue(u.passwordEnabled));
}

/** IAM users whose password_enabled is not true/false (`not_supported`, `N/A`): whether they can sign in cannot be told. */
export function unclearConsoleUsers(report: CredentialReport): CredentialReportRow[] {
  return report.users.filter((u) => typeof u.passwordEnabled !== "boolean");
}

/** The sentence for an `unknown` about a row of `unclearConsoleUsers`. */
export function unclearPasswordMessage(row: CredentialReportRow): string {
  return `Whether ${row.user} can sign in to the console cannot be told: the credential report's password_enabled is "${String(row.passwordEnabled)}", not true or false.`;
}

/** The row's access keys that are active, with their slot number. */
export function activeKeys(row: CredentialReportRow): ActiveKey[] {
  return row.accessKeys.flatMap((key, i) => (isTrue(key.active) ? [{ ...key, slot: (i + 1) as 1 | 2 }] : []));
}

/**
 * The row's access keys whose active cell is not true or false (a marker, or a value AWS added
 * later): whether they are active cannot be told.
 */
export function unclearKeys(row: CredentialReportRow): ActiveKey[] {
  return row.accessKeys.flatMap((key, i) =>
    typeof key.active === "boolean" ? [] : [{ ...key, slot: (i + 1) as 1 | 2 }],
  );
}

/** The sentence for an `unknown` about a key of `unclearKeys`. */
export function unclearKeyMessage(row: CredentialReportRow, key: ActiveKey): string {
  return `Whether ${row.user}'s access key ${key.slot} is active cannot be told: the credential report's access_key_${key.slot}_active is "${String(key.active)}", not true or false.`;
}

/** The report cells of a row that a reader needs to verify a verdict by hand (the result names its ARN). */
export function rowEvidence(row: CredentialReportRow, generatedTime: string): Record<string, unknown> {
  return {
    user: row.user,
    userCreationTime: row.userCreationTime,
    passwordEnabled: row.passwordEnabled,
    passwordLastUsed: row.passwordLastUsed,
    mfaActive: row.mfaActive,
    credentialReportGeneratedTime: generatedTime,
  };
}

/** The resource name of one access key: the report has no key ids, only the column slot. */
export function keyResource(row: CredentialReportRow, slot: 1 | 2): string {
  return `${row.arn}#access_key_${slot}`;
}

/** The report cells of one access key, with its owner, for verifying a key verdict by hand. */
export function keyEvidence(
  row: CredentialReportRow,
  key: ActiveKey,
  generatedTime: string,
): Record<string, unknown> {
  return {
    user: row.user,
    accessKey: key.slot,
    active: key.active,
    lastRotated: key.lastRotated,
    lastUsedDate: key.lastUsedDate,
    lastUsedRegion: key.lastUsedRegion,
    lastUsedService: key.lastUsedService,
    credentialReportGeneratedTime: generatedTime,
  };
}

/** One `unknown` for each key of the row whose `active` cell is neither true nor false. */
export function unclearKeyFindings(
  row: CredentialReportRow,
  generatedTime: string,
  ctx: Pick<CheckContext, "unknown">,
  extra: Evidence = {},
): Finding[] {
  return unclearKeys(row).map((key) =>
    ctx.unknown(keyResource(row, key.slot), unclearKeyMessage(row, key), {
      ...keyEvidence(row, key, generatedTime),
      ...extra,
    }),
  );
}
