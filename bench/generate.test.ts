import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/emulator/scenario.js";
import {
  AUDIT_ROLE,
  MANAGEMENT_ACCOUNT,
  memberAccountId,
  organizationScenario,
  seededRandom,
  singleAccountScenario,
} from "./generate.js";

const load = { latencyMs: 50 };

describe("generated scenarios", () => {
  it("one account with N users validates and has the realistic mix the README describes", () => {
    const scenario = parseScenario(singleAccountScenario(1_000, load));
    const [account] = scenario.accounts;
    if (!account) throw new Error("no account");
    expect(account.users).toHaveLength(1_000);
    const people = account.users.filter((u) => u.password);
    const share = (n: number, of: number) => n / of;
    expect(share(people.length, 1_000)).toBeGreaterThan(0.65);
    expect(share(people.length, 1_000)).toBeLessThan(0.75);
    const withMfa = people.filter((u) => u.mfa.length > 0);
    expect(share(withMfa.length, people.length)).toBeGreaterThan(0.75);
    expect(share(withMfa.length, people.length)).toBeLessThan(0.85);
    const kinds = new Set(withMfa.flatMap((u) => u.mfa.map((d) => d.type)));
    expect(kinds).toEqual(new Set(["virtual", "fido", "hardware"]));
    expect(account.users.filter((u) => !u.password).every((u) => u.accessKeys.length > 0)).toBe(true);
    expect(people.every((u) => u.groups.length > 0)).toBe(true);
    expect(account.groups.length).toBe(12);
    expect(account.cloudTrail.filter((e) => e.name === "ConsoleLogin").length).toBeLessThanOrEqual(50);
    expect(scenario.latency).toEqual({ ms: 40, jitterMs: 20 });
  });

  it("is the same for the same seed and differs for another", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const a = parseScenario(singleAccountScenario(50, load, 7), now);
    const b = parseScenario(singleAccountScenario(50, load, 7), now);
    const c = parseScenario(singleAccountScenario(50, load, 8), now);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("an organization has a management account and members whose audit role trusts it", () => {
    const scenario = parseScenario(organizationScenario(5, 3, load));
    expect(scenario.organization?.managementAccount).toBe(MANAGEMENT_ACCOUNT);
    expect(scenario.accounts.map((a) => a.id)).toEqual([
      MANAGEMENT_ACCOUNT,
      ...[1, 2, 3, 4].map(memberAccountId),
    ]);
    for (const member of scenario.accounts.slice(1)) {
      expect(member.users).toHaveLength(3);
      const audit = member.roles.find((r) => r.name === AUDIT_ROLE);
      expect(JSON.stringify(audit?.trustPolicy)).toContain(`arn:aws:iam::${MANAGEMENT_ACCOUNT}:root`);
      expect(scenario.organization?.ous.map((o) => o.id)).toContain(member.parent);
    }
    expect(scenario.accounts[0]?.roles.some((r) => r.name === AUDIT_ROLE)).toBe(false);
  });

  it("seededRandom stays in [0, 1) and repeats per seed", () => {
    const a = seededRandom(3);
    const values = Array.from({ length: 1_000 }, a);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(990);
    const b = seededRandom(3);
    expect(Array.from({ length: 5 }, b)).toEqual(values.slice(0, 5));
  });
});
