/**
 * permissions/mfawatch-readonly.json must allow every call a full collection makes, and nothing
 * the collector never calls.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../emulator/server.js";
import type { CallLogEntry } from "../emulator/types.js";
import { collectAccount } from "./collectAccount.js";
import { fastOptions, MANAGEMENT, startEmulator } from "./test-support/emulator.js";

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: string;
}

const policy = JSON.parse(
  readFileSync(new URL("../../permissions/mfawatch-readonly.json", import.meta.url), "utf8"),
) as { Statement: Statement[] };

const allowed = policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) =>
  Array.isArray(s.Action) ? s.Action : [s.Action],
);

/** IAM action matching: case-insensitive, `*` any run of characters, `?` one character. */
function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(action);
}

const actionOf = (entry: CallLogEntry) => `${entry.service}:${entry.operation}`;

describe("actionMatches", () => {
  it("matches exact names case-insensitively and wildcards", () => {
    expect(actionMatches("iam:GetCredentialReport", "iam:getcredentialreport")).toBe(true);
    expect(actionMatches("iam:List*", "iam:ListMFADevices")).toBe(true);
    expect(actionMatches("iam:Get?ccountSummary", "iam:GetAccountSummary")).toBe(true);
    expect(actionMatches("iam:List*", "iam:GetAccountSummary")).toBe(false);
    expect(actionMatches("iam:GetUser", "iam:GetUserPolicy")).toBe(false);
    expect(actionMatches("*", "ec2:DescribeRegions")).toBe(true);
  });
});

describe("permissions/mfawatch-readonly.json", () => {
  let emulator: Emulator;
  let called: string[];
  beforeAll(async () => {
    emulator = await startEmulator("collect-full");
    const snapshot = await collectAccount(fastOptions(emulator, MANAGEMENT, { userMfaDevices: "all" }));
    const failed = Object.entries(snapshot.sections).filter(([, s]) => s.status === "error");
    expect(failed).toEqual([]);
    called = [...new Set(emulator.callLog.map(actionOf))].sort();
  });
  afterAll(() => emulator.close());

  it("has only Allow statements on read actions without wildcards", () => {
    expect(policy.Statement.every((s) => s.Effect === "Allow" && s.Resource === "*")).toBe(true);
    expect(allowed.every((a) => /^[a-z0-9-]+:(Describe|Get|List|Lookup|Generate)[A-Za-z]+$/.test(a))).toBe(
      true,
    );
  });

  it("allows every operation a full collection calls", () => {
    expect(called.filter((action) => !allowed.some((pattern) => actionMatches(pattern, action)))).toEqual([]);
  });

  it("allows nothing the collector never calls", () => {
    expect(allowed.filter((pattern) => !called.some((action) => actionMatches(pattern, action)))).toEqual([]);
  });
});
