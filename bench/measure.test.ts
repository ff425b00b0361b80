import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { GetAccountSummaryCommand, IAMClient } from "@aws-sdk/client-iam";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../src/emulator/scenario.js";
import { createEmulator } from "../src/emulator/server.js";
import { type CaseContext, cliScript, runEvaluateCase, runScanCase } from "./cases.js";
import { singleAccountScenario } from "./generate.js";
import { summarizeCalls, TokenBucket, throttledIam } from "./measure.js";

describe("TokenBucket", () => {
  it("allows a burst, refuses the next call, and refills at its rate", () => {
    let now = 0;
    const bucket = new TokenBucket(20, 40, () => now);
    const burst = Array.from({ length: 41 }, () => bucket.take());
    expect(burst.filter(Boolean)).toHaveLength(40);
    expect(burst[40]).toBe(false);
    now = 100;
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, false]);
  });
});

describe("IAM-like throttling and the call summary", () => {
  it("throttles IAM per account over the real SDK, leaves other services alone, and counts it", async () => {
    const scenario = parseScenario(singleAccountScenario(3, { latencyMs: 0 }));
    const emulator = await createEmulator({
      scenario,
      port: 0,
      services: { iam: throttledIam({ ratePerSecond: 0.001, burst: 2 }) },
    });
    try {
      const config = {
        region: "us-east-1",
        endpoint: emulator.endpoint,
        credentials: emulator.credentialsFor("200000000000"),
        maxAttempts: 1,
      };
      const iam = new IAMClient(config);
      const sts = new STSClient(config);
      await iam.send(new GetAccountSummaryCommand({}));
      await iam.send(new GetAccountSummaryCommand({}));
      const refused = await iam.send(new GetAccountSummaryCommand({})).catch((error: unknown) => error);
      expect(refused).toMatchObject({ name: "Throttling", $metadata: { httpStatusCode: 400 } });
      await sts.send(new GetCallerIdentityCommand({}));
      await sts.send(new GetCallerIdentityCommand({}));
      await sts.send(new GetCallerIdentityCommand({}));

      const summary = summarizeCalls(emulator.callLog);
      expect(summary.total).toBe(6);
      expect(summary.throttled).toBe(1);
      expect(summary.byAccount["200000000000"]).toMatchObject({
        total: 6,
        throttled: 1,
        cloudTrail: 0,
        withoutCloudTrail: 6,
        byOperation: { "iam:GetAccountSummary": 3, "sts:GetCallerIdentity": 3 },
      });
      iam.destroy();
      sts.destroy();
    } finally {
      await emulator.close();
    }
  });
});

const root = resolve(import.meta.dirname, "..");
/** One cheap check keeps these tests about the runner, not about how fast every check is. */
const ONE_CHECK = ["--checks", "user-console-mfa"];

describe("a measured run of the real CLI (needs `npm run build`)", () => {
  let context: CaseContext;
  beforeAll(async () => {
    if (!existsSync(cliScript(root)))
      throw new Error("dist/cli/main.js is missing: run `npm run build` first");
    context = { root, work: await mkdtemp(join(tmpdir(), "mfawatch-bench-test-")) };
  });
  afterAll(async () => {
    await rm(context.work, { recursive: true, force: true });
  });

  it("measures a scan of a tiny account and an evaluate of its snapshot", async () => {
    const snapshot = join(context.work, "tiny.json");
    const result = await runScanCase(
      {
        id: "tiny",
        title: "tiny",
        scenario: singleAccountScenario(10, { latencyMs: 0 }),
        accountId: "200000000000",
        args: ONE_CHECK,
        saveSnapshot: snapshot,
      },
      context,
    );
    expect(result).toMatchObject({ status: "ok", users: 10 });
    expect([0, 1]).toContain(result.exitCode);
    expect(result.wallMs).toBeGreaterThan(0);
    expect(result.cliPeakRssMb).toBeGreaterThan(20);
    expect(result.emulatorPeakRssMb).toBeGreaterThan(20);
    const account = result.calls?.byAccount?.["200000000000"];
    expect(account?.byOperation["iam:GetCredentialReport"]).toBe(1);
    expect(account?.byOperation["sts:GetCallerIdentity"]).toBeGreaterThanOrEqual(1);
    expect(account?.cloudTrail).toBeGreaterThan(0);
    expect(result.calls?.total).toBe((account?.total ?? 0) + (result.calls?.unattributed ?? 0));

    const evaluated = await runEvaluateCase(
      { id: "tiny-eval", title: "e", snapshot, users: 10, args: ONE_CHECK },
      context,
    );
    expect(evaluated).toMatchObject({ status: "ok" });
    expect(evaluated.cliPeakRssMb).toBeGreaterThan(20);
  });

  it("a scan whose calls fail is an error that names the section, not a result", async () => {
    const scenario = singleAccountScenario(5, { latencyMs: 0 });
    const [account] = scenario.accounts;
    if (!account) throw new Error("no account");
    account.faults = [{ operation: "iam:GetAccountAuthorizationDetails", kind: "AccessDenied" }];
    const result = await runScanCase(
      { id: "denied", title: "denied", scenario, accountId: "200000000000", args: ONE_CHECK },
      context,
    );
    expect(result.status).toBe("error");
    expect(result.notes.join(" ")).toContain("authorizationDetails: AccessDenied");
  });
});
