/**
 * The IAM credential report: its CSV (columns and value forms as AWS writes them, see
 * AWS-FACTS.md) and its life cycle (STARTED → INPROGRESS → COMPLETE, reused for 4 hours).
 */

import { CREDENTIAL_REPORT_COLUMNS as REPORT_COLUMNS } from "../../../snapshot/types.js";
import type { ScenarioAccount, ScenarioRoot, ScenarioUser } from "../../scenario.js";
import { AwsError, type RequestContext } from "../../types.js";
import { accountCreated, rootArn, userArn } from "./model.js";

/** A report is reused while younger than this; after it, GetCredentialReport says ReportExpired. */
export const REPORT_LIFETIME_MS = 4 * 3600e3;

/** `2018-06-01T06:55:24+00:00`, the credential report's date form. */
export function reportDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** The CSV text of the account's credential report at `now`. */
export function credentialReportCsv(account: ScenarioAccount, now: Date): string {
  const options = account.credentialReport;
  const bool = (value: boolean) => {
    const text = String(value);
    return options.upperCaseBooleans ? text.toUpperCase() : text;
  };
  const date = (value: Date | undefined) => (value ? reportDate(value) : "N/A");
  const lastUsed = (value: "never" | "before-2014" | Date) =>
    value instanceof Date ? reportDate(value) : "no_information";

  /** mfa_active through cert_2_last_rotated. */
  const credentialColumns = (owner: Pick<ScenarioRoot, "mfa" | "accessKeys" | "certificates">) => {
    const keys = [0, 1].flatMap((i) => {
      const key = owner.accessKeys[i];
      if (!key) return [bool(false), "N/A", "N/A", "N/A", "N/A"];
      const used = key.lastUsed !== undefined;
      return [
        bool(key.active),
        date(key.created),
        date(key.lastUsed),
        used ? (key.lastUsedRegion ?? "N/A") : "N/A",
        used ? (key.lastUsedService ?? "N/A") : "N/A",
      ];
    });
    const certs = [0, 1].flatMap((i) => {
      const cert = owner.certificates[i];
      return cert ? [bool(cert.active), date(cert.created)] : [bool(false), "N/A"];
    });
    return [bool(owner.mfa.length > 0), ...keys, ...certs];
  };

  const rootRow = (root: ScenarioRoot) => [
    "<root_account>",
    rootArn(account),
    reportDate(accountCreated(account, now)),
    options.rootPasswordEnabled === "not_supported" ? "not_supported" : bool(root.password !== false),
    root.password === false ? "N/A" : lastUsed(root.password.lastUsed),
    "not_supported",
    "not_supported",
    ...credentialColumns(root),
  ];

  const userRow = (user: ScenarioUser) => {
    const password = user.password;
    const changed = password ? (password.lastChanged ?? password.created ?? user.created) : undefined;
    const maxAgeDays = account.passwordPolicy?.maxPasswordAge;
    const nextRotation =
      password?.nextRotation ??
      (changed && maxAgeDays ? new Date(changed.getTime() + maxAgeDays * 86400e3) : undefined);
    return [
      user.name,
      userArn(account, user),
      reportDate(user.created),
      bool(password !== undefined),
      password ? lastUsed(password.lastUsed) : "N/A",
      date(changed),
      date(nextRotation),
      ...credentialColumns(user),
    ];
  };

  const rows = [...(options.omitRootRow ? [] : [rootRow(account.root)]), ...account.users.map(userRow)];
  const lines = [REPORT_COLUMNS.join(","), ...rows.map((cells) => cells.map(csvCell).join(","))];
  return lines.join("\n") + (options.trailingNewline ? "\n" : "");
}

function csvCell(cell: string): string {
  return /[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** The per-account report state kept in `ctx.runtime`. */
interface ReportState {
  /** When the content was taken: GeneratedTime, and the start of the report's 4 hours. */
  generatedAt: Date;
  /** When GetCredentialReport can first return it. */
  readyAt: Date;
  content: Buffer;
}

const STATE_KEY = "iam.credentialReport";

function reportState(ctx: RequestContext): ReportState | undefined {
  return ctx.runtime.get(STATE_KEY) as ReportState | undefined;
}

export function generateCredentialReport(ctx: RequestContext): { State: string; Description: string } {
  const now = ctx.now();
  const state = reportState(ctx);
  if (state && now < state.readyAt) {
    return { State: "INPROGRESS", Description: "Report generation in progress." };
  }
  if (state && now.getTime() - state.generatedAt.getTime() < REPORT_LIFETIME_MS) {
    return { State: "COMPLETE", Description: "Report generation complete." };
  }
  const readyAt = new Date(now.getTime() + ctx.account.credentialReport.delaySeconds * 1000);
  ctx.runtime.set(STATE_KEY, {
    generatedAt: now,
    readyAt,
    content: Buffer.from(credentialReportCsv(ctx.account, now)),
  } satisfies ReportState);
  return { State: "STARTED", Description: "No report exists. Starting a new report generation task" };
}

export function getCredentialReport(ctx: RequestContext): {
  Content: Buffer;
  ReportFormat: string;
  GeneratedTime: Date;
} {
  const now = ctx.now();
  const state = reportState(ctx);
  if (!state) {
    throw new AwsError(
      "ReportNotPresent",
      "Credential report does not exist. Use GenerateCredentialReport to generate a credential report.",
      410,
    );
  }
  if (now < state.readyAt) {
    throw new AwsError("ReportInProgress", "Credential report is being generated.", 404);
  }
  if (now.getTime() - state.generatedAt.getTime() >= REPORT_LIFETIME_MS) {
    throw new AwsError(
      "ReportExpired",
      "Credential report has expired. Use GenerateCredentialReport to generate a new credential report.",
      410,
    );
  }
  return { Content: state.content, ReportFormat: "text/csv", GeneratedTime: state.generatedAt };
}
