import { describe, expect, it } from "vitest";
import { parseScenario } from "../../emulator/scenario.js";
import { services } from "../../emulator/services/index.js";
import type { ConfigRules, Section } from "../../snapshot/types.js";
import { runSection } from "../context.js";
import { deniedIn, readerContext, withEmulator } from "../test-support/emulator.js";
import { readConfigRules } from "./configRules.js";

const ACCOUNT = "444444444444";
const REGIONS = ["ap-southeast-2", "eu-west-1", "us-east-1"];

const scenario = () =>
  parseScenario({
    name: "config-regions",
    accounts: [
      {
        id: ACCOUNT,
        name: "config-regions",
        regions: REGIONS,
        configRules: [
          {
            name: "root-mfa",
            source: "ROOT_ACCOUNT_MFA_ENABLED",
            region: "us-east-1",
            compliance: "COMPLIANT",
          },
          {
            name: "user-mfa",
            source: "IAM_USER_MFA_ENABLED",
            region: "eu-west-1",
            compliance: "NON_COMPLIANT",
          },
          { name: "hw-mfa", source: "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED", region: "ap-southeast-2" },
          { name: "other", source: "S3_BUCKET_VERSIONING_ENABLED", region: "eu-west-1" },
        ],
      },
    ],
  });

const ok = <T>(section: Section<T>): T => {
  if (section.status !== "ok") throw new Error(`section failed: ${JSON.stringify(section.error)}`);
  return section.data;
};

describe.concurrent("readConfigRules", () => {
  it("reads the MFA rules of every enabled region, each with its region and compliance", async () => {
    await withEmulator(scenario(), async (emulator) => {
      const ctx = readerContext(emulator, ACCOUNT);
      const data = ok(await runSection(ctx, () => readConfigRules(ctx, { status: "ok", data: REGIONS })));
      ctx.clients.destroy();
      expect(data.region).toBe("us-east-1");
      expect(data.regions).toEqual(REGIONS);
      expect(data.failedRegions).toEqual([]);
      expect(data.rules.map((r) => [r.name, r.region, r.compliance]).sort()).toEqual([
        ["hw-mfa", "ap-southeast-2", "INSUFFICIENT_DATA"],
        ["root-mfa", "us-east-1", "COMPLIANT"],
        ["user-mfa", "eu-west-1", "NON_COMPLIANT"],
      ]);
    });
  });

  it("without the regions section, reads the collection region only", async () => {
    await withEmulator(scenario(), async (emulator) => {
      const ctx = readerContext(emulator, ACCOUNT);
      const data = ok(await runSection(ctx, () => readConfigRules(ctx)));
      ctx.clients.destroy();
      expect(data.regions).toEqual(["us-east-1"]);
      expect(data.rules.map((r) => r.name)).toEqual(["root-mfa"]);
    });
  });

  it("records a denied region and keeps the rules of the others", async () => {
    const config = deniedIn(services.config, "eu-west-1", "AccessDeniedException");
    await withEmulator({ scenario: scenario(), services: { config } }, async (emulator) => {
      const ctx = readerContext(emulator, ACCOUNT);
      const data = ok(await runSection(ctx, () => readConfigRules(ctx, { status: "ok", data: REGIONS })));
      ctx.clients.destroy();
      expect(data.rules.map((r) => r.name).sort()).toEqual(["hw-mfa", "root-mfa"]);
      expect(data.failedRegions).toEqual([
        {
          region: "eu-west-1",
          code: "AccessDeniedException",
          message: expect.stringContaining("explicit deny"),
          operation: "config:DescribeConfigRules",
        },
      ]);
    });
  });

  it("fails the section when no region can be read, or when the regions are unknown", async () => {
    await withEmulator("collect-standalone", async (emulator) => {
      emulator.addFault("*", { operation: "config:DescribeConfigRules", kind: "AccessDenied" });
      const ctx = readerContext(emulator, "333333333333");
      const denied: Section<ConfigRules> = await runSection(ctx, () =>
        readConfigRules(ctx, { status: "ok", data: ["eu-west-1", "us-east-1"] }),
      );
      const noRegions = await runSection(ctx, () =>
        readConfigRules(ctx, { status: "error", error: { code: "UnauthorizedOperation", message: "no" } }),
      );
      ctx.clients.destroy();
      expect(denied).toMatchObject({
        status: "error",
        error: { code: "AccessDeniedException", operation: "config:DescribeConfigRules" },
      });
      expect(denied.status === "error" && denied.error.message).toMatch(/eu-west-1: .*; us-east-1: /);
      expect(noRegions).toMatchObject({ status: "error", error: { code: "UnauthorizedOperation" } });
    });
  });

  it("stops on a NextToken it has already followed, as a PaginationLoop error", async () => {
    const config = {
      ...services.config,
      handlers: {
        ...services.config.handlers,
        DescribeConfigRules: () => ({ ConfigRules: [], NextToken: "again" }),
      },
    };
    await withEmulator({ scenario: scenario(), services: { config } }, async (emulator) => {
      const ctx = readerContext(emulator, ACCOUNT);
      const section = await runSection(ctx, () => readConfigRules(ctx));
      ctx.clients.destroy();
      expect(section).toMatchObject({ status: "error", error: { code: "PaginationLoop" } });
      expect(emulator.callLog.filter((c) => c.operation === "DescribeConfigRules")).toHaveLength(2);
    });
  });
});
