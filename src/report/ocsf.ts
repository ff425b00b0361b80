/**
 * OCSF 1.1.0 Detection Finding (class_uid 2004) events: one per failing, unknown or error result,
 * and one per account that could not be scanned. Passes and not-applicable results are not
 * findings and are left out (see docs/REPORTS.md).
 */
import { createHash } from "node:crypto";
import type { CheckResult, Severity } from "../checks/types.js";
import { checkMeta } from "./common.js";
import { arrayPieces } from "./json.js";
import type { AccountFailure, AccountReport, ScanReport } from "./types.js";

export const OCSF_VERSION = "1.1.0";
const CLASS_UID = 2004;
const ACTIVITY_CREATE = 1;

const SEVERITY_IDS: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: "Informational" },
  low: { id: 2, name: "Low" },
  medium: { id: 3, name: "Medium" },
  high: { id: 4, name: "High" },
  critical: { id: 5, name: "Critical" },
};

export interface OcsfFinding {
  class_uid: 2004;
  class_name: "Detection Finding";
  category_uid: 2;
  category_name: "Findings";
  activity_id: 1;
  activity_name: "Create";
  type_uid: 200401;
  type_name: string;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  status_detail?: string;
  time: number;
  message: string;
  metadata: { version: string; product: { name: string; vendor_name: string; version: string; uid: string } };
  finding_info: { uid: string; title: string; desc: string; created_time: number; types: string[] };
  resources: { uid: string; type: string; cloud_partition?: string; region?: string }[];
  cloud: { provider: "AWS"; account: { uid: string; name?: string }; region?: string };
  remediation: { desc: string; references: string[] };
  unmapped: {
    mfawatch_status: string;
    check_id: string;
    evidence: unknown;
    suppression?: unknown;
    /** The account's risk score, and the organization's when several accounts were scanned. */
    account_score?: number;
    organization_score?: number;
    organization_id?: string;
  };
}

/** How a role is assumed across accounts: the usual cause of an account that cannot be scanned. */
export const ROLE_DOCS =
  "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html";

/** The check id of the finding for an account that could not be scanned. */
export const ACCOUNT_NOT_SCANNED = "account-not-scanned";

/** Scores that every finding of a multi-account report carries, so that a consumer can rank accounts. */
function scores(report: ScanReport, account?: AccountReport) {
  const org = report.organization;
  return {
    ...(account ? { account_score: account.score.score } : {}),
    ...(org ? { organization_score: org.score } : {}),
    ...(org?.organizationId ? { organization_id: org.organizationId } : {}),
  };
}

/** A stable id for a result: the same account, check and resource always give the same uid. */
export function findingUid(result: CheckResult): string {
  const hash = createHash("sha256")
    .update(`${result.accountId}\n${result.checkId}\n${result.resource}`)
    .digest("hex");
  return `mfawatch-${result.checkId}-${hash.slice(0, 24)}`;
}

/** The resource type of a result's resource: an account, an IAM user or role, or another ARN. */
export function resourceKind(resource: string): "account" | "user" | "role" | "other" {
  if (resource.startsWith("AWS::::Account:")) return "account";
  if (/^arn:[^:]+:iam::\d{12}:root$/.test(resource)) return "account";
  if (/^arn:[^:]+:iam::\d{12}:user\//.test(resource)) return "user";
  if (/^arn:[^:]+:iam::\d{12}:role\//.test(resource)) return "role";
  return "other";
}

const OCSF_RESOURCE_TYPES = {
  account: "AWS::::Account",
  user: "AWS::IAM::User",
  role: "AWS::IAM::Role",
  other: "Other",
};

function toOcsf(report: ScanReport, account: AccountReport, result: CheckResult): OcsfFinding {
  const meta = checkMeta(report, result.checkId);
  const severity = SEVERITY_IDS[result.severity];
  const time = Date.parse(account.collectedAt);
  const unknown = result.status !== "fail";
  const title = meta?.title ?? result.checkId;
  return {
    class_uid: CLASS_UID,
    class_name: "Detection Finding",
    category_uid: 2,
    category_name: "Findings",
    activity_id: ACTIVITY_CREATE,
    activity_name: "Create",
    type_uid: 200401,
    type_name: "Detection Finding: Create",
    severity_id: severity.id,
    severity: severity.name,
    ...(result.suppressed
      ? { status_id: 3, status: "Suppressed", status_detail: result.suppressed.reason }
      : { status_id: 1, status: "New" }),
    time,
    message: result.message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: "mfawatch", vendor_name: "mfawatch", version: report.tool.version, uid: "mfawatch" },
    },
    finding_info: {
      uid: findingUid(result),
      title: unknown ? `Could not evaluate: ${title}` : title,
      desc: unknown ? result.message : `${result.message}${meta?.risk ? ` ${meta.risk}` : ""}`,
      created_time: Date.parse(report.generatedAt),
      types: [
        unknown ? "mfawatch/incomplete-evaluation" : "mfawatch/failed-check",
        `mfawatch/${result.checkId}`,
      ],
    },
    resources: [
      {
        uid: result.resource,
        type: OCSF_RESOURCE_TYPES[resourceKind(result.resource)],
        ...(account.partition ? { cloud_partition: account.partition } : {}),
        ...(account.region ? { region: account.region } : {}),
      },
    ],
    cloud: {
      provider: "AWS",
      account: { uid: account.accountId, ...(account.accountName ? { name: account.accountName } : {}) },
      ...(account.region ? { region: account.region } : {}),
    },
    remediation: {
      desc: meta ? `${meta.remediation.console}\nAWS CLI: ${meta.remediation.cli}` : "",
      references: meta?.remediation.docs ? [meta.remediation.docs] : [],
    },
    unmapped: {
      mfawatch_status: result.status,
      check_id: result.checkId,
      evidence: result.evidence,
      ...(result.suppressed ? { suppression: result.suppressed } : {}),
      ...scores(report, account),
    },
  };
}

function notScanned(report: ScanReport, failure: AccountFailure): OcsfFinding {
  const time = Date.parse(report.generatedAt);
  const resource = `AWS::::Account:${failure.accountId}`;
  const message = `The account could not be scanned: ${failure.code}: ${failure.message}`;
  return {
    class_uid: CLASS_UID,
    class_name: "Detection Finding",
    category_uid: 2,
    category_name: "Findings",
    activity_id: ACTIVITY_CREATE,
    activity_name: "Create",
    type_uid: 200401,
    type_name: "Detection Finding: Create",
    severity_id: SEVERITY_IDS.high.id,
    severity: SEVERITY_IDS.high.name,
    status_id: 1,
    status: "New",
    time,
    message,
    metadata: {
      version: OCSF_VERSION,
      product: { name: "mfawatch", vendor_name: "mfawatch", version: report.tool.version, uid: "mfawatch" },
    },
    finding_info: {
      uid: `mfawatch-${ACCOUNT_NOT_SCANNED}-${createHash("sha256").update(failure.accountId).digest("hex").slice(0, 24)}`,
      title: "Could not evaluate: the account could not be scanned",
      desc: message,
      created_time: time,
      types: ["mfawatch/incomplete-evaluation", `mfawatch/${ACCOUNT_NOT_SCANNED}`],
    },
    resources: [{ uid: resource, type: OCSF_RESOURCE_TYPES.account }],
    cloud: {
      provider: "AWS",
      account: { uid: failure.accountId, ...(failure.accountName ? { name: failure.accountName } : {}) },
    },
    remediation: {
      desc: "See the reason; docs/ORG-SCANS.md lists the causes and their fixes.",
      references: [ROLE_DOCS],
    },
    unmapped: {
      mfawatch_status: "error",
      check_id: ACCOUNT_NOT_SCANNED,
      evidence: { code: failure.code, message: failure.message },
      ...scores(report),
    },
  };
}

function* eachOcsfFinding(report: ScanReport): Generator<OcsfFinding> {
  for (const account of report.accounts) {
    for (const r of account.results) {
      if (r.status === "fail" || r.status === "unknown" || r.status === "error")
        yield toOcsf(report, account, r);
    }
  }
  for (const f of report.failedAccounts) yield notScanned(report, f);
}

export function ocsfFindings(report: ScanReport): OcsfFinding[] {
  return [...eachOcsfFinding(report)];
}

/** The OCSF JSON array in pieces, one finding at a time. */
export function* ocsfPieces(report: ScanReport): Generator<string> {
  yield* arrayPieces(eachOcsfFinding(report));
  yield "\n";
}

/** A JSON array of OCSF Detection Findings. */
export function renderOcsf(report: ScanReport): string {
  return [...ocsfPieces(report)].join("");
}
