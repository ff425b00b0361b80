/** The plan as text (with AWS CLI commands), Terraform, or CloudFormation: the same content. */
import { stringify } from "yaml";
import type { FixPlan } from "./plan.js";

export type FixFormat = "text" | "terraform" | "cloudformation";
export const FIX_FORMATS: readonly FixFormat[] = ["text", "terraform", "cloudformation"];

const json = (value: unknown) => JSON.stringify(value, null, 2);
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The AWS CLI commands that create the policy and group and add the console users. */
export function policyCommands(plan: FixPlan): string[] {
  const { policy, group } = plan;
  return [
    ...(policy.existsInSnapshot
      ? []
      : [`aws iam create-policy --policy-name ${policy.name} --policy-document file://${policy.name}.json`]),
    ...(group.existsInSnapshot ? [] : [`aws iam create-group --group-name ${group.name}`]),
    `aws iam attach-group-policy --group-name ${group.name} --policy-arn ${policy.arn}`,
    ...group.members.map((u) => `aws iam add-user-to-group --group-name ${group.name} --user-name ${u}`),
  ];
}

function keyLine(k: FixPlan["keys"][number]): string {
  return `${k.action} ${k.resource}: ${k.reasons.join("; ")}`;
}

/** The advice part of the plan (not applied): enrolment, keys, what could not be seen. */
function advice(plan: FixPlan): { warnings: string[]; enrol: string[]; keys: string[]; gaps: string[] } {
  return {
    warnings: plan.warnings.length > 0 ? ["Before applying:", ...plan.warnings.map((w) => `  ${w}`)] : [],
    enrol: [
      `Users to ask to enrol an MFA device (${plan.enrol.length}):`,
      ...(plan.enrol.length > 0 ? plan.enrol.map((u) => `  ${u}`) : ["  none"]),
    ],
    keys: [
      `Access keys to rotate or remove (${plan.keys.length}):`,
      ...(plan.keys.length > 0 ? plan.keys.map((k) => `  ${keyLine(k)}`) : ["  none"]),
    ],
    gaps:
      plan.gaps.length > 0
        ? ["Not seen (sections that could not be read):", ...plan.gaps.map((g) => `  ${g}`)]
        : [],
  };
}

function comment(plan: FixPlan): string[] {
  const { warnings, enrol, keys, gaps } = advice(plan);
  return [
    `mfawatch fix plan for account ${plan.accountId} (snapshot collected ${plan.collectedAt})`,
    ...warnings,
    ...enrol,
    ...keys,
    ...gaps,
  ].map((l) => `# ${l}`);
}

const missingRules = (plan: FixPlan) => plan.configRules.filter((r) => r.status !== "present");

function numbered(prefix: string, lines: string[]): string[] {
  return lines.map((l, i) => (i === 0 ? `${prefix}${l}` : `   ${l}`));
}

export function renderText(plan: FixPlan): string {
  const rules = missingRules(plan);
  const lines = [
    `mfawatch fix plan for account ${plan.accountId} (snapshot collected ${plan.collectedAt})`,
    "",
    `1. Require MFA: policy ${plan.policy.name} (AWS's force-MFA example, BoolIfExists) attached to group ${plan.group.name}, which holds the ${plan.group.members.length} console user(s).`,
    `   ${plan.policy.name}.json:`,
    ...json(plan.policy.document)
      .split("\n")
      .map((l) => `   ${l}`),
    "   Commands:",
    ...policyCommands(plan).map((c) => `   ${c}`),
    ...advice(plan).warnings.map((l) => `   ${l}`),
    "",
    ...numbered("2. ", advice(plan).enrol),
    "",
    ...numbered("3. ", advice(plan).keys),
    "",
    `4. AWS Config rules to deploy (${rules.length}):`,
    ...(rules.length > 0
      ? rules.map(
          (r) =>
            `   ${r.status === "unknown" ? "(if absent) " : ""}aws configservice put-config-rule --config-rule ${shellQuote(JSON.stringify({ ConfigRuleName: r.name, Source: { Owner: "AWS", SourceIdentifier: r.sourceIdentifier } }))}`,
        )
      : ["   none: every MFA rule is deployed"]),
    ...(plan.gaps.length > 0 ? ["", ...advice(plan).gaps] : []),
    "",
    "Nothing was changed. 'mfawatch fix --apply' creates the policy and group and adds the console users, after a confirmation.",
    "",
  ];
  return lines.join("\n");
}

const tfName = (s: string) => s.replace(/[^A-Za-z0-9_]/g, "_").replace(/^([^A-Za-z_])/, "_$1");

export function renderTerraform(plan: FixPlan): string {
  const policyJson = json(plan.policy.document).replace(/\$\{/g, () => "$${");
  const rules = missingRules(plan);
  const blocks = [
    ...comment(plan),
    "",
    `resource "aws_iam_policy" "force_mfa" {`,
    `  name        = "${plan.policy.name}"`,
    `  description = "Deny everything except MFA self-service until the user signs in with MFA (AWS's example)"`,
    `  policy      = <<-EOT`,
    ...policyJson.split("\n").map((l) => `    ${l}`),
    `  EOT`,
    `}`,
    "",
    `resource "aws_iam_group" "mfa_required" {`,
    `  name = "${plan.group.name}"`,
    `}`,
    "",
    `resource "aws_iam_group_policy_attachment" "force_mfa" {`,
    `  group      = aws_iam_group.mfa_required.name`,
    `  policy_arn = aws_iam_policy.force_mfa.arn`,
    `}`,
    ...plan.group.members.flatMap((u) => [
      "",
      `resource "aws_iam_user_group_membership" "mfa_required_${tfName(u)}" {`,
      `  user   = "${u}"`,
      `  groups = [aws_iam_group.mfa_required.name]`,
      `}`,
    ]),
    ...rules.flatMap((r) => [
      "",
      `# Needs an AWS Config recorder in the region.${r.status === "unknown" ? " Deployed rules could not be read: skip it if present." : ""}`,
      `resource "aws_config_config_rule" "${tfName(r.name)}" {`,
      `  name = "${r.name}"`,
      `  source {`,
      `    owner             = "AWS"`,
      `    source_identifier = "${r.sourceIdentifier}"`,
      `  }`,
      `}`,
    ]),
    "",
  ];
  return blocks.join("\n");
}

const cfnName = (s: string) => s.replace(/[^A-Za-z0-9]/g, "");

export function renderCloudFormation(plan: FixPlan): string {
  const resources: Record<string, unknown> = {
    MfaRequiredGroup: { Type: "AWS::IAM::Group", Properties: { GroupName: plan.group.name } },
    ForceMfaPolicy: {
      Type: "AWS::IAM::ManagedPolicy",
      Properties: {
        ManagedPolicyName: plan.policy.name,
        Description:
          "Deny everything except MFA self-service until the user signs in with MFA (AWS's example)",
        PolicyDocument: plan.policy.document,
        Groups: [{ Ref: "MfaRequiredGroup" }],
      },
    },
  };
  if (plan.group.members.length > 0) {
    resources.ConsoleUsersToMfaRequired = {
      Type: "AWS::IAM::UserToGroupAddition",
      Properties: { GroupName: { Ref: "MfaRequiredGroup" }, Users: plan.group.members },
    };
  }
  for (const r of missingRules(plan)) {
    resources[
      `ConfigRule${cfnName(r.sourceIdentifier.toLowerCase().replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase()))}`
    ] = {
      Type: "AWS::Config::ConfigRule",
      Properties: { ConfigRuleName: r.name, Source: { Owner: "AWS", SourceIdentifier: r.sourceIdentifier } },
    };
  }
  const header = comment(plan);
  const template = {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: `mfawatch: require MFA for the console users of account ${plan.accountId}`,
    Resources: resources,
  };
  return `${header.join("\n")}\n${stringify(template, { lineWidth: 0 })}`;
}

export function renderPlan(plan: FixPlan, format: FixFormat): string {
  if (format === "terraform") return renderTerraform(plan);
  if (format === "cloudformation") return renderCloudFormation(plan);
  return renderText(plan);
}
