/**
 * One benchmark case: start the emulator on a generated scenario, run the real CLI against it as
 * a child process, and record what it cost. A case that errors says why; timing never fails it.
 */
import { access, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseScenario } from "../src/emulator/scenario.js";
import { createEmulator } from "../src/emulator/server.js";
import type { ScenarioInput } from "./generate.js";
import {
  type CallSummary,
  type CliRun,
  runCli,
  sampleOwnRss,
  summarizeCalls,
  throttledIam,
} from "./measure.js";

export type CaseStatus = "ok" | "error" | "not-built";

/** How fast one dashboard API endpoint answered. */
export interface EndpointTiming {
  path: string;
  requests: number;
  medianMs: number;
  maxMs: number;
  bytes: number;
}

export interface CaseResult {
  id: string;
  title: string;
  status: CaseStatus;
  /** Why it errored or was not run, or what it skipped (e.g. sections mfawatch chose not to read). */
  notes: string[];
  /** Generating and validating the scenario, and starting the emulator (not part of wallMs). */
  setupMs?: number;
  wallMs?: number;
  exitCode?: number;
  cliPeakRssMb?: number | null;
  /** The bench process's peak RSS during the case: the emulator and its scenario, not mfawatch. */
  emulatorPeakRssMb?: number;
  calls?: Omit<CallSummary, "byAccount"> & { byAccount?: CallSummary["byAccount"] };
  /** Users across the scenario's accounts. */
  users?: number;
  /** Dashboard case: each API endpoint's answer times. */
  api?: EndpointTiming[];
  /** When the case finished (a results file can merge cases re-measured later with --only). */
  measuredAt?: string;
}

export interface CaseContext {
  /** The repository root (for dist/cli/main.js). */
  root: string;
  /** A scratch directory for reports and snapshots. */
  work: string;
}

export const cliScript = (root: string) => join(root, "dist", "cli", "main.js");

/** Keeps per-account detail only where it stays readable. */
const DETAIL_ACCOUNTS = 10;

function compact(summary: CallSummary): NonNullable<CaseResult["calls"]> {
  const { byAccount, ...rest } = summary;
  return summary.accounts <= DETAIL_ACCOUNTS ? { ...rest, byAccount } : rest;
}

function tail(text: string, lines = 8): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/** Section errors of saved snapshots, as `account: section: code`; "Skipped" ones apart. */
export async function snapshotErrors(files: string[]): Promise<{ failed: string[]; skipped: string[] }> {
  const failed: string[] = [];
  const skipped = new Set<string>();
  for (const file of files) {
    const snapshot = JSON.parse(await readFile(file, "utf8")) as {
      accountId: string;
      sections: Record<string, { status: string; error?: { code: string } }>;
    };
    for (const [name, section] of Object.entries(snapshot.sections)) {
      if (section.status !== "error") continue;
      const code = section.error?.code ?? "unknown";
      if (code === "Skipped") skipped.add(`${name} (mfawatch skips it at this size)`);
      else failed.push(`${snapshot.accountId}: ${name}: ${code}`);
    }
  }
  return { failed, skipped: [...skipped] };
}

/**
 * Exit 0, 1 (findings) and 3 (incomplete) are a run when every account has a snapshot and no
 * section of any failed; sections mfawatch skipped by its own bounds are noted. A failed call
 * and any other exit code are errors.
 */
async function judgeRun(
  run: CliRun,
  snapshots: () => Promise<string[]>,
  expected = 1,
): Promise<Pick<CaseResult, "status" | "notes">> {
  if (![0, 1, 3].includes(run.exitCode))
    return { status: "error", notes: [`exit ${run.exitCode}`, tail(run.stderr)] };
  const files = await snapshots().catch(() => []);
  if (files.length < expected) {
    const notes = [
      `exit ${run.exitCode}: ${files.length} of ${expected} accounts have a snapshot`,
      tail(run.stderr),
    ];
    return { status: "error", notes };
  }
  const { failed, skipped } = await snapshotErrors(files);
  if (failed.length > 0) {
    const more = failed.length > 10 ? ` and ${failed.length - 10} more` : "";
    return { status: "error", notes: [`sections failed: ${failed.slice(0, 10).join("; ")}${more}`] };
  }
  return { status: "ok", notes: skipped.map((s) => `skipped: ${s}`) };
}

function countUsers(input: ScenarioInput): number {
  return input.accounts.reduce((n, a) => n + a.users.length, 0);
}

export interface ScanCase {
  id: string;
  title: string;
  /** The scenario object (see generate.ts). */
  scenario: ScenarioInput;
  /** The account whose credentials the CLI uses. */
  accountId: string;
  /** CLI arguments after the ones the case sets (e.g. ["--org"]). */
  args?: string[];
  /** Organization scans: write one snapshot per account here instead of --save-snapshot. */
  snapshotDir?: boolean;
  /** Keep the snapshot at this path (single-account scans). */
  saveSnapshot?: string;
}

/** Runs `mfawatch scan` against the emulator serving the case's scenario. */
export async function runScanCase(spec: ScanCase, context: CaseContext): Promise<CaseResult> {
  const base = { id: spec.id, title: spec.title, users: countUsers(spec.scenario) };
  const setupStarted = performance.now();
  const scenario = parseScenario(spec.scenario, new Date(), spec.id);
  const emulator = await createEmulator({ scenario, port: 0, services: { iam: throttledIam() } });
  const setupMs = Math.round(performance.now() - setupStarted);
  const stopRss = sampleOwnRss();
  try {
    const credentials = emulator.credentialsFor(spec.accountId);
    const snapshot = spec.saveSnapshot ?? join(context.work, `${spec.id}.snapshot.json`);
    const snapshotDir = join(context.work, `${spec.id}.snapshots`);
    const args = [
      "scan",
      ...(spec.args ?? []),
      "--quiet",
      "--format",
      "json",
      "--output",
      join(context.work, `${spec.id}.report.json`),
      ...(spec.snapshotDir ? ["--snapshot-dir", snapshotDir] : ["--save-snapshot", snapshot]),
    ];
    const run = await runCli(
      cliScript(context.root),
      args,
      {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_REGION: "us-east-1",
        AWS_ENDPOINT_URL: emulator.endpoint,
        AWS_CONFIG_FILE: join(context.work, "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE: join(context.work, "no-aws-credentials"),
      },
      context.work,
    );
    const verdict = await judgeRun(
      run,
      async () =>
        spec.snapshotDir
          ? (await readdir(snapshotDir)).filter((f) => f.endsWith(".json")).map((f) => join(snapshotDir, f))
          : await access(snapshot).then(
              () => [snapshot],
              () => [],
            ),
      spec.snapshotDir ? spec.scenario.accounts.length : 1,
    );
    return {
      ...base,
      ...verdict,
      setupMs,
      wallMs: run.wallMs,
      exitCode: run.exitCode,
      cliPeakRssMb: run.peakRssMb,
      emulatorPeakRssMb: stopRss(),
      calls: compact(summarizeCalls(emulator.callLog)),
    };
  } finally {
    stopRss();
    await emulator.close();
  }
}

/** Runs `mfawatch evaluate` on a saved snapshot: offline, so no emulator and no API calls. */
export async function runEvaluateCase(
  spec: { id: string; title: string; snapshot: string; users: number; args?: string[] },
  context: CaseContext,
): Promise<CaseResult> {
  const base = { id: spec.id, title: spec.title, users: spec.users };
  const run = await runCli(
    cliScript(context.root),
    [
      "evaluate",
      spec.snapshot,
      ...(spec.args ?? []),
      "--quiet",
      "--format",
      "json",
      "--output",
      join(context.work, `${spec.id}.report.json`),
    ],
    {},
    context.work,
  );
  const verdict = await judgeRun(run, async () => [spec.snapshot]);
  return { ...base, ...verdict, wallMs: run.wallMs, exitCode: run.exitCode, cliPeakRssMb: run.peakRssMb };
}

/** A case that cannot run yet, said as such: neither a pass nor an error. */
export function notBuilt(id: string, title: string, why: string): CaseResult {
  return { id, title, status: "not-built", notes: [why] };
}
