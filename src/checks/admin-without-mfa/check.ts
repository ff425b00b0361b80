import { type AdminPath, adminPaths } from "../../policy/admin.js";
import { scpEvidence, userPolicies } from "../../policy/principal.js";
import { PolicyEvaluationError, verdictEvidence } from "../../policy/simulate.js";
import { activeKeys, rowEvidence } from "../support/credentialReport.js";
import { missingPolicies, scpCaveat, scpsOf } from "../support/policy.js";
import { defineCheck } from "../types.js";

const RULES: Record<AdminPath["rule"], string> = {
  "full-access": "full access to every service",
  "iam-write": "can grant itself any permission through IAM",
  "passrole-and-compute": "can pass a role to code it runs",
};

function pathsEvidence(paths: AdminPath[]): Record<string, unknown>[] {
  return paths.map((p) => ({
    rule: p.rule,
    because: verdictEvidence(p.verdicts[0] as AdminPath["verdicts"][number]),
  }));
}

export default defineCheck({
  id: "admin-without-mfa",
  title: "IAM administrators cannot act without MFA",
  severity: "critical",
  requires: ["authorizationDetails", "credentialReport"],
  optional: ["serviceControlPolicies", "organization"],
  risk: "An administrator's password or access key alone, phished or leaked, hands over the whole account.",
  remediation: {
    console:
      "IAM → Users → <user>: assign an MFA device, add the user to a group with the force-MFA policy (DenyAllExceptListedIfNoMFA with BoolIfExists), and remove access keys an administrator does not need.",
    cli: "aws iam add-user-to-group --group-name mfawatch-mfa-required --user-name <user> && aws iam update-access-key --user-name <user> --access-key-id <key id> --status Inactive",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html",
  },
  references: {
    cis: ["1.16"],
    awsConfig: ["iam-policy-no-statements-with-admin-access"],
    securityHub: ["IAM.1"],
  },
  evaluate({ authorizationDetails, credentialReport }, ctx) {
    const scps = scpsOf(ctx);
    return authorizationDetails.users.flatMap((user) => {
      const row = credentialReport.users.find((r) => r.arn === user.arn) ?? null;
      const evidence = {
        ...(row ? rowEvidence(row, credentialReport.generatedTime) : { user: user.userName, arn: user.arn }),
        ...scpEvidence(scps),
      };
      const resolved = userPolicies(authorizationDetails, user, scps);
      if (!resolved.ok) {
        return ctx.unknown(
          user.arn,
          `Cannot tell whether ${user.userName} is an administrator: ${missingPolicies(resolved.missing)}.`,
          { ...evidence, missingPolicies: resolved.missing },
        );
      }
      const principal = resolved.principal;
      try {
        const withMfa = adminPaths(principal, "mfa", user.groups);
        const consoleNoMfa = row?.passwordEnabled === true && row.mfaActive === false;
        const keys = row ? activeKeys(row) : [];
        const viaConsole = consoleNoMfa ? adminPaths(principal, "no-mfa", user.groups) : [];
        const viaKeys = keys.length > 0 ? adminPaths(principal, "long-term-key", user.groups) : [];
        const paths = [withMfa, viaConsole, viaKeys].find((p) => p.length > 0);
        if (!paths) return [];
        const rules = paths.map((p) => RULES[p.rule]).join("; ");
        const admin = { ...evidence, adminRules: pathsEvidence(paths) };
        if (!row) {
          return ctx.unknown(
            user.arn,
            `${user.userName} is an administrator (${rules}) but is not in the credential report generated ${credentialReport.generatedTime}, so its credentials are unknown.`,
            admin,
          );
        }
        if (row.passwordEnabled === true && typeof row.mfaActive !== "boolean") {
          return ctx.unknown(
            user.arn,
            `${user.userName} is an administrator (${rules}) with a console password, and the report's mfa_active (${row.mfaActive}) does not say whether it has MFA.`,
            admin,
          );
        }
        const ways = [
          ...(viaConsole.length > 0 ? ["a console password without MFA"] : []),
          ...(viaKeys.length > 0
            ? [`active access key ${keys.map((k) => k.slot).join(" and ")} not bound by an MFA condition`]
            : []),
        ];
        if (ways.length > 0) {
          return ctx.fail(
            user.arn,
            `${user.userName} is an administrator (${rules}) and can act without MFA through ${ways.join(" and ")}.${scpCaveat(scps)}`,
            {
              ...admin,
              withoutMfa: ways,
              ...(viaConsole.length > 0 ? { consoleAdminRules: pathsEvidence(viaConsole) } : {}),
              ...(viaKeys.length > 0
                ? { accessKeyAdminRules: pathsEvidence(viaKeys), activeKeys: keys.map((k) => k.slot) }
                : {}),
            },
          );
        }
        return ctx.pass(
          user.arn,
          `${user.userName} is an administrator (${rules}) and every way it can sign in requires MFA.`,
          { ...admin, activeKeys: keys.map((k) => k.slot) },
        );
      } catch (error) {
        if (!(error instanceof PolicyEvaluationError)) throw error;
        return ctx.unknown(
          user.arn,
          `Cannot evaluate ${user.userName}'s policies: ${error.message}.`,
          evidence,
        );
      }
    });
  },
});
