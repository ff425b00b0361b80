import { accountResource } from "../../engine/runChecks.js";
import { type AdminPath, adminPaths, adminTargets } from "../../policy/admin.js";
import { byArn, scpEvidence, userPolicies } from "../../policy/principal.js";
import { SharedVerdicts } from "../../policy/shared.js";
import { describeDependency, PolicyEvaluationError, verdictEvidence } from "../../policy/simulate.js";
import { activeKeys, rowEvidence, unclearKeyMessage, unclearKeys } from "../support/credentialReport.js";
import { missingPolicies, scpCaveat, scpsOf } from "../support/policy.js";
import { defineCheck } from "../types.js";

const RULES: Record<AdminPath["rule"], string> = {
  "full-access": "full access to every service",
  "iam-write": "can grant itself any permission through IAM, or take over another user",
  "passrole-and-compute": "can pass a role to code it runs",
  "assume-admin-role": "can assume an administrator role",
};

const definite = (paths: AdminPath[]) => paths.filter((p) => p.dependsOn.length === 0);
const dependencies = (paths: AdminPath[]) => [
  ...new Set(paths.flatMap((p) => p.dependsOn.map(describeDependency))),
];

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
  references: {},
  evaluate({ authorizationDetails, credentialReport }, ctx) {
    const scps = scpsOf(ctx);
    let targets: ReturnType<typeof adminTargets>;
    try {
      targets = adminTargets(authorizationDetails, scps, ctx.region);
    } catch (error) {
      if (!(error instanceof PolicyEvaluationError)) throw error;
      return [
        ctx.unknown(
          accountResource(ctx.accountId),
          `Cannot tell which groups and roles are administrators: ${error.message}.`,
          scpEvidence(scps),
        ),
      ];
    }
    const shared = new SharedVerdicts({
      context: targets.roles.map((r) => r.assumeRolePolicyDocument),
      acrossAccounts: JSON.stringify([targets.groups, targets.roles.map((r) => r.arn)]),
    });
    const rows = byArn(credentialReport.users);
    return authorizationDetails.users.flatMap((user) => {
      const row = rows.get(user.arn) ?? null;
      const evidence = {
        ...(row ? rowEvidence(row, credentialReport.generatedTime) : { user: user.userName, arn: user.arn }),
        ...scpEvidence(scps),
      };
      const resolved = userPolicies(authorizationDetails, user, scps, ctx.region);
      if (!resolved.ok) {
        return ctx.unknown(
          user.arn,
          `Cannot tell whether ${user.userName} is an administrator: ${missingPolicies(resolved.missing)}.`,
          { ...evidence, missingPolicies: resolved.missing },
        );
      }
      const principal = resolved.principal;
      try {
        const pathsAs = (session: Parameters<typeof adminPaths>[1]) =>
          shared.for(user, principal, `admin ${session}`, (p) =>
            adminPaths(p, session, user.groups, targets),
          );
        const withMfa = pathsAs("mfa");
        const consoleNoMfa = row?.passwordEnabled === true && row.mfaActive === false;
        const keys = row ? activeKeys(row) : [];
        const consolePaths = consoleNoMfa ? pathsAs("no-mfa") : [];
        const keyPaths = keys.length > 0 ? pathsAs("long-term-key") : [];
        const viaConsole = definite(consolePaths);
        const viaKeys = definite(keyPaths);
        const all = [withMfa, consolePaths, keyPaths];
        const paths = all.map(definite).find((p) => p.length > 0);
        if (!paths) {
          const maybe = all.find((p) => p.length > 0);
          if (!maybe) return [];
          return ctx.unknown(
            user.arn,
            `Whether ${user.userName} is an administrator (${maybe.map((p) => RULES[p.rule]).join("; ")}) cannot be told: it depends on ${dependencies(maybe).join("; ")}, which a scan cannot know.`,
            { ...evidence, possibleAdminRules: pathsEvidence(maybe), dependsOn: dependencies(maybe) },
          );
        }
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
        const unclear = [
          ...(viaConsole.length > 0 ? [] : consolePaths),
          ...(viaKeys.length > 0 ? [] : keyPaths),
        ];
        if (ways.length === 0 && unclear.length > 0) {
          return ctx.unknown(
            user.arn,
            `${user.userName} is an administrator (${rules}); whether it can act as one without MFA cannot be told: it depends on ${dependencies(unclear).join("; ")}, which a scan cannot know.`,
            { ...admin, dependsOn: dependencies(unclear) },
          );
        }
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
        const maybeKeys = keys.length === 0 ? unclearKeys(row) : [];
        if (maybeKeys.length > 0 && pathsAs("long-term-key").length > 0) {
          return ctx.unknown(
            user.arn,
            `${user.userName} is an administrator (${rules}) and its access keys would not need MFA: ${maybeKeys.map((k) => unclearKeyMessage(row, k)).join(" ")}`,
            { ...admin, unclearKeys: maybeKeys.map((k) => ({ accessKey: k.slot, active: k.active })) },
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
