/**
 * AWS Config (JSON 1.1): the account's config rules in the request's region and their compliance,
 * and the organization's rules for its management account.
 */
import type { ScenarioAccount } from "../scenario.js";
import { AwsError, type RequestContext, type ServiceDefinition } from "../types.js";
import { digest, optionalInt, optionalString, optionalStringList, paginate } from "./json/input.js";

type ConfigRule = ScenarioAccount["configRules"][number];

/** DescribeConfigRules and DescribeComplianceByConfigRule answer at most 25 rules a page. */
const RULES_PAGE = 25;
const DETAILS_MAX = 100;
const DETAILS_DEFAULT = 10;
/** DescribeOrganizationConfigRules: at most (and by default) 100 rules a page. */
const ORG_RULES_PAGE = 100;
const COMPLIANCE_TYPES = ["COMPLIANT", "NON_COMPLIANT", "INSUFFICIENT_DATA", "NOT_APPLICABLE"];

const validation = (message: string) => new AwsError("ValidationException", message);
const invalidToken = () => new AwsError("InvalidNextTokenException", "The nextToken provided is invalid");

function ruleId(ctx: RequestContext, rule: ConfigRule): string {
  return `config-rule-${digest(ctx.account.id, rule.region, rule.name).slice(0, 6)}`;
}

function regionalRules(ctx: RequestContext): ConfigRule[] {
  return ctx.account.configRules.filter((rule) => rule.region === ctx.region);
}

/** The rules named (all when none are); an unknown name is an error. */
function rulesNamed(ctx: RequestContext, names: string[] | undefined): ConfigRule[] {
  const rules = regionalRules(ctx);
  if (!names || names.length === 0) return rules;
  return names.map((name) => {
    const rule = rules.find((r) => r.name === name);
    if (!rule) {
      throw new AwsError(
        "NoSuchConfigRuleException",
        `The ConfigRule '${name}' provided in the request is invalid. Please check the configRule name.`,
      );
    }
    return rule;
  });
}

function selectRules(ctx: RequestContext): ConfigRule[] {
  return rulesNamed(ctx, optionalStringList(ctx.input, "ConfigRuleNames", 25, validation));
}

function complianceTypes(ctx: RequestContext, allowed: string[]): string[] | undefined {
  const types = optionalStringList(ctx.input, "ComplianceTypes", 3, validation);
  for (const type of types ?? []) {
    if (!allowed.includes(type)) {
      throw new AwsError(
        "InvalidParameterValueException",
        `The compliance type '${type}' is not valid. Valid values: ${allowed.join(", ")}.`,
      );
    }
  }
  return types && types.length > 0 ? types : undefined;
}

function describeConfigRules(ctx: RequestContext) {
  const rules = selectRules(ctx).map((rule) => {
    const id = ruleId(ctx, rule);
    return {
      ConfigRuleName: rule.name,
      ConfigRuleArn: `arn:aws:config:${rule.region}:${ctx.account.id}:config-rule/${id}`,
      ConfigRuleId: id,
      Source: { Owner: rule.owner, SourceIdentifier: rule.source },
      InputParameters: "{}",
      MaximumExecutionFrequency: "TwentyFour_Hours",
      ConfigRuleState: rule.state,
    };
  });
  const { page, nextToken } = paginate(rules, {
    nextToken: ctx.input.NextToken,
    pageSize: RULES_PAGE,
    scope: ["DescribeConfigRules", ctx.input.ConfigRuleNames ?? null],
    invalidToken,
  });
  return { ConfigRules: page, NextToken: nextToken };
}

function describeComplianceByConfigRule(ctx: RequestContext) {
  const types = complianceTypes(ctx, COMPLIANCE_TYPES.slice(0, 3));
  const results = selectRules(ctx)
    .map((rule) => ({ rule, type: rule.compliance ?? "INSUFFICIENT_DATA" }))
    .filter(({ type }) => !types || types.includes(type))
    .map(({ rule, type }) => ({
      ConfigRuleName: rule.name,
      Compliance:
        type === "NON_COMPLIANT"
          ? { ComplianceType: type, ComplianceContributorCount: { CappedCount: 1, CapExceeded: false } }
          : { ComplianceType: type },
    }));
  const { page, nextToken } = paginate(results, {
    nextToken: ctx.input.NextToken,
    pageSize: RULES_PAGE,
    scope: ["DescribeComplianceByConfigRule", ctx.input.ConfigRuleNames ?? null, types ?? null],
    invalidToken,
  });
  return { ComplianceByConfigRules: page, NextToken: nextToken };
}

/**
 * The rule's evaluation of the account itself (resource type `AWS::::Account`), as the account-level
 * MFA rules report it. A rule without compliance data has no evaluation results.
 */
function getComplianceDetailsByConfigRule(ctx: RequestContext) {
  const name = optionalString(ctx.input, "ConfigRuleName", validation);
  if (name === undefined) {
    throw validation(
      "1 validation error detected: Value null at 'configRuleName' failed to satisfy constraint: Member must not be null",
    );
  }
  const limit = optionalInt(ctx.input, "Limit", 0, DETAILS_MAX, validation) || DETAILS_DEFAULT;
  const types = complianceTypes(ctx, COMPLIANCE_TYPES);
  const [rule] = rulesNamed(ctx, [name]) as [ConfigRule];
  const recorded = new Date(ctx.now().getTime() - 3600e3);
  const results =
    rule.compliance && rule.compliance !== "INSUFFICIENT_DATA" && (!types || types.includes(rule.compliance))
      ? [
          {
            EvaluationResultIdentifier: {
              EvaluationResultQualifier: {
                ConfigRuleName: rule.name,
                ResourceType: "AWS::::Account",
                ResourceId: ctx.account.id,
              },
              OrderingTimestamp: recorded,
            },
            ComplianceType: rule.compliance,
            ResultRecordedTime: recorded,
            ConfigRuleInvokedTime: recorded,
          },
        ]
      : [];
  const { page, nextToken } = paginate(results, {
    nextToken: ctx.input.NextToken,
    pageSize: limit,
    scope: ["GetComplianceDetailsByConfigRule", name, types ?? null],
    invalidToken,
  });
  return { EvaluationResults: page, NextToken: nextToken };
}

/** Organization rules: visible to the management account and delegated administrators only, per region. */
function describeOrganizationConfigRules(ctx: RequestContext) {
  const org = ctx.scenario.organization;
  if (!org) {
    throw new AwsError("NoAvailableOrganizationException", "Organization is no longer available.");
  }
  const caller = ctx.account.id;
  if (caller !== org.managementAccount && !org.delegatedAdministrators.includes(caller)) {
    throw new AwsError(
      "OrganizationAccessDeniedException",
      "This action can only be performed if you are a registered delegated administrator for AWS Config with permissions to call ListDelegatedAdministrators API.",
    );
  }
  const names = optionalStringList(ctx.input, "OrganizationConfigRuleNames", 25, validation);
  const regional = org.configRules.filter((rule) => rule.region === ctx.region);
  const selected =
    names && names.length > 0
      ? names.map((name) => {
          const rule = regional.find((r) => r.name === name);
          if (!rule) {
            throw new AwsError(
              "NoSuchOrganizationConfigRuleException",
              `The organization config rule '${name}' does not exist.`,
            );
          }
          return rule;
        })
      : regional;
  const rules = selected.map((rule) => ({
    OrganizationConfigRuleName: rule.name,
    OrganizationConfigRuleArn: `arn:aws:config:${rule.region}:${org.managementAccount}:organization-config-rule/${rule.name}-${digest(org.id, rule.region, rule.name).slice(0, 8)}`,
    OrganizationManagedRuleMetadata: { RuleIdentifier: rule.source },
    ExcludedAccounts: rule.excludedAccounts,
    LastUpdateTime: new Date(ctx.now().getTime() - 86400e3),
  }));
  const { page, nextToken } = paginate(rules, {
    nextToken: ctx.input.NextToken,
    pageSize: optionalInt(ctx.input, "Limit", 0, ORG_RULES_PAGE, validation) || ORG_RULES_PAGE,
    scope: ["DescribeOrganizationConfigRules", names ?? null],
    invalidToken,
  });
  return { OrganizationConfigRules: page, NextToken: nextToken };
}

export const config: ServiceDefinition = {
  name: "config",
  protocol: "json",
  targetPrefix: "StarlingDoveService",
  handlers: {
    DescribeConfigRules: describeConfigRules,
    DescribeComplianceByConfigRule: describeComplianceByConfigRule,
    GetComplianceDetailsByConfigRule: getComplianceDetailsByConfigRule,
    DescribeOrganizationConfigRules: describeOrganizationConfigRules,
  },
};
