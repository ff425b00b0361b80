/** The JSON report: the ScanReport itself, versioned by `schemaVersion` (see docs/REPORTS.md). */
import type { ScanReport } from "./types.js";

export function renderJson(report: ScanReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
