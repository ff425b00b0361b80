/** Every report format behind one name, and the file each is written to by --output-dir. */
import { asffPieces, renderAsff } from "./asff.js";
import { csvPieces, renderCsv } from "./csv.js";
import { htmlPieces, renderHtml } from "./html.js";
import { jsonPieces, renderJson } from "./json.js";
import { ocsfPieces, renderOcsf } from "./ocsf.js";
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

/**
 * The report in pieces, to be written one after the other: one account or finding at a time (an
 * organization's ASFF is longer than a JavaScript string may be); the table whole.
 */
export function reportPieces(
  report: ScanReport,
  format: ReportFormat,
  options: { color?: boolean } = {},
): Iterable<string> {
  switch (format) {
    case "json":
      return jsonPieces(report);
    case "ocsf":
      return ocsfPieces(report);
    case "asff":
      return asffPieces(report);
    case "csv":
      return csvPieces(report);
    case "html":
      return htmlPieces(report);
    default:
      return [renderReport(report, format, options)];
  }
}
