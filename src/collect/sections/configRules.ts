import {
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigRulesCommand,
} from "@aws-sdk/client-config-service";
import type { ConfigCompliance, ConfigRule, ConfigRules, Section } from "../../snapshot/types.js";
import { allPages, type CollectContext, call, dependencyFailed, perRegion } from "../context.js";

/** The AWS managed Config rules about MFA, found by source identifier since rule names vary. */
export const MFA_RULE_SOURCES = new Set([
  "ROOT_ACCOUNT_MFA_ENABLED",
  "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED",
  "IAM_USER_MFA_ENABLED",
  "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS",
]);

/** DescribeComplianceByConfigRule takes at most 25 rule names. */
const NAMES_PER_CALL = 25;

/** Regions read at once: Config's rate limits are per region, so this only bounds open requests. */
const REGIONS_IN_FLIGHT = 4;

/**
 * The MFA rules of every enabled region (accounts often evaluate global IAM resources in one home
 * region only). Without `regions` (an older caller), only the collection region is read. A region
 * whose calls fail is recorded in `failedRegions` and the others are kept; when every region
 * fails, the section fails.
 */
export async function readConfigRules(
  ctx: CollectContext,
  regions?: Section<string[]>,
): Promise<ConfigRules> {
  if (regions?.status === "error") throw dependencyFailed("regions", regions);
  const { read, failed, results } = await perRegion(
    regions ? regions.data : [ctx.region],
    REGIONS_IN_FLIGHT,
    (region) => readRegion(ctx, region).finally(() => ctx.clients.release("config", region)),
  );
  return { region: ctx.region, regions: read, failedRegions: failed, rules: results.flat() };
}

async function readRegion(ctx: CollectContext, region: string): Promise<ConfigRule[]> {
  const config = ctx.clients.get("config", region);
  const pages = await allPages(
    (NextToken) =>
      call(ctx, "config:DescribeConfigRules", (o) =>
        config.send(new DescribeConfigRulesCommand({ NextToken }), o),
      ),
    (page) => page.NextToken,
  );
  const rules: ConfigRule[] = pages
    .flatMap((page) => page.ConfigRules ?? [])
    .filter((r) => r.Source?.Owner === "AWS" && MFA_RULE_SOURCES.has(r.Source.SourceIdentifier ?? ""))
    .map((r) => ({
      name: r.ConfigRuleName ?? "",
      arn: r.ConfigRuleArn ?? "",
      sourceIdentifier: r.Source?.SourceIdentifier ?? "",
      state: r.ConfigRuleState ?? "",
      compliance: null,
      region,
    }));
  for (let i = 0; i < rules.length; i += NAMES_PER_CALL) {
    const ConfigRuleNames = rules.slice(i, i + NAMES_PER_CALL).map((r) => r.name);
    const compliance = await allPages(
      (NextToken) =>
        call(ctx, "config:DescribeComplianceByConfigRule", (o) =>
          config.send(new DescribeComplianceByConfigRuleCommand({ ConfigRuleNames, NextToken }), o),
        ),
      (page) => page.NextToken,
    );
    for (const c of compliance.flatMap((page) => page.ComplianceByConfigRules ?? [])) {
      const rule = rules.find((r) => r.name === c.ConfigRuleName);
      const type = c.Compliance?.ComplianceType;
      if (rule && type) rule.compliance = type as ConfigCompliance;
    }
  }
  return rules;
}
