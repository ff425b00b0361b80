/** Every report format behind one name, and the file each is written to by --output-dir. */
import { renderAsff } from "./asff.js";
import { renderCsv } from "./csv.js";
import { renderHtml } from "./html.js";
import { renderJson } from "./json.js";
import { renderOcsf } from "./ocsf.js";
import { renderTable } from "./table.js";
import type { ScanReport } from "./types.js";

export const REPORT_FORMATS = ["table", "json", "csv", "ocsf", "asff", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The files `--output-dir` writes, one per format. */
export const REPORT_FILES: Record<ReportFormat, string> = {
  json: "report.json",
  csv: "report.csv",
  ocsf: "report.ocsf.json",
  asff: "report.asff.json",
  html: "report.html",
  table: "report.txt",
};

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export function renderReport(
  report: ScanReport,
  format: ReportFormat,
  options: { color?: boolean } = {},
): string {
  switch (format) {
    case "table":
      return renderTable(report, { color: options.color ?? false });
    case "json":
      return renderJson(report);
    case "csv":
      return renderCsv(report);
    case "ocsf":
      return renderOcsf(report);
    case "asff":
      return renderAsff(report);
    case "html":
      return renderHtml(report);
  }
}
