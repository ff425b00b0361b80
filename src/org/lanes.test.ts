import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { testScenario } from "../collect/test-support/emulator.js";
import { createEmulator, type Emulator } from "../emulator/server.js";
import type { AccountReport } from "../report/types.js";
import { judgeSnapshot } from "../scan/report.js";
import type { AccountJob } from "./accountJob.js";
import { createLanes, type JudgeSpec } from "./lanes.js";

/** The compiled worker: TypeScript sources have none (`npm test` builds first). */
const WORKER = fileURLToPath(new URL("../../dist/org/accountWorker.js", import.meta.url));
const MANAGEMENT = "100000000001";
const MEMBER = "200000000001";
const SPEC: JudgeSpec = { checkIds: checks.map((c) => c.id), options: {}, suppressions: [] };
const judge = (snapshot: Parameters<typeof judgeSnapshot>[0]) =>
  judgeSnapshot(snapshot, { checks, evaluatedAt: new Date() });
const notRead = { status: "error", error: { code: "NotRead", message: "not read in this test" } } as const;

describe("lanes: account jobs in worker threads and in the main thread", () => {
  let emulator: Emulator;
  const job = (accountId = MANAGEMENT, credentialsOf = accountId): AccountJob => ({
    accountId,
    accountName: "member",
    credentials: emulator.credentialsFor(credentialsOf),
    client: { region: "us-east-1", endpoint: emulator.endpoint, maxAttempts: 2 },
    perServiceLimit: 8,
    collect: { cloudTrailDays: 30 },
    provided: { organization: notRead, rootCredentialsManagement: notRead, serviceControlPolicies: notRead },
    collectedAt: Date.parse("2026-06-01T00:00:00Z"),
  });
  const verdicts = (report: Uint8Array) =>
    (JSON.parse(inflateRawSync(report).toString()) as AccountReport).results.map(
      (r) => `${r.checkId} ${r.resource} ${r.status} ${r.message}`,
    );

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error("no build in dist/: run `npm run build` first");
    emulator = await createEmulator({ scenario: testScenario("org-faults"), port: 0 });
  });
  afterAll(() => emulator.close());

  it("gives the same report from a worker thread as from the main thread", async () => {
    const lanes = createLanes(judge, { count: 1, spec: SPEC, script: WORKER });
    try {
      const signal = new AbortController().signal;
      // With both lanes idle the worker takes the first job; the second, while it runs, goes to
      // the main thread. Each account is read once at a time, as a scan does (CloudTrail paces).
      const [aInWorker, bInMain] = await Promise.all([
        lanes.run(job(MANAGEMENT), signal),
        lanes.run(job(MEMBER), signal),
      ]);
      const [bInWorker, aInMain] = await Promise.all([
        lanes.run(job(MEMBER), signal),
        lanes.run(job(MANAGEMENT), signal),
      ]);
      expect(verdicts(aInWorker.report)).toEqual(verdicts(aInMain.report));
      expect(verdicts(bInWorker.report)).toEqual(verdicts(bInMain.report));
      expect(verdicts(bInWorker.report).length).toBeGreaterThan(10);
      expect(aInWorker.summary).toEqual(aInMain.summary);
    } finally {
      await lanes.close();
    }
  }, 60_000);

  it("brings a worker's failure back with its code, and aborts a job in a worker", async () => {
    const lanes = createLanes(judge, { count: 1, spec: SPEC, script: WORKER });
    try {
      await expect(lanes.run(job(MEMBER, MANAGEMENT), new AbortController().signal)).rejects.toMatchObject({
        code: "AccountMismatch",
        message: expect.stringContaining(`not the expected ${MEMBER}`),
      });
      const controller = new AbortController();
      const running = lanes.run(job(), controller.signal);
      controller.abort();
      await expect(running).rejects.toMatchObject({ name: "AbortError" });
    } finally {
      await lanes.close();
    }
  }, 30_000);

  it("fails the jobs of a worker that stops, and runs the next ones in the main thread", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mfawatch-lanes-"));
    const broken = join(dir, "broken-worker.mjs");
    await writeFile(broken, 'throw new Error("cannot start");\n');
    const lanes = createLanes(judge, { count: 1, spec: SPEC, script: broken });
    try {
      const signal = new AbortController().signal;
      await expect(lanes.run(job(), signal)).rejects.toThrow(
        /a worker thread of the scan failed: cannot start/,
      );
      const next = await lanes.run(job(), signal);
      expect(next.summary.score).toBeGreaterThanOrEqual(0);
    } finally {
      await lanes.close();
    }
  }, 30_000);
});
