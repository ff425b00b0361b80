/**
 * Where an organization scan runs its account jobs: in the main thread and in worker threads.
 * Collecting an account costs about a millisecond of CPU per AWS call in the SDK and judging it
 * tens more; a thousand accounts keep one thread busy for minutes while the accounts mostly wait
 * on the network. Worker threads let the scan use every core (docs/ORG-SCANS.md, Speed).
 *
 * Each job goes to the lane with the fewest jobs in flight; the main thread is one lane, so a scan
 * without workers (`--workers 0`, or sources run without a build) runs the same jobs in-process.
 * A worker that stops fails its jobs in flight and takes no more; the others go on.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CheckOptions } from "../checks/types.js";
import type { SuppressionRule } from "../engine/suppressions.js";
import type { AccountReport } from "../report/types.js";
import type { AccountSnapshot } from "../snapshot/types.js";
import { type AccountJob, type JobResult, runAccountJob } from "./accountJob.js";
import { AccountScanError } from "./errors.js";

/** How worker threads judge: the checks by id, with the run's options and suppressions. */
export interface JudgeSpec {
  checkIds: string[];
  options: Partial<CheckOptions>;
  suppressions: SuppressionRule[];
}

/** Messages to a worker. */
export type ToWorker = { type: "job"; id: number; job: AccountJob } | { type: "abort"; id: number };

/** An error as it crosses from a worker: enough to tell the account's failure. */
export interface ErrorData {
  name: string;
  message: string;
  /** The code of an AccountScanError or CollectError. */
  code?: string;
}

/** Messages from a worker. */
export type FromWorker =
  | { type: "done"; id: number; result: JobResult }
  | { type: "failed"; id: number; error: ErrorData };

export function errorData(error: unknown): ErrorData {
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(typeof code === "string" ? { code } : {}) };
}

function errorFrom(data: ErrorData): Error {
  if (data.code) return new AccountScanError(data.code, data.message);
  const error = new Error(data.message);
  error.name = data.name;
  return error;
}

/**
 * The young generation of a worker's heap: V8's default lets it grow to tens of MB per thread;
 * what an account job allocates is short-lived and small, so a smaller one saves memory for a few
 * more quick collections.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

const WORKER_SCRIPT = fileURLToPath(new URL("./accountWorker.js", import.meta.url));

/**
 * Whether worker threads can be started: the worker is compiled JavaScript next to this module,
 * which a build has (dist/) and TypeScript sources run by a test runner have not.
 */
export function workersAvailable(): boolean {
  return existsSync(WORKER_SCRIPT);
}

interface Lane {
  inFlight: number;
  /** False once a worker has stopped: it takes no more jobs. */
  alive(): boolean;
  run(job: AccountJob, signal: AbortSignal): Promise<JobResult>;
  close(): Promise<void>;
}

function mainLane(judge: (snapshot: AccountSnapshot) => AccountReport): Lane {
  return {
    inFlight: 0,
    alive: () => true,
    run: (job, signal) => runAccountJob(job, judge, signal),
    close: async () => {},
  };
}

function workerLane(spec: JudgeSpec, script: string): Lane {
  const worker = new Worker(script, {
    workerData: spec,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  const pending = new Map<number, { resolve(result: JobResult): void; reject(error: Error): void }>();
  let stopped: Error | null = null;
  let nextId = 0;
  const stop = (error: Error) => {
    stopped ??= error;
    for (const job of pending.values()) job.reject(stopped);
    pending.clear();
  };
  worker.on("message", (message: FromWorker) => {
    const job = pending.get(message.id);
    pending.delete(message.id);
    if (message.type === "done") job?.resolve(message.result);
    else job?.reject(errorFrom(message.error));
  });
  worker.on("error", (error) => stop(new Error(`a worker thread of the scan failed: ${error.message}`)));
  worker.on("exit", (code) => stop(new Error(`a worker thread of the scan stopped (exit code ${code})`)));
  const lane: Lane = {
    inFlight: 0,
    alive: () => stopped === null,
    run(job, signal) {
      if (stopped) return Promise.reject(stopped);
      const id = nextId++;
      return new Promise<JobResult>((resolve, reject) => {
        const abort = () => worker.postMessage({ type: "abort", id } satisfies ToWorker);
        signal.addEventListener("abort", abort, { once: true });
        const settle = () => signal.removeEventListener("abort", abort);
        pending.set(id, {
          resolve: (result) => {
            settle();
            resolve(result);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        });
        worker.postMessage({ type: "job", id, job } satisfies ToWorker);
        if (signal.aborted) abort();
      });
    },
    async close() {
      stopped ??= new Error("the scan's worker threads were closed");
      await worker.terminate();
    },
  };
  return lane;
}

export interface WorkerSettings {
  count: number;
  spec: JudgeSpec;
  /** The worker's compiled script (default: accountWorker.js next to this module). */
  script?: string;
}

export interface Lanes {
  /** Runs the job in the lane with the fewest jobs in flight. */
  run(job: AccountJob, signal: AbortSignal): Promise<JobResult>;
  close(): Promise<void>;
}

/**
 * The main thread, judging with `judge`, and `workers.count` worker threads judging by
 * `workers.spec`: both must judge alike.
 */
export function createLanes(
  judge: (snapshot: AccountSnapshot) => AccountReport,
  workers?: WorkerSettings,
): Lanes {
  const all = [
    ...Array.from({ length: workers?.count ?? 0 }, () =>
      workerLane(workers?.spec as JudgeSpec, workers?.script ?? WORKER_SCRIPT),
    ),
    mainLane(judge),
  ];
  return {
    async run(job, signal) {
      const lane = all.filter((l) => l.alive()).reduce((best, l) => (l.inFlight < best.inFlight ? l : best));
      lane.inFlight++;
      try {
        return await lane.run(job, signal);
      } finally {
        lane.inFlight--;
      }
    },
    close: async () => {
      await Promise.all(all.map((l) => l.close()));
    },
  };
}
