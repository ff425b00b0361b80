import type { ReportBool, ReportDate } from "../../snapshot/types.js";

const DAY_MS = 86_400_000;

/** A credential-report date cell as a Date, or null for `N/A`, `no_information`, `not_supported` or junk. */
export function reportDate(value: ReportDate | null | undefined): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** True only for a real `true`: `not_supported` and `N/A` are not true. */
export function isTrue(value: ReportBool): boolean {
  return value === true;
}

/** Whole days from `from` to `to` (floored; negative when `from` is later). */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/** Whole days from a report date cell to `now`, or null when the cell holds no date. */
export function daysSince(value: ReportDate | null | undefined, now: Date): number | null {
  const date = reportDate(value);
  return date ? daysBetween(date, now) : null;
}
