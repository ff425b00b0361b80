/**
 * One region denied (as by an SCP with an aws:RequestedRegion condition): the regional sections
 * keep the other regions and record the denied one, and the checks that need it say unknown.
 */
import { describe, expect, it } from "vitest";
import { checks } from "../checks/index.js";
import { services } from "../emulator/services/index.js";
import { runChecks } from "../engine/runChecks.js";
import type { Section } from "../snapshot/types.js";
import { collectAccount } from "./collectAccount.js";
import { deniedIn, fastOptions, MANAGEMENT, testScenario, withEmulator } from "./test-support/emulator.js";

const DENIED = "ap-southeast-2";

const ok = <T>(section: Section<T>): T => {
  if (section.status !== "ok") throw new Error(`section failed: ${JSON.stringify(section.error)}`);
  return section.data;
};

describe("collectAccount: a region denied by an SCP", () => {
  it("records the region in cloudTrail and identityCenter, keeps the others, and the checks say unknown", async () => {
    const scenario = testScenario("collect-full");
    for (const account of scenario.accounts) account.regions = [...account.regions, DENIED];
    const setup = {
      scenario,
      services: {
        cloudtrail: deniedIn(services.cloudtrail, DENIED, "AccessDeniedException"),
        sso: deniedIn(services.sso, DENIED, "AccessDeniedException"),
      },
    };
    await withEmulator(setup, async (emulator) => {
      const snapshot = await collectAccount(fastOptions(emulator, MANAGEMENT));
      const denied = {
        region: DENIED,
        code: "AccessDeniedException",
        message: expect.stringContaining("explicit deny"),
      };
      const trail = ok(snapshot.sections.cloudTrail);
      expect(trail.regions).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
      expect(trail.failedRegions).toEqual([{ ...denied, operation: "cloudtrail:LookupEvents" }]);
      expect(new Set(trail.events.map((e) => e.region))).toEqual(new Set(["eu-west-1", "us-east-1"]));
      const center = ok(snapshot.sections.identityCenter);
      expect(center.regions).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
      expect(center.failedRegions).toEqual([{ ...denied, operation: "sso:ListInstances" }]);
      expect(center.instances).toHaveLength(1);

      const results = runChecks(snapshot, checks);
      const of = (id: string) => results.filter((r) => r.checkId === id).map((r) => [r.resource, r.status]);
      expect(of("console-login-without-mfa").sort()).toEqual([
        [`AWS::::Account:${MANAGEMENT}`, "unknown"],
        [`arn:aws:iam::${MANAGEMENT}:root`, "unknown"],
        [`arn:aws:iam::${MANAGEMENT}:user/alice`, "unknown"],
      ]);
      expect(of("mfa-device-removed")).toEqual([[`arn:aws:iam::${MANAGEMENT}:user/carol`, "pass"]]);
    });
  });
});
