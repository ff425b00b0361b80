import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { SECTION_NAMES } from "../snapshot/types.js";
import { checks } from "./index.js";
import { SEVERITIES } from "./types.js";

const checksDir = fileURLToPath(new URL(".", import.meta.url));
const checkFolders = readdirSync(checksDir)
  .filter((name) => statSync(join(checksDir, name)).isDirectory())
  .filter((name) => existsSync(join(checksDir, name, "check.ts")))
  .sort();

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const AWS_DOCS = "https://docs.aws.amazon.com/";

describe("check registry (src/checks/index.ts)", () => {
  it("registers every folder under src/checks/ that has a check.ts, and nothing else", () => {
    expect(checkFolders.length).toBeGreaterThan(0);
    expect(checks.map((c) => c.id).sort()).toEqual(checkFolders);
  });

  it("has unique ids", () => {
    const ids = checks.map((c) => c.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  for (const check of checks) {
    describe(check.id, () => {
      it("has a kebab-case id equal to its folder name, whose check.ts exports it", async () => {
        expect(check.id).toMatch(KEBAB);
        const file = pathToFileURL(join(checksDir, check.id, "check.ts")).href;
        const module = (await import(/* @vite-ignore */ file)) as { default: unknown };
        expect(module.default).toBe(check);
      });

      it("has complete metadata", () => {
        expect(check.title.trim(), "title").not.toBe("");
        expect(check.risk.trim(), "risk").not.toBe("");
        expect(SEVERITIES).toContain(check.severity);
        expect(check.remediation.console.trim(), "remediation.console").not.toBe("");
        expect(check.remediation.cli.trim(), "remediation.cli").not.toBe("");
        expect(check.remediation.docs.startsWith(AWS_DOCS), `remediation.docs starts with ${AWS_DOCS}`).toBe(
          true,
        );
        expect(typeof check.evaluate).toBe("function");
      });

      it("reads only known sections, each once", () => {
        const read = [...check.requires, ...(check.optional ?? [])];
        expect(Array.isArray(check.requires)).toBe(true);
        for (const name of read) expect(SECTION_NAMES, `section ${name}`).toContain(name);
        expect(new Set(read).size, "a section listed twice").toBe(read.length);
      });

      it("has well-formed references", () => {
        const { cis = [], awsConfig = [], securityHub = [] } = check.references;
        for (const r of cis) expect(r).toMatch(/^\d+(\.\d+)+$/);
        for (const r of awsConfig) expect(r).toMatch(KEBAB);
        for (const r of securityHub) expect(r).toMatch(/^[A-Za-z0-9]+\.\d+$/);
      });

      it("has a check.test.ts and a cases/ folder with cases", () => {
        const folder = join(checksDir, check.id);
        expect(existsSync(join(folder, "check.test.ts")), "check.test.ts").toBe(true);
        const cases = join(folder, "cases");
        expect(existsSync(cases) && statSync(cases).isDirectory(), "cases/").toBe(true);
        expect(readdirSync(cases).filter((f) => f.endsWith(".json")).length, "cases/*.json").toBeGreaterThan(
          0,
        );
      });
    });
  }
});
