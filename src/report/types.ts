import type { CheckResult, References, Remediation, Severity } from "../checks/types.js";
import type { AccountScore, OrganizationScore } from "../score/types.js";
import type { OrganizationConfigRule, Section, SectionError, SectionName } from "../snapshot/types.js";

export const REPORT_SCHEMA_VERSION = 1;

/** A check's metadata as reports show it. */
export interface CheckMeta {
  id: string;
  title: string;
  severity: Severity;
  risk: string;
  remediation: Remediation;
  references: References;
}

export interface AccountReport {
  accountId: string;
  accountName?: string;
  /** The snapshot's partition and region (`aws`, `us-east-1`): ASFF's ProductArn needs them. */
  partition?: string;
  region?: string;
  /** When the account's data was collected (the snapshot's collectedAt). */
  collectedAt: string;
  /** The credential report's GeneratedTime, when there was one (data may be up to 4 hours older). */
  credentialReportGeneratedAt?: string;
  /** Sections that could not be collected. */
  sectionErrors: { section: SectionName; error: SectionError }[];
  score: AccountScore;
  results: CheckResult[];
}

/** An account that could not be scanned at all (role not assumable, credentials refused, …). */
export interface AccountFailure {
  accountId: string;
  accountName?: string;
  code: string;
  message: string;
}

/** How many failing findings one check has across the accounts, and in how many accounts. */
export interface CheckCount {
  checkId: string;
  severity: Severity;
  count: number;
  accounts: number;
}

/** Everything a report format renders: one scan of one account or of several. */
export interface ScanReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: "mfawatch"; version: string };
  generatedAt: string;
  accounts: AccountReport[];
  failedAccounts: AccountFailure[];
  /** Present when more than one account was scanned. */
  organization?: OrganizationScore & {
    organizationId?: string;
    /** Unsuppressed failing findings per check across the accounts, most severe first. */
    failingPerCheck?: CheckCount[];
    /** AWS Config organization rules about MFA (organization scans only), or why they could not be read. */
    configRules?: Section<OrganizationConfigRule[]>;
  };
  checks: CheckMeta[];
}
