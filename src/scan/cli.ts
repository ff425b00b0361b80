/**
 * What `scan`, `evaluate` and `demo` share: the judging flags (configuration file, check
 * selection, severities) and the output flags (format, files), resolved into settings, and the
 * one place a finished report is rendered, written and turned into an exit code.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { extname, join, resolve } from "node:path";
import { checks as registry } from "../checks/index.js";
import { type AnyCheck, type CheckOptions, SEVERITIES, type Severity } from "../checks/types.js";
import { FailureError, UsageError } from "../cli/errors.js";
import type { CliIo } from "../cli/io.js";
import { checkOptionsFrom, loadConfig } from "../config/config.js";
import type { SuppressionRule } from "../engine/suppressions.js";
import {
  isReportFormat,
  REPORT_FILES,
  REPORT_FORMATS,
  type ReportFormat,
  reportPieces,
} from "../report/render.js";
import { shouldColor } from "../report/table.js";
import type { ScanReport } from "../report/types.js";
import { openStore, resolveStoreUrl } from "../store/open.js";
import { scanOutcome } from "./outcome.js";

export const JUDGE_FLAGS = {
  config: { type: "string" },
  checks: { type: "string" },
  "skip-checks": { type: "string" },
  "min-severity": { type: "string" },
  "fail-on": { type: "string" },
} as const;

export const OUTPUT_FLAGS = {
  format: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  "output-dir": { type: "string" },
  store: { type: "string" },
  quiet: { type: "boolean", short: "q" },
} as const;

export const JUDGE_USAGE = `Judging:
  --config FILE          mfawatch configuration file (thresholds, suppressions, defaults)
  --checks a,b           run only these checks
  --skip-checks c,d      do not run these checks
  --min-severity S       run only checks of severity S or above (${SEVERITIES.join(", ")})
  --fail-on S            exit 1 when a failing finding is at or above S (default high)
Output:
  --format F             ${REPORT_FORMATS.join(", ")} (default: table on a terminal, json otherwise)
  --output FILE          write the report to FILE (format from --format, else from the extension)
  --output-dir DIR       write every format to DIR (${Object.values(REPORT_FILES).join(", ")})
  --store URL            record the scan in the store the dashboard reads (mfawatch serve):
                         a file path, sqlite:PATH or postgres://…
  --quiet                no progress lines on stderr
`;

export interface JudgeFlags {
  config?: string;
  checks?: string;
  "skip-checks"?: string;
  "min-severity"?: string;
  "fail-on"?: string;
}

export interface OutputFlags {
  format?: string;
  output?: string;
  "output-dir"?: string;
  store?: string;
  quiet?: boolean;
}

/** Collection settings a configuration file may give. */
export interface CollectDefaults {
  cloudTrailDays?: number;
  userMfaDevices?: "auto" | "all" | "none";
  userMfaDevicesLimit?: number;
  credentialReportWaitMs?: number;
}

export interface Judging {
  checks: AnyCheck[];
  options: Partial<CheckOptions>;
  suppressions: SuppressionRule[];
  failOn: Severity;
  collect: CollectDefaults;
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseSeverity(flag: string, value: string): Severity {
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw new UsageError(`--${flag} takes one of ${SEVERITIES.join(", ")}, not "${value}".`);
}

/** The checks to run: `include` (all when absent) minus `exclude`, at or above `minSeverity`. */
export function selectChecks(
  all: readonly AnyCheck[],
  include: string[] | undefined,
  exclude: string[],
  minSeverity: Severity | undefined,
): AnyCheck[] {
  const known = new Set(all.map((c) => c.id));
  const unknown = [...(include ?? []), ...exclude].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown check id${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ")}. Known checks: ${[...known].join(", ")}.`,
    );
  }
  const limit = minSeverity ? SEVERITIES.indexOf(minSeverity) : SEVERITIES.length;
  return all.filter(
    (c) =>
      (include === undefined || include.includes(c.id)) &&
      !exclude.includes(c.id) &&
      SEVERITIES.indexOf(c.severity) <= limit,
  );
}

/**
 * Reads the configuration file (if any; a bad one throws ConfigError, a UsageError) and applies
 * the flags over it; flags win.
 */
export function resolveJudging(flags: JudgeFlags, io: CliIo, all: readonly AnyCheck[] = registry): Judging {
  const config = loadConfig({
    ...(flags.config ? { file: flags.config } : {}),
    cwd: io.cwd,
    knownCheckIds: all.map((c) => c.id),
  });
  const minFlag = flags["min-severity"];
  const failFlag = flags["fail-on"];
  const minSeverity = minFlag ? parseSeverity("min-severity", minFlag) : config.minSeverity;
  const failOn = failFlag ? parseSeverity("fail-on", failFlag) : (config.failOn ?? "high");
  const include = list(flags.checks) ?? config.checks.include;
  const exclude = [...(list(flags["skip-checks"]) ?? []), ...(config.checks.exclude ?? [])];
  const selected = selectChecks(all, include, exclude, minSeverity);
  if (selected.length === 0)
    throw new UsageError("no check left to run after --checks, --skip-checks and --min-severity.");
  return {
    checks: selected,
    options: checkOptionsFrom(config),
    suppressions: config.suppressions,
    failOn,
    collect: {
      ...(config.collect.cloudTrailDays !== undefined
        ? { cloudTrailDays: config.collect.cloudTrailDays }
        : {}),
      ...(config.collect.userMfaDevices !== undefined
        ? { userMfaDevices: config.collect.userMfaDevices }
        : {}),
      ...(config.collect.userMfaDeviceLimit !== undefined
        ? { userMfaDevicesLimit: config.collect.userMfaDeviceLimit }
        : {}),
      ...(config.collect.credentialReportTimeoutSeconds !== undefined
        ? { credentialReportWaitMs: config.collect.credentialReportTimeoutSeconds * 1000 }
        : {}),
    },
  };
}

export interface OutputPlan {
  /** The format written to stdout or to `file`; absent when only --output-dir was given. */
  format?: ReportFormat;
  file?: string;
  dir?: string;
  /** The store to record the scan in (a resolved store URL). */
  store?: string;
  color: boolean;
  quiet: boolean;
}

const EXTENSIONS: Record<string, ReportFormat> = {
  ".json": "json",
  ".csv": "csv",
  ".html": "html",
  ".htm": "html",
  ".txt": "table",
};

/** Checks the output flags before any work is done. */
export function planOutput(flags: OutputFlags, io: CliIo): OutputPlan {
  if (flags.format !== undefined && !isReportFormat(flags.format)) {
    throw new UsageError(`--format takes one of ${REPORT_FORMATS.join(", ")}, not "${flags.format}".`);
  }
  const file = flags.output ? resolve(io.cwd, flags.output) : undefined;
  const dir = flags["output-dir"] ? resolve(io.cwd, flags["output-dir"]) : undefined;
  const quiet = flags.quiet ?? false;
  let format = flags.format as ReportFormat | undefined;
  if (!format && file) format = EXTENSIONS[extname(file).toLowerCase()] ?? "json";
  if (!format && !dir) format = io.stdout.isTTY ? "table" : "json";
  const store = flags.store === undefined ? undefined : resolveStoreUrl(flags.store, io.cwd);
  return {
    ...(format ? { format } : {}),
    ...(file ? { file } : {}),
    ...(store ? { store } : {}),
    ...(dir ? { dir } : {}),
    color: !file && shouldColor(io.stdout, io.env),
    quiet,
  };
}

async function write(file: string, text: Iterable<string>): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    throw new FailureError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

/** Renders and writes the report as planned, says on stderr how the scan ended, returns the exit code. */
export async function emitReport(
  command: string,
  report: ScanReport,
  plan: OutputPlan,
  failOn: Severity,
  io: CliIo,
): Promise<number> {
  if (plan.dir) {
    try {
      await mkdir(plan.dir, { recursive: true });
    } catch (error) {
      throw new FailureError(`cannot create ${plan.dir}: ${(error as Error).message}`);
    }
    for (const format of REPORT_FORMATS)
      await write(join(plan.dir, REPORT_FILES[format]), reportPieces(report, format));
    if (!plan.quiet)
      io.stderr.write(`mfawatch ${command}: wrote ${REPORT_FORMATS.length} reports to ${plan.dir}\n`);
  }
  if (plan.format && plan.file) {
    await write(plan.file, reportPieces(report, plan.format));
    if (!plan.quiet) io.stderr.write(`mfawatch ${command}: wrote ${plan.file}\n`);
  } else if (plan.format) {
    for (const piece of reportPieces(report, plan.format, { color: plan.color })) io.stdout.write(piece);
  }
  if (plan.store) {
    const id = await recordScan(plan.store, report);
    if (!plan.quiet) io.stderr.write(`mfawatch ${command}: recorded scan ${id} in the store\n`);
  }
  const outcome = scanOutcome(report, failOn);
  io.stderr.write(`mfawatch ${command}: ${outcome.message}\n`);
  return outcome.exitCode;
}

/** Saves the scan in the store; it started when the first account's collection did. */
async function recordScan(url: string, report: ScanReport): Promise<string> {
  const started = Math.min(
    Date.parse(report.generatedAt),
    ...report.accounts.map((a) => Date.parse(a.collectedAt)),
  );
  const store = await openStore(url);
  try {
    return await store.saveScan(report, new Date(started));
  } finally {
    await store.close();
  }
}
