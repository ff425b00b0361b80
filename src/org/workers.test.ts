/**
 * The worker threads of `scan --org` run from the build (dist/), as users run them: TypeScript
 * sources under the test runner have no compiled worker, so the CLI is started as a process.
 * `npm test` builds first.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../cli/errors.js";
import { testScenario } from "../collect/test-support/emulator.js";
import { createEmulator, type Emulator } from "../emulator/server.js";
import type { ScanReport } from "../report/types.js";

const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const WORKER = fileURLToPath(new URL("../../dist/org/accountWorker.js", import.meta.url));
const MANAGEMENT = "100000000001";
const SLOW = "200000000007";
const ACCOUNTS = [MANAGEMENT, "200000000001", "200000000002", "200000000003", "200000000004"];

describe("scan --org with worker threads (built CLI)", () => {
  let emulator: Emulator;
  let dir: string;

  /** The management account's keys, and no shared AWS configuration. */
  const env = () => ({
    PATH: process.env.PATH,
    AWS_ACCESS_KEY_ID: emulator.credentialsFor(MANAGEMENT).accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.credentialsFor(MANAGEMENT).secretAccessKey,
    AWS_CONFIG_FILE: join(dir, "none"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
  });

  /** The built CLI's arguments for an organization scan of the emulator. */
  const orgScan = (...flags: string[]) => [
    CLI,
    "scan",
    "--org",
    "--endpoint",
    emulator.endpoint,
    "--region",
    "us-east-1",
    ...flags,
  ];

  const scan = async (workers: number) => {
    const run = promisify(execFile)(
      process.execPath,
      orgScan(
        "--external-id",
        "mfw-ext-1",
        "--accounts",
        ACCOUNTS.join(","),
        "--config",
        join(dir, "mfawatch.config.yaml"),
        "--skip-checks",
        "user-mfa-phishing-resistant",
        "--workers",
        String(workers),
        "--format",
        "json",
        "--quiet",
      ),
      {
        env: env(),
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const { stdout } = await run.catch((error: { code: number; stdout: string }) => {
      if (typeof error.code !== "number") throw error;
      return { stdout: error.stdout, code: error.code };
    });
    return JSON.parse(stdout) as ScanReport;
  };

  const verdicts = (report: ScanReport) =>
    Object.fromEntries(
      report.accounts.map((a) => [
        a.accountId,
        a.results
          .map(
            (r) => `${r.checkId} ${r.resource} ${r.status} ${r.suppressed ? "suppressed " : ""}${r.message}`,
          )
          .sort(),
      ]),
    );

  beforeAll(async () => {
    if (!existsSync(CLI) || !existsSync(WORKER))
      throw new Error("no build in dist/: run `npm run build` first");
    emulator = await createEmulator({ scenario: testScenario("org-faults"), port: 0 });
    dir = await mkdtemp(join(tmpdir(), "mfawatch-workers-"));
    await writeFile(
      join(dir, "mfawatch.config.yaml"),
      [
        "suppressions:",
        "  - check: user-console-mfa",
        `    resource: "arn:aws:iam::200000000001:user/*"`,
        "    reason: accepted in the test",
        "",
      ].join("\n"),
    );
  });
  afterAll(() => emulator.close());

  it("judges every account as the main thread does, with the run's checks and suppressions", async () => {
    // One after the other: CloudTrail paces each account, and two scans at once would throttle.
    const inProcess = await scan(0);
    const withWorkers = await scan(2);
    expect(withWorkers.accounts.map((a) => a.accountId).sort()).toEqual(
      ACCOUNTS.filter((id) => id !== "200000000004"),
    );
    expect(verdicts(withWorkers)).toEqual(verdicts(inProcess));
    expect(withWorkers.failedAccounts).toEqual(inProcess.failedAccounts);
    expect(withWorkers.failedAccounts.map((f) => f.accountId)).toEqual(["200000000004"]);
    const healthy = withWorkers.accounts.find((a) => a.accountId === "200000000001");
    const consoleMfa = healthy?.results.filter((r) => r.checkId === "user-console-mfa") ?? [];
    expect(consoleMfa.length).toBeGreaterThan(0);
    expect(consoleMfa.every((r) => r.suppressed?.reason === "accepted in the test")).toBe(true);
    expect(healthy?.results.some((r) => r.checkId === "user-mfa-phishing-resistant")).toBe(false);
  }, 90_000);

  it("stops the accounts in worker threads on Ctrl-C and reports them as Interrupted", async () => {
    const child = spawn(
      process.execPath,
      orgScan("--accounts", `${MANAGEMENT},${SLOW}`, "--workers", "2", "--format", "json"),
      { env: env() },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const started = Date.now();
    // Once: a second Ctrl-C exits at once, without a report.
    let interrupted = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        // The slow account answers each call after 60 s: it is still in its worker.
        if (!interrupted && stderr.includes("1/2 accounts")) interrupted = child.kill("SIGINT");
      });
      child.on("exit", resolve);
    });
    expect(Date.now() - started).toBeLessThan(40_000);
    const report = JSON.parse(stdout) as ScanReport;
    expect(report.accounts.map((a) => a.accountId)).toEqual([MANAGEMENT]);
    expect(report.failedAccounts.map((f) => [f.accountId, f.code])).toEqual([[SLOW, "Interrupted"]]);
    expect(stderr).toContain("interrupted: reporting the 1 accounts that finished");
    expect([EXIT.findings, EXIT.incomplete]).toContain(code);
  }, 60_000);
});
