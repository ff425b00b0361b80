import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { testScenario, withEmulator } from "../collect/test-support/emulator.js";
import { parseScenario } from "../emulator/scenario.js";
import type { Emulator } from "../emulator/server.js";
import { judgeSnapshot } from "../scan/report.js";
import { readSnapshot } from "../snapshot/io.js";
import { type OrgScanOptions, scanOrganization, selectAccounts } from "./scanOrganization.js";

const MANAGEMENT = "100000000001";

function options(emulator: Emulator, extra: Partial<OrgScanOptions> = {}): OrgScanOptions {
  return {
    credentials: emulator.credentialsFor(MANAGEMENT),
    region: "us-east-1",
    endpoint: emulator.endpoint,
    roleName: "MfawatchAudit",
    maxAttempts: 2,
    judge: (snapshot) => judgeSnapshot(snapshot, { checks, evaluatedAt: new Date() }),
    ...extra,
  };
}

const statusOf = (
  report: { results: { checkId: string; resource: string; status: string }[] },
  check: string,
  user: string,
) => report.results.find((r) => r.checkId === check && r.resource.endsWith(`:user/${user}`))?.status;

describe("scanOrganization against an organization where some accounts misbehave", () => {
  it("judges every healthy account and reports each failed one with its reason", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mfawatch-org-"));
    await withEmulator(testScenario("org-faults"), async (emulator) => {
      const settled: string[] = [];
      const judged = new Map<string, unknown>();
      const result = await scanOrganization(
        options(emulator, {
          externalId: "mfw-ext-1",
          accountTimeoutMs: 20_000,
          snapshotDir: dir,
          judge: (snapshot) => {
            const report = judgeSnapshot(snapshot, { checks, evaluatedAt: new Date() });
            judged.set(snapshot.accountId, report);
            return report;
          },
          onAccount: (e) => settled.push(e.accountId),
        }),
      );
      expect(result.organizationId).toBe("o-orgfaults01");
      expect(result.callerAccountId).toBe(MANAGEMENT);
      expect(result.interrupted).toBe(false);
      expect(result.organizationConfigRules).toEqual({
        status: "ok",
        data: [
          {
            name: "org-root-mfa",
            arn: expect.stringMatching(
              /^arn:aws:config:us-east-1:100000000001:organization-config-rule\/org-root-mfa-/,
            ),
            sourceIdentifier: "ROOT_ACCOUNT_MFA_ENABLED",
            excludedAccounts: ["200000000002"],
          },
        ],
      });
      expect(result.accounts.map((a) => a.accountId)).toEqual([
        MANAGEMENT,
        "200000000001",
        "200000000002",
        "200000000003",
        "200000000006",
      ]);
      const failed = Object.fromEntries(result.failedAccounts.map((f) => [f.accountId, f]));
      expect(Object.keys(failed).sort()).toEqual(["200000000004", "200000000005", "200000000007"]);
      expect(failed["200000000004"]).toMatchObject({ accountName: "no-audit-role", code: "AccessDenied" });
      expect(failed["200000000004"]?.message).toContain("arn:aws:iam::200000000004:role/MfawatchAudit");
      expect(failed["200000000005"]).toMatchObject({ accountName: "wrong-trust", code: "AccessDenied" });
      expect(failed["200000000007"]).toMatchObject({ accountName: "slow", code: "Timeout" });
      expect(settled.sort()).toEqual(
        [...result.accounts.map((a) => a.accountId), ...Object.keys(failed)].sort(),
      );

      // Reports are kept deflated while the scan runs: each comes back as judged.
      expect(result.accounts).toEqual(result.accounts.map((a) => judged.get(a.accountId)));
      expect(result.accounts.every((a) => a.results.length > 0)).toBe(true);

      const byId = Object.fromEntries(result.accounts.map((a) => [a.accountId, a]));
      const healthy = byId["200000000001"];
      expect(healthy?.accountName).toBe("healthy-a");
      expect(healthy && statusOf(healthy, "user-console-mfa", "alice")).toBe("fail");
      expect(healthy && statusOf(healthy, "user-console-mfa", "bob")).toBe("pass");
      expect(healthy?.sectionErrors).toEqual([]);
      expect(byId["200000000003"] && statusOf(byId["200000000003"], "user-console-mfa", "dan")).toBe("fail");
      expect(byId[MANAGEMENT]?.sectionErrors).toEqual([]);

      const throttled = byId["200000000006"];
      expect(throttled?.sectionErrors.map((s) => s.section)).toContain("credentialReport");
      expect(throttled?.sectionErrors.every((s) => s.error.code === "Throttling")).toBe(true);
      expect(throttled && statusOf(throttled, "user-console-mfa", "erin")).toBeUndefined();
      expect(throttled?.results.some((r) => r.checkId === "user-console-mfa" && r.status === "unknown")).toBe(
        true,
      );

      expect((await readdir(dir)).sort()).toEqual(result.accounts.map((a) => `${a.accountId}.json`).sort());
      const snapshot = await readSnapshot(join(dir, "200000000001.json"));
      const scps = snapshot.sections.serviceControlPolicies;
      expect(scps.status === "ok" && scps.data.targets).toEqual([
        "200000000001",
        "ou-of01-team0001",
        "ou-of01-work0001",
        "r-of01",
      ]);
      const attached = scps.status === "ok" ? scps.data.policies.map((p) => `${p.targetId} ${p.id}`) : [];
      expect(attached).toEqual(
        expect.arrayContaining([
          "ou-of01-work0001 p-requiremfa01",
          "r-of01 p-FullAWSAccess",
          "r-of01 p-denyleave01",
        ]),
      );
      expect(attached.filter((a) => a.endsWith(" p-requiremfa01"))).toEqual([
        "ou-of01-work0001 p-requiremfa01",
      ]);
      expect(snapshot.sections.rootCredentialsManagement).toEqual({
        status: "ok",
        data: { enabledFeatures: ["RootCredentialsManagement"] },
      });
      expect(snapshot.sections.organization).toMatchObject({
        status: "ok",
        data: { organizationId: "o-orgfaults01", managementAccountId: MANAGEMENT },
      });

      const calls = (operation: string) => emulator.callLog.filter((c) => c.operation === operation);
      const policyIds = new Set(attached.map((a) => a.split(" ")[1]));
      expect(calls("DescribePolicy")).toHaveLength(policyIds.size);
      for (const op of [
        "ListOrganizationsFeatures",
        "DescribeOrganization",
        "ListParents",
        "ListPoliciesForTarget",
      ]) {
        expect(new Set(calls(op).map((c) => c.accountId))).toEqual(new Set([MANAGEMENT]));
      }
      expect(calls("ListOrganizationsFeatures")).toHaveLength(1);
      expect(calls("DescribeOrganization")).toHaveLength(1);
      expect(calls("AssumeRole").every((c) => c.accountId === MANAGEMENT)).toBe(true);
      expect(calls("GetCallerIdentity").map((c) => c.accountId)).not.toContain("200000000004");
    });
  }, 60_000);

  it("lists every page of accounts and makes the same calls for each account, however many there are", async () => {
    const members = Array.from({ length: 44 }, (_, i) => ({
      id: String(300000000000 + i),
      name: `member-${i}`,
      regions: ["us-east-1"],
      root: { password: false },
      roles: [
        {
          name: "Audit",
          trustPolicy: {
            Statement: [{ Effect: "Allow", Principal: { AWS: MANAGEMENT }, Action: "sts:AssumeRole" }],
          },
        },
      ],
    }));
    const scenario = parseScenario({
      name: "org-many",
      organization: { id: "o-orgmany0001", managementAccount: MANAGEMENT },
      accounts: [{ id: MANAGEMENT, name: "management", regions: ["us-east-1"] }, ...members],
    });
    await withEmulator(scenario, async (emulator) => {
      const result = await scanOrganization(options(emulator, { roleName: "Audit", concurrency: 45 }));
      expect(result.failedAccounts).toEqual([]);
      expect(result.accounts).toHaveLength(45);
      expect(emulator.callLog.filter((c) => c.operation === "ListAccounts")).toHaveLength(3);
      const perAccount = new Map<string, number>();
      for (const c of emulator.callLog) {
        if (c.accountId && c.accountId !== MANAGEMENT)
          perAccount.set(c.accountId, (perAccount.get(c.accountId) ?? 0) + 1);
      }
      expect(new Set(perAccount.values()).size).toBe(1);
      const managementCalls = emulator.callLog.filter((c) => c.accountId === MANAGEMENT).length;
      // Per member: AssumeRole, ListParents, ListPoliciesForTarget; the rest is once per run.
      expect(managementCalls).toBeLessThan(44 * 3 + 40);
    });
  }, 60_000);

  it("stops starting accounts when interrupted and reports what finished", async () => {
    await withEmulator(testScenario("org-faults"), async (emulator) => {
      const controller = new AbortController();
      const result = await scanOrganization(
        options(emulator, {
          accounts: [MANAGEMENT, "200000000001", "200000000002"],
          concurrency: 1,
          signal: controller.signal,
          onAccount: () => controller.abort(),
        }),
      );
      expect(result.interrupted).toBe(true);
      expect(result.accounts.map((a) => a.accountId)).toEqual([MANAGEMENT]);
      expect(result.failedAccounts.map((f) => [f.accountId, f.code])).toEqual([
        ["200000000001", "Interrupted"],
        ["200000000002", "Interrupted"],
      ]);
    });
  }, 60_000);
});

describe("selectAccounts", () => {
  const all = [
    { id: "111111111111", name: "a", status: "ACTIVE" },
    { id: "222222222222", name: "b", status: "SUSPENDED" },
    { id: "333333333333", name: "c", status: "ACTIVE" },
  ];

  it("takes every ACTIVE account minus the excluded ones", () => {
    expect(selectAccounts(all, undefined, ["333333333333"])).toEqual({ selected: [all[0]], refused: [] });
  });

  it("refuses requested accounts that are not ACTIVE members", () => {
    const { selected, refused } = selectAccounts(all, ["333333333333", "222222222222", "999999999999"]);
    expect(selected).toEqual([all[2]]);
    expect(refused.map((r) => [r.accountId, r.code])).toEqual([
      ["222222222222", "NotActive"],
      ["999999999999", "NotInOrganization"],
    ]);
  });
});
