import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { loadScenario } from "../../emulator/scenario.js";
import type { ScanReport } from "../../report/types.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";
import { main } from "../main.js";
import { DEMO_SCENARIO } from "./demo.js";

it("demo scans every account of the demo organization and prints the multi-account report", async () => {
  const scenario = loadScenario(DEMO_SCENARIO);
  const dir = await mkdtemp(join(tmpdir(), "mfawatch-demo-"));
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    env: {},
    cwd: dir,
  };
  const code = await main(["demo", "--format", "json", "--output-dir", "all"], io);
  const stderr = err.join("");
  const report = JSON.parse(out.join("")) as ScanReport;
  expect(report.accounts.map((a) => a.accountId)).toEqual(scenario.accounts.map((a) => a.id));
  expect(report.failedAccounts).toEqual([]);
  expect(report.accounts.map((a) => a.accountName)).toEqual(scenario.accounts.map((a) => a.name));
  expect(report.organization?.organizationId).toBe(scenario.organization?.id);
  expect(report.organization?.accounts).toHaveLength(scenario.accounts.length);
  expect(report.accounts.some((a) => a.score.counts.fail > 0)).toBe(true);
  expect(code).toBe(EXIT.findings);
  for (const account of scenario.accounts)
    expect(stderr).toContain(`scanned ${account.id} (${account.name})`);
  expect(stderr).toContain("emulator stopped");
  expect(stderr).toMatch(/mfawatch demo: \d+ failing findings? at or above high/);
  expect((await readdir(join(dir, "all"))).length).toBe(6);
}, 120_000);
