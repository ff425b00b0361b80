import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseScenario } from "../../emulator/scenario.js";
import { createEmulator, type Emulator } from "../../emulator/server.js";
import type { ScanReport } from "../../report/types.js";
import { serializeSnapshot } from "../../snapshot/io.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";
import { main } from "../main.js";

const ACCOUNT = "444455556666";

const SCENARIO = {
  name: "cli-scan",
  accounts: [
    {
      id: ACCOUNT,
      name: "cli-scan",
      regions: ["us-east-1"],
      root: { password: false },
      users: [
        { name: "carol", created: "60d ago", password: { lastUsed: "1d ago" } },
        {
          name: "dave",
          created: "60d ago",
          password: { lastUsed: "2d ago" },
          mfa: [{ type: "virtual", enabled: "50d ago" }],
        },
      ],
    },
  ],
};

function capture(env: NodeJS.ProcessEnv, cwd: string, tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (t: string) => out.push(t), isTTY: tty },
    stderr: { write: (t: string) => err.push(t) },
    env,
    cwd,
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

describe("mfawatch scan and evaluate against the emulator", () => {
  let emulator: Emulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let secret: string;
  const run = async (args: string[], tty = false) => {
    const c = capture(env, dir, tty);
    const code = await main(args, c.io);
    return { code, stdout: c.stdout(), stderr: c.stderr() };
  };
  const scan = (...args: string[]) =>
    run(["scan", "--endpoint", emulator.endpoint, "--region", "us-east-1", ...args]);

  beforeAll(async () => {
    emulator = await createEmulator({ scenario: parseScenario(SCENARIO), port: 0 });
    dir = await mkdtemp(join(tmpdir(), "mfawatch-scan-"));
    const keys = emulator.credentialsFor(ACCOUNT);
    secret = keys.secretAccessKey;
    env = { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey };
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.clearFaults());

  it("reports a failing finding as JSON and exits 1", async () => {
    const { code, stdout, stderr } = await scan("--checks", "user-console-mfa");
    expect(stderr).toContain("mfawatch scan: 1 failing finding at or above high.");
    expect(code).toBe(EXIT.findings);
    const report = JSON.parse(stdout) as ScanReport;
    expect(report.schemaVersion).toBe(1);
    expect(report.accounts[0]?.accountId).toBe(ACCOUNT);
    expect(report.accounts[0]?.sectionErrors).toEqual([]);
    const statuses = report.accounts[0]?.results.map((r) => [r.resource.split("/").pop(), r.status]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        ["carol", "fail"],
        ["dave", "pass"],
      ]),
    );
    expect(report.checks.map((c) => c.id)).toEqual(["user-console-mfa"]);
    expect(stderr).toContain("mfawatch scan: credentialReport ok");
    expect(stderr + stdout).not.toContain(secret);
  });

  it("--fail-on critical lets a high finding pass; --quiet drops the progress lines", async () => {
    const { code, stderr } = await scan("--checks", "user-console-mfa", "--fail-on", "critical", "--quiet");
    expect(code).toBe(EXIT.ok);
    expect(stderr).toBe(
      "mfawatch scan: no failing finding at or above critical (1 failing finding below it).\n",
    );
  });

  it("an AccessDenied on one operation lists the unknowns and exits 3 when nothing else fails", async () => {
    emulator.addFault(ACCOUNT, { operation: "iam:GenerateCredentialReport", kind: "AccessDenied" });
    const { code, stdout, stderr } = await scan(
      "--checks",
      "user-console-mfa",
      "--format",
      "table",
      "--quiet",
    );
    expect(code).toBe(EXIT.incomplete);
    expect(stderr).toMatch(/scan incomplete: 1 result could not be judged\./);
    expect(stdout).toContain("Could not be judged (1)");
    expect(stdout).toMatch(/unknown {2}user-console-mfa/);
    expect(stdout).toMatch(/credentialReport: AccessDenied.*iam:GenerateCredentialReport/);
    expect(stdout).not.toContain("\u001b[");
  });

  it("writes every format with --output-dir and a snapshot that evaluate judges offline", async () => {
    const out = join(dir, "reports");
    const snap = join(dir, "snap.json");
    const scanned = await scan("--checks", "user-console-mfa", "--output-dir", out, "--save-snapshot", snap);
    expect(scanned.code).toBe(EXIT.findings);
    expect(scanned.stdout).toBe("");
    expect((await readdir(out)).sort()).toEqual(
      [
        "report.asff.json",
        "report.csv",
        "report.html",
        "report.json",
        "report.ocsf.json",
        "report.txt",
      ].sort(),
    );
    expect(await readFile(join(out, "report.html"), "utf8")).toContain("carol");

    const evaluated = await run(["evaluate", snap, "--checks", "user-console-mfa", "--format", "csv"]);
    expect(evaluated.code).toBe(EXIT.findings);
    expect(evaluated.stdout.split("\r\n")[0]).toMatch(/^account_id,account_name,check_id,severity,status/);
    expect(evaluated.stdout).toContain(
      `${ACCOUNT},,user-console-mfa,high,fail,arn:aws:iam::${ACCOUNT}:user/carol`,
    );
    expect(evaluated.stderr).toBe("mfawatch evaluate: 1 failing finding at or above high.\n");

    const lenient = await run([
      "evaluate",
      snap,
      "--checks",
      "user-console-mfa",
      "--fail-on",
      "critical",
      "--output",
      "r.html",
    ]);
    expect(lenient.code).toBe(EXIT.ok);
    expect(await readFile(join(dir, "r.html"), "utf8")).toMatch(/^<!DOCTYPE html>/);
  });

  it("evaluate: a corrupt or newer snapshot is exit 2 with the reason", async () => {
    const corrupt = join(dir, "corrupt.json");
    await writeFile(corrupt, "{ not json");
    const bad = await run(["evaluate", corrupt]);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/corrupt\.json is not JSON/);
    const newer = join(dir, "newer.json");
    await writeFile(newer, JSON.stringify({ schemaVersion: 99 }));
    const future = await run(["evaluate", newer]);
    expect(future.code).toBe(EXIT.usage);
    expect(future.stderr).toMatch(/schemaVersion 99.*newer mfawatch/);
    const missing = await run(["evaluate"]);
    expect(missing.code).toBe(EXIT.usage);
  });

  it("bad flags and unknown check ids are exit 2 before any AWS call", async () => {
    emulator.clearCallLog();
    const flag = await scan("--no-such-flag");
    expect(flag.code).toBe(EXIT.usage);
    expect(flag.stderr).toMatch(/no-such-flag/);
    const format = await scan("--format", "pdf");
    expect(format.code).toBe(EXIT.usage);
    expect(format.stderr).toContain("--format takes one of table, json, csv, ocsf, asff, html");
    const severity = await scan("--fail-on", "urgent");
    expect(severity.code).toBe(EXIT.usage);
    const ids = await scan("--checks", "user-console-mfa,no-such-check");
    expect(ids.code).toBe(EXIT.usage);
    expect(ids.stderr).toMatch(/unknown check id: no-such-check\. Known checks: .*user-console-mfa/);
    expect(emulator.callLog).toEqual([]);
  });

  it("a snapshot file from the collector's own serializer round-trips through evaluate as table on a TTY", async () => {
    const snap = join(dir, "snap2.json");
    await scan("--checks", "user-console-mfa", "--save-snapshot", snap, "--quiet");
    const text = await readFile(snap, "utf8");
    expect(serializeSnapshot(JSON.parse(text))).toBe(text);
    const tty = await run(["evaluate", snap, "--checks", "user-console-mfa"], true);
    expect(tty.stdout).toContain(`Account ${ACCOUNT}`);
    expect(tty.stdout).toContain("\u001b[");
    const noColor = capture({ ...env, NO_COLOR: "1" }, dir, true);
    await main(["evaluate", snap, "--checks", "user-console-mfa"], noColor.io);
    expect(noColor.stdout()).toContain(`Account ${ACCOUNT}`);
    expect(noColor.stdout()).not.toContain("\u001b[");
  });
});
