import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEV,
  launchBrowser,
  PROD,
  type TestDashboard,
  testDashboard,
  XSS,
  XSS_RESOURCE,
} from "./test-support/dashboard.js";

let browser: Awaited<ReturnType<typeof launchBrowser>>;
let dashboard: TestDashboard;
let empty: TestDashboard;

beforeAll(async () => {
  [browser, dashboard, empty] = await Promise.all([
    launchBrowser(),
    testDashboard(),
    testDashboard({ empty: true }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await empty?.close();
});

/** A page that records dialogs, script errors and CSP violations; any of them fails the test. */
async function open(url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}

const ready = (page: Page, hash: string) => page.waitForSelector(`main[data-ready="${hash}"]`);

describe("the dashboard in Chromium", () => {
  it("shows the overview: scores, coverage, both charts and the accounts worst first", async () => {
    const { page, problems } = await open(dashboard.url);
    await ready(page, "/");
    expect(await page.locator("h1").textContent()).toBe("Organization o-abcdefghij");
    const rows = page.locator("#accounts tbody tr");
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-account")))).toEqual([
      PROD,
      DEV,
    ]);
    const scores = (await page.locator("#accounts td.score").allTextContents()).map(Number);
    expect(scores[0]).toBeGreaterThan(scores[1] ?? Number.POSITIVE_INFINITY);
    expect(await page.locator("svg.line-chart circle").count()).toBe(3);
    expect(await page.locator("svg.line-chart polyline").getAttribute("points")).toMatch(/^[\d.]+,[\d.]+ /);
    expect(await page.locator("svg.bar-chart rect.bar").count()).toBe(5);
    expect(await page.locator('svg.bar-chart rect[data-severity="critical"] title').textContent()).toBe(
      "critical: 1",
    );
    await expect(page.locator(".card.warn").first().textContent()).resolves.toContain("%");
    expect(await page.locator(".notice").textContent()).toContain("Unknown is not a pass");
    expect(await page.locator("#failed-accounts tbody").textContent()).toBe(
      "lost (333333333333)AccessDeniedrole not assumable",
    );
    await page.screenshot({ path: "/tmp/mfawatch-dashboard-overview.png", fullPage: true });
    expect(problems).toEqual([]);
  });

  it("opens an account from the table: findings by severity, evidence, unknowns, suppressed; names stay text", async () => {
    const { page, problems } = await open(dashboard.url);
    await ready(page, "/");
    await page.getByRole("link", { name: `prod (${PROD})` }).click();
    await ready(page, `/account/${PROD}`);
    const groups = page.locator("section.severity-group");
    expect(await groups.evaluateAll((s) => s.map((e) => e.getAttribute("data-severity")))).toEqual([
      "critical",
      "high",
    ]);

    const xss = page.locator('section[data-severity="high"] .finding');
    expect(await xss.locator(".resource").textContent()).toBe(XSS_RESOURCE);
    expect(await xss.locator(".message").textContent()).toBe(`${XSS} can sign in without MFA.`);
    const evidence = xss.locator("details");
    expect(await evidence.locator("pre").isVisible()).toBe(false);
    await evidence.locator("summary").click();
    expect(await evidence.locator("pre").isVisible()).toBe(true);
    expect(JSON.parse((await evidence.locator("pre").textContent()) ?? "")).toEqual({ user: XSS });
    expect(await page.locator('main img, img[src="x"]').count()).toBe(0);

    const unknowns = page.locator('h2#unknowns ~ .finding[data-check="identity-center-mfa"]');
    expect(await unknowns.locator(".message").textContent()).toContain("AccessDeniedException");
    expect(await page.locator(".finding.suppressed").textContent()).toContain(
      "Suppressed: CI key, rotated by the vault (until 2026-12-31)",
    );
    expect(await page.locator("svg.line-chart circle").count()).toBe(3);
    expect(problems).toEqual([]);
  });

  it("filters the findings list and pages through it", async () => {
    const { page, problems } = await open(`${dashboard.url}#/findings`);
    await ready(page, "/findings");
    expect(await page.locator("#total").textContent()).toBe("1–9 of 9");

    await page.selectOption('select[name="severity"]', "critical");
    await page.getByRole("button", { name: "Apply" }).click();
    await ready(page, "/findings?severity=critical");
    const severities = await page.locator("#findings tbody tr .sev").allTextContents();
    expect(severities).toEqual(["critical", "critical"]);
    expect(await page.locator("#findings tbody td.status-fail").textContent()).toBe("fail");
    expect(await page.locator("#findings tbody").textContent()).toContain("root-mfa-enabled");

    await page.selectOption('select[name="severity"]', "");
    await page.fill('input[name="account"]', DEV);
    await page.selectOption('select[name="status"]', "error");
    await page.getByRole("button", { name: "Apply" }).click();
    await ready(page, `/findings?account=${DEV}&status=error`);
    expect(await page.locator("#findings tbody td.status-error").count()).toBe(1);
    expect(await page.locator("#findings tbody").textContent()).toContain("access-key-rotation");

    await page.fill('input[name="account"]', "not-an-account");
    await page.getByRole("button", { name: "Apply" }).click();
    await ready(page, "/findings?account=not-an-account&status=error");
    expect(await page.locator("p.error").textContent()).toContain('parameter "account"');
    expect(problems.filter((p) => !p.includes("400"))).toEqual([]);

    await page.goto(`${dashboard.url}#/findings?offset=5`);
    await ready(page, "/findings?offset=5");
    expect(await page.locator("#total").textContent()).toBe("6–9 of 9");
    await page.getByRole("link", { name: "← Previous" }).click();
    await ready(page, "/findings?offset=0");
    expect(await page.locator("#findings tbody tr").count()).toBe(9);
  });

  it("shows how to record a first scan when the store is empty", async () => {
    const { page, problems } = await open(empty.url);
    await ready(page, "/");
    expect(await page.locator(".empty").textContent()).toContain("No scans yet: run mfawatch scan --store");
    expect(await page.locator("#accounts").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
