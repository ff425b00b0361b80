import {
  consoleUsers,
  rowEvidence,
  unclearConsoleUsers,
  unclearPasswordMessage,
} from "../support/credentialReport.js";
import { defineCheck } from "../types.js";

export default defineCheck({
  id: "user-console-mfa",
  title: "IAM users who can sign in to the console have MFA",
  severity: "high",
  requires: ["credentialReport"],
  risk: "A stolen or guessed console password alone gives an attacker everything the user can do.",
  remediation: {
    console:
      "IAM → Users → <user> → Security credentials → Multi-factor authentication (MFA) → Assign MFA device",
    cli: "aws iam create-virtual-mfa-device --virtual-mfa-device-name <user> --outfile qr.png --bootstrap-method QRCodePNG && aws iam enable-mfa-device --user-name <user> --serial-number <serial> --authentication-code1 <code1> --authentication-code2 <code2>",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html",
  },
  references: { cis: ["1.10"], awsConfig: ["mfa-enabled-for-iam-console-access"], securityHub: ["IAM.5"] },
  evaluate({ credentialReport }, ctx) {
    const unclear = unclearConsoleUsers(credentialReport).map((user) =>
      ctx.unknown(user.arn, unclearPasswordMessage(user), rowEvidence(user, credentialReport.generatedTime)),
    );
    const judged = consoleUsers(credentialReport).map((user) => {
      const evidence = rowEvidence(user, credentialReport.generatedTime);
      if (user.mfaActive === true) {
        return ctx.pass(user.arn, `${user.user} signs in to the console with MFA.`, evidence);
      }
      if (user.mfaActive === false) {
        return ctx.fail(
          user.arn,
          `${user.user} can sign in to the console with a password alone (mfa_active is false).`,
          evidence,
        );
      }
      return ctx.unknown(
        user.arn,
        `${user.user} can sign in to the console, and whether they have MFA cannot be told: the credential report's mfa_active is "${user.mfaActive}", not true or false.`,
        evidence,
      );
    });
    return [...judged, ...unclear];
  },
});
