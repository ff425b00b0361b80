import { describe, expect, it } from "vitest";
import type { CaseResult } from "./cases.js";
import { judgeTargets, README_END, README_START, renderTables, replaceResults } from "./report.js";

function scan(
  id: string,
  users: number,
  wallMs: number,
  rss: number,
  ops: Record<string, number>,
): CaseResult {
  const withoutCloudTrail = Object.entries(ops)
    .filter(([op]) => !op.startsWith("cloudtrail:"))
    .reduce((n, [, c]) => n + c, 0);
  const cloudTrail = ops["cloudtrail:LookupEvents"] ?? 0;
  const mean = {
    total: withoutCloudTrail + cloudTrail,
    cloudTrail,
    withoutCloudTrail,
    throttled: 0,
    byOperation: ops,
  };
  return {
    id,
    title: id,
    status: "ok",
    notes: [],
    users,
    wallMs,
    cliPeakRssMb: rss,
    calls: {
      total: mean.total,
      throttled: 0,
      accounts: 1,
      unattributed: 0,
      perAccount: { mean, max: { withoutCloudTrail, cloudTrail } },
      byOperation: ops,
    },
  };
}

const base = { "sts:GetCallerIdentity": 1, "iam:GetAccountSummary": 1, "cloudtrail:LookupEvents": 17 };

describe("judgeTargets", () => {
  it("meets, misses by how much, and leaves unmeasured targets open", () => {
    const results: CaseResult[] = [
      scan("account-10", 10, 3_000, 150, {
        ...base,
        "iam:ListMFADevices": 5,
        "iam:GetAccountAuthorizationDetails": 1,
      }),
      scan("account-1000", 1_000, 4_000, 160, { ...base, "iam:GetAccountAuthorizationDetails": 2 }),
      scan("account-10000", 10_000, 12_500, 450, { ...base, "iam:GetAccountAuthorizationDetails": 11 }),
      { id: "evaluate-10000", title: "e", status: "ok", notes: [], wallMs: 1_500, cliPeakRssMb: 300 },
      { id: "org-1000", title: "o", status: "error", notes: ["exit 4"] },
      { id: "dashboard-1000", title: "d", status: "not-built", notes: ["no store"] },
    ];
    const targets = Object.fromEntries(judgeTargets(results).map((t) => [t.id, t]));
    expect(targets["calls-1000-users"]).toMatchObject({ met: true, measured: "4 calls" });
    expect(targets["calls-independent-of-users"]).toMatchObject({ met: true });
    expect(targets["account-10000-time"]).toMatchObject({ met: false, measured: "12.5 s, 2.5 s over" });
    expect(targets["evaluate-10000-time"]).toMatchObject({ met: true });
    expect(targets["peak-rss"]).toMatchObject({
      met: false,
      measured: "largest 450 MB (account-10000), 50 MB over",
    });
    expect(targets["org-1000-time"]).toMatchObject({ met: null, measured: "scenario errored" });
    expect(targets["dashboard-latency"]).toMatchObject({ met: null, measured: "not built yet" });
  });

  it("sees calls that grow with users", () => {
    const results = [
      scan("account-10", 10, 1, 1, base),
      scan("account-10000", 10_000, 1, 1, { ...base, "iam:ListMFADevices": 4_000 }),
    ];
    const target = judgeTargets(results).find((t) => t.id === "calls-independent-of-users");
    expect(target?.met).toBe(false);
  });
});

describe("tables and the README", () => {
  it("renders every case and target, and replaces only the generated part", () => {
    const results: CaseResult[] = [
      scan("account-10", 10, 3_000, 150, base),
      { id: "dashboard-1000", title: "dashboard", status: "not-built", notes: [] },
    ];
    const tables = renderTables(results, judgeTargets(results));
    expect(tables).toContain("| account-10 | ok | 3.0 s | 19 | 2 + 17 | 0 | 150 MB | - |");
    expect(tables).toContain("| dashboard | not-built | - |");
    expect(tables).toContain(
      "| Dashboard API answers in under 200 ms at 1,000 accounts | - | not built yet |",
    );

    const readme = `# Bench\n\nintro\n${README_START}\nold\n${README_END}\n\nafter\n`;
    expect(replaceResults(readme, "new\n")).toBe(
      `# Bench\n\nintro\n${README_START}\nnew\n${README_END}\n\nafter\n`,
    );
    expect(() => replaceResults("no markers", "x")).toThrow(/markers/);
  });
});
