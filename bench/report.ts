/**
 * The benchmark's verdicts and how they are shown: the targets of issue #6 judged against the
 * results, a Markdown table (printed and put in bench/README.md) and the machine it ran on.
 */
import { cpus, release, totalmem, type } from "node:os";
import type { CaseResult } from "./cases.js";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: list.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
  };
}

export interface TargetResult {
  id: string;
  description: string;
  /** null: not measured in this run (scenario not run, not built, or errored). */
  met: boolean | null;
  measured: string;
}

/** Operations that page (up to 1,000 items a page) or poll: their count may grow with users. */
export const PAGED_OPERATIONS = new Set([
  "iam:GetAccountAuthorizationDetails",
  "iam:ListVirtualMFADevices",
  "iam:GenerateCredentialReport",
]);

function fixedCalls(result: CaseResult): number | null {
  const calls = result.calls?.perAccount.mean;
  if (!calls) return null;
  const paged = Object.entries(calls.byOperation)
    .filter(([operation]) => PAGED_OPERATIONS.has(operation))
    .reduce((n, [, count]) => n + count, 0);
  return Math.round((calls.withoutCloudTrail - paged) * 10) / 10;
}

const ok = (r: CaseResult | undefined): r is CaseResult => r?.status === "ok";
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function wallTarget(
  id: string,
  description: string,
  result: CaseResult | undefined,
  limitMs: number,
): TargetResult {
  if (!ok(result) || result.wallMs === undefined)
    return { id, description, met: null, measured: unmeasured(result) };
  const over = result.wallMs > limitMs ? `, ${seconds(result.wallMs - limitMs)} over` : "";
  return { id, description, met: result.wallMs <= limitMs, measured: `${seconds(result.wallMs)}${over}` };
}

function unmeasured(result: CaseResult | undefined): string {
  if (!result) return "not run";
  if (result.status === "not-built") return "not built yet";
  if (result.status === "error") return "scenario errored";
  return "not measured";
}

/** Judges every target of issue #6 against the results of this run (by case id). */
export function judgeTargets(results: CaseResult[]): TargetResult[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  const targets: TargetResult[] = [];

  const k1 = byId.get("account-1000");
  const perAccount = k1?.calls?.perAccount.mean.withoutCloudTrail;
  targets.push({
    id: "calls-1000-users",
    description: "At most 15 API calls for a 1,000-user account, CloudTrail aside",
    met: ok(k1) && perAccount !== undefined ? perAccount <= 15 : null,
    measured:
      ok(k1) && perAccount !== undefined
        ? `${perAccount} calls${perAccount > 15 ? `, ${Math.round((perAccount - 15) * 10) / 10} over` : ""}`
        : unmeasured(k1),
  });

  const accounts = results
    .filter((r) => r.id.startsWith("account-") && ok(r) && r.calls)
    .sort((a, b) => (a.users ?? 0) - (b.users ?? 0));
  const smallest = accounts[0];
  const largest = accounts.at(-1);
  const small = smallest ? fixedCalls(smallest) : null;
  const large = largest ? fixedCalls(largest) : null;
  targets.push({
    id: "calls-independent-of-users",
    description: "Calls per account do not grow with users, except pages of up to 1,000 (CloudTrail aside)",
    met:
      smallest && largest && smallest !== largest && small !== null && large !== null ? large <= small : null,
    measured:
      smallest && largest && smallest !== largest
        ? `calls other than paged ones: ${small} at ${smallest.users} users, ${large} at ${largest.users} users`
        : "needs two single-account sizes",
  });

  targets.push(
    wallTarget(
      "account-10000-time",
      "A 10,000-user account in under 10 s",
      byId.get("account-10000"),
      10_000,
    ),
  );
  targets.push(
    wallTarget(
      "org-1000-time",
      "A 1,000-account organization in under 2 minutes",
      byId.get("org-1000"),
      120_000,
    ),
  );

  const measured = results.filter((r) => ok(r) && typeof r.cliPeakRssMb === "number");
  const worst = measured.reduce<CaseResult | undefined>(
    (a, r) => (!a || (r.cliPeakRssMb ?? 0) > (a.cliPeakRssMb ?? 0) ? r : a),
    undefined,
  );
  const missing = results.filter((r) => r.status === "ok" && typeof r.cliPeakRssMb !== "number");
  targets.push({
    id: "peak-rss",
    description: "Peak RSS of mfawatch under 400 MB in every scenario",
    met: worst && missing.length === 0 ? (worst.cliPeakRssMb ?? 0) < 400 : null,
    measured: worst
      ? `largest ${worst.cliPeakRssMb} MB (${worst.id})${(worst.cliPeakRssMb ?? 0) >= 400 ? `, ${Math.round((worst.cliPeakRssMb ?? 0) - 400)} MB over` : ""}`
      : "not measured",
  });

  targets.push(
    wallTarget(
      "evaluate-10000-time",
      "evaluate of a 10,000-user snapshot in under 2 s",
      byId.get("evaluate-10000"),
      2_000,
    ),
  );

  const dashboard = byId.get("dashboard-1000");
  const api = ok(dashboard) ? dashboard.api : undefined;
  const slowest = api?.reduce((a, b) => (b.maxMs > a.maxMs ? b : a));
  targets.push({
    id: "dashboard-latency",
    description: "Dashboard API answers in under 200 ms at 1,000 accounts",
    met: api && slowest ? slowest.maxMs < 200 : null,
    measured:
      api && slowest
        ? `slowest ${slowest.maxMs} ms (${slowest.path})${slowest.maxMs >= 200 ? `, ${Math.round(slowest.maxMs - 200)} ms over` : ""}`
        : unmeasured(dashboard),
  });
  return targets;
}

/** Wall time, or for the dashboard the slowest answer of its API. */
function wallCell(r: CaseResult): string {
  if (r.api?.length) return `answers ≤ ${Math.max(...r.api.map((a) => a.maxMs))} ms`;
  return r.wallMs === undefined ? "-" : seconds(r.wallMs);
}

const VERDICT = { true: "met", false: "MISSED", null: "-" } as const;

function cell(value: number | null | undefined, unit = ""): string {
  return value === undefined || value === null ? "-" : `${value.toLocaleString("en-US")}${unit}`;
}

/** The results and the targets as Markdown tables. */
export function renderTables(results: CaseResult[], targets: TargetResult[]): string {
  const rows = results.map((r) => {
    const calls = r.calls;
    const mean = calls?.perAccount.mean;
    return [
      r.title,
      r.status,
      wallCell(r),
      cell(calls?.total),
      mean ? `${mean.withoutCloudTrail} + ${mean.cloudTrail}` : "-",
      cell(calls?.throttled),
      cell(r.cliPeakRssMb, " MB"),
      cell(r.emulatorPeakRssMb, " MB"),
    ];
  });
  const table = markdown(
    [
      "scenario",
      "status",
      "wall time",
      "API calls",
      "per account (+ CloudTrail)",
      "throttled",
      "mfawatch peak RSS",
      "emulator RSS",
    ],
    rows,
  );
  const goals = markdown(
    ["target", "result", "measured"],
    targets.map((t) => [t.description, VERDICT[`${t.met}`], t.measured]),
  );
  return `${table}\n\n${goals}\n`;
}

function markdown(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export const README_START = "<!-- bench:results:start -->";
export const README_END = "<!-- bench:results:end -->";

/** Replaces the generated part of bench/README.md (between the markers) with this run. */
export function replaceResults(readme: string, generated: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start)
    throw new Error(`bench/README.md lacks the ${README_START} … ${README_END} markers`);
  return `${readme.slice(0, start + README_START.length)}\n${generated}${readme.slice(end)}`;
}
