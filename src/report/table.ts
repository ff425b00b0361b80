/** The terminal report: organization summary, then per account findings, unknowns, counts. */
import { SEVERITIES, type Severity } from "../checks/types.js";
import {
  accountLabel,
  bySeverity,
  configRulesLine,
  failing,
  failingPerCheck,
  percent,
  STATUS_LABELS,
  suppressed,
  unknowns,
  worstFirst,
} from "./common.js";
import type { AccountReport, ScanReport } from "./types.js";

export interface TableOptions {
  /** ANSI colours: only when writing to a terminal and NO_COLOR is unset. */
  color: boolean;
}

const CODES = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, magenta: 35, cyan: 36 } as const;
type Style = keyof typeof CODES;

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: "magenta",
  high: "red",
  medium: "yellow",
  low: "cyan",
  info: "dim",
};

/** Data never reaches the terminal with control characters (no escape-sequence injection). */
function plain(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => (c === "\n" ? c : "\ufffd"));
}

function painter(color: boolean) {
  return (style: Style, text: string) => (color ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text);
}

/** Whether a stream should get colours: a TTY, and NO_COLOR unset or empty. */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export function renderTable(report: ScanReport, options: TableOptions = { color: false }): string {
  const paint = painter(options.color);
  const lines: string[] = [];
  const n = report.accounts.length + report.failedAccounts.length;
  lines.push(
    paint(
      "bold",
      `mfawatch ${report.tool.version}: ${n} account${n === 1 ? "" : "s"}, ${report.generatedAt}`,
    ),
    "",
  );
  if (report.organization || report.accounts.length > 1)
    lines.push(...organizationSummary(report, paint), "");
  if (report.failedAccounts.length > 0) {
    lines.push(paint("bold", "Accounts that could not be scanned"));
    for (const f of report.failedAccounts)
      lines.push(`  ${plain(`${accountLabel(f)}: ${f.code}: ${f.message}`)}`);
    lines.push("");
  }
  for (const account of report.accounts) lines.push(...accountSection(account, paint), "");
  return `${lines.join("\n").trimEnd()}\n`;
}

type Paint = ReturnType<typeof painter>;

function organizationSummary(report: ScanReport, paint: Paint): string[] {
  const org = report.organization;
  const lines = [paint("bold", `Organization${org?.organizationId ? ` ${org.organizationId}` : ""}`)];
  if (org) {
    lines.push(`  Score ${org.score}/100 (0 = nothing known wrong), coverage ${percent(org.coverage.ratio)}`);
  }
  const rules = configRulesLine(report);
  if (rules) lines.push(`  ${plain(rules)}`);
  const accounts = worstFirst(report.accounts);
  const width = Math.max(7, ...accounts.map((a) => accountLabel(a).length));
  lines.push(`  ${"Account".padEnd(width)}  Score  Coverage  ${SEVERITIES.map(abbrev).join(" ")}`);
  for (const a of accounts) {
    const counts = SEVERITIES.map((s) => String(a.score.failing[s]).padStart(abbrev(s).length)).join(" ");
    lines.push(
      `  ${plain(accountLabel(a)).padEnd(width)}  ${String(a.score.score).padStart(5)}  ${percent(a.score.coverage.ratio).padStart(8)}  ${counts}`,
    );
  }
  const perCheck = failingPerCheck(report);
  if (perCheck.length > 0) {
    lines.push("  Failing per check:");
    for (const row of perCheck) {
      lines.push(
        `    ${paint(SEVERITY_STYLE[row.severity], row.severity.padEnd(8))} ${row.checkId}: ${row.count} in ${row.accounts} account${row.accounts === 1 ? "" : "s"}`,
      );
    }
  }
  return lines;
}

function abbrev(severity: Severity): string {
  return { critical: "Crit", high: "High", medium: "Med", low: "Low", info: "Info" }[severity];
}

function accountSection(account: AccountReport, paint: Paint): string[] {
  const { score } = account;
  const lines = [
    paint("bold", `Account ${plain(accountLabel(account))}`),
    `  Score ${score.score}/100 (0 = nothing known wrong), coverage ${percent(score.coverage.ratio)} (${score.coverage.evaluated} judged, ${score.coverage.unknown} could not be)`,
    `  Collected ${account.collectedAt}${account.credentialReportGeneratedAt ? `, credential report generated ${account.credentialReportGeneratedAt}` : ""}`,
  ];

  const fails = bySeverity(failing(account));
  lines.push("", paint("bold", `  Failing findings (${fails.length})`));
  if (fails.length === 0) lines.push("    none");
  for (const severity of SEVERITIES) {
    const group = fails.filter((r) => r.severity === severity);
    if (group.length === 0) continue;
    lines.push(`    ${paint(SEVERITY_STYLE[severity], severity.toUpperCase())}`);
    for (const r of group)
      lines.push(`      ${r.checkId}  ${plain(r.resource)}`, `        ${plain(r.message)}`);
  }

  const unknown = bySeverity(unknowns(account));
  if (unknown.length > 0) {
    lines.push("", paint("bold", `  Could not be judged (${unknown.length}): never a pass`));
    for (const r of unknown)
      lines.push(
        `    ${paint("yellow", r.status)}  ${r.checkId}  ${plain(r.resource)}`,
        `      ${plain(r.message)}`,
      );
  }

  const quiet = suppressed(account);
  if (quiet.length > 0) {
    lines.push("", paint("bold", `  Suppressed (${quiet.length})`));
    for (const r of quiet) {
      const until = r.suppressed?.expires ? ` until ${r.suppressed.expires}` : "";
      lines.push(
        `    ${paint("dim", STATUS_LABELS[r.status])}  ${r.checkId}  ${plain(r.resource)}`,
        `      ${plain(r.message)}`,
        `      suppressed${until}: ${plain(r.suppressed?.reason ?? "")}`,
      );
    }
  }

  const c = score.counts;
  lines.push(
    "",
    `  ${paint("green", `${c.pass} pass`)}, ${paint("red", `${c.fail} fail`)}, ${c.unknown} unknown, ${c.error} error, ${c.not_applicable} not applicable, ${score.suppressed} suppressed`,
  );
  if (account.sectionErrors.length > 0) {
    lines.push(paint("bold", "  Sections that could not be collected:"));
    for (const { section, error } of account.sectionErrors) {
      lines.push(
        plain(
          `    ${section}: ${error.code}${error.operation ? ` (${error.operation})` : ""}: ${error.message}`,
        ),
      );
    }
  }
  return lines;
}
