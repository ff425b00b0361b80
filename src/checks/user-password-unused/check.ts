import {
  consoleUsers,
  rowEvidence,
  unclearConsoleUsers,
  unclearPasswordMessage,
} from "../support/credentialReport.js";
import { daysSince } from "../support/time.js";
import { defineCheck } from "../types.js";

/** CIS 1.12, Security Hub IAM.22 and iam-user-unused-credentials-check all use 45 days. */
const UNUSED_DAYS = 45;

export default defineCheck({
  id: "user-password-unused",
  title: "Console passwords of IAM users are in use",
  severity: "medium",
  requires: ["credentialReport"],
  risk: "A console password nobody uses still opens the console for whoever learns it, and nobody notices its misuse because no one is signing in with it anyway.",
  remediation: {
    console:
      "IAM → Users → <user> → Security credentials → Console sign-in → Manage console access → Disable access",
    cli: "aws iam delete-login-profile --user-name <user>",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html",
  },
  references: { cis: ["1.12"], awsConfig: ["iam-user-unused-credentials-check"], securityHub: ["IAM.22"] },
  evaluate({ credentialReport }, ctx) {
    const unclear = unclearConsoleUsers(credentialReport).map((user) =>
      ctx.unknown(user.arn, unclearPasswordMessage(user), rowEvidence(user, credentialReport.generatedTime)),
    );
    const judged = consoleUsers(credentialReport).map((user) => {
      const evidence = {
        ...rowEvidence(user, credentialReport.generatedTime),
        passwordLastChanged: user.passwordLastChanged,
        unusedDays: UNUSED_DAYS,
      };
      const sinceUse = daysSince(user.passwordLastUsed, ctx.now);
      if (sinceUse !== null) {
        return sinceUse >= UNUSED_DAYS
          ? ctx.fail(
              user.arn,
              `${user.user}'s console password was last used ${sinceUse} days ago (${user.passwordLastUsed}), ${UNUSED_DAYS} days or more.`,
              { ...evidence, daysSinceUse: sinceUse },
            )
          : ctx.pass(user.arn, `${user.user}'s console password was used ${sinceUse} days ago.`, {
              ...evidence,
              daysSinceUse: sinceUse,
            });
      }
      if (user.passwordLastUsed !== "no_information") {
        return ctx.unknown(
          user.arn,
          `When ${user.user}'s console password was last used cannot be told: password_last_used is "${user.passwordLastUsed}".`,
          evidence,
        );
      }
      const sinceSet = daysSince(user.passwordLastChanged, ctx.now);
      if (sinceSet === null) {
        return ctx.unknown(
          user.arn,
          `${user.user}'s console password was never used (password_last_used is no_information), and when it was set cannot be told: password_last_changed is "${user.passwordLastChanged}".`,
          evidence,
        );
      }
      return sinceSet >= UNUSED_DAYS
        ? ctx.fail(
            user.arn,
            `${user.user}'s console password was set ${sinceSet} days ago (${user.passwordLastChanged}) and never used (password_last_used is no_information), ${UNUSED_DAYS} days or more.`,
            { ...evidence, daysSinceSet: sinceSet },
          )
        : ctx.pass(
            user.arn,
            `${user.user}'s console password was set ${sinceSet} days ago and not used yet, within ${UNUSED_DAYS} days.`,
            { ...evidence, daysSinceSet: sinceSet },
          );
    });
    return [...judged, ...unclear];
  },
});
