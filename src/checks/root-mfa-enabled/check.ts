import {
  decidedBy,
  noRootCredentials,
  type RootFacts,
  rootFacts,
  rootManagementEvidence,
  unknownRootMessage,
} from "../support/root.js";
import { type CheckContext, defineCheck, type Finding } from "../types.js";

function credentialsHeld(facts: RootFacts): string[] {
  return [
    facts.password ? "a password" : null,
    facts.accessKeys ? "an active access key" : null,
    facts.signingCertificates ? "an active signing certificate" : null,
  ].filter((c): c is string => c !== null);
}

const NO_CREDENTIALS = "The root user has no password, access key or signing certificate";

/**
 * A root without credentials needs no MFA only while nobody can give it a password back: with
 * centralized root access (RootCredentialsManagement) password recovery is blocked; without it,
 * whoever holds the root e-mail address can recover a password and sign in without MFA.
 */
function withoutCredentials(facts: RootFacts, ctx: CheckContext): Finding {
  const section = ctx.section("rootCredentialsManagement");
  const evidence = { ...facts.evidence, ...rootManagementEvidence(ctx) };
  if (section.status === "error") {
    const via = section.error.operation ? ` (${section.error.operation})` : "";
    return ctx.unknown(
      facts.arn,
      `${NO_CREDENTIALS}, but whether centralized root access blocks password recovery could not be read: ${section.error.code}${via}: ${section.error.message}. iam:ListOrganizationsFeatures answers only in the management account (or the IAM delegated administrator): scan the organization from there to judge member accounts.`,
      evidence,
    );
  }
  if (section.data.enabledFeatures.includes("RootCredentialsManagement")) {
    return ctx.pass(
      facts.arn,
      `${NO_CREDENTIALS}, and centralized root access (RootCredentialsManagement) is enabled, so it cannot sign in and needs no MFA (AWS Config reports this as NOT_APPLICABLE).`,
      evidence,
    );
  }
  return ctx.fail(
    facts.arn,
    `${NO_CREDENTIALS} today, but centralized root access (RootCredentialsManagement) is not enabled, so whoever controls the root e-mail address can recover a password and sign in without MFA.`,
    evidence,
  );
}

export default defineCheck({
  id: "root-mfa-enabled",
  title: "The root user has MFA",
  severity: "critical",
  requires: [],
  optional: ["credentialReport", "accountSummary", "rootCredentialsManagement"],
  risk: "The root user can do anything in the account, including closing it; a stolen root password without MFA is a full takeover.",
  remediation: {
    console:
      "Sign in as the root user → account menu → Security credentials → Multi-factor authentication (MFA) → Assign MFA device (or, in an organization, delete the root credentials with centralized root access)",
    cli: "aws iam list-organizations-features && aws sts assume-root --target-principal <member-account-id> --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html",
  },
  references: { cis: ["1.5"], awsConfig: ["root-account-mfa-enabled"], securityHub: ["IAM.9"] },
  evaluate(_data, ctx) {
    const facts = rootFacts(ctx);
    if (!facts.readable)
      return [ctx.unknown(facts.arn, unknownRootMessage(facts), { reasons: facts.reasons })];
    const evidence = facts.evidence;

    if (facts.mfa === true) {
      return [
        ctx.pass(
          facts.arn,
          `The root user has MFA enabled, according to ${decidedBy(facts, "mfa")}.`,
          evidence,
        ),
      ];
    }
    if (noRootCredentials(facts)) return [withoutCredentials(facts, ctx)];
    if (facts.mfa === false) {
      const held = credentialsHeld(facts);
      return [
        held.length > 0
          ? ctx.fail(facts.arn, `The root user has ${held.join(" and ")} but no MFA.`, evidence)
          : ctx.fail(
              facts.arn,
              "The root user has no MFA, and whether it has a password cannot be told (neither the root row's password_enabled nor the account summary's AccountPasswordPresent says), so it may sign in with a password alone.",
              evidence,
            ),
      ];
    }
    return [
      ctx.unknown(
        facts.arn,
        "Whether the root user has MFA cannot be told: the root row's mfa_active is not a true/false value and the account summary has no AccountMFAEnabled.",
        evidence,
      ),
    ];
  },
});
