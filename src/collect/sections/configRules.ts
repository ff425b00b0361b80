import {
  DescribeComplianceByConfigRuleCommand,
  DescribeConfigRulesCommand,
} from "@aws-sdk/client-config-service";
import type { ConfigCompliance, ConfigRule, ConfigRules } from "../../snapshot/types.js";
import { allPages, type CollectContext, call } from "../context.js";

/** The AWS managed Config rules about MFA, found by source identifier since rule names vary. */
export const MFA_RULE_SOURCES = new Set([
  "ROOT_ACCOUNT_MFA_ENABLED",
  "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED",
  "IAM_USER_MFA_ENABLED",
  "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS",
]);

/** DescribeComplianceByConfigRule takes at most 25 rule names. */
const NAMES_PER_CALL = 25;

export async function readConfigRules(ctx: CollectContext): Promise<ConfigRules> {
  const config = ctx.clients.get("config", ctx.region);
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
  return { region: ctx.region, rules };
}
