import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CHECK_OPTIONS } from "../checks/types.js";
import { UsageError } from "../cli/errors.js";
import { ConfigError, checkOptionsFrom, loadConfig } from "./config.js";

const knownCheckIds = ["root-mfa-enabled", "access-key-unused", "user-console-mfa"];
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "mfawatch-config-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(text: string, name = "mfawatch.config.yaml"): string {
  writeFileSync(join(dir, name), text);
  return name;
}

function errorOf(text: string): ConfigError {
  const file = write(text, "bad.yaml");
  try {
    loadConfig({ file, cwd: dir, knownCheckIds });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

const VALID = `# a full configuration
thresholds:
  accessKeyMaxAgeDays: 60
  passwordMinLength: 16
identityCenter:
  mfa: every-sign-in
checks:
  include: [root-mfa-enabled, access-key-unused]
  exclude: []
minSeverity: low
failOn: critical
suppressions:
  - check: access-key-unused
    resource: "arn:aws:iam::123456789012:user/legacy-*"
    account: "123456789012"
    reason: "Decommissioned in Q3"
    expires: 2027-01-01
collect:
  cloudTrailDays: 30
  userMfaDevices: all
  userMfaDeviceLimit: 100
  credentialReportTimeoutSeconds: 60
`;

describe("loadConfig", () => {
  it("reads a valid file given with --config", () => {
    const config = loadConfig({ file: write(VALID, "custom.yaml"), cwd: dir, knownCheckIds });
    expect(config).toEqual({
      file: join(dir, "custom.yaml"),
      thresholds: { accessKeyMaxAgeDays: 60, passwordMinLength: 16 },
      identityCenter: { mfa: "every-sign-in" },
      checks: { include: ["root-mfa-enabled", "access-key-unused"], exclude: [] },
      minSeverity: "low",
      failOn: "critical",
      suppressions: [
        {
          check: "access-key-unused",
          resource: "arn:aws:iam::123456789012:user/legacy-*",
          account: "123456789012",
          reason: "Decommissioned in Q3",
          expires: "2027-01-01",
        },
      ],
      collect: {
        cloudTrailDays: 30,
        userMfaDevices: "all",
        userMfaDeviceLimit: 100,
        credentialReportTimeoutSeconds: 60,
      },
    });
    expect(checkOptionsFrom(config)).toEqual({
      ...DEFAULT_CHECK_OPTIONS,
      accessKeyMaxAgeDays: 60,
      passwordMinLength: 16,
      identityCenterMfa: "every-sign-in",
    });
  });

  it("reads mfawatch.config.yaml from the working directory when no file is given", () => {
    write("failOn: medium\n");
    const config = loadConfig({ cwd: dir, knownCheckIds });
    expect(config.file).toBe(join(dir, "mfawatch.config.yaml"));
    expect(config.failOn).toBe("medium");
  });

  it("gives the defaults when there is no file, and for an empty file", () => {
    const none = loadConfig({ cwd: dir, knownCheckIds });
    expect(none).toEqual({
      file: null,
      thresholds: {},
      identityCenter: {},
      checks: {},
      suppressions: [],
      collect: {},
    });
    expect(checkOptionsFrom(none)).toEqual(DEFAULT_CHECK_OPTIONS);
    write("# nothing yet\n");
    expect(loadConfig({ cwd: dir, knownCheckIds }).suppressions).toEqual([]);
  });

  it("fails when the --config file does not exist, saying what to do (exit 2)", () => {
    const error = (() => {
      try {
        loadConfig({ file: "missing.yaml", cwd: dir, knownCheckIds });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as ConfigError).message).toContain(join(dir, "missing.yaml"));
    expect((error as ConfigError).message).toContain("--config");
  });

  it("reports a YAML syntax error with its line", () => {
    const error = errorOf("failOn: high\nthresholds:\n  accessKeyMaxAgeDays: [90\n");
    expect(error.message).toMatch(/bad\.yaml:\d+: YAML syntax error/);
  });

  it("names an unknown key, its line and the allowed keys", () => {
    const error = errorOf("thresholds:\n  accessKeyMaxAgeDays: 90\n  acessKeyUnusedDays: 30\n");
    expect(error.message).toContain("bad.yaml:3: thresholds.acessKeyUnusedDays: unknown key");
    expect(error.message).toContain("accessKeyUnusedDays");
  });

  it("names an unknown top-level key with its line", () => {
    const error = errorOf("failOn: high\n\nfail_on: low\n");
    expect(error.message).toContain("bad.yaml:3: fail_on: unknown key");
  });

  it("names a value of the wrong type with its key and line", () => {
    const error = errorOf("thresholds:\n  accessKeyMaxAgeDays: ninety\ncollect:\n  cloudTrailDays: 120\n");
    expect(error.message).toContain("bad.yaml:2: thresholds.accessKeyMaxAgeDays:");
    expect(error.message).toContain("bad.yaml:4: collect.cloudTrailDays:");
  });

  it("rejects thresholds that are not above 0", () => {
    const error = errorOf("thresholds:\n  accessKeyUnusedDays: 0\n");
    expect(error.message).toContain("bad.yaml:2: thresholds.accessKeyUnusedDays: must be above 0");
  });

  it("rejects an unknown severity", () => {
    const error = errorOf("failOn: severe\n");
    expect(error.message).toContain("bad.yaml:1: failOn:");
    expect(error.message).toContain("critical");
  });

  it("lists the valid ids for an unknown check id", () => {
    const error = errorOf("checks:\n  include:\n    - root-mfa-enabled\n    - root-mfa\n");
    expect(error.message).toContain(
      'bad.yaml:4: checks.include.1: unknown check id "root-mfa"; valid ids: access-key-unused, root-mfa-enabled, user-console-mfa',
    );
  });

  it("rejects a suppression with a bad expiry date, an unknown check or no reason", () => {
    const error = errorOf(
      [
        "suppressions:",
        "  - check: access-key-unused",
        "    reason: old",
        "    expires: 2027-02-30",
        "  - check: no-such-check",
        "    reason: old",
        "  - check: user-console-mfa",
        "    expires: next year",
        "",
      ].join("\n"),
    );
    expect(error.message).toContain(
      "bad.yaml:4: suppressions.0.expires: must be an ISO date such as 2027-01-01",
    );
    expect(error.message).toContain('bad.yaml:5: suppressions.1.check: unknown check id "no-such-check"');
    expect(error.message).toContain("bad.yaml:7: suppressions.2.reason: is required");
    expect(error.message).toContain("bad.yaml:8: suppressions.2.expires: must be an ISO date");
  });

  it("accepts an expiry with a time", () => {
    const file = write(
      "suppressions:\n  - check: user-console-mfa\n    reason: r\n    expires: 2027-01-01T12:00:00Z\n",
    );
    expect(loadConfig({ file, cwd: dir, knownCheckIds }).suppressions[0]?.expires).toBe(
      "2027-01-01T12:00:00Z",
    );
  });
});
