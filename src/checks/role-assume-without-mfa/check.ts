import { type AdminPath, adminPaths } from "../../policy/admin.js";
import { rolePolicies, scpEvidence } from "../../policy/principal.js";
import {
  dependsClause,
  describeStatement,
  PolicyEvaluationError,
  verdictEvidence,
} from "../../policy/simulate.js";
import { assumeWithoutMfa } from "../../policy/trust.js";
import { missingPolicies, scpsOf } from "../support/policy.js";
import { defineCheck } from "../types.js";

export default defineCheck({
  id: "role-assume-without-mfa",
  title: "Privileged roles that IAM users can assume require MFA in their trust policy",
  severity: "medium",
  requires: ["authorizationDetails"],
  optional: ["serviceControlPolicies", "organization"],
  risk: "A role that IAM users of this or another account can assume without MFA turns any of their leaked passwords or keys into the role's privileges.",
  remediation: {
    console:
      'IAM → Roles → <role> → Trust relationships → Edit: add "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}} to each statement that trusts an account or IAM user.',
    cli: "aws iam update-assume-role-policy --role-name <role> --policy-document file://trust-with-mfa.json",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html",
  },
  references: {},
  evaluate({ authorizationDetails }, ctx) {
    const scps = scpsOf(ctx);
    return authorizationDetails.roles
      .filter((role) => !role.path.startsWith("/aws-service-role/"))
      .flatMap((role) => {
        let assumers: ReturnType<typeof assumeWithoutMfa>;
        let paths: AdminPath[];
        const base = { role: role.roleName, arn: role.arn, ...scpEvidence(scps) };
        try {
          assumers = assumeWithoutMfa(role, ctx.region);
          if (assumers.length === 0) return [];
          const resolved = rolePolicies(authorizationDetails, role, scps, ctx.region);
          if (!resolved.ok) {
            return ctx.unknown(
              role.arn,
              `IAM users can assume ${role.roleName}, but whether it is privileged is unknown: ${missingPolicies(resolved.missing)}.`,
              { ...base, missingPolicies: resolved.missing, trusted: assumers.map((a) => a.principal) },
            );
          }
          paths = adminPaths(resolved.principal, "mfa").filter((p) => p.dependsOn.length === 0);
        } catch (error) {
          if (!(error instanceof PolicyEvaluationError)) throw error;
          return ctx.unknown(
            role.arn,
            `Cannot evaluate ${role.roleName}'s policies: ${error.message}.`,
            base,
          );
        }
        if (paths.length === 0) return [];
        const evidence = {
          ...base,
          privileged: paths.map((p) => ({
            rule: p.rule,
            because: verdictEvidence(p.verdicts[0] as AdminPath["verdicts"][number]),
          })),
          trusted: assumers.map((a) => ({
            principal: a.principal,
            statements: a.statements.map(describeStatement),
            withoutMfa: a.withoutMfa
              ? { session: a.withoutMfa.session, allowedBy: a.withoutMfa.allowedBy.map(describeStatement) }
              : null,
            ...(a.uncertain ? { undetermined: verdictEvidence(a.uncertain) } : {}),
          })),
        };
        const open = assumers.filter((a) => a.withoutMfa);
        const first = open[0];
        const unclear = assumers.find((a) => a.uncertain);
        if (!first && unclear?.uncertain) {
          return ctx.unknown(
            role.arn,
            `${role.roleName} is privileged (${paths.map((p) => p.rule).join(", ")}); whether IAM users of ${unclear.principal} can assume it without MFA cannot be told: ${dependsClause(unclear.uncertain)}.`,
            evidence,
          );
        }
        if (!first?.withoutMfa) {
          return ctx.pass(
            role.arn,
            `${role.roleName} is privileged (${paths.map((p) => p.rule).join(", ")}) and its trust policy requires MFA from every IAM user it trusts: without MFA it refuses them whatever its other conditions.`,
            evidence,
          );
        }
        const by = first.withoutMfa.allowedBy[0];
        const how =
          first.withoutMfa.session === "long-term-key"
            ? "with long-term access keys"
            : "in a session without MFA";
        return ctx.fail(
          role.arn,
          `${role.roleName} is privileged (${paths.map((p) => p.rule).join(", ")}) and IAM users of ${open.map((a) => a.principal).join(", ")} can assume it without MFA (${how}${by ? `, allowed by ${describeStatement(by)}` : ""}).`,
          evidence,
        );
      });
  },
});
