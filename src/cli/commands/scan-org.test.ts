import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testScenario } from "../../collect/test-support/emulator.js";
import { createEmulator, type Emulator } from "../../emulator/server.js";
import type { ScanReport } from "../../report/types.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";
import { main } from "../main.js";

const MANAGEMENT = "100000000001";
const SLOW = "200000000007";
const THROTTLED = "200000000006";

describe("mfawatch scan --org against an organization where some accounts misbehave", () => {
  let emulator: Emulator;
  let dir: string;
  let secret: string;
  let env: NodeJS.ProcessEnv;
  const run = async (args: string[], extra: { tty?: boolean } = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t), isTTY: extra.tty ?? false },
      env,
      cwd: dir,
    };
    const code = await main(
      ["scan", "--org", "--endpoint", emulator.endpoint, "--region", "us-east-1", ...args],
      io,
    );
    return { code, stdout: out.join(""), stderr: err.join("") };
  };

  beforeAll(async () => {
    emulator = await createEmulator({ scenario: testScenario("org-faults"), port: 0 });
    dir = await mkdtemp(join(tmpdir(), "mfawatch-scan-org-"));
    const keys = emulator.credentialsFor(MANAGEMENT);
    secret = keys.secretAccessKey;
    env = { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
  });
  afterAll(() => emulator.close());

  it("judges every healthy account, names each failed one with its reason, and exits 1", async () => {
    const { code, stdout, stderr } = await run([
      "--external-id",
      "mfw-ext-1",
      "--account-timeout",
      "20",
      "--format",
      "json",
      "--output-dir",
      "reports",
      "--snapshot-dir",
      "snapshots",
    ]);
    expect(code).toBe(EXIT.findings);
    const report = JSON.parse(stdout) as ScanReport;
    const healthy = [MANAGEMENT, "200000000001", "200000000002", "200000000003"];
    expect(report.accounts.map((a) => a.accountId).filter((id) => id !== THROTTLED)).toEqual(healthy);
    expect(
      report.failedAccounts.filter((f) => f.accountId !== THROTTLED).map((f) => [f.accountId, f.code]),
    ).toEqual([
      ["200000000004", "AccessDenied"],
      ["200000000005", "AccessDenied"],
      [SLOW, "Timeout"],
    ]);
    // Throttled past the retries: either scanned with its throttled sections listed (and the
    // checks that needed them unknown), or failed with the reason; never a silent partial pass.
    const throttled = report.accounts.find((a) => a.accountId === THROTTLED);
    const throttledFailure = report.failedAccounts.find((f) => f.accountId === THROTTLED);
    expect(throttled === undefined).not.toBe(throttledFailure === undefined);
    if (throttled) {
      expect(throttled.sectionErrors.map((s) => s.error.code)).toContain("Throttling");
      expect(throttled.results.find((r) => r.checkId === "user-console-mfa")?.status).toBe("unknown");
    } else expect(["Timeout", "Throttling"]).toContain(throttledFailure?.code);
    const failedCount = report.failedAccounts.length;
    expect(report.organization?.organizationId).toBe("o-orgfaults01");
    expect(report.organization?.accounts).toHaveLength(report.accounts.length);
    expect(stderr).toContain(`mfawatch scan: 8/8 accounts, ${failedCount} failed,`);
    expect(stderr).toMatch(
      new RegExp(`failing findings? at or above high; also .*${failedCount} accounts could not be scanned`),
    );
    expect(stderr + stdout).not.toContain(secret);

    const table = await readFile(join(dir, "reports", "report.txt"), "utf8");
    expect(table).toMatch(
      /Accounts that could not be scanned\n {2}200000000004 \(no-audit-role\): AccessDenied/,
    );
    expect(table).toContain(
      "AWS Config organization rules about MFA: org-root-mfa (ROOT_ACCOUNT_MFA_ENABLED, excluding 200000000002).",
    );
    const html = await readFile(join(dir, "reports", "report.html"), "utf8");
    expect(html).toContain('href="#account-200000000001"');
    expect(html).toContain('id="account-200000000001"');
    expect(html).toMatch(/200000000007 \(slow\).*Timeout/s);
    expect(html).toContain('<a href="#failed-200000000004">200000000004 (no-audit-role)</a>');
    expect(html).toContain('<li id="failed-200000000004">');
    expect((await readdir(join(dir, "snapshots"))).sort()).toEqual(
      report.accounts.map((a) => `${a.accountId}.json`).sort(),
    );
  }, 60_000);

  it("--accounts-file and --exclude choose the accounts; a TTY gets a redrawn progress bar", async () => {
    await writeFile(
      join(dir, "accounts.txt"),
      "# healthy ones\n200000000001\n200000000002 # b\n200000000003\n",
    );
    const { code, stdout, stderr } = await run(
      ["--accounts-file", "accounts.txt", "--exclude", "200000000003", "--format", "json"],
      { tty: true },
    );
    expect(code).toBe(EXIT.findings);
    const report = JSON.parse(stdout) as ScanReport;
    expect(report.accounts.map((a) => a.accountId)).toEqual(["200000000001", "200000000002"]);
    expect(report.failedAccounts).toEqual([]);
    expect(stderr).toMatch(/\rmfawatch scan: \[#{24}\] 2\/2 accounts, 0 failed, \d\d:\d\d elapsed/);
    expect(stderr).toContain("\rmfawatch scan: [------------------------] 0/2 accounts");
  }, 60_000);

  it("when no account can be scanned it exits 4; an unknown or suspended account is reported", async () => {
    const { code, stdout, stderr } = await run([
      "--accounts",
      "200000000004,200000000008,123456789012",
      "--format",
      "json",
      "--quiet",
    ]);
    expect(code).toBe(EXIT.failure);
    expect((JSON.parse(stdout) as ScanReport).failedAccounts.map((f) => [f.accountId, f.code])).toEqual([
      ["200000000008", "NotActive"],
      ["123456789012", "NotInOrganization"],
      ["200000000004", "AccessDenied"],
    ]);
    expect(stderr).toMatch(/^mfawatch scan: no account could be scanned/);
  });

  it("a member account cannot list the organization: exit 4 with the reason", async () => {
    const member = emulator.credentialsFor("200000000001");
    const saved = env;
    env = { AWS_ACCESS_KEY_ID: member.accessKeyId, AWS_SECRET_ACCESS_KEY: member.secretAccessKey };
    try {
      const { code, stderr } = await run(["--quiet"]);
      expect(code).toBe(EXIT.failure);
      expect(stderr).toMatch(/cannot list the organization's accounts from account 200000000001/);
    } finally {
      env = saved;
    }
  });

  it("Ctrl-C reports the accounts that finished and lists the others as Interrupted", async () => {
    const controller = new AbortController();
    let err = "";
    const out: string[] = [];
    const io: CliIo = {
      stdout: { write: (t: string) => out.push(t) },
      stderr: {
        write: (t: string) => {
          err += t;
          if (err.includes("1/2 accounts")) controller.abort();
        },
      },
      env,
      cwd: dir,
      signal: controller.signal,
    };
    const code = await main(
      [
        "scan",
        "--org",
        "--endpoint",
        emulator.endpoint,
        "--region",
        "us-east-1",
        "--accounts",
        `${MANAGEMENT},${SLOW}`,
        "--concurrency",
        "2",
        "--format",
        "json",
      ],
      io,
    );
    const report = JSON.parse(out.join("")) as ScanReport;
    expect(report.accounts.map((a) => a.accountId)).toEqual([MANAGEMENT]);
    expect(report.failedAccounts.map((f) => [f.accountId, f.code])).toEqual([[SLOW, "Interrupted"]]);
    expect(err).toContain("interrupted: reporting the 1 accounts that finished");
    expect([EXIT.findings, EXIT.incomplete]).toContain(code);
  }, 60_000);

  it("org flags without --org, and --save-snapshot with it, are usage errors", async () => {
    const plain = await main(["scan", "--role-name", "X"], {
      stdout: { write: () => true },
      stderr: { write: () => true },
      env,
      cwd: dir,
    });
    expect(plain).toBe(EXIT.usage);
    expect((await run(["--save-snapshot", "s.json"])).code).toBe(EXIT.usage);
    expect((await run(["--accounts", "12"])).code).toBe(EXIT.usage);
    expect((await run(["--concurrency", "0"])).code).toBe(EXIT.usage);
    const workers = await run(["--workers", "two"]);
    expect(workers.code).toBe(EXIT.usage);
    expect(workers.stderr).toContain('--workers takes a whole number from 0 to 64, not "two"');
    const dash = await run(["--workers", "-1"]);
    expect(dash.code).toBe(EXIT.usage);
    expect(dash.stderr).toMatch(/^mfawatch scan: Option '--workers' argument is ambiguous/);
  });
});
