import { describe, expect, it } from "vitest";
import { parseScenario } from "../../emulator/scenario.js";
import { runSection } from "../context.js";
import { readerContext, withEmulator } from "../test-support/emulator.js";
import { IAM_EVENTS, readCloudTrail, SIGN_IN_EVENTS } from "./cloudTrail.js";

const ACCOUNT = "555555555555";
const RATE = 1.5;
/**
 * Arrival jitter allowed under a loaded test run. Unpaced, the SDK's retry comes after a random
 * backoff and either it or the next lookup lands less than half an interval after the one before,
 * beyond this slack whatever the backoff.
 */
const SLACK_MS = 250;

const scenario = () =>
  parseScenario({
    name: "cloudtrail-pacing",
    accounts: [
      {
        id: ACCOUNT,
        name: "cloudtrail-pacing",
        regions: ["us-east-1"],
        cloudTrail: [{ name: "ConsoleLogin", time: "2h ago" }],
      },
    ],
  });

describe("readCloudTrail pacing", () => {
  it("paces every attempt, the SDK's retry of a throttled lookup included, under the emulator's 2/s", async () => {
    await withEmulator(scenario(), async (emulator) => {
      emulator.addFault(ACCOUNT, { operation: "cloudtrail:LookupEvents", kind: "Throttling", times: 1 });
      const ctx = readerContext(emulator, ACCOUNT, { cloudTrailRequestsPerSecond: RATE });
      const section = await runSection(ctx, () => readCloudTrail(ctx, { status: "ok", data: ["us-east-1"] }));
      ctx.clients.destroy();
      expect(section.status === "ok" && section.data.events.map((e) => e.eventName)).toEqual([
        "ConsoleLogin",
      ]);

      const lookups = emulator.callLog
        .filter((c) => c.operation === "LookupEvents")
        .sort((a, b) => a.time.localeCompare(b.time));
      expect(lookups).toHaveLength(SIGN_IN_EVENTS.length + IAM_EVENTS.length + 1);
      expect(lookups.filter((c) => c.status !== 200).map((c) => c.errorCode)).toEqual([
        "ThrottlingException",
      ]);
      const gaps = lookups.slice(1).map((c, i) => Date.parse(c.time) - Date.parse(lookups[i]?.time ?? ""));
      expect(gaps.filter((gap) => gap < 1000 / RATE - SLACK_MS)).toEqual([]);
    });
  });
});
