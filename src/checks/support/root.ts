import type {
  CredentialReportRow,
  ReportBool,
  SectionError,
  VirtualMfaDevice,
} from "../../snapshot/types.js";
import type { CheckContext, Evidence } from "../types.js";

/**
 * What mfawatch can tell about the root user from the credential report's root row and the
 * account summary. Each fact is true, false, or null when neither source can tell.
 */
export interface RootFacts {
  /** The root ARN: the report row's, else built from the account id. */
  arn: string;
  mfa: boolean | null;
  password: boolean | null;
  accessKeys: boolean | null;
  signingCertificates: boolean | null;
  /** The report row (null when the report is in error or has no root row). */
  row: CredentialReportRow | null;
  /** True when at least one of the two sources was read. */
  readable: boolean;
  /** Both sources' raw values, for evidence. */
  evidence: Evidence;
  /** Why each unusable source could not be read; empty when both were read. */
  reasons: string[];
}

function describe(name: string, error: SectionError): string {
  const via = error.operation ? ` (${error.operation})` : "";
  return `${name}: ${error.code}${via}: ${error.message}`;
}

function fromReport(value: ReportBool): boolean | null {
  return typeof value === "boolean" ? value : null;
}

function fromSummary(summary: Record<string, number> | null, key: string): boolean | null {
  const value = summary?.[key];
  return typeof value === "number" ? value > 0 : null;
}

/** A credential is present when either source says so; absent only when one says so and none says present. */
function present(...values: (boolean | null)[]): boolean | null {
  if (values.includes(true)) return true;
  return values.includes(false) ? false : null;
}

function allOf(values: ReportBool[]): boolean | null {
  const known = values.map(fromReport);
  if (known.includes(true)) return true;
  return known.every((v) => v === false) ? false : null;
}

/**
 * Reads the root user's MFA and credentials from the optional `credentialReport` and
 * `accountSummary` sections. MFA comes from the account summary when it has `AccountMFAEnabled`
 * (read live, while the report may be 4 hours old), else from the report row. A credential is
 * present when either source says so.
 */
export function rootFacts(ctx: CheckContext): RootFacts {
  const report = ctx.section("credentialReport");
  const summarySection = ctx.section("accountSummary");
  const reasons: string[] = [];

  let row: CredentialReportRow | null = null;
  let generatedTime: string | null = null;
  if (report.status === "ok") {
    row = report.data.root;
    generatedTime = report.data.generatedTime;
    if (!row) reasons.push("credentialReport: the credential report has no <root_account> row");
  } else {
    reasons.push(describe("credentialReport", report.error));
  }
  const summary = summarySection.status === "ok" ? summarySection.data : null;
  if (summarySection.status === "error") reasons.push(describe("accountSummary", summarySection.error));

  const rowMfa = row ? fromReport(row.mfaActive) : null;
  const summaryMfa = fromSummary(summary, "AccountMFAEnabled");
  const evidence: Evidence = {};
  if (row) {
    evidence.rootRow = {
      arn: row.arn,
      passwordEnabled: row.passwordEnabled,
      passwordLastUsed: row.passwordLastUsed,
      mfaActive: row.mfaActive,
      accessKey1Active: row.accessKeys[0].active,
      accessKey2Active: row.accessKeys[1].active,
      cert1Active: row.certs[0].active,
      cert2Active: row.certs[1].active,
    };
    evidence.credentialReportGeneratedTime = generatedTime;
  }
  if (summary) {
    const keys = [
      "AccountMFAEnabled",
      "AccountPasswordPresent",
      "AccountAccessKeysPresent",
      "AccountSigningCertificatesPresent",
    ];
    evidence.accountSummary = Object.fromEntries(keys.map((k) => [k, summary[k] ?? "absent"]));
  }
  if (reasons.length > 0) evidence.unreadable = reasons;

  return {
    arn: row?.arn ?? `arn:aws:iam::${ctx.accountId}:root`,
    mfa: summaryMfa ?? rowMfa,
    password: present(
      row ? fromReport(row.passwordEnabled) : null,
      fromSummary(summary, "AccountPasswordPresent"),
    ),
    accessKeys: present(
      row ? allOf(row.accessKeys.map((k) => k.active)) : null,
      fromSummary(summary, "AccountAccessKeysPresent"),
    ),
    signingCertificates: present(
      row ? allOf(row.certs.map((c) => c.active)) : null,
      fromSummary(summary, "AccountSigningCertificatesPresent"),
    ),
    row,
    readable: row !== null || summary !== null,
    evidence,
    reasons,
  };
}

/** Root has no password, no access key and no signing certificate (e.g. centralized root access). */
export function noRootCredentials(facts: RootFacts): boolean {
  return facts.password === false && facts.accessKeys === false && facts.signingCertificates === false;
}

/** The features of centralized root access, when that section was read. */
export function rootManagementEvidence(ctx: CheckContext): Evidence {
  const section = ctx.section("rootCredentialsManagement");
  return section.status === "ok"
    ? { organizationsRootFeatures: section.data.enabledFeatures }
    : { organizationsRootFeatures: `not read: ${section.error.code}` };
}

/** Root's own virtual MFA devices: those whose user ARN is exactly the account's root ARN. */
export function rootVirtualDevices(
  devices: readonly VirtualMfaDevice[],
  accountId: string,
): VirtualMfaDevice[] {
  const root = new RegExp(`^arn:[a-z-]+:iam::${accountId}:root$`);
  return devices.filter((d) => d.userArn !== null && root.test(d.userArn));
}

/** The sentence that says why the root facts are missing. */
export function unknownRootMessage(facts: RootFacts): string {
  return `Neither the credential report's root row nor the account summary could be read: ${facts.reasons.join("; ")}.`;
}
