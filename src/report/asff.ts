/**
 * AWS Security Finding Format (ASFF) for Security Hub's BatchImportFindings: one finding per
 * result and one per account that could not be scanned, the verdict in Compliance.Status (see
 * docs/REPORTS.md for the mapping).
 */
import { createHash } from "node:crypto";
import type { CheckResult, ResultStatus, Severity } from "../checks/types.js";
import { checkMeta } from "./common.js";
import { arrayPieces } from "./json.js";
import { ACCOUNT_NOT_SCANNED, ROLE_DOCS, resourceKind } from "./ocsf.js";
import type { AccountFailure, AccountReport, ScanReport } from "./types.js";

export const ASFF_TYPE = "Software and Configuration Checks/AWS Security Best Practices";

const COMPLIANCE: Record<ResultStatus, "PASSED" | "FAILED" | "WARNING" | "NOT_AVAILABLE"> = {
  pass: "PASSED",
  fail: "FAILED",
  unknown: "WARNING",
  error: "WARNING",
  not_applicable: "NOT_AVAILABLE",
};

const LABELS: Record<Severity, string> = {
  critical: "CRITICAL",
  high: "HIGH",
  medium: "MEDIUM",
  low: "LOW",
  info: "INFORMATIONAL",
};

/**
 * The benchmark named in `Compliance.RelatedRequirements`, in Security Hub's "<standard>/<number>"
 * form. Security Hub control ids are not put in `Compliance.SecurityControlId`: that field
 * identifies a Security Hub control, and a custom product's finding is not a result of one, so
 * they go in ProductFields as related controls only.
 */
const CIS = "CIS AWS Foundations Benchmark v3.0.0/";

const RESOURCE_TYPES = { account: "AwsAccount", user: "AwsIamUser", role: "AwsIamRole", other: "Other" };

export interface AsffFinding {
  SchemaVersion: "2018-10-08";
  Id: string;
  ProductArn: string;
  ProductName: "mfawatch";
  CompanyName: "mfawatch";
  GeneratorId: string;
  AwsAccountId: string;
  AwsAccountName?: string;
  Region: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  Severity: { Label: string; Original: string };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string; Url?: string } };
  Resources: { Type: string; Id: string; Partition: string; Region: string }[];
  Compliance: {
    Status: string;
    StatusReasons?: { ReasonCode: string; Description: string }[];
    RelatedRequirements?: string[];
  };
  RecordState: "ACTIVE";
  Workflow: { Status: "NEW" | "SUPPRESSED" | "RESOLVED" };
  Note?: { Text: string; UpdatedBy: string; UpdatedAt: string };
  ProductFields: Record<string, string>;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function toAsff(
  report: ScanReport,
  account: AccountReport,
  result: CheckResult,
  fallbackRegion: string,
): AsffFinding {
  const meta = checkMeta(report, result.checkId);
  const region = account.region ?? fallbackRegion;
  const partition = account.partition ?? "aws";
  const id = account.accountId;
  const hash = createHash("sha256")
    .update(`${result.checkId}\n${result.resource}`)
    .digest("hex")
    .slice(0, 32);
  const passed = result.status === "pass" || result.status === "not_applicable";
  const title = meta?.title ?? result.checkId;
  const references = meta?.references ?? {};
  const cis = (references.cis ?? []).map((n) => `${CIS}${n}`);
  return {
    SchemaVersion: "2018-10-08",
    Id: `mfawatch/${id}/${result.checkId}/${hash}`,
    ProductArn: `arn:${partition}:securityhub:${region}:${id}:product/${id}/default`,
    ProductName: "mfawatch",
    CompanyName: "mfawatch",
    GeneratorId: result.checkId,
    AwsAccountId: id,
    ...(account.accountName ? { AwsAccountName: account.accountName } : {}),
    Region: region,
    Types: [ASFF_TYPE],
    CreatedAt: account.collectedAt,
    UpdatedAt: report.generatedAt,
    Severity: { Label: passed ? "INFORMATIONAL" : LABELS[result.severity], Original: result.severity },
    Title: clip(
      result.status === "unknown" || result.status === "error" ? `Could not evaluate: ${title}` : title,
      256,
    ),
    Description: clip(`${result.message}${meta?.risk && !passed ? ` ${meta.risk}` : ""}`, 1024),
    Remediation: {
      Recommendation: {
        Text: clip(meta ? meta.remediation.console : "See the check's documentation.", 512),
        ...(meta?.remediation.docs ? { Url: meta.remediation.docs } : {}),
      },
    },
    Resources: [
      {
        Type: RESOURCE_TYPES[resourceKind(result.resource)],
        Id: result.resource,
        Partition: partition,
        Region: region,
      },
    ],
    Compliance: {
      Status: COMPLIANCE[result.status],
      ...(cis.length > 0 ? { RelatedRequirements: cis.slice(0, 32) } : {}),
      ...(result.status === "unknown" || result.status === "error"
        ? { StatusReasons: [{ ReasonCode: "MFAWATCH_INCOMPLETE", Description: clip(result.message, 2048) }] }
        : {}),
    },
    RecordState: "ACTIVE",
    Workflow: { Status: result.suppressed ? "SUPPRESSED" : passed ? "RESOLVED" : "NEW" },
    ...(result.suppressed
      ? {
          Note: {
            Text: clip(
              `Suppressed: ${result.suppressed.reason}${result.suppressed.expires ? ` (until ${result.suppressed.expires})` : ""}`,
              512,
            ),
            UpdatedBy: "mfawatch",
            UpdatedAt: report.generatedAt,
          },
        }
      : {}),
    ProductFields: {
      "mfawatch/Status": result.status,
      "mfawatch/Evidence": clip(JSON.stringify(result.evidence), 2048),
      "mfawatch/ToolVersion": report.tool.version,
      ...(references.securityHub?.length
        ? { "mfawatch/RelatedSecurityHubControls": references.securityHub.join(", ") }
        : {}),
      ...(references.awsConfig?.length
        ? { "mfawatch/RelatedConfigRules": references.awsConfig.join(", ") }
        : {}),
      ...scoreFields(report, account),
    },
  };
}

/** The account's and the organization's scores, as strings (ProductFields are strings). */
function scoreFields(report: ScanReport, account?: AccountReport): Record<string, string> {
  const org = report.organization;
  return {
    ...(account ? { "mfawatch/AccountScore": String(account.score.score) } : {}),
    ...(org ? { "mfawatch/OrganizationScore": String(org.score) } : {}),
    ...(org?.organizationId ? { "mfawatch/OrganizationId": org.organizationId } : {}),
  };
}

/** A WARNING finding for an account that could not be scanned: its posture is unknown. */
function notScanned(report: ScanReport, failure: AccountFailure, region: string): AsffFinding {
  const partition = report.accounts[0]?.partition ?? "aws";
  const id = failure.accountId;
  const message = `The account could not be scanned: ${failure.code}: ${failure.message}`;
  return {
    SchemaVersion: "2018-10-08",
    Id: `mfawatch/${id}/${ACCOUNT_NOT_SCANNED}`,
    ProductArn: `arn:${partition}:securityhub:${region}:${id}:product/${id}/default`,
    ProductName: "mfawatch",
    CompanyName: "mfawatch",
    GeneratorId: ACCOUNT_NOT_SCANNED,
    AwsAccountId: id,
    ...(failure.accountName ? { AwsAccountName: failure.accountName } : {}),
    Region: region,
    Types: [ASFF_TYPE],
    CreatedAt: report.generatedAt,
    UpdatedAt: report.generatedAt,
    Severity: { Label: "HIGH", Original: "high" },
    Title: "Could not evaluate: the account could not be scanned",
    Description: clip(message, 1024),
    Remediation: {
      Recommendation: {
        Text: "See the reason; docs/ORG-SCANS.md lists the causes and their fixes.",
        Url: ROLE_DOCS,
      },
    },
    Resources: [
      { Type: RESOURCE_TYPES.account, Id: `AWS::::Account:${id}`, Partition: partition, Region: region },
    ],
    Compliance: {
      Status: "WARNING",
      StatusReasons: [{ ReasonCode: "MFAWATCH_ACCOUNT_NOT_SCANNED", Description: clip(message, 2048) }],
    },
    RecordState: "ACTIVE",
    Workflow: { Status: "NEW" },
    ProductFields: {
      "mfawatch/Status": "error",
      "mfawatch/Evidence": clip(JSON.stringify({ code: failure.code, message: failure.message }), 2048),
      "mfawatch/ToolVersion": report.tool.version,
      ...scoreFields(report),
    },
  };
}

/** Every result as an ASFF finding, one at a time; `region` is used for accounts whose report has none. */
function* eachAsffFinding(report: ScanReport, region: string): Generator<AsffFinding> {
  for (const account of report.accounts) {
    for (const r of account.results) yield toAsff(report, account, r, region);
  }
  for (const f of report.failedAccounts) yield notScanned(report, f, report.accounts[0]?.region ?? region);
}

/** Every result as an ASFF finding; `region` is used for accounts whose report has none. */
export function asffFindings(report: ScanReport, region = "us-east-1"): AsffFinding[] {
  return [...eachAsffFinding(report, region)];
}

/** The ASFF JSON array in pieces, one finding at a time (an organization's is too long for one string). */
export function* asffPieces(report: ScanReport, region = "us-east-1"): Generator<string> {
  yield* arrayPieces(eachAsffFinding(report, region));
  yield "\n";
}

/** A JSON array of ASFF findings, ready for BatchImportFindings (at most 100 per call). */
export function renderAsff(report: ScanReport, region?: string): string {
  return [...asffPieces(report, region)].join("");
}
