import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { caseSnapshot, TEST_ACCOUNT } from "../../checks/test-support/snapshot.js";
import type { ScanReport } from "../../report/types.js";
import { serializeSnapshot } from "../../snapshot/io.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";
import { main } from "../main.js";

describe("mfawatch evaluate with a configuration file", () => {
  let dir: string;
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      env: {},
      cwd: dir,
    };
    const code = await main(["evaluate", "snap.json", ...args], io);
    return { code, stdout: out.join(""), stderr: err.join("") };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "mfawatch-evaluate-"));
    const snapshot = caseSnapshot({
      credentialReport: {
        status: "ok",
        data: {
          generatedTime: "2026-05-31T22:00:00+00:00",
          root: null,
          users: [{ user: "erin", passwordEnabled: true, mfaActive: false } as never],
        },
      },
    });
    await writeFile(join(dir, "snap.json"), serializeSnapshot(snapshot));
    await writeFile(
      join(dir, "suppress.yaml"),
      `suppressions:\n  - check: user-console-mfa\n    resource: "arn:aws:iam::*:user/erin"\n    reason: Break-glass user, password in the safe\n`,
    );
    await writeFile(join(dir, "bad.yaml"), "failOn: urgent\n");
  });

  it("a suppression from --config keeps the result visible with its reason and stops it failing the run", async () => {
    const plain = await run("--checks", "user-console-mfa");
    expect(plain.code).toBe(EXIT.findings);
    const { code, stdout, stderr } = await run("--checks", "user-console-mfa", "--config", "suppress.yaml");
    const report = JSON.parse(stdout) as ScanReport;
    expect(report.accounts[0]?.results[0]).toMatchObject({
      status: "fail",
      suppressed: { reason: "Break-glass user, password in the safe" },
    });
    // Only the suppressed failure is left, and the sections no running check needs change nothing.
    expect(code).toBe(EXIT.ok);
    expect(stderr).toMatch(/no failing finding at or above high/);
  });

  it("--min-severity and --skip-checks choose the checks that run", async () => {
    const critical = JSON.parse((await run("--min-severity", "critical")).stdout) as ScanReport;
    expect(critical.checks.length).toBeGreaterThan(0);
    expect(critical.checks.every((c) => c.severity === "critical")).toBe(true);
    const skipped = JSON.parse((await run("--skip-checks", "user-console-mfa")).stdout) as ScanReport;
    expect(skipped.checks.map((c) => c.id)).not.toContain("user-console-mfa");
    expect(skipped.accounts[0]?.accountId).toBe(TEST_ACCOUNT);
  });

  it("an invalid configuration file is exit 2 naming the file and key", async () => {
    const { code, stderr } = await run("--config", "bad.yaml");
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(/bad\.yaml:1: failOn/);
    const missing = await run("--config", "nope.yaml");
    expect(missing.code).toBe(EXIT.usage);
  });
});
