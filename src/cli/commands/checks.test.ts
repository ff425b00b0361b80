import { expect, it } from "vitest";
import { checks } from "../../checks/index.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";
import { main } from "../main.js";

function capture(tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (t: string) => out.push(t), isTTY: tty },
    stderr: { write: (t: string) => err.push(t) },
    env: {},
    cwd: process.cwd(),
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

it("checks --format json lists every registered check with its metadata", async () => {
  const c = capture();
  expect(await main(["checks", "--format", "json"], c.io)).toBe(EXIT.ok);
  const catalogue = JSON.parse(c.stdout()) as {
    id: string;
    severity: string;
    requires: string[];
    remediation: { docs: string };
  }[];
  expect(catalogue.map((x) => x.id)).toEqual(checks.map((x) => x.id));
  const consoleMfa = catalogue.find((x) => x.id === "user-console-mfa");
  expect(consoleMfa).toMatchObject({ severity: "high", requires: ["credentialReport"] });
  expect(consoleMfa?.remediation.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
});

it("checks prints a table on a terminal and markdown on request; a bad format is exit 2", async () => {
  const table = capture(true);
  expect(await main(["checks"], table.io)).toBe(EXIT.ok);
  expect(table.stdout()).toMatch(/user-console-mfa\s+high\s+IAM users who can sign in/);
  const markdown = capture();
  expect(await main(["checks", "--format", "markdown"], markdown.io)).toBe(EXIT.ok);
  expect(markdown.stdout()).toContain("user-console-mfa");
  const bad = capture();
  expect(await main(["checks", "--format", "yaml"], bad.io)).toBe(EXIT.usage);
  expect(bad.stderr()).toContain("--format takes one of table, json, markdown");
});
