import { activeKeys, unclearKeyMessage, unclearKeys } from "../support/credentialReport.js";
import { type CheckContext, defineCheck } from "../types.js";

/** What the account's OIDC providers tell about moving CI/CD off keys: evidence and a sentence. */
function oidcAdvice(ctx: CheckContext): { evidence: Record<string, unknown>; advice: string } {
  const section = ctx.section("identityProviders");
  if (section.status === "error") {
    return {
      evidence: { oidcProviders: "unknown", identityProvidersError: section.error },
      advice: `whether the account already has an OIDC identity provider is unknown (identityProviders: ${section.error.code})`,
    };
  }
  const oidc = section.data.oidc;
  return {
    evidence: { oidcProviders: oidc },
    advice:
      oidc.length > 0
        ? `the account already has ${oidc.length} OIDC identity provider${oidc.length > 1 ? "s" : ""} for CI/CD to assume roles through`
        : "the account has no OIDC identity provider yet; add one for CI/CD (GitHub Actions, GitLab…) to assume roles",
  };
}

export default defineCheck({
  id: "long-lived-keys",
  title: "IAM users use temporary credentials instead of long-lived access keys",
  severity: "low",
  requires: ["credentialReport"],
  optional: ["identityProviders"],
  risk: "Access keys never expire and MFA does not protect them: a key leaked from a laptop, a repository or a CI secret works until someone notices and revokes it.",
  remediation: {
    console:
      "People: IAM Identity Center → Users → assign permission sets, then aws configure sso. Workloads on AWS: IAM → Roles (instance profiles, task roles). CI/CD: IAM → Identity providers → Add provider → OpenID Connect (e.g. https://token.actions.githubusercontent.com), and a role trusting it. Then delete the user's keys.",
    cli: "aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com && aws iam delete-access-key --user-name <user> --access-key-id <key id>",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
  },
  references: {},
  evaluate({ credentialReport }, ctx) {
    const { evidence: oidcEvidence, advice } = oidcAdvice(ctx);
    return credentialReport.users.map((user) => {
      const keys = activeKeys(user);
      const evidence = {
        user: user.user,
        activeKeys: keys.map((k) => ({
          accessKey: k.slot,
          lastRotated: k.lastRotated,
          lastUsedDate: k.lastUsedDate,
        })),
        credentialReportGeneratedTime: credentialReport.generatedTime,
        ...oidcEvidence,
      };
      const unclear = unclearKeys(user);
      if (keys.length === 0 && unclear.length > 0) {
        return ctx.unknown(user.arn, unclear.map((k) => unclearKeyMessage(user, k)).join(" "), {
          ...evidence,
          unclearKeys: unclear.map((k) => ({ accessKey: k.slot, active: k.active })),
        });
      }
      return keys.length === 0
        ? ctx.pass(user.arn, `${user.user} holds no active access key.`, evidence)
        : ctx.fail(
            user.arn,
            `${user.user} holds ${keys.length} long-lived access key${keys.length > 1 ? "s" : ""}: use IAM Identity Center for people, roles for workloads and OIDC federation for CI/CD; ${advice}.`,
            evidence,
          );
    });
  },
});
