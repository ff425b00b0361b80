import { byArn, scpEvidence, userPolicies } from "../../policy/principal.js";
import { keySensitiveActions } from "../../policy/sensitive.js";
import { SharedVerdicts } from "../../policy/shared.js";
import {
  dependsClause,
  describeStatement,
  PolicyEvaluationError,
  verdictEvidence,
} from "../../policy/simulate.js";
import { activeKeys, keyEvidence, keyResource, unclearKeyFindings } from "../support/credentialReport.js";
import { missingPolicies, scpCaveat, scpsOf } from "../support/policy.js";
import { defineCheck } from "../types.js";

export default defineCheck({
  id: "access-key-sensitive-actions",
  title: "Long-term access keys cannot perform sensitive actions without MFA",
  severity: "medium",
  requires: ["credentialReport", "authorizationDetails"],
  optional: ["serviceControlPolicies", "organization"],
  risk: "Requests signed with long-term access keys never carry MFA: a leaked key can do whatever the user's policies allow unless a BoolIfExists condition denies it.",
  remediation: {
    console:
      'IAM → Policies → the deny-without-MFA statement: use "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"} (not "Bool"), or move the workload to a role with temporary credentials and delete the key.',
    cli: "aws iam create-policy-version --policy-arn <policy arn> --policy-document file://policy-with-BoolIfExists.json --set-as-default",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent",
  },
  references: {},
  evaluate({ credentialReport, authorizationDetails }, ctx) {
    const scps = scpsOf(ctx);
    const scpFacts = scpEvidence(scps);
    const shared = new SharedVerdicts({ acrossAccounts: "" });
    const users = byArn(authorizationDetails.users);
    const unclear = credentialReport.users.flatMap((row) =>
      unclearKeyFindings(row, credentialReport.generatedTime, ctx, scpFacts),
    );
    const judged = credentialReport.users.flatMap((row) => {
      const keys = activeKeys(row);
      if (keys.length === 0) return [];
      const each = (
        verdict: (resource: string, evidence: Record<string, unknown>) => ReturnType<typeof ctx.pass>,
      ) =>
        keys.map((key) =>
          verdict(keyResource(row, key.slot), {
            ...keyEvidence(row, key, credentialReport.generatedTime),
            ...scpFacts,
          }),
        );
      const user = users.get(row.arn);
      if (!user) {
        return each((resource, evidence) =>
          ctx.unknown(
            resource,
            `${row.user} is not in the account's authorization details, so what its key may do is unknown.`,
            evidence,
          ),
        );
      }
      const resolved = userPolicies(authorizationDetails, user, scps, ctx.region);
      if (!resolved.ok) {
        const missing = resolved.missing;
        return each((resource, evidence) =>
          ctx.unknown(resource, `Cannot evaluate ${row.user}'s policies: ${missingPolicies(missing)}.`, {
            ...evidence,
            missingPolicies: missing,
          }),
        );
      }
      let actions: ReturnType<typeof keySensitiveActions>;
      try {
        actions = shared.for(user, resolved.principal, "keys", keySensitiveActions);
      } catch (error) {
        if (!(error instanceof PolicyEvaluationError)) throw error;
        const message = error.message;
        return each((resource, evidence) =>
          ctx.unknown(resource, `Cannot evaluate ${row.user}'s policies: ${message}.`, evidence),
        );
      }
      const { allowed, allowedCount, uncertain, uncertainCount } = actions;
      const first = allowed[0];
      const unclear = uncertain[0];
      if (!first && unclear) {
        return each((resource, evidence) =>
          ctx.unknown(
            resource,
            `What ${row.user}'s access key may do without MFA cannot be told: ${dependsClause(unclear)}.`,
            { ...evidence, undetermined: uncertain.map(verdictEvidence), undeterminedCount: uncertainCount },
          ),
        );
      }
      if (!first) {
        return each((resource, evidence) =>
          ctx.pass(
            resource,
            `${row.user}'s access key can perform none of the sensitive actions probed, nor anything its own policies allow, without MFA.`,
            evidence,
          ),
        );
      }
      const bool = actions.boolDeny;
      const boolClause = bool
        ? ` ${describeStatement(bool)} denies it without MFA with "Bool", which does not apply to long-term keys (the key is absent): use "BoolIfExists".`
        : "";
      const via = first.verdict.allowedBy[0];
      return each((resource, evidence) =>
        ctx.fail(
          resource,
          `${row.user}'s access key can call ${allowedCount} probed action(s) without MFA, first ${first.verdict.pattern ?? first.verdict.action}${first.verdict.resource === "*" ? "" : ` on ${first.verdict.resource}`}${via ? ` (allowed by ${describeStatement(via)})` : ""}.${boolClause}${scpCaveat(scps)}`,
          {
            ...evidence,
            allowedWithoutMfa: allowed.map((a) => ({
              ...verdictEvidence(a.verdict),
              ...(a.boolDeny ? { boolCondition: describeStatement(a.boolDeny) } : {}),
            })),
            allowedCount,
            ...(bool
              ? {
                  fix: `In ${describeStatement(bool)}, replace "Bool": {"aws:MultiFactorAuthPresent": "false"} with "BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}.`,
                }
              : {}),
          },
        ),
      );
    });
    return [...judged, ...unclear];
  },
});
