/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, no external asset)
 * that opens offline. Every value from the scan is escaped.
 */
import { type CheckResult, SEVERITIES, type Severity } from "../checks/types.js";
import {
  accountLabel,
  bySeverity,
  checkMeta,
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

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const e = escapeHtml;

const COLORS: Record<Severity, string> = {
  critical: "#7b1fa2",
  high: "#c62828",
  medium: "#ef6c00",
  low: "#1565c0",
  info: "#757575",
};

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:1.5rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.25rem;border-bottom:1px solid #ddd;padding-bottom:.25rem;margin-top:2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
.sev{display:inline-block;min-width:4.5rem;padding:0 .4rem;border-radius:3px;color:#fff;font-size:.8rem;text-transform:uppercase;text-align:center}
${SEVERITIES.map((s) => `.sev-${s}{background:${COLORS[s]}}`).join("")}
.status{font-weight:600}.muted{color:#666}code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;white-space:pre-wrap;word-break:break-all}
.finding{border:1px solid #e3e3e3;border-radius:4px;padding:.5rem .75rem;margin:.5rem 0}
.unknown{border-left:4px solid #f9a825}.fail{border-left:4px solid #c62828}.suppressed{border-left:4px solid #9e9e9e}
.score{font-size:1.6rem;font-weight:700}`;

export function renderHtml(report: ScanReport): string {
  return [...htmlPieces(report)].join("");
}

/** The HTML report in pieces: the head and summary, then one account's section at a time. */
export function* htmlPieces(report: ScanReport): Generator<string> {
  const head: string[] = [
    `<h1>mfawatch report</h1>`,
    `<p class="muted">mfawatch ${e(report.tool.version)}, generated ${e(report.generatedAt)}. Scores run from 0 (nothing known wrong) to 100.</p>`,
  ];
  if (report.accounts.length > 1 || report.organization) head.push(organization(report));
  if (report.failedAccounts.length > 0) {
    head.push(
      `<h2>Accounts that could not be scanned</h2><ul>${report.failedAccounts
        .map(
          (f) =>
            `<li id="${anchor(f.accountId, "failed")}"><strong>${e(accountLabel(f))}</strong>: ${e(f.code)}: ${e(f.message)}</li>`,
        )
        .join("")}</ul>`,
    );
  }
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mfawatch report ${e(report.generatedAt)}</title>
<style>${CSS}</style>
</head>
<body>
${head.join("\n")}`;
  for (const account of report.accounts) yield `\n${accountSection(report, account)}`;
  yield `
</body>
</html>
`;
}

function anchor(accountId: string, kind: "account" | "failed" = "account"): string {
  return `${kind}-${accountId.replace(/[^A-Za-z0-9_-]/g, "")}`;
}

function organization(report: ScanReport): string {
  const org = report.organization;
  const rules = configRulesLine(report);
  const accounts = worstFirst(report.accounts);
  const rows = accounts
    .map(
      (a) =>
        `<tr><td><a href="#${anchor(a.accountId)}">${e(accountLabel(a))}</a></td><td>${a.score.score}</td><td>${percent(a.score.coverage.ratio)}</td>${SEVERITIES.map((s) => `<td>${a.score.failing[s]}</td>`).join("")}<td>${unknowns(a).length}</td></tr>`,
    )
    .join("\n");
  const failed = report.failedAccounts
    .map(
      (f) =>
        `<tr><td><a href="#${anchor(f.accountId, "failed")}">${e(accountLabel(f))}</a></td><td colspan="${SEVERITIES.length + 3}" class="muted">could not be scanned: ${e(f.code)}</td></tr>`,
    )
    .join("\n");
  const perCheck = failingPerCheck(report)
    .map(
      (r) =>
        `<tr><td><span class="sev sev-${r.severity}">${r.severity}</span></td><td><code>${e(r.checkId)}</code></td><td>${r.count}</td><td>${r.accounts}</td></tr>`,
    )
    .join("\n");
  return `<h2>Organization${org?.organizationId ? ` ${e(org.organizationId)}` : ""}</h2>
${org ? `<p><span class="score">${org.score}</span>/100, coverage ${percent(org.coverage.ratio)}</p>` : ""}
${rules ? `<p>${e(rules)}</p>` : ""}
${chart(accounts)}
<table><thead><tr><th>Account</th><th>Score</th><th>Coverage</th>${SEVERITIES.map((s) => `<th>${s}</th>`).join("")}<th>unknown</th></tr></thead>
<tbody>${rows}${failed ? `\n${failed}` : ""}</tbody></table>
${perCheck ? `<h3>Failing findings per check</h3><table><thead><tr><th>Severity</th><th>Check</th><th>Findings</th><th>Accounts</th></tr></thead><tbody>${perCheck}</tbody></table>` : ""}`;
}

/** A stacked horizontal bar per account: failing findings by severity. */
function chart(accounts: AccountReport[]): string {
  const max = Math.max(1, ...accounts.map((a) => SEVERITIES.reduce((n, s) => n + a.score.failing[s], 0)));
  const rowHeight = 22;
  const labelWidth = 220;
  const barWidth = 480;
  const bars = accounts.map((a, i) => {
    const y = i * rowHeight;
    let x = labelWidth;
    const parts = SEVERITIES.filter((s) => a.score.failing[s] > 0).map((s) => {
      const w = (a.score.failing[s] / max) * barWidth;
      const rect = `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" fill="${COLORS[s]}"><title>${s}: ${a.score.failing[s]}</title></rect>`;
      x += w;
      return rect;
    });
    const total = SEVERITIES.reduce((n, s) => n + a.score.failing[s], 0);
    return `<text x="0" y="${y + 15}" font-size="12">${e(accountLabel(a).slice(0, 32))}</text>${parts.join("")}<text x="${(x + 4).toFixed(1)}" y="${y + 15}" font-size="12">${total}</text>`;
  });
  const height = accounts.length * rowHeight + 24;
  const legend = SEVERITIES.map(
    (s, i) =>
      `<rect x="${labelWidth + i * 90}" y="${height - 16}" width="10" height="10" fill="${COLORS[s]}"/><text x="${labelWidth + i * 90 + 14}" y="${height - 7}" font-size="11">${s}</text>`,
  ).join("");
  return `<svg role="img" aria-label="Failing findings by severity per account" width="${labelWidth + barWidth + 40}" height="${height}">${bars.join("")}${legend}</svg>`;
}

function evidence(result: CheckResult): string {
  return `<details><summary>Evidence</summary><pre>${e(JSON.stringify(result.evidence, null, 2))}</pre></details>`;
}

function findingBlock(
  report: ScanReport,
  result: CheckResult,
  kind: "fail" | "unknown" | "suppressed",
): string {
  const meta = checkMeta(report, result.checkId);
  const remediation =
    meta && kind !== "unknown"
      ? `<details><summary>Remediation</summary><p>${e(meta.remediation.console)}</p><pre>${e(meta.remediation.cli)}</pre>${
          /^https:\/\//.test(meta.remediation.docs)
            ? `<p><a href="${e(meta.remediation.docs)}">${e(meta.remediation.docs)}</a></p>`
            : ""
        }</details>`
      : "";
  const suppression = result.suppressed
    ? `<p class="muted">Suppressed${result.suppressed.expires ? ` until ${e(result.suppressed.expires)}` : ""}: ${e(result.suppressed.reason)}</p>`
    : "";
  return `<div class="finding ${kind}">
<p><span class="sev sev-${result.severity}">${result.severity}</span> <span class="status">${e(STATUS_LABELS[result.status])}</span> <code>${e(result.checkId)}</code> ${meta ? e(meta.title) : ""}</p>
<p><code>${e(result.resource)}</code></p>
<p>${e(result.message)}</p>
${suppression}${evidence(result)}${remediation}
</div>`;
}

function accountSection(report: ScanReport, account: AccountReport): string {
  const { score } = account;
  const c = score.counts;
  const fails = bySeverity(failing(account));
  const unknown = bySeverity(unknowns(account));
  const quiet = suppressed(account);
  const sectionErrors = account.sectionErrors.length
    ? `<h3>Sections that could not be collected</h3><ul>${account.sectionErrors
        .map(
          ({ section, error }) =>
            `<li><code>${e(section)}</code>: ${e(error.code)}${error.operation ? ` (${e(error.operation)})` : ""}: ${e(error.message)}</li>`,
        )
        .join("")}</ul>`
    : "";
  return `<section id="${anchor(account.accountId)}">
<h2>Account ${e(accountLabel(account))}</h2>
<p><span class="score">${score.score}</span>/100, coverage ${percent(score.coverage.ratio)} (${score.coverage.evaluated} judged, ${score.coverage.unknown} could not be).
Collected ${e(account.collectedAt)}${account.credentialReportGeneratedAt ? `; credential report generated ${e(account.credentialReportGeneratedAt)}` : ""}.</p>
<p>${c.pass} pass, ${c.fail} fail, ${c.unknown} unknown, ${c.error} error, ${c.not_applicable} not applicable, ${score.suppressed} suppressed.</p>
<h3>Failing findings (${fails.length})</h3>
${fails.map((r) => findingBlock(report, r, "fail")).join("\n") || "<p>None.</p>"}
${unknown.length ? `<h3>Could not be judged (${unknown.length}): never a pass</h3>\n${unknown.map((r) => findingBlock(report, r, "unknown")).join("\n")}` : ""}
${quiet.length ? `<h3>Suppressed (${quiet.length})</h3>\n${quiet.map((r) => findingBlock(report, r, "suppressed")).join("\n")}` : ""}
${sectionErrors}
</section>`;
}
