/**
 * The dashboard case: a SQLite store holding daily scans of an organization, served by the real
 * `mfawatch serve` as a child process, and the time its JSON API takes to answer the overview,
 * an account page and the findings list.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { checks } from "../src/checks/index.js";
import type { CheckResult, ResultStatus } from "../src/checks/types.js";
import type { AccountReport, ScanReport } from "../src/report/types.js";
import { scoreAccount, scoreOrganization } from "../src/score/score.js";
import { openStore } from "../src/store/open.js";
import { type CaseContext, type CaseResult, cliScript, type EndpointTiming } from "./cases.js";
import { memberAccountId, seededRandom } from "./generate.js";
import { PEAK_RSS_HOOK } from "./measure.js";

const DAY_MS = 86_400_000;
/** Users per account with their own results in each user-level check. */
const USERS_WITH_RESULTS = 5;

function status(random: () => number): ResultStatus {
  const r = random();
  return r < 0.7 ? "pass" : r < 0.9 ? "fail" : r < 0.95 ? "not_applicable" : "unknown";
}

/**
 * One account's results: one per account-level check and one per user for the user-level checks
 * (`user-*`, `access-key-*`), about 60 in all, statuses drawn 70 % pass, 20 % fail, 5 % n/a, 5 % unknown.
 */
function accountReport(accountId: string, at: Date, random: () => number): AccountReport {
  const results: CheckResult[] = checks.flatMap((check) => {
    const perUser = check.id.startsWith("user-") || check.id.startsWith("access-key-");
    const resources = perUser
      ? Array.from({ length: USERS_WITH_RESULTS }, (_, i) => `arn:aws:iam::${accountId}:user/user${i}`)
      : [`arn:aws:iam::${accountId}:root`];
    return resources.map((resource) => ({
      checkId: check.id,
      accountId,
      resource,
      status: status(random),
      severity: check.severity,
      message: `${check.title}: ${resource}`,
      evidence: { resource },
    }));
  });
  return {
    accountId,
    accountName: `member-${accountId.slice(-4)}`,
    collectedAt: at.toISOString(),
    sectionErrors: [],
    score: scoreAccount(accountId, results),
    results,
  };
}

/** A scan of `accounts` accounts at `at`. */
export function syntheticReport(accounts: number, at: Date, random: () => number): ScanReport {
  const reports = Array.from({ length: accounts }, (_, i) =>
    accountReport(memberAccountId(i + 1), at, random),
  );
  return {
    schemaVersion: 1,
    tool: { name: "mfawatch", version: "bench" },
    generatedAt: at.toISOString(),
    accounts: reports,
    failedAccounts: [],
    organization: { ...scoreOrganization(reports.map((r) => r.score)), organizationId: "o-bench00000001" },
    checks: checks.map(({ id, title, severity, risk, remediation, references }) => ({
      id,
      title,
      severity,
      risk,
      remediation,
      references,
    })),
  };
}

/** Saves one scan a day for `days` days, the last one now, into the SQLite store `file`. */
export async function seedStore(
  file: string,
  accounts: number,
  days: number,
  now = new Date(),
): Promise<void> {
  const random = seededRandom(6);
  const store = await openStore(`sqlite:${file}`);
  try {
    for (let day = days - 1; day >= 0; day--) {
      const at = new Date(now.getTime() - day * DAY_MS);
      await store.saveScan(syntheticReport(accounts, at, random), at);
    }
  } finally {
    await store.close();
  }
}

/** GETs `path` once to warm up, then `requests` times, timing each answer in full. */
async function timeEndpoint(base: string, path: string, requests: number): Promise<EndpointTiming> {
  const get = async () => {
    const response = await fetch(new URL(path, base));
    const body = await response.text();
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}: ${body.slice(0, 200)}`);
    return body.length;
  };
  await get();
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    bytes = await get();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    path,
    requests,
    medianMs: round(times[Math.floor(times.length / 2)] ?? 0),
    maxMs: round(times.at(-1) ?? 0),
    bytes,
  };
}

export interface DashboardCase {
  id: string;
  title: string;
  accounts: number;
  days: number;
  /** Timed requests per endpoint after one warm-up. */
  requests?: number;
}

/** Seeds the store, starts `mfawatch serve` on it, times the API, stops the server. */
export async function runDashboardCase(spec: DashboardCase, context: CaseContext): Promise<CaseResult> {
  const file = join(context.work, `${spec.id}.db`);
  const setupStarted = performance.now();
  await seedStore(file, spec.accounts, spec.days);
  const setupMs = Math.round(performance.now() - setupStarted);
  const rssFile = join(context.work, `${spec.id}.maxrss`);
  const child = spawn(
    process.execPath,
    ["--import", PEAK_RSS_HOOK, cliScript(context.root), "serve", "--store", `sqlite:${file}`, "--port", "0"],
    {
      cwd: context.work,
      env: { PATH: process.env.PATH ?? "", MFAWATCH_BENCH_RSS_FILE: rssFile },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<number>((resolve) => child.once("close", (code) => resolve(code ?? 1)));
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const base = { id: spec.id, title: spec.title, setupMs };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        const match = /https?:\/\/\S+/.exec(out);
        if (match) resolve(match[0]);
      });
      exited.then((code) =>
        reject(new Error(`mfawatch serve exited ${code} before listening: ${stderr.trim()}`)),
      );
    });
    const requests = spec.requests ?? 10;
    const account = memberAccountId(1);
    const api: EndpointTiming[] = [];
    for (const path of ["/api/overview", `/api/accounts/${account}`, "/api/findings?status=fail"]) {
      api.push(await timeEndpoint(url, path, requests));
    }
    child.kill("SIGINT");
    await Promise.race([exited, sleep(10_000)]);
    const kb = Number(await readFile(rssFile, "utf8").catch(() => ""));
    return {
      ...base,
      status: "ok",
      notes: [`${spec.days} daily scans of ${spec.accounts} accounts, about 60 results per account and scan`],
      cliPeakRssMb: kb > 0 ? Math.round(kb / 102.4) / 10 : null,
      api,
    };
  } catch (error) {
    return { ...base, status: "error", notes: [(error as Error).message] };
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}
