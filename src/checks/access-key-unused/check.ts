import { activeKeys, keyEvidence, keyResource, unclearKeyFindings } from "../support/credentialReport.js";
import { daysSince } from "../support/time.js";
import { defineCheck } from "../types.js";

export default defineCheck({
  id: "access-key-unused",
  title: "Active access keys of IAM users are in use",
  severity: "medium",
  requires: ["credentialReport"],
  risk: "An active key that nobody uses still works for whoever finds it, and its loss goes unnoticed because no workload breaks when it is misused or revoked.",
  remediation: {
    console:
      "IAM → Users → <user> → Security credentials → Access keys → Actions → Deactivate, then Delete once nothing has failed",
    cli: "aws iam update-access-key --user-name <user> --access-key-id <key id> --status Inactive && aws iam delete-access-key --user-name <user> --access-key-id <key id>",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html",
  },
  references: { cis: ["1.12"], awsConfig: ["iam-user-unused-credentials-check"], securityHub: ["IAM.22"] },
  evaluate({ credentialReport }, ctx) {
    const unusedDays = ctx.options.accessKeyUnusedDays;
    return credentialReport.users.flatMap((user) => [
      ...unclearKeyFindings(user, credentialReport.generatedTime, ctx),
      ...activeKeys(user).map((key) => {
        const resource = keyResource(user, key.slot);
        const name = `${user.user}'s access key ${key.slot}`;
        const base = { ...keyEvidence(user, key, credentialReport.generatedTime), unusedDays };
        const daysSinceUse = daysSince(key.lastUsedDate, ctx.now);
        if (daysSinceUse !== null) {
          const evidence = { ...base, daysSinceUse };
          const where = `${key.lastUsedService} in ${key.lastUsedRegion}`;
          return daysSinceUse >= unusedDays
            ? ctx.fail(
                resource,
                `${name} is active but was last used ${daysSinceUse} days ago (${key.lastUsedDate}, ${where}), ${unusedDays} days or more.`,
                evidence,
              )
            : ctx.pass(resource, `${name} was used ${daysSinceUse} days ago (${where}).`, evidence);
        }
        if (key.lastUsedDate !== "N/A") {
          return ctx.unknown(
            resource,
            `${name} is active but its last_used_date cell is "${key.lastUsedDate}", so its use cannot be told; GetAccessKeyLastUsed or a fresh credential report would show it.`,
            base,
          );
        }
        const daysSinceCreation = daysSince(key.lastRotated, ctx.now);
        const evidence = { ...base, daysSinceCreation };
        if (daysSinceCreation === null) {
          return ctx.unknown(
            resource,
            `${name} has never been used and its last_rotated cell is "${key.lastRotated}", so how long it has been idle cannot be told.`,
            evidence,
          );
        }
        return daysSinceCreation >= unusedDays
          ? ctx.fail(
              resource,
              `${name} has never been used since it was created ${daysSinceCreation} days ago (${key.lastRotated}).`,
              evidence,
            )
          : ctx.pass(
              resource,
              `${name} has not been used yet but was created only ${daysSinceCreation} days ago, under ${unusedDays} days.`,
              evidence,
            );
      }),
    ]);
  },
});
