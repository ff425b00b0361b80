import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { loadScenario } from "../../emulator/scenario.js";
import type { ScanReport } from "../../report/types.js";
import { openStore } from "../../store/open.js";
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
  expect(code).toBe(EXIT.ok);
  for (const account of scenario.accounts)
    expect(stderr).toContain(`scanned ${account.id} (${account.name})`);
  expect(stderr).toContain("emulator stopped");
  expect(stderr).toMatch(/mfawatch demo: \d+ failing findings? at or above high/);
  expect((await readdir(join(dir, "all"))).length).toBe(6);
}, 120_000);

it("demo finds what a reader of the demo scenario expects, and prints a table by default", async () => {
  const out: string[] = [];
  const io: CliIo = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: () => true },
    env: {},
    cwd: tmpdir(),
  };
  expect(await main(["demo"], io)).toBe(EXIT.ok);
  expect(out.join("")).toContain("Organization o-acme0demo01");

  const jsonOut: string[] = [];
  await main(["demo", "--format", "json", "--quiet"], {
    ...io,
    stdout: { write: (t: string) => jsonOut.push(t) },
  });
  const report = JSON.parse(jsonOut.join("")) as ScanReport;
  const failing = (accountId: string) =>
    report.accounts
      .find((a) => a.accountId === accountId)
      ?.results.filter((r) => r.status === "fail")
      .map((r) => `${r.checkId} ${r.resource.replace(`arn:aws:iam::${accountId}:`, "")}`) ?? [];

  expect(failing("222222222222")).toEqual([]);
  expect(failing("333333333333")).toEqual(
    expect.arrayContaining([
      "root-mfa-enabled root",
      "root-access-keys root",
      "console-login-without-mfa root",
    ]),
  );
  expect(failing("444444444444")).toEqual(
    expect.arrayContaining([
      "user-console-mfa user/dave",
      "user-console-mfa user/carol",
      "user-mfa-never-set-up user/carol",
      "access-key-unused user/ci-deployer#access_key_1",
      "access-key-rotation user/dave#access_key_1",
      "access-key-multiple-active user/dave",
      "console-login-without-mfa user/dave",
      "root-mfa-phishing-resistant root",
    ]),
  );
  expect(failing("444444444444")).not.toContain("user-console-mfa user/frank");
  expect(failing("555555555555")).toEqual(
    expect.arrayContaining([
      "mfa-device-removed user/erin",
      "console-login-without-mfa user/erin",
      "user-console-mfa user/erin",
      "password-policy AWS::::Account:555555555555",
    ]),
  );
  expect(failing("111111111111")).toEqual(
    expect.arrayContaining(["identity-center-mfa arn:aws:sso:::instance/ssoins-72230000acme0001"]),
  );
  expect(failing("111111111111").filter((f) => f.startsWith("user-console-mfa"))).toEqual([]);
  const worst = report.organization?.accounts[0]?.accountId;
  expect(worst).toBe("333333333333");
}, 120_000);

it("demo --store records the scan for the dashboard", async () => {
  const dir = await mkdtemp(join(tmpdir(), "mfawatch-demo-store-"));
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: { write: (t: string) => err.push(t) },
    env: {},
    cwd: dir,
  };
  expect(await main(["demo", "--format", "json", "--store", "demo.db"], io)).toBe(EXIT.ok);
  expect(err.join("")).toMatch(/recorded scan [0-9a-f-]+ in the store/);
  const store = await openStore(join(dir, "demo.db"));
  try {
    const overview = await store.overview();
    expect(overview.accounts.map((a) => a.accountId).sort()).toEqual(
      loadScenario(DEMO_SCENARIO)
        .accounts.map((a) => a.id)
        .sort(),
    );
    expect(overview.accounts[0]?.accountId).toBe("333333333333");
  } finally {
    await store.close();
  }
}, 120_000);
