import { type AnyCheck, SEVERITIES } from "../checks/types.js";

/** Checks in catalogue order: most severe first, then by id. */
function catalogueOrder(checks: readonly AnyCheck[]): AnyCheck[] {
  return [...checks].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** Text for one Markdown table cell: no line breaks, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

function sections(names: readonly string[] | undefined): string {
  return names && names.length > 0 ? names.map((n) => `\`${n}\``).join(", ") : "none";
}

/** Security Hub control ids link to their service's control page, e.g. IAM.5 → iam-controls.html#iam-5. */
function securityHubLink(control: string): string {
  const [service = "", number = ""] = control.split(".");
  const page = service.toLowerCase();
  return `[${control}](https://docs.aws.amazon.com/securityhub/latest/userguide/${page}-controls.html#${page}-${number})`;
}

function configRuleLink(rule: string): string {
  return `[\`${rule}\`](https://docs.aws.amazon.com/config/latest/developerguide/${rule}.html)`;
}

function references(check: AnyCheck): string[] {
  const { cis, awsConfig, securityHub } = check.references;
  const lines: string[] = [];
  if (cis?.length) lines.push(`- CIS AWS Foundations Benchmark v3.0: ${cis.join(", ")}`);
  if (awsConfig?.length) lines.push(`- AWS Config managed rule: ${awsConfig.map(configRuleLink).join(", ")}`);
  if (securityHub?.length)
    lines.push(`- AWS Security Hub control: ${securityHub.map(securityHubLink).join(", ")}`);
  return lines.length > 0 ? lines : ["None: no benchmark or AWS control covers this check."];
}

function section(check: AnyCheck): string {
  return [
    `## ${check.id}`,
    "",
    `**${check.title}**`,
    "",
    `Severity: **${check.severity}**. Requires: ${sections(check.requires)}. Optional: ${sections(check.optional)}.`,
    "",
    "### Risk",
    "",
    check.risk,
    "",
    "### Remediation",
    "",
    `- Console: ${check.remediation.console}`,
    `- Documentation: <${check.remediation.docs}>`,
    "- CLI:",
    "",
    "  ```sh",
    `  ${check.remediation.cli}`,
    "  ```",
    "",
    "### References",
    "",
    ...references(check),
    "",
  ].join("\n");
}

/**
 * The check catalogue (docs/CHECKS.md): a table of every check, then one section per check with
 * its risk, remediation, references and the snapshot sections it reads. Deterministic.
 */
export function renderChecksMarkdown(checks: readonly AnyCheck[]): string {
  const ordered = catalogueOrder(checks);
  const rows = ordered.map(
    (c) => `| [${c.id}](#${c.id}) | ${c.severity} | ${cell(c.title)} | ${sections(c.requires)} |`,
  );
  return [
    "# Checks",
    "",
    "<!-- Generated from the checks' metadata by `npm run docs`; do not edit by hand. -->",
    "",
    `mfawatch runs ${ordered.length} checks. A check whose required sections could not be collected`,
    "reports `unknown` with the reason, never a pass. Optional sections are read when present.",
    "",
    "| Id | Severity | Title | Requires |",
    "|----|----------|-------|----------|",
    ...rows,
    "",
    ...ordered.map(section),
  ].join("\n");
}
