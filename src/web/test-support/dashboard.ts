/** A real SQLite store with three scans of the report fixture, served by the real dashboard server. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";
import type { CheckResult } from "../../checks/types.js";
import { DEV, fixtureReport, PROD } from "../../report/test-support/fixture.js";
import type { ScanReport } from "../../report/types.js";
import { scoreAccount, scoreOrganization } from "../../score/score.js";
import { openStore } from "../../store/open.js";
import type { Store } from "../../store/types.js";
import { startDashboard } from "../server.js";

export { DEV, PROD };
export const XSS = "<img src=x onerror=alert(1)>";
export const XSS_RESOURCE = `arn:aws:iam::${PROD}:user/${XSS}`;
const DAY_MS = 86_400_000;

/**
 * The fixture report as scanned at `at`: prod's console user is named `XSS`; `rootFixed` makes
 * prod's root MFA pass (an earlier, better scan).
 */
export function reportAt(at: Date, rootFixed = false): ScanReport {
  const report = fixtureReport();
  const fix = (r: CheckResult): CheckResult => {
    if (r.checkId === "user-console-mfa" && r.status === "fail")
      return {
        ...r,
        resource: XSS_RESOURCE,
        message: `${XSS} can sign in without MFA.`,
        evidence: { user: XSS },
      };
    if (rootFixed && r.accountId === PROD && r.checkId === "root-mfa-enabled")
      return { ...r, status: "pass" };
    return r;
  };
  const accounts = report.accounts.map((a) => {
    const results = a.results.map(fix);
    return { ...a, collectedAt: at.toISOString(), results, score: scoreAccount(a.accountId, results) };
  });
  return {
    ...report,
    generatedAt: new Date(at.getTime() + 60_000).toISOString(),
    accounts,
    organization: { ...scoreOrganization(accounts.map((a) => a.score)), organizationId: "o-abcdefghij" },
  };
}

/** Saves three daily scans ending today: the two older ones with prod's root MFA still in place. */
export async function seed(store: Store): Promise<void> {
  const now = Date.now();
  for (const daysAgo of [2, 1, 0]) {
    const at = new Date(now - daysAgo * DAY_MS - 120_000);
    await store.saveScan(reportAt(at, daysAgo > 0), at);
  }
}

export interface TestDashboard {
  url: string;
  store: Store;
  log: string[];
  close(): Promise<void>;
}

/** A dashboard over a fresh in-memory SQLite store, seeded unless `empty`. */
export async function testDashboard(options: { empty?: boolean } = {}): Promise<TestDashboard> {
  const store = await openStore(":memory:");
  if (!options.empty) await seed(store);
  const log: string[] = [];
  const dashboard = await startDashboard({ store, log: (line) => log.push(line) });
  return {
    url: dashboard.url,
    store,
    log,
    close: async () => {
      await dashboard.close();
      await store.close();
    },
  };
}

/** Debian's Chromium, headless, with a fresh profile; `close` removes the profile too. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "mfawatch-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
