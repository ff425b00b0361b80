import { accountResource } from "../../engine/runChecks.js";
import type { ConfigRule } from "../../snapshot/types.js";
import { defineCheck } from "../types.js";

/** The two things AWS Config can watch about MFA, and the managed rules that watch each. */
const NEEDS = [
  {
    key: "root-mfa",
    what: "root user MFA",
    sources: ["ROOT_ACCOUNT_MFA_ENABLED", "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"],
  },
  {
    key: "iam-user-mfa",
    what: "IAM user MFA",
    sources: ["IAM_USER_MFA_ENABLED", "MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS"],
  },
] as const;

/** EVALUATING is the normal transient state of a rule that is running its evaluation. */
const ACTIVE_STATES: readonly string[] = ["ACTIVE", "EVALUATING"];

const ONLY_REGION =
  "; only the collection region was read, so a rule deployed in another region (for example a Control Tower home region) is not seen";

function describe(rule: ConfigRule): string {
  const where = rule.region ? `${rule.region}, ` : "";
  return `${rule.name} (${where}${rule.sourceIdentifier}, ${rule.state}, ${rule.compliance ?? "no compliance reported"})`;
}

export default defineCheck({
  id: "config-mfa-rules",
  title: "AWS Config rules watch root and IAM user MFA",
  severity: "low",
  requires: ["configRules"],
  risk: "Without a Config rule, MFA removed between two scans goes unrecorded and nobody is told; the rule keeps a compliance history that auditors can rely on.",
  remediation: {
    console:
      "AWS Config → Rules → Add rule → AWS managed rule → root-account-mfa-enabled, and mfa-enabled-for-iam-console-access (or iam-user-mfa-enabled), in the region that records global IAM resources",
    cli: 'aws configservice put-config-rule --config-rule \'{"ConfigRuleName":"root-account-mfa-enabled","Source":{"Owner":"AWS","SourceIdentifier":"ROOT_ACCOUNT_MFA_ENABLED"},"MaximumExecutionFrequency":"TwentyFour_Hours"}\'',
    docs: "https://docs.aws.amazon.com/config/latest/developerguide/root-account-mfa-enabled.html",
  },
  references: {
    awsConfig: [
      "root-account-mfa-enabled",
      "root-account-hardware-mfa-enabled",
      "iam-user-mfa-enabled",
      "mfa-enabled-for-iam-console-access",
    ],
  },
  evaluate({ configRules }, ctx) {
    const { region } = configRules;
    const regionsRead = configRules.regions ?? [region];
    const failedRegions = configRules.failedRegions ?? [];
    const where = regionsRead.length === 1 ? `in ${region}` : `in any of ${regionsRead.length} regions read`;
    return NEEDS.map((need) => {
      const resource = `${accountResource(ctx.accountId)}#config-rules/${need.key}`;
      const rules = configRules.rules.filter((r) =>
        (need.sources as readonly string[]).includes(r.sourceIdentifier),
      );
      const active = rules.filter((r) => ACTIVE_STATES.includes(r.state));
      const evidence = {
        region,
        regionsRead,
        failedRegions,
        acceptedSourceIdentifiers: need.sources,
        rules: rules.map((r) => ({
          name: r.name,
          region: r.region ?? region,
          sourceIdentifier: r.sourceIdentifier,
          state: r.state,
          compliance: r.compliance,
        })),
      };
      if (active.length === 0) {
        const others = rules.length > 0 ? ` (present but not active: ${rules.map(describe).join("; ")})` : "";
        const none = `No ACTIVE or EVALUATING AWS Config rule ${where} watches ${need.what}${others}`;
        if (failedRegions.length > 0) {
          const failed = failedRegions.map((f) => `${f.region} (${f.code})`).join(", ");
          return ctx.unknown(
            resource,
            `${none}, but AWS Config could not be read in ${failed}, where such a rule may be deployed.`,
            evidence,
          );
        }
        return ctx.fail(resource, `${none}${configRules.regions ? "" : ONLY_REGION}.`, evidence);
      }
      const nonCompliant = active.filter((r) => r.compliance === "NON_COMPLIANT").map((r) => r.name);
      const warning = nonCompliant.length > 0 ? `; ${nonCompliant.join(", ")} reports NON_COMPLIANT` : "";
      return ctx.pass(
        resource,
        `AWS Config watches ${need.what} with ${active.map(describe).join("; ")}${warning}.`,
        evidence,
      );
    });
  },
});
