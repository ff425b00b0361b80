/**
 * The IAM credential report's CSV, parsed by header name. Pure: no AWS, no clock.
 */
import {
  CREDENTIAL_REPORT_COLUMNS,
  type CredentialReportAccessKey,
  type CredentialReportCert,
  type CredentialReportRow,
  type ReportBool,
} from "../snapshot/types.js";

export class CredentialReportParseError extends Error {
  override name = "CredentialReportParseError";
}

export const ROOT_USER = "<root_account>";

/** Splits CSV text into records (RFC 4180 quoting), skipping empty lines such as a trailing newline. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      if (record.length > 1 || record[0] !== "") records.push(record);
      record = [];
      field = "";
    } else field += ch;
  }
  record.push(field);
  if (record.length > 1 || record[0] !== "") records.push(record);
  return records;
}

/**
 * `true`/`false` in any case, `not_supported`, `N/A`; any other text is kept as written, so that one
 * unexpected cell leaves the rest of the report readable (readers treat it as unclear).
 */
export function parseReportBool(value: string): ReportBool {
  const v = value.trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  if (v === "not_supported") return "not_supported";
  if (v === "n/a") return "N/A";
  return value.trim();
}

export interface ParsedCredentialReport {
  root: CredentialReportRow | null;
  users: CredentialReportRow[];
}

type Column = (typeof CREDENTIAL_REPORT_COLUMNS)[number];

/** Parses the report's CSV; the `<root_account>` row becomes `root` (null when absent). */
export function parseCredentialReport(csv: string): ParsedCredentialReport {
  const [header, ...rows] = parseCsv(csv);
  if (!header) throw new CredentialReportParseError("the credential report is empty");
  const index = new Map(header.map((name, i) => [name.trim().toLowerCase(), i]));
  const missing = CREDENTIAL_REPORT_COLUMNS.filter((name) => !index.has(name));
  if (missing.length > 0) {
    throw new CredentialReportParseError(`the credential report lacks the columns ${missing.join(", ")}`);
  }
  let root: CredentialReportRow | null = null;
  const users: CredentialReportRow[] = [];
  rows.forEach((cells, n) => {
    const get = (column: Column): string => {
      const value = cells[index.get(column) as number];
      if (value === undefined) {
        throw new CredentialReportParseError(`row ${n + 2} has no value for column ${column}`);
      }
      return value.trim();
    };
    const bool = (column: Column) => parseReportBool(get(column));
    const key = (k: 1 | 2): CredentialReportAccessKey => ({
      active: bool(`access_key_${k}_active`),
      lastRotated: get(`access_key_${k}_last_rotated`),
      lastUsedDate: get(`access_key_${k}_last_used_date`),
      lastUsedRegion: get(`access_key_${k}_last_used_region`),
      lastUsedService: get(`access_key_${k}_last_used_service`),
    });
    const cert = (k: 1 | 2): CredentialReportCert => ({
      active: bool(`cert_${k}_active`),
      lastRotated: get(`cert_${k}_last_rotated`),
    });
    const row: CredentialReportRow = {
      user: get("user"),
      arn: get("arn"),
      userCreationTime: get("user_creation_time"),
      passwordEnabled: bool("password_enabled"),
      passwordLastUsed: get("password_last_used"),
      passwordLastChanged: get("password_last_changed"),
      passwordNextRotation: get("password_next_rotation"),
      mfaActive: bool("mfa_active"),
      accessKeys: [key(1), key(2)],
      certs: [cert(1), cert(2)],
    };
    if (row.user === ROOT_USER) root = row;
    else users.push(row);
  });
  return { root, users };
}
