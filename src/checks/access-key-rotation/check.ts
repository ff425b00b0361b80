import { activeKeys, keyEvidence, keyResource, unclearKeyFindings } from "../support/credentialReport.js";
import { daysSince } from "../support/time.js";
import { defineCheck } from "../types.js";

export default defineCheck({
  id: "access-key-rotation",
  title: "Active access keys of IAM users are rotated",
  severity: "medium",
  requires: ["credentialReport"],
  risk: "The older an access key, the more places it may have been copied to or leaked from; a key that never changes gives whoever holds a copy access for good.",
  remediation: {
    console:
      "IAM → Users → <user> → Security credentials → Access keys → Create access key, move the workloads to the new key, then Deactivate and Delete the old one",
    cli: "aws iam create-access-key --user-name <user> && aws iam update-access-key --user-name <user> --access-key-id <old key id> --status Inactive && aws iam delete-access-key --user-name <user> --access-key-id <old key id>",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#Using_RotateAccessKey",
  },
  references: { cis: ["1.14"], awsConfig: ["access-keys-rotated"], securityHub: ["IAM.3"] },
  evaluate({ credentialReport }, ctx) {
    const maxAgeDays = ctx.options.accessKeyMaxAgeDays;
    return credentialReport.users.flatMap((user) => [
      ...unclearKeyFindings(user, credentialReport.generatedTime, ctx),
      ...activeKeys(user).map((key) => {
        const resource = keyResource(user, key.slot);
        const ageDays = daysSince(key.lastRotated, ctx.now);
        const evidence = { ...keyEvidence(user, key, credentialReport.generatedTime), ageDays, maxAgeDays };
        if (ageDays === null) {
          return ctx.unknown(
            resource,
            `${user.user}'s access key ${key.slot} is active but its last_rotated cell is "${key.lastRotated}", so its age cannot be told; a fresh credential report would show it.`,
            evidence,
          );
        }
        return ageDays > maxAgeDays
          ? ctx.fail(
              resource,
              `${user.user}'s access key ${key.slot} was last rotated ${ageDays} days ago (${key.lastRotated}), more than ${maxAgeDays} days.`,
              evidence,
            )
          : ctx.pass(
              resource,
              `${user.user}'s access key ${key.slot} was last rotated ${ageDays} days ago, within ${maxAgeDays} days.`,
              evidence,
            );
      }),
    ]);
  },
});
