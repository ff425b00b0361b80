import { mfaEnforcement } from "../../policy/enforcement.js";
import { byArn, scpEvidence, userPolicies } from "../../policy/principal.js";
import { SharedVerdicts } from "../../policy/shared.js";
import {
  dependsClause,
  describeStatement,
  PolicyEvaluationError,
  type Verdict,
  verdictEvidence,
} from "../../policy/simulate.js";
import {
  activeKeys,
  consoleUsers,
  rowEvidence,
  unclearKeyMessage,
  unclearKeys,
} from "../support/credentialReport.js";
import { missingPolicies, scpCaveat, scpsOf } from "../support/policy.js";
import { defineCheck } from "../types.js";

/** The probed request as words: the pattern it stands for, and its resource. */
function request(v: Verdict): string {
  const what = v.pattern ? `${v.pattern} (probed as ${v.action})` : v.action;
  return v.resource === "*" ? what : `${what} on ${v.resource}`;
}

function why(v: Verdict): string {
  if (v.deniedBy) return `denied by ${describeStatement(v.deniedBy)}`;
  if (v.allowedBy[0]) return `allowed by ${describeStatement(v.allowedBy[0])}`;
  return `not granted by the ${v.notAllowedBy}`;
}

export default defineCheck({
  id: "user-mfa-enforced",
  title: "Policies deny console users everything but MFA enrolment until they sign in with MFA",
  severity: "high",
  requires: ["credentialReport", "authorizationDetails"],
  optional: ["serviceControlPolicies", "organization"],
  risk: "Without a policy that denies requests made without MFA, a user who has no device yet, or whose device was removed, can use every permission with a password alone.",
  remediation: {
    console:
      "IAM → Policies → Create policy with AWS's force-MFA example (DenyAllExceptListedIfNoMFA with BoolIfExists) → attach it to a group → add every console user to the group. `mfawatch fix --plan` prints it.",
    cli: "aws iam create-policy --policy-name mfawatch-force-mfa --policy-document file://force-mfa.json && aws iam create-group --group-name mfawatch-mfa-required && aws iam attach-group-policy --group-name mfawatch-mfa-required --policy-arn arn:aws:iam::<account>:policy/mfawatch-force-mfa && aws iam add-user-to-group --group-name mfawatch-mfa-required --user-name <user>",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html",
  },
  references: {},
  evaluate({ credentialReport, authorizationDetails }, ctx) {
    const scps = scpsOf(ctx);
    const scpFacts = scpEvidence(scps);
    const shared = new SharedVerdicts({ acrossAccounts: "" });
    const users = byArn(authorizationDetails.users);
    return consoleUsers(credentialReport).map((row) => {
      const evidence = { ...rowEvidence(row, credentialReport.generatedTime), ...scpFacts };
      const user = users.get(row.arn);
      if (!user) {
        return ctx.unknown(
          row.arn,
          `${row.user} is in the credential report but not in the account's authorization details, so its policies cannot be evaluated.`,
          evidence,
        );
      }
      const resolved = userPolicies(authorizationDetails, user, scps, ctx.region);
      if (!resolved.ok) {
        return ctx.unknown(
          row.arn,
          `Cannot evaluate ${row.user}'s policies: ${missingPolicies(resolved.missing)}.`,
          {
            ...evidence,
            missingPolicies: resolved.missing,
          },
        );
      }
      const keys = activeKeys(row);
      const maybeKeys = keys.length === 0 ? unclearKeys(row) : [];
      let result: ReturnType<typeof mfaEnforcement>;
      try {
        const options = { activeKeys: keys.length + maybeKeys.length > 0, hasMfa: row.mfaActive === true };
        result = shared.for(
          user,
          resolved.principal,
          `enforcement ${options.activeKeys} ${options.hasMfa}`,
          (principal) => mfaEnforcement(principal, options),
        );
      } catch (error) {
        if (!(error instanceof PolicyEvaluationError)) throw error;
        return ctx.unknown(row.arn, `Cannot evaluate ${row.user}'s policies: ${error.message}.`, evidence);
      }
      switch (result.outcome) {
        case "not-enforced": {
          const viaKey = result.allowed.session === "long-term-key";
          if (viaKey && maybeKeys.length > 0) {
            return ctx.unknown(
              row.arn,
              `${row.user} could act without MFA with an access key (${request(result.allowed)} is ${why(result.allowed)}), but ${maybeKeys.map((k) => unclearKeyMessage(row, k)).join(" ")}`,
              {
                ...evidence,
                outcome: "undetermined",
                unclearKeys: maybeKeys.map((k) => ({ accessKey: k.slot, active: k.active })),
              },
            );
          }
          const how = viaKey
            ? `with active access key ${keys.map((k) => k.slot).join(" and ")} (requests signed with a long-term key carry no MFA key)`
            : "in a console session";
          return ctx.fail(
            row.arn,
            `${row.user} can act without MFA ${how}: ${request(result.allowed)} is ${why(result.allowed)}.${row.mfaActive === true && !viaKey ? ` ${row.user} has an MFA device, but no policy requires using it.` : ""}${scpCaveat(scps)}`,
            {
              ...evidence,
              outcome: viaKey ? "not enforced for access keys" : "not enforced",
              firstAllowed: verdictEvidence(result.allowed),
            },
          );
        }
        case "undetermined":
          return ctx.unknown(
            row.arn,
            `Whether MFA is enforced for ${row.user} cannot be told: ${dependsClause(result.verdict)} (${result.verdict.session} session).`,
            { ...evidence, outcome: "undetermined", undetermined: verdictEvidence(result.verdict) },
          );
        case "lockout":
          return ctx.fail(
            row.arn,
            `MFA is enforced for ${row.user}, who has no MFA device yet, but locks them out of enrolling: ${request(result.denied)} is ${why(result.denied)} without MFA.`,
            {
              ...evidence,
              outcome: "enforced, locks out",
              selfServiceDenied: verdictEvidence(result.denied),
            },
          );
        case "nothing-to-enforce":
          return ctx.pass(
            row.arn,
            `${row.user} can do none of the probed actions, including everything its own policies allow, even with MFA (${why(result.denied.first)}): nothing to enforce.`,
            {
              ...evidence,
              outcome: "nothing to enforce",
              firstDenied: verdictEvidence(result.denied.first),
              probesDenied: result.denied.count,
            },
          );
      }
      return ctx.pass(
        row.arn,
        `MFA is enforced for ${row.user}: without MFA ${request(result.denied.first)} is ${why(result.denied.first)}, as is every other probed action${keys.length > 0 ? " (also with its access keys)" : ""}${row.mfaActive === true ? "" : ", and the MFA self-service actions stay allowed"}.`,
        {
          ...evidence,
          outcome: "enforced",
          firstDenied: verdictEvidence(result.denied.first),
          probesDenied: result.denied.count,
        },
      );
    });
  },
});
