import { activeKeys } from "../support/credentialReport.js";
import { decidedBy, rootFacts, unknownRootMessage } from "../support/root.js";
import { defineCheck } from "../types.js";

export default defineCheck({
  id: "root-access-keys",
  title: "The root user has no active access keys",
  severity: "critical",
  requires: [],
  optional: ["credentialReport", "accountSummary"],
  risk: "A root access key is a long-lived secret with unrestricted power over the account that no policy can limit and MFA does not protect.",
  remediation: {
    console:
      "Sign in as the root user → account menu → Security credentials → Access keys → Actions → Deactivate, then Delete",
    cli: "aws sts assume-root --target-principal <member-account-id> --task-policy-arn arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials (then, with those credentials: aws iam list-access-keys and aws iam delete-access-key --access-key-id <id>)",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#id_root-user_manage_delete-key",
  },
  references: { cis: ["1.4"], awsConfig: ["iam-root-access-key-check"], securityHub: ["IAM.4"] },
  evaluate(_data, ctx) {
    const facts = rootFacts(ctx);
    if (!facts.readable)
      return [ctx.unknown(facts.arn, unknownRootMessage(facts), { reasons: facts.reasons })];
    const keys = facts.row
      ? activeKeys(facts.row).map((k) => ({
          key: `access_key_${k.slot}`,
          lastRotated: k.lastRotated,
          lastUsedDate: k.lastUsedDate,
          lastUsedRegion: k.lastUsedRegion,
          lastUsedService: k.lastUsedService,
        }))
      : [];
    const evidence = { ...facts.evidence, activeKeys: keys };

    if (facts.accessKeys === true) {
      const detail =
        keys.length > 0
          ? keys.map((k) => `${k.key} last rotated ${k.lastRotated}, last used ${k.lastUsedDate}`).join("; ")
          : "AccountAccessKeysPresent is 1 in the account summary; the older credential report row shows none active";
      return [
        ctx.fail(
          facts.arn,
          `The root user has an active access key (${detail}), according to ${decidedBy(facts, "accessKeys")}.`,
          evidence,
        ),
      ];
    }
    if (facts.accessKeys === false) {
      return [
        ctx.pass(
          facts.arn,
          `The root user has no active access keys, according to ${decidedBy(facts, "accessKeys")}.`,
          evidence,
        ),
      ];
    }
    return [
      ctx.unknown(
        facts.arn,
        `Whether the root user has access keys cannot be told: the root row's access_key_N_active cells are not true/false and the account summary has no AccountAccessKeysPresent${facts.reasons.length > 0 ? ` (${facts.reasons.join("; ")})` : ""}.`,
        evidence,
      ),
    ];
  },
});
