/** The glue from snapshots to a ScanReport: judge each account, score it, assemble the report. */
import type { AnyCheck, CheckOptions } from "../checks/types.js";
import { runChecks } from "../engine/runChecks.js";
import type { SuppressionRule } from "../engine/suppressions.js";
import { failingPerCheck } from "../report/common.js";
import type { AccountFailure, AccountReport, CheckMeta, ScanReport } from "../report/types.js";
import { REPORT_SCHEMA_VERSION } from "../report/types.js";
import { scoreAccount, scoreOrganization } from "../score/score.js";
import {
  type AccountSnapshot,
  type OrganizationConfigRule,
  SECTION_NAMES,
  type Section,
  type SectionError,
  type SectionName,
} from "../snapshot/types.js";
import { VERSION } from "../version.js";

export interface JudgeSettings {
  checks: readonly AnyCheck[];
  options?: Partial<CheckOptions>;
  suppressions?: readonly SuppressionRule[];
  /** When the results are judged (suppression expiry). */
  evaluatedAt: Date;
}

/** Runs the checks on one snapshot and scores the results. */
export function judgeSnapshot(snapshot: AccountSnapshot, settings: JudgeSettings): AccountReport {
  const results = runChecks(snapshot, settings.checks, {
    ...(settings.options ? { options: settings.options } : {}),
    suppressions: settings.suppressions ?? [],
    evaluatedAt: settings.evaluatedAt,
  });
  const sectionErrors: { section: SectionName; error: SectionError }[] = [];
  for (const section of SECTION_NAMES) {
    const value = snapshot.sections[section];
    if (value.status === "error") sectionErrors.push({ section, error: value.error });
  }
  const report = snapshot.sections.credentialReport;
  return {
    accountId: snapshot.accountId,
    ...(snapshot.accountName ? { accountName: snapshot.accountName } : {}),
    partition: snapshot.partition,
    region: snapshot.region,
    collectedAt: snapshot.collectedAt,
    ...(report.status === "ok" ? { credentialReportGeneratedAt: report.data.generatedTime } : {}),
    sectionErrors,
    score: scoreAccount(snapshot.accountId, results),
    results,
  };
}

export function checkMetaOf(check: AnyCheck): CheckMeta {
  const { id, title, severity, risk, remediation, references } = check;
  return { id, title, severity, risk, remediation, references };
}

export interface ReportParts {
  accounts: AccountReport[];
  failedAccounts?: AccountFailure[];
  checks: readonly AnyCheck[];
  generatedAt: Date;
  organizationId?: string;
  organizationConfigRules?: Section<OrganizationConfigRule[]>;
}

/** Assembles the ScanReport; the organization score is present when more than one account was scanned. */
export function buildScanReport(parts: ReportParts): ScanReport {
  const failedAccounts = parts.failedAccounts ?? [];
  const several = parts.accounts.length + failedAccounts.length > 1;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: "mfawatch", version: VERSION },
    generatedAt: parts.generatedAt.toISOString(),
    accounts: parts.accounts,
    failedAccounts,
    ...(several
      ? {
          organization: {
            ...scoreOrganization(parts.accounts.map((a) => a.score)),
            ...(parts.organizationId ? { organizationId: parts.organizationId } : {}),
            failingPerCheck: failingPerCheck(parts),
            ...(parts.organizationConfigRules ? { configRules: parts.organizationConfigRules } : {}),
          },
        }
      : {}),
    checks: parts.checks.map(checkMetaOf),
  };
}
