import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checks } from "../src/checks/index.js";
import { cliScript } from "./cases.js";
import { runDashboardCase, syntheticReport } from "./dashboard.js";
import { seededRandom } from "./generate.js";
import { judgeTargets } from "./report.js";

const root = resolve(import.meta.dirname, "..");

describe("the dashboard case", () => {
  it("builds a scored scan report with results of every check for every account", () => {
    const report = syntheticReport(3, new Date("2026-01-01T00:00:00Z"), seededRandom(1));
    expect(report.accounts).toHaveLength(3);
    for (const account of report.accounts) {
      expect(new Set(account.results.map((r) => r.checkId))).toEqual(new Set(checks.map((c) => c.id)));
      expect(account.results.every((r) => r.accountId === account.accountId)).toBe(true);
      expect(account.score.accountId).toBe(account.accountId);
    }
    expect(report.organization?.organizationId).toBe("o-bench00000001");
  });

  it("times every endpoint of the real `mfawatch serve` over a seeded store (needs `npm run build`)", async () => {
    if (!existsSync(cliScript(root)))
      throw new Error("dist/cli/main.js is missing: run `npm run build` first");
    const work = await mkdtemp(join(tmpdir(), "mfawatch-bench-dashboard-"));
    try {
      const result = await runDashboardCase(
        { id: "dashboard-1000", title: "tiny", accounts: 3, days: 2, requests: 2 },
        { root, work },
      );
      expect(result.status).toBe("ok");
      expect(result.api?.map((a) => a.path)).toEqual([
        "/api/overview",
        "/api/accounts/300000000001",
        "/api/findings?status=fail",
      ]);
      for (const endpoint of result.api ?? []) {
        expect(endpoint.bytes).toBeGreaterThan(10);
        expect(endpoint.maxMs).toBeGreaterThanOrEqual(endpoint.medianMs);
      }
      expect(result.cliPeakRssMb).toBeGreaterThan(20);
      const target = judgeTargets([result]).find((t) => t.id === "dashboard-latency");
      expect(target?.met).not.toBeNull();
      expect(target?.measured).toMatch(/^slowest \d/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
