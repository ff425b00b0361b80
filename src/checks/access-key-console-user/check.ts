import {
  activeKeys,
  consoleUsers,
  rowEvidence,
  unclearConsoleUsers,
  unclearKeyMessage,
  unclearKeys,
  unclearPasswordMessage,
} from "../support/credentialReport.js";
import { defineCheck } from "../types.js";

export default defineCheck({
  id: "access-key-console-user",
  title: "IAM users who sign in to the console hold no access keys",
  severity: "low",
  requires: ["credentialReport"],
  risk: "A person with a console password and an access key has two long-lived ways in; keys created with the user and never used are standing credentials nobody needs.",
  remediation: {
    console:
      "IAM → Users → <user> → Security credentials → Access keys → Actions → Deactivate, then Delete; people use the CLI through IAM Identity Center (aws sso login) or CloudShell instead",
    cli: "aws iam update-access-key --user-name <user> --access-key-id <key id> --status Inactive && aws iam delete-access-key --user-name <user> --access-key-id <key id>",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
  },
  references: {},
  evaluate({ credentialReport }, ctx) {
    const unclear = unclearConsoleUsers(credentialReport)
      .filter((user) => activeKeys(user).length + unclearKeys(user).length > 0)
      .map((user) =>
        ctx.unknown(
          user.arn,
          unclearPasswordMessage(user),
          rowEvidence(user, credentialReport.generatedTime),
        ),
      );
    const judged = consoleUsers(credentialReport).map((user) => {
      const keys = activeKeys(user).map((key) => ({
        accessKey: key.slot,
        lastRotated: key.lastRotated,
        lastUsedDate: key.lastUsedDate,
        lastUsedService: key.lastUsedService,
        neverUsed: key.lastUsedDate === "N/A",
      }));
      const evidence = {
        user: user.user,
        userCreationTime: user.userCreationTime,
        passwordEnabled: user.passwordEnabled,
        passwordLastUsed: user.passwordLastUsed,
        activeKeys: keys,
        credentialReportGeneratedTime: credentialReport.generatedTime,
      };
      const unclearCells = unclearKeys(user);
      if (keys.length === 0 && unclearCells.length > 0) {
        return ctx.unknown(user.arn, unclearCells.map((k) => unclearKeyMessage(user, k)).join(" "), {
          ...evidence,
          unclearKeys: unclearCells.map((k) => ({ accessKey: k.slot, active: k.active })),
        });
      }
      if (keys.length === 0) {
        return ctx.pass(
          user.arn,
          `${user.user} signs in to the console and holds no active access key.`,
          evidence,
        );
      }
      const neverUsed = keys.filter((k) => k.neverUsed).map((k) => k.accessKey);
      const note =
        neverUsed.length > 0
          ? `; key ${neverUsed.join(" and ")} has never been used since it was created, as when keys are set up with the user (the case of CIS 1.11)`
          : "";
      return ctx.fail(
        user.arn,
        `${user.user} has a console password and ${keys.length} active access key${keys.length > 1 ? "s" : ""}${note}.`,
        evidence,
      );
    });
    return [...judged, ...unclear];
  },
});
