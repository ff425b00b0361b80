import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { MANAGEMENT, startEmulator } from "../../collect/test-support/emulator.js";
import type { Emulator } from "../../emulator/server.js";
import { parseSnapshot, readSnapshot } from "../../snapshot/io.js";
import { EXIT } from "../errors.js";
import type { CliIo } from "../io.js";
import { main } from "../main.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    env: process.env,
    cwd: process.cwd(),
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

describe("mfawatch collect", () => {
  let emulator: Emulator;
  let dir: string;
  let secret: string;
  beforeAll(async () => {
    emulator = await startEmulator("collect-full");
    dir = await mkdtemp(join(tmpdir(), "mfawatch-collect-"));
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    const keys = emulator.credentialsFor(MANAGEMENT);
    secret = keys.secretAccessKey;
    // Only the environment provides credentials: no files, no instance metadata.
    vi.stubEnv("AWS_ACCESS_KEY_ID", keys.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey);
    vi.stubEnv("AWS_SESSION_TOKEN", undefined);
    vi.stubEnv("AWS_PROFILE", undefined);
    vi.stubEnv("AWS_REGION", "us-east-1");
    vi.stubEnv("AWS_ENDPOINT_URL", undefined);
    vi.stubEnv("AWS_CONFIG_FILE", join(dir, "no-config"));
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(dir, "no-credentials"));
    vi.stubEnv("AWS_EC2_METADATA_DISABLED", "true");
    vi.stubEnv("AWS_MAX_ATTEMPTS", "2");
    emulator.clearFaults();
  });
  afterEach(() => vi.unstubAllEnvs());

  it("writes a snapshot that readSnapshot loads, with progress and a summary on stderr", async () => {
    const file = join(dir, "snap.json");
    const run = capture();
    const code = await main(["collect", "--endpoint", emulator.endpoint, "--out", file], run.io);
    expect(run.stderr()).toContain("15 of 15 sections ok");
    expect(code).toBe(EXIT.ok);
    expect(run.stdout()).toBe("");
    expect(run.stderr()).toMatch(/ok {5}credentialReport \(\d+\.\d s\)/);
    expect(run.stderr()).not.toContain(secret);
    const snapshot = await readSnapshot(file);
    expect(snapshot.accountId).toBe(MANAGEMENT);
    expect(snapshot.sections.credentialReport.status).toBe("ok");

    const text = await readFile(file, "utf8");
    await writeFile(join(dir, "corrupt.json"), text.slice(0, text.length / 2));
    await expect(readSnapshot(join(dir, "corrupt.json"))).rejects.toThrow(/corrupt\.json is not JSON/);
    await writeFile(join(dir, "newer.json"), text.replace('"schemaVersion": 1', '"schemaVersion": 2'));
    await expect(readSnapshot(join(dir, "newer.json"))).rejects.toThrow(
      /written by a newer mfawatch; upgrade/,
    );
  });

  it("writes to stdout without --out; --quiet drops the progress lines", async () => {
    const run = capture();
    const code = await main(
      ["collect", "--endpoint", emulator.endpoint, "--quiet", "--cloudtrail-days", "7"],
      run.io,
    );
    expect(code).toBe(EXIT.ok);
    const snapshot = parseSnapshot(run.stdout(), "stdout");
    const trail = snapshot.sections.cloudTrail;
    expect(trail.status === "ok" && Date.parse(trail.data.end) - Date.parse(trail.data.start)).toBe(
      7 * 86_400_000,
    );
    expect(run.stderr()).toBe("");
  });

  it("exits 3 and names the code when a section cannot be read", async () => {
    emulator.addFault(MANAGEMENT, { operation: "iam:GetAccountAuthorizationDetails", kind: "AccessDenied" });
    const run = capture();
    const code = await main(
      ["collect", "--endpoint", emulator.endpoint, "--user-mfa-devices", "none"],
      run.io,
    );
    expect(code).toBe(EXIT.incomplete);
    expect(run.stderr()).toMatch(/authorizationDetails: AccessDenied \(iam:GetAccountAuthorizationDetails\)/);
    expect(run.stderr()).toMatch(/userMfaDevices: Skipped/);
    expect(parseSnapshot(run.stdout(), "stdout").sections.authorizationDetails.status).toBe("error");
  });

  it("honours AWS_ENDPOINT_URL when no --endpoint is given", async () => {
    vi.stubEnv("AWS_ENDPOINT_URL", emulator.endpoint);
    emulator.clearCallLog();
    const run = capture();
    const code = await main(["collect", "--quiet"], run.io);
    expect(code).toBe(EXIT.ok);
    expect(parseSnapshot(run.stdout(), "stdout").accountId).toBe(MANAGEMENT);
    expect(new Set(emulator.callLog.map((c) => c.service))).toEqual(
      new Set(["sts", "iam", "ec2", "config", "cloudtrail", "sso", "identitystore", "organizations"]),
    );
  });

  it("uses --profile for credentials and the profile's region", async () => {
    const keys = emulator.credentialsFor(MANAGEMENT);
    await writeFile(join(dir, "profiles"), "[profile audit]\nregion = eu-west-1\n");
    await writeFile(
      join(dir, "keys"),
      `[audit]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`,
    );
    vi.stubEnv("AWS_CONFIG_FILE", join(dir, "profiles"));
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", join(dir, "keys"));
    vi.stubEnv("AWS_ACCESS_KEY_ID", undefined);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", undefined);
    vi.stubEnv("AWS_REGION", undefined);
    const run = capture();
    const code = await main(
      ["collect", "--profile", "audit", "--endpoint", emulator.endpoint, "--quiet"],
      run.io,
    );
    expect(run.stderr()).toBe("");
    expect(code).toBe(EXIT.ok);
    const snapshot = parseSnapshot(run.stdout(), "stdout");
    expect(snapshot.region).toBe("eu-west-1");
    const rules = snapshot.sections.configRules;
    expect(rules.status === "ok" && rules.data.region).toBe("eu-west-1");
    expect(rules.status === "ok" && rules.data.rules.find((r) => r.name === "other-region-mfa")?.region).toBe(
      "eu-west-1",
    );
  });

  it("exits 4 with a clear message without credentials", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", undefined);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", undefined);
    const run = capture();
    const code = await main(["collect", "--endpoint", emulator.endpoint], run.io);
    expect(code).toBe(EXIT.failure);
    expect(run.stderr()).toMatch(/mfawatch collect: no AWS credentials found/);
  });

  it("exits 4 when the endpoint is unreachable", async () => {
    const run = capture();
    const code = await main(["collect", "--endpoint", "http://127.0.0.1:9"], run.io);
    expect(code).toBe(EXIT.failure);
    expect(run.stderr()).toMatch(/mfawatch collect: cannot reach AWS: ECONNREFUSED/);
    expect(run.stderr()).not.toContain(secret);
  });

  it("exits 4 when the snapshot cannot be written", async () => {
    const run = capture();
    const code = await main(
      ["collect", "--endpoint", emulator.endpoint, "--quiet", "--out", join(dir, "absent", "s.json")],
      run.io,
    );
    expect(code).toBe(EXIT.failure);
    expect(run.stderr()).toMatch(/cannot write snapshot .*no existing file was changed/);
  });

  it.each([
    [["--user-mfa-devices", "some"], /--user-mfa-devices takes auto, all or none/],
    [["--cloudtrail-days", "91"], /at most 90/],
    [["--cloudtrail-days", "0"], /whole number above 0/],
    [["--endpoint", "localhost"], /--endpoint takes a URL/],
    [["--bogus"], /Unknown option '--bogus'/],
  ])("refuses %j with exit 2", async (args, message) => {
    const run = capture();
    expect(await main(["collect", ...args], run.io)).toBe(EXIT.usage);
    expect(run.stderr()).toMatch(message);
  });
});
