import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, parseScenario, resolveTime, ScenarioError } from "./scenario.js";

const NOW = new Date("2026-06-01T00:00:00Z");

function writeScenario(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "mfawatch-scenario-")), "s.yaml");
  writeFileSync(file, text);
  return file;
}

describe("resolveTime", () => {
  it("resolves relative and absolute times against now", () => {
    expect(resolveTime("now", NOW)?.toISOString()).toBe("2026-06-01T00:00:00.000Z");
    expect(resolveTime("400d ago", NOW)?.toISOString()).toBe("2025-04-27T00:00:00.000Z");
    expect(resolveTime("3h ago", NOW)?.toISOString()).toBe("2026-05-31T21:00:00.000Z");
    expect(resolveTime("2025-01-02T03:04:05Z", NOW)?.toISOString()).toBe("2025-01-02T03:04:05.000Z");
    expect(resolveTime("yesterday", NOW)).toBeNull();
  });
});

describe("scenarios", () => {
  it("loads the bundled demo organization", () => {
    const scenario = loadScenario(new URL("../../scenarios/demo-org.yaml", import.meta.url).pathname, NOW);
    expect(scenario.accounts.map((a) => a.id)).toHaveLength(6);
    expect(scenario.organization?.managementAccount).toBe("111111111111");
    const erin = scenario.accounts.find((a) => a.id === "555555555555")?.users.find((u) => u.name === "erin");
    expect(erin?.created.toISOString()).toBe("2025-04-27T00:00:00.000Z");
  });

  it("names the file, the line and the key of every problem", () => {
    const file = writeScenario(
      [
        "name: t",
        "accounts:",
        '  - id: "123456789012"',
        "    name: a",
        "    emial: x",
        "    users:",
        "      - name: bob",
        "        created: last week",
      ].join("\n"),
    );
    expect(() => loadScenario(file, NOW)).toThrow(ScenarioError);
    try {
      loadScenario(file, NOW);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain(`${file}:5: accounts.0.emial: unknown key "emial"`);
      expect(message).toContain(`${file}:8: accounts.0.users.0.created: "last week" is not a time`);
    }
  });

  it("reports YAML syntax errors with their line", () => {
    const file = writeScenario("name: t\naccounts:\n  - id: [1\n");
    expect(() => loadScenario(file, NOW)).toThrow(/s\.yaml:\d+: YAML syntax error/);
  });

  it("rejects dangling references and short account ids", () => {
    expect(() =>
      parseScenario(
        {
          name: "t",
          accounts: [
            { id: "123456789012", name: "a", users: [{ name: "u", created: "now", groups: ["Nope"] }] },
          ],
        },
        NOW,
      ),
    ).toThrow(/unknown group Nope/);
    expect(() => parseScenario({ name: "t", accounts: [{ id: 12, name: "a" }] }, NOW)).toThrow(
      /accounts\.0\.id/,
    );
  });
});
