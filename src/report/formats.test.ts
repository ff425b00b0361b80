import { describe, expect, it } from "vitest";
import { asffFindings } from "./asff.js";
import { csvCell, renderCsv } from "./csv.js";
import { renderHtml } from "./html.js";
import { arrayPieces, jsonPieces, renderJson } from "./json.js";
import { ocsfFindings } from "./ocsf.js";
import { REPORT_FORMATS, renderReport, reportPieces } from "./render.js";
import { renderTable, shouldColor } from "./table.js";
import { DEV, EVIL_USER, FORMULA_MESSAGE, fixtureReport, PROD } from "./test-support/fixture.js";
import { REPORT_SCHEMA_VERSION } from "./types.js";

const ESC = "\u001b[";

/** Parses RFC 4180 CSV (quoted fields with doubled quotes, CRLF records). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return rows;
}

describe("table", () => {
  const report = fixtureReport();

  it("summarises the organization worst account first, then each account", () => {
    const text = renderTable(report);
    const org = text.indexOf("Organization o-abcdefghij");
    expect(org).toBeGreaterThanOrEqual(0);
    const prodRow = text.indexOf(`${PROD} (prod)`, org);
    const devRow = text.indexOf(`${DEV} (dev)`, org);
    expect(prodRow).toBeLessThan(devRow);
    expect(text).toMatch(/root-mfa-enabled: 1 in 1 account/);
    expect(text).toContain("333333333333 (lost): AccessDenied: role not assumable");
    expect(text.indexOf(`Account ${PROD} (prod)`)).toBeGreaterThan(org);
  });

  it("groups failing findings by severity, critical first, then unknowns, suppressed, counts and section errors", () => {
    const text = renderTable(report);
    const section = text.slice(text.indexOf(`Account ${PROD} (prod)`));
    const order = [
      "Failing findings (2)",
      "CRITICAL",
      "root-mfa-enabled",
      "HIGH",
      `user/${EVIL_USER}`,
      "Could not be judged (1)",
      "identity-center-mfa",
      "Suppressed (1)",
      "suppressed until 2026-12-31: CI key, rotated by the vault",
      "1 pass, 2 fail, 1 unknown, 0 error, 1 not applicable, 1 suppressed",
      "Sections that could not be collected:\n    identityCenter: AccessDeniedException (sso:ListInstances): denied",
    ].map((needle) => section.indexOf(needle));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).not.toContain(ESC);
  });

  it("replaces control characters in data so that nothing reaches the terminal as an escape sequence", () => {
    const tricky = fixtureReport();
    const result = tricky.accounts[1]?.results[0];
    if (result) result.message = "evil\u001b[2Jmessage";
    const text = renderTable(tricky);
    expect(text).toContain("evil\ufffd[2Jmessage");
    expect(text).not.toContain(ESC);
  });

  it("colours only on a TTY without NO_COLOR", () => {
    expect(renderTable(report, { color: true })).toContain(ESC);
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({}, {})).toBe(false);
  });
});

describe("json", () => {
  it("round-trips the ScanReport with its schemaVersion", () => {
    const report = fixtureReport();
    const parsed = JSON.parse(renderJson(report));
    expect(parsed).toEqual(report);
    expect(parsed.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
  });

  it("is written one account at a time, and the pieces make exactly the indented ScanReport", () => {
    const report = fixtureReport();
    const pieces = [...jsonPieces(report)];
    expect(pieces.join("")).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(pieces.filter((p) => p.includes('"results"'))).toHaveLength(report.accounts.length);
    const alone = { ...report, accounts: [], failedAccounts: [], organization: undefined };
    expect([...jsonPieces(alone)].join("")).toBe(`${JSON.stringify(alone, null, 2)}\n`);
  });

  it("writes a large account in pieces of about 64 KB, so that no account is one long string", () => {
    const base = fixtureReport();
    const account = base.accounts[0] as (typeof base.accounts)[number];
    const result = account.results[0] as (typeof account.results)[number];
    const results = Array.from({ length: 2_000 }, (_, i) => ({
      ...result,
      resource: `${result.resource}-${i}`,
    }));
    const report = { ...base, accounts: [{ ...account, results }] };
    const pieces = [...jsonPieces(report)];
    expect(pieces.join("")).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect(pieces.length).toBeGreaterThan(5);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(70_000);
  });

  it("writes OCSF and ASFF one finding at a time (the same indented arrays), CSV and HTML one account at a time", () => {
    const report = fixtureReport();
    const ocsf = [...reportPieces(report, "ocsf")];
    expect(ocsf.join("")).toBe(`${JSON.stringify(ocsfFindings(report), null, 2)}\n`);
    expect(ocsf.length).toBeGreaterThan(ocsfFindings(report).length);
    const asff = [...reportPieces(report, "asff")];
    expect(asff.join("")).toBe(`${JSON.stringify(asffFindings(report), null, 2)}\n`);
    expect(asff.length).toBeGreaterThan(asffFindings(report).length);
    for (const format of ["csv", "html"] as const) {
      const pieces = [...reportPieces(report, format)];
      expect(pieces.join("")).toBe(renderReport(report, format));
      expect(pieces.length).toBeGreaterThan(report.accounts.length);
    }
    expect([...arrayPieces([], 2)].join("")).toBe("[]");
    expect([...arrayPieces([{ a: [1] }], 1)].join("")).toBe(
      '[\n    {\n      "a": [\n        1\n      ]\n    }\n  ]',
    );
  });
});

describe("csv", () => {
  const report = fixtureReport();
  const rows = parseCsv(renderCsv(report));
  const header = rows[0] as string[];
  const col = (name: string) => header.indexOf(name);

  it("has one row per result plus one per account that could not be scanned", () => {
    const results = report.accounts.reduce((n, a) => n + a.results.length, 0);
    expect(rows.filter((r) => r[col("status")] !== "summary")).toHaveLength(1 + results + 1);
    expect(rows.every((r) => r.length === header.length)).toBe(true);
  });

  it("ends a multi-account report with summary rows: organization, accounts worst first, failing per check", () => {
    const summary = rows.filter((r) => r[col("status")] === "summary");
    expect(summary[0]?.[col("resource")]).toBe("AWS::Organizations::Organization:o-abcdefghij");
    expect(summary[0]?.[col("message")]).toMatch(
      /^Organization score [\d.]+\/100, coverage \d+%; 2 accounts scanned, 1 could not be$/,
    );
    const accounts = summary.filter((r) => (r[col("resource")] ?? "").startsWith("AWS::::Account:"));
    const worst = [...report.accounts].sort((a, b) => b.score.score - a.score.score);
    expect(accounts.map((r) => r[col("account_id")])).toEqual(worst.map((a) => a.accountId));
    const perCheck = summary.filter((r) => r[col("check_id")] !== "");
    expect(perCheck.length).toBeGreaterThan(0);
    for (const r of perCheck) expect(r[col("message")]).toMatch(/^\d+ failing findings in \d+ accounts$/);
    const single = parseCsv(renderCsv({ ...report, organization: undefined }));
    expect(single.some((r) => r[col("status")] === "summary")).toBe(false);
  });

  it("quotes commas and quotes (RFC 4180) and keeps evidence as compact JSON", () => {
    const evil = rows.find((r) => r[col("resource")]?.endsWith(EVIL_USER)) as string[];
    expect(evil[col("message")]).toBe(`${EVIL_USER} can sign in with a "password", alone`);
    expect(JSON.parse(evil[col("evidence")] as string)).toEqual({ user: EVIL_USER, mfaActive: false });
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
  });

  it("guards cells against formula injection and shows suppression", () => {
    const ci = rows.find(
      (r) => r[col("check_id")] === "access-key-rotation" && r[col("account_id")] === PROD,
    ) as string[];
    expect(ci[col("message")]).toBe(`'${FORMULA_MESSAGE}`);
    expect(ci[col("suppressed")]).toBe("true");
    expect(ci[col("suppression_reason")]).toBe("CI key, rotated by the vault");
    const dev = rows.find(
      (r) => r[col("check_id")] === "password-policy" && r[col("account_id")] === DEV,
    ) as string[];
    expect(dev[col("message")]).toBe("'-1 days of reuse prevention");
    for (const lead of ["=", "+", "-", "@"]) expect(csvCell(`${lead}x`)).toBe(`'${lead}x`);
    expect(csvCell("plain")).toBe("plain");
  });
});

describe("ocsf", () => {
  const report = fixtureReport();
  const findings = ocsfFindings(report);

  it("emits one Detection Finding per fail, unknown and error result", () => {
    const expected = report.accounts.flatMap((a) =>
      a.results.filter((r) => ["fail", "unknown", "error"].includes(r.status)),
    ).length;
    expect(findings).toHaveLength(expected + report.failedAccounts.length);
  });

  it("reports each account that could not be scanned, and carries the scores", () => {
    const failed = report.failedAccounts[0];
    const f = findings.find((x) => x.unmapped.check_id === "account-not-scanned");
    expect(f?.cloud.account.uid).toBe(failed?.accountId);
    expect(f?.message).toContain(`${failed?.code}: ${failed?.message}`);
    expect(f?.finding_info.types).toContain("mfawatch/incomplete-evaluation");
    const scored = findings.find((x) => x.unmapped.check_id !== "account-not-scanned");
    expect(scored?.unmapped.organization_score).toBe(report.organization?.score);
    expect(typeof scored?.unmapped.account_score).toBe("number");
  });

  it("fills every required field on every finding", () => {
    for (const f of findings) {
      expect(f.class_uid).toBe(2004);
      expect(f.category_uid).toBe(2);
      expect(f.activity_id).toBe(1);
      expect(f.type_uid).toBe(200401);
      expect(f.severity_id).toBeGreaterThanOrEqual(1);
      expect(f.severity_id).toBeLessThanOrEqual(5);
      expect(typeof f.severity).toBe("string");
      expect([1, 3]).toContain(f.status_id);
      expect(Number.isInteger(f.time)).toBe(true);
      expect(f.metadata.version).toBe("1.1.0");
      expect(f.metadata.product).toMatchObject({
        name: "mfawatch",
        vendor_name: "mfawatch",
        version: "9.9.9",
      });
      expect(f.finding_info.uid).toMatch(/^mfawatch-/);
      expect(f.finding_info.title.length).toBeGreaterThan(0);
      expect(f.finding_info.desc.length).toBeGreaterThan(0);
      expect(Number.isInteger(f.finding_info.created_time)).toBe(true);
      expect(f.finding_info.types.length).toBeGreaterThan(0);
      expect(f.resources[0]?.uid).toBeTruthy();
      expect(f.resources[0]?.type).toBeTruthy();
      expect(f.cloud.provider).toBe("AWS");
      expect(f.cloud.account.uid).toMatch(/^\d{12}$/);
      expect(f.remediation.references.length).toBeGreaterThan(0);
      expect(f.unmapped.evidence).toBeDefined();
    }
    expect(new Set(findings.map((f) => f.finding_info.uid)).size).toBe(findings.length);
  });

  it("maps severity, suppression and unknowns", () => {
    const root = findings.find((f) => f.unmapped.check_id === "root-mfa-enabled");
    expect(root).toMatchObject({ severity_id: 5, severity: "Critical", status_id: 1, status: "New" });
    const quiet = findings.find(
      (f) => f.unmapped.check_id === "access-key-rotation" && f.cloud.account.uid === PROD,
    );
    expect(quiet).toMatchObject({
      status_id: 3,
      status: "Suppressed",
      status_detail: "CI key, rotated by the vault",
    });
    const unknown = findings.find((f) => f.unmapped.mfawatch_status === "unknown");
    expect(unknown?.finding_info.title).toMatch(/^Could not evaluate: /);
    expect(unknown?.finding_info.types).toContain("mfawatch/incomplete-evaluation");
  });
});

describe("asff", () => {
  const report = fixtureReport();
  const findings = asffFindings(report);
  const required = [
    "SchemaVersion",
    "Id",
    "ProductArn",
    "GeneratorId",
    "AwsAccountId",
    "Types",
    "CreatedAt",
    "UpdatedAt",
    "Severity",
    "Title",
    "Description",
    "Resources",
  ] as const;

  it("emits every result and every account that could not be scanned, with the required fields", () => {
    expect(findings).toHaveLength(
      report.accounts.reduce((n, a) => n + a.results.length, 0) + report.failedAccounts.length,
    );
    const failed = findings.find((f) => f.GeneratorId === "account-not-scanned");
    expect(failed?.Compliance.StatusReasons?.[0]?.ReasonCode).toBe("MFAWATCH_ACCOUNT_NOT_SCANNED");
    expect(failed?.AwsAccountId).toBe(report.failedAccounts[0]?.accountId);
    expect(findings[0]?.ProductFields["mfawatch/OrganizationScore"]).toBe(String(report.organization?.score));
    for (const f of findings) {
      for (const field of required) expect(f[field], field).toBeTruthy();
      expect(f.SchemaVersion).toBe("2018-10-08");
      expect(f.ProductArn).toBe(
        `arn:aws:securityhub:eu-west-1:${f.AwsAccountId}:product/${f.AwsAccountId}/default`,
      );
      expect(f.Types).toEqual(["Software and Configuration Checks/AWS Security Best Practices"]);
      expect(f.Title.length).toBeLessThanOrEqual(256);
      expect(f.Description.length).toBeLessThanOrEqual(1024);
      expect(["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"]).toContain(f.Severity.Label);
      expect(["PASSED", "FAILED", "WARNING", "NOT_AVAILABLE"]).toContain(f.Compliance.Status);
      expect(f.Resources.length).toBeGreaterThan(0);
      for (const r of f.Resources) {
        expect(["AwsIamUser", "AwsAccount", "AwsIamRole", "Other"]).toContain(r.Type);
        expect(r.Id).toBeTruthy();
      }
      expect(f.RecordState).toBe("ACTIVE");
      expect(f.Remediation.Recommendation.Text).toBeTruthy();
      expect(Object.values(f.ProductFields).every((v) => typeof v === "string")).toBe(true);
    }
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
  });

  it("maps statuses, resources and suppression", () => {
    const byStatus = (s: string) => findings.find((f) => f.ProductFields["mfawatch/Status"] === s);
    expect(byStatus("fail")?.Compliance.Status).toBe("FAILED");
    expect(byStatus("pass")).toMatchObject({
      Compliance: { Status: "PASSED" },
      Severity: { Label: "INFORMATIONAL" },
    });
    expect(byStatus("unknown")?.Compliance.Status).toBe("WARNING");
    expect(byStatus("error")?.Compliance.Status).toBe("WARNING");
    expect(byStatus("not_applicable")?.Compliance.Status).toBe("NOT_AVAILABLE");
    const user = findings.find((f) => f.Resources[0]?.Id.endsWith(EVIL_USER));
    expect(user?.Resources[0]?.Type).toBe("AwsIamUser");
    expect(user?.Severity.Label).toBe("HIGH");
    const root = findings.find((f) => f.GeneratorId === "root-mfa-enabled" && f.AwsAccountId === PROD);
    expect(root).toMatchObject({ Severity: { Label: "CRITICAL" }, Resources: [{ Type: "AwsAccount" }] });
    const quiet = findings.find((f) => f.Workflow.Status === "SUPPRESSED");
    expect(quiet?.Note?.Text).toContain("CI key, rotated by the vault");
  });
});

describe("html", () => {
  const report = fixtureReport();
  const html = renderHtml(report);

  it("is one self-contained file: no script, no external asset", () => {
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/\ssrc\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain("<style>");
    expect(html).toContain("<svg");
  });

  it("escapes data: a resource name with <script> stays text", () => {
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(html).not.toContain(EVIL_USER);
  });

  it("shows scores, an account table linking to sections, findings with evidence and remediation, unknowns, suppressed", () => {
    expect(html).toContain(`href="#account-${PROD}"`);
    expect(html).toContain(`id="account-${PROD}"`);
    expect(html).toContain(`id="account-${DEV}"`);
    expect(html).toContain("<details><summary>Evidence</summary>");
    expect(html).toContain("<details><summary>Remediation</summary>");
    expect(html).toContain("Could not be judged (1)");
    expect(html).toContain("AccessDeniedException (sso:ListInstances)");
    expect(html).toMatch(/Suppressed until 2026-12-31: CI key, rotated by the vault/);
    expect(html).toContain("333333333333 (lost)");
  });
});

it("renders every format", () => {
  const report = fixtureReport();
  for (const format of REPORT_FORMATS) expect(renderReport(report, format).length).toBeGreaterThan(100);
});
