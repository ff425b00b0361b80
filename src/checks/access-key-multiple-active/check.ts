import { type ActiveKey, activeKeys, unclearKeyMessage, unclearKeys } from "../support/credentialReport.js";
import { defineCheck } from "../types.js";

function keyCells(key: ActiveKey) {
  return { accessKey: key.slot, lastRotated: key.lastRotated, lastUsedDate: key.lastUsedDate };
}

export default defineCheck({
  id: "access-key-multiple-active",
  title: "IAM users have at most one active access key",
  severity: "low",
  requires: ["credentialReport"],
  risk: "A second active key doubles what can leak; it is usually the old key left behind after a rotation, still valid and no longer watched.",
  remediation: {
    console:
      "IAM → Users → <user> → Security credentials → Access keys → find the key no workload uses → Actions → Deactivate, then Delete",
    cli: "aws iam list-access-keys --user-name <user> && aws iam update-access-key --user-name <user> --access-key-id <unused key id> --status Inactive",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
  },
  references: { cis: ["1.13"] },
  evaluate({ credentialReport }, ctx) {
    return credentialReport.users.flatMap((user) => {
      const keys = activeKeys(user);
      const unclear = unclearKeys(user);
      if (keys.length === 0 && unclear.length === 0) return [];
      const evidence = {
        user: user.user,
        activeKeys: keys.map(keyCells),
        credentialReportGeneratedTime: credentialReport.generatedTime,
      };
      if (keys.length < 2 && unclear.length > 0) {
        const message = unclear.map((k) => unclearKeyMessage(user, k)).join(" ");
        return [
          ctx.unknown(user.arn, message, {
            ...evidence,
            unclearKeys: unclear.map((k) => ({ accessKey: k.slot, active: k.active })),
          }),
        ];
      }
      return keys.length > 1
        ? [
            ctx.fail(
              user.arn,
              `${user.user} has ${keys.length} active access keys (rotated ${keys.map((k) => k.lastRotated).join(" and ")}).`,
              evidence,
            ),
          ]
        : [ctx.pass(user.arn, `${user.user} has one active access key.`, evidence)];
    });
  },
});
