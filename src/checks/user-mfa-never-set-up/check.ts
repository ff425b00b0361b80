import {
  consoleUsers,
  rowEvidence,
  unclearConsoleUsers,
  unclearPasswordMessage,
} from "../support/credentialReport.js";
import { daysSince, reportDate } from "../support/time.js";
import { defineCheck } from "../types.js";

export default defineCheck({
  id: "user-mfa-never-set-up",
  title: "Console users who never signed in have enrolled MFA within the grace period",
  severity: "medium",
  requires: ["credentialReport"],
  risk: 'An unused console password without MFA ("I\'ll set it up later") waits for whoever finds it first: the initial password is often shared by chat or e-mail.',
  remediation: {
    console:
      "IAM → Users → <user> → Security credentials → Console sign-in → Manage console access → Disable; give the password back once the user enrols MFA",
    cli: "aws iam delete-login-profile --user-name <user>",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_admin-change-user.html",
  },
  references: {},
  evaluate({ credentialReport }, ctx) {
    const grace = ctx.options.userMfaGraceDays;
    const unclear = unclearConsoleUsers(credentialReport).map((user) =>
      ctx.unknown(user.arn, unclearPasswordMessage(user), rowEvidence(user, credentialReport.generatedTime)),
    );
    const judged = consoleUsers(credentialReport).map((user) => {
      const evidence = {
        ...rowEvidence(user, credentialReport.generatedTime),
        passwordLastChanged: user.passwordLastChanged,
        graceDays: grace,
      };
      if (user.mfaActive === true) return ctx.pass(user.arn, `${user.user} has enrolled MFA.`, evidence);
      if (user.mfaActive !== false) {
        return ctx.unknown(
          user.arn,
          `Whether ${user.user} has enrolled MFA cannot be told: the credential report's mfa_active is "${user.mfaActive}", not true or false.`,
          evidence,
        );
      }
      if (reportDate(user.passwordLastUsed)) {
        return ctx.notApplicable(
          user.arn,
          `${user.user} has signed in without MFA (last on ${user.passwordLastUsed}), so is out of this check's scope (users who never signed in): user-console-mfa fails them.`,
          evidence,
        );
      }
      const age = daysSince(user.passwordLastChanged, ctx.now) ?? daysSince(user.userCreationTime, ctx.now);
      if (age === null) {
        return ctx.unknown(
          user.arn,
          `When ${user.user} got a console password cannot be read (password_last_changed is ${user.passwordLastChanged}, user_creation_time is ${user.userCreationTime}).`,
          evidence,
        );
      }
      if (age <= grace) {
        return ctx.pass(
          user.arn,
          `${user.user} got a console password ${age} days ago, within the ${grace}-day grace period to enrol MFA.`,
          { ...evidence, ageDays: age },
        );
      }
      if (user.passwordLastUsed !== "no_information") {
        return ctx.unknown(
          user.arn,
          `Whether ${user.user} ever signed in cannot be told (password_last_used is ${user.passwordLastUsed}).`,
          { ...evidence, ageDays: age },
        );
      }
      return ctx.fail(
        user.arn,
        `${user.user} got a console password ${age} days ago, never signed in and never enrolled MFA: remove the password until they enrol (aws iam delete-login-profile).`,
        { ...evidence, ageDays: age },
      );
    });
    return [...judged, ...unclear];
  },
});
