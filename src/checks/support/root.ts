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
  /** Which source decided each fact: the live account summary wins over the report when it has the key. */
  decidedBy: Record<RootFact, RootSource | null>;
  /** The report row (null when the report is in error or has no root row). */
  row: CredentialReportRow | null;
  /** True when at least one of the two sources was read. */
  readable: boolean;
  /** Both sources' raw values, for evidence. */
  evidence: Evidence;
  /** Why each unusable source could not be read; empty when both were read. */
  reasons: string[];
}

export type RootFact = "mfa" | "password" | "accessKeys" | "signingCertificates";
export type RootSource = "accountSummary" | "credentialReport";

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

/** The live summary's value when it has one, else the report's (which may be 4 hours old). */
function decide(
  summary: boolean | null,
  report: boolean | null,
): { value: boolean | null; source: RootSource | null } {
  if (summary !== null) return { value: summary, source: "accountSummary" };
  if (report !== null) return { value: report, source: "credentialReport" };
  return { value: null, source: null };
}

function allOf(values: ReportBool[]): boolean | null {
  const known = values.map(fromReport);
  if (known.includes(true)) return true;
  return known.every((v) => v === false) ? false : null;
}

/**
 * Reads the root user's MFA and credentials from the optional `credentialReport` and
 * `accountSummary` sections. Each fact comes from the account summary when it has the key (read
 * live, while the report may be 4 hours old), else from the report row; `decidedBy` and the
 * evidence say which source decided.
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

  const mfa = decide(fromSummary(summary, "AccountMFAEnabled"), row ? fromReport(row.mfaActive) : null);
  const password = decide(
    fromSummary(summary, "AccountPasswordPresent"),
    row ? fromReport(row.passwordEnabled) : null,
  );
  const accessKeys = decide(
    fromSummary(summary, "AccountAccessKeysPresent"),
    row ? allOf(row.accessKeys.map((k) => k.active)) : null,
  );
  const signingCertificates = decide(
    fromSummary(summary, "AccountSigningCertificatesPresent"),
    row ? allOf(row.certs.map((c) => c.active)) : null,
  );
  const decidedBy = {
    mfa: mfa.source,
    password: password.source,
    accessKeys: accessKeys.source,
    signingCertificates: signingCertificates.source,
  };
  evidence.decidedBy = decidedBy;

  return {
    arn: row?.arn ?? `arn:aws:iam::${ctx.accountId}:root`,
    mfa: mfa.value,
    password: password.value,
    accessKeys: accessKeys.value,
    signingCertificates: signingCertificates.value,
    decidedBy,
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

/** Which source decided a fact, for a message: "the account summary (live)" or "the credential report of <time>". */
export function decidedBy(facts: RootFacts, fact: RootFact): string {
  const source = facts.decidedBy[fact];
  if (source === "accountSummary") return "the account summary (live)";
  const time = facts.evidence.credentialReportGeneratedTime;
  return source === "credentialReport" ? `the credential report of ${String(time)}` : "no source";
}

/** The sentence that says why the root facts are missing. */
export function unknownRootMessage(facts: RootFacts): string {
  return `Neither the credential report's root row nor the account summary could be read: ${facts.reasons.join("; ")}.`;
}
