/**
 * What the benchmark measures and how: the CLI as a child process (wall time, exit code, peak
 * RSS from the child's own `process.resourceUsage()`), the emulator's call log (calls per account
 * and operation, throttled calls), the bench process's own RSS, and IAM-like throttling.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { standardError } from "../src/emulator/protocols/errors.js";
import { services } from "../src/emulator/services/index.js";
import type { CallLogEntry, Handler, ServiceDefinition } from "../src/emulator/types.js";

/**
 * IAM publishes no rate limit. Assumed here: 20 requests per second per account, bursts of 40,
 * answered with `Throttling` "Rate exceeded" (HTTP 400) as IAM does.
 */
export const IAM_THROTTLE = { ratePerSecond: 20, burst: 40 };

/** A token bucket that refills continuously. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  take(): boolean {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The emulator's IAM service with one token bucket per account in front of every operation. */
export function throttledIam(limit = IAM_THROTTLE): ServiceDefinition {
  const buckets = new Map<string, TokenBucket>();
  const guard =
    (handler: Handler): Handler =>
    (ctx) => {
      let bucket = buckets.get(ctx.account.id);
      if (!bucket) {
        bucket = new TokenBucket(limit.ratePerSecond, limit.burst);
        buckets.set(ctx.account.id, bucket);
      }
      if (!bucket.take()) throw standardError("query", "Throttling");
      return handler(ctx);
    };
  const handlers = Object.fromEntries(
    Object.entries(services.iam.handlers).map(([operation, handler]) => [operation, guard(handler)]),
  );
  return { ...services.iam, handlers };
}

const THROTTLING_CODES = new Set([
  "Throttling",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TooManyRequestsException",
]);

export function isThrottled(entry: CallLogEntry): boolean {
  return entry.errorCode !== undefined && THROTTLING_CODES.has(entry.errorCode);
}

/** Calls of one account: total, CloudTrail LookupEvents apart, by `service:Operation`. */
export interface AccountCalls {
  total: number;
  cloudTrail: number;
  /** `total - cloudTrail`: what the "per account" target counts. */
  withoutCloudTrail: number;
  throttled: number;
  byOperation: Record<string, number>;
}

export interface CallSummary {
  total: number;
  throttled: number;
  accounts: number;
  /** Calls no account could be attributed to (refused before authentication). */
  unattributed: number;
  byAccount: Record<string, AccountCalls>;
  /** Over every account: the mean and the largest per-account figures. */
  perAccount: { mean: AccountCalls; max: { withoutCloudTrail: number; cloudTrail: number } };
  byOperation: Record<string, number>;
}

function emptyCalls(): AccountCalls {
  return { total: 0, cloudTrail: 0, withoutCloudTrail: 0, throttled: 0, byOperation: {} };
}

function add(calls: AccountCalls, entry: CallLogEntry): void {
  const operation = `${entry.service}:${entry.operation}`;
  calls.total += 1;
  if (entry.service === "cloudtrail") calls.cloudTrail += 1;
  else calls.withoutCloudTrail += 1;
  if (isThrottled(entry)) calls.throttled += 1;
  calls.byOperation[operation] = (calls.byOperation[operation] ?? 0) + 1;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Counts a call log by account and operation. Throttled and failed calls count: they cost quota too. */
export function summarizeCalls(log: readonly CallLogEntry[]): CallSummary {
  const byAccount: Record<string, AccountCalls> = {};
  const all = emptyCalls();
  let unattributed = 0;
  for (const entry of log) {
    add(all, entry);
    if (entry.accountId === null) {
      unattributed += 1;
      continue;
    }
    byAccount[entry.accountId] ??= emptyCalls();
    add(byAccount[entry.accountId] as AccountCalls, entry);
  }
  const accounts = Object.values(byAccount);
  const n = Math.max(accounts.length, 1);
  const meanOps: Record<string, number> = {};
  for (const [operation, count] of Object.entries(all.byOperation)) meanOps[operation] = round1(count / n);
  return {
    total: all.total,
    throttled: all.throttled,
    accounts: accounts.length,
    unattributed,
    byAccount,
    perAccount: {
      mean: {
        total: round1(all.total / n),
        cloudTrail: round1(all.cloudTrail / n),
        withoutCloudTrail: round1(all.withoutCloudTrail / n),
        throttled: round1(all.throttled / n),
        byOperation: meanOps,
      },
      max: {
        withoutCloudTrail: Math.max(0, ...accounts.map((a) => a.withoutCloudTrail)),
        cloudTrail: Math.max(0, ...accounts.map((a) => a.cloudTrail)),
      },
    },
    byOperation: all.byOperation,
  };
}

/** Writes the process's peak RSS (kB, from the kernel's own accounting) to a file as it exits. */
export const PEAK_RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  'import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(process.env.MFAWATCH_BENCH_RSS_FILE,String(process.resourceUsage().maxRSS)));',
)}`;

export interface CliRun {
  exitCode: number;
  wallMs: number;
  /** Peak resident set size of the CLI process, MB; null if it died before saying. */
  peakRssMb: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <script> ...args` and measures it. Never throws for a non-zero exit. */
export async function runCli(
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<CliRun> {
  const dir = await mkdtemp(join(tmpdir(), "mfawatch-bench-rss-"));
  const rssFile = join(dir, "maxrss");
  try {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", PEAK_RSS_HOOK, script, ...args], {
      cwd,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        ...env,
        MFAWATCH_BENCH_RSS_FILE: rssFile,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    const wallMs = performance.now() - started;
    const kb = Number(await readFile(rssFile, "utf8").catch(() => ""));
    return {
      exitCode,
      wallMs: Math.round(wallMs),
      peakRssMb: kb > 0 ? Math.round(kb / 102.4) / 10 : null,
      stdout: Buffer.concat(stdout).toString("utf8"),
      stderr: Buffer.concat(stderr).toString("utf8"),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Samples this process's RSS until stopped; returns the largest sample in MB. */
export function sampleOwnRss(intervalMs = 100): () => number {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage.rss());
    return Math.round(peak / 104857.6) / 10;
  };
}
