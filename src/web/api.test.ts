import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../store/open.js";
import { startDashboard } from "./server.js";
import { DEV, PROD, type TestDashboard, testDashboard, XSS_RESOURCE } from "./test-support/dashboard.js";

let dashboard: TestDashboard;
beforeAll(async () => {
  dashboard = await testDashboard();
});
afterAll(() => dashboard.close());

async function get(path: string) {
  const response = await fetch(new URL(path, dashboard.url));
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, checked field by field below
  const body: any = await response.json();
  return { status: response.status, headers: response.headers, body };
}

describe("GET /api/overview", () => {
  it("gives the latest scan, the accounts worst first and the score history, oldest first", async () => {
    const { status, headers, body } = await get("/api/overview");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(body.latestScan.organizationId).toBe("o-abcdefghij");
    expect(body.latestScan.failing.critical).toBe(1);
    expect(body.latestScan.failedAccounts).toBe(1);
    expect(body.accounts.map((a: { accountId: string }) => a.accountId)).toEqual([PROD, DEV]);
    expect(body.accounts[0].score).toBeGreaterThan(body.accounts[1].score);
    expect(body.accounts[0]).toMatchObject({
      accountName: "prod",
      unknown: 1,
      failing: { critical: 1, high: 1 },
    });
    expect(body.history).toHaveLength(3);
    const scores = body.history.map((p: { score: number }) => p.score);
    expect(scores[2]).toBeGreaterThan(scores[0]);
    expect(body.history[0].at < body.history[2].at).toBe(true);
  });

  it("bounds the history by days and refuses a bad days", async () => {
    const { body } = await get("/api/overview?days=1");
    expect(body.history.length).toBeLessThan(3);
    expect(body.history.length).toBeGreaterThan(0);
    const bad = await get("/api/overview?days=0");
    expect(bad.status).toBe(400);
    expect(bad.body.parameter).toBe("days");
  });
});

describe("GET /api/scans", () => {
  it("lists the scans newest first, paged", async () => {
    const all = await get("/api/scans");
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(3);
    expect(all.body.items[0].startedAt > all.body.items[2].startedAt).toBe(true);
    const second = await get("/api/scans?limit=1&offset=1");
    expect(second.body).toMatchObject({ limit: 1, offset: 1 });
    expect(second.body.items.map((s: { scanId: string }) => s.scanId)).toEqual([all.body.items[1].scanId]);
  });

  it("names the bad parameter", async () => {
    for (const [query, parameter] of [
      ["limit=0", "limit"],
      ["limit=501", "limit"],
      ["offset=-1", "offset"],
      ["limit=ten", "limit"],
      ["page=2", "page"],
      ["limit=1&limit=2", "limit"],
    ]) {
      const { status, body } = await get(`/api/scans?${query}`);
      expect(status, query).toBe(400);
      expect(body.parameter, query).toBe(parameter);
      expect(body.error, query).toContain(`"${parameter}"`);
    }
  });
});

describe("GET /api/accounts/:id", () => {
  it("gives the latest state, the history and the latest results grouped", async () => {
    const { status, body } = await get(`/api/accounts/${PROD}`);
    expect(status).toBe(200);
    expect(body.account).toMatchObject({ accountId: PROD, accountName: "prod", unknown: 1 });
    const overview = await get("/api/overview");
    expect(body.account).toEqual(overview.body.accounts[0]);
    expect(body.history).toHaveLength(3);
    expect(body.counts).toEqual({ pass: 1, fail: 3, unknown: 1, error: 0, not_applicable: 1 });
    expect(body.truncated).toBe(false);
    expect(body.failing.critical.map((r: { checkId: string }) => r.checkId)).toEqual(["root-mfa-enabled"]);
    expect(body.failing.high).toHaveLength(1);
    expect(body.failing.high[0]).toMatchObject({
      resource: XSS_RESOURCE,
      evidence: { user: expect.any(String) },
    });
    expect(body.failing.medium).toEqual([]);
    expect(body.unknowns).toHaveLength(1);
    expect(body.unknowns[0]).toMatchObject({ checkId: "identity-center-mfa", status: "unknown" });
    expect(body.unknowns[0].message).toContain("AccessDeniedException");
    expect(body.suppressed).toHaveLength(1);
    expect(body.suppressed[0]).toMatchObject({
      checkId: "access-key-rotation",
      suppressed: { reason: "CI key, rotated by the vault" },
    });
  });

  it("counts error results as not judged", async () => {
    const { body } = await get(`/api/accounts/${DEV}`);
    expect(body.unknowns.map((r: { status: string }) => r.status)).toEqual(["error"]);
    expect(body.failing.low).toHaveLength(1);
  });

  it("refuses a malformed id with 400 and an unknown account with 404", async () => {
    for (const id of ["12345", "%E0%A4%A", "1111111111111", "11111111111%31"]) {
      const bad = await get(`/api/accounts/${id}`);
      expect(bad.status, id).toBe(400);
      expect(bad.body.parameter, id).toBe("account");
    }
    const unknown = await get("/api/accounts/999999999999");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toContain("999999999999");
  });
});

describe("GET /api/findings", () => {
  it("filters by account, check, status and severity", async () => {
    const critical = await get("/api/findings?status=fail&severity=critical");
    expect(critical.body.total).toBe(1);
    expect(critical.body.items[0]).toMatchObject({ accountId: PROD, checkId: "root-mfa-enabled" });
    const dev = await get(`/api/findings?account=${DEV}`);
    expect(dev.body.total).toBe(3);
    expect(dev.body.items.every((r: { accountId: string }) => r.accountId === DEV)).toBe(true);
    const check = await get("/api/findings?check=user-console-mfa&status=pass");
    expect(check.body.items.map((r: { resource: string }) => r.resource)).toEqual([
      `arn:aws:iam::${PROD}:user/alice`,
    ]);
    const unknown = await get("/api/findings?status=unknown&account=");
    expect(unknown.body.total).toBe(1);
  });

  it("pages with limit and offset and reports the total", async () => {
    const all = await get("/api/findings");
    expect(all.body).toMatchObject({ total: 9, limit: 50, offset: 0 });
    const page = await get("/api/findings?limit=2&offset=2");
    expect(page.body.total).toBe(9);
    expect(page.body.items).toEqual(all.body.items.slice(2, 4));
  });

  it("names each bad parameter", async () => {
    for (const [query, parameter] of [
      ["status=passed", "status"],
      ["severity=urgent", "severity"],
      ["account=abc", "account"],
      ["check=User%20MFA", "check"],
      ["limit=100000", "limit"],
      ["offset=1.5", "offset"],
      ["sort=score", "sort"],
    ]) {
      const { status, body } = await get(`/api/findings?${query}`);
      expect(status, query).toBe(400);
      expect(body.parameter, query).toBe(parameter);
    }
  });
});

describe("the server", () => {
  it("answers unknown paths with 404 and writes with 405: nothing changes anything", async () => {
    expect((await get("/api/nothing")).status).toBe(404);
    expect((await get("/etc/passwd")).status).toBe(404);
    for (const method of ["POST", "PUT", "DELETE"]) {
      const response = await fetch(new URL("/api/overview", dashboard.url), { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    }
    expect((await get("/api/scans")).body.items).toHaveLength(3);
  });

  it("serves the page with a CSP that allows no inline script", async () => {
    const response = await fetch(dashboard.url);
    expect(response.status).toBe(200);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/app.js"></script>');
    expect(html).not.toMatch(/<script>|\son\w+=/);
    const script = await fetch(new URL("/app.js", dashboard.url));
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).not.toContain("innerHTML");
  });

  it("refuses a Host that is not localhost (DNS rebinding)", async () => {
    const url = new URL("/api/overview", dashboard.url);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(url, { headers: { Host: `evil.example:${url.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it("answers 500 without internals when the store fails, and logs the cause", async () => {
    const store = await openStore(":memory:");
    await store.close();
    const log: string[] = [];
    const broken = await startDashboard({ store, log: (line) => log.push(line) });
    try {
      const response = await fetch(new URL("/api/overview", broken.url));
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ error: "internal error" });
      expect(log.join("\n")).toContain("/api/overview failed");
    } finally {
      await broken.close();
    }
  });

  it("answers an empty store with no latest scan and no accounts", async () => {
    const empty = await testDashboard({ empty: true });
    try {
      const body = await (await fetch(new URL("/api/overview", empty.url))).json();
      expect(body).toMatchObject({ latestScan: null, accounts: [], history: [] });
      expect((await fetch(new URL(`/api/accounts/${PROD}`, empty.url))).status).toBe(404);
    } finally {
      await empty.close();
    }
  });
});
