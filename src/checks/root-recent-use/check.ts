import { daysBetween, reportDate } from "../support/time.js";
import { defineCheck } from "../types.js";

const NOT_USED = new Set(["N/A", "no_information"]);

export default defineCheck({
  id: "root-recent-use",
  title: "The root user has not been used recently",
  severity: "medium",
  requires: ["credentialReport"],
  risk: "Everyday use of the root user exposes its unrestricted credentials; recent use that nobody planned can also be an intruder.",
  remediation: {
    console:
      "Review the root sign-ins in CloudTrail → Event history (filter User name = root); move the work to IAM Identity Center users or roles and keep root for the few tasks that need it",
    cli: "aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root --region us-east-1",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html",
  },
  references: { cis: ["1.7"] },
  evaluate({ credentialReport }, ctx) {
    const row = credentialReport.root;
    const threshold = ctx.options.rootRecentUseDays;
    const resource = row?.arn ?? `arn:aws:iam::${ctx.accountId}:root`;
    if (!row) {
      return [
        ctx.unknown(
          resource,
          "The credential report has no <root_account> row, so root's last use cannot be read; regenerate the report (iam:GenerateCredentialReport).",
          { credentialReportGeneratedTime: credentialReport.generatedTime },
        ),
      ];
    }
    const cells = [
      { credential: "password", column: "password_last_used", cell: row.passwordLastUsed },
      {
        credential: "access key 1",
        column: "access_key_1_last_used_date",
        cell: row.accessKeys[0].lastUsedDate,
      },
      {
        credential: "access key 2",
        column: "access_key_2_last_used_date",
        cell: row.accessKeys[1].lastUsedDate,
      },
    ].map((c) => {
      const date = reportDate(c.cell);
      return { ...c, daysAgo: date ? daysBetween(date, ctx.now) : null };
    });
    const evidence = {
      lastUsed: Object.fromEntries(cells.map(({ column, cell, daysAgo }) => [column, { cell, daysAgo }])),
      thresholdDays: threshold,
      credentialReportGeneratedTime: credentialReport.generatedTime,
    };

    const recent = cells.filter((c) => c.daysAgo !== null && c.daysAgo <= threshold);
    if (recent.length > 0) {
      const uses = recent.map((c) => `${c.credential} on ${c.cell} (${c.daysAgo} days ago)`).join(", ");
      return [
        ctx.fail(resource, `The root user was used within the last ${threshold} days: ${uses}.`, evidence),
      ];
    }
    const unreadable = cells.filter((c) => c.daysAgo === null && !NOT_USED.has(c.cell));
    if (unreadable.length > 0) {
      const cellsText = unreadable.map((c) => `${c.column} is ${c.cell}`).join(", ");
      return [
        ctx.unknown(
          resource,
          `Whether the root user was used within the last ${threshold} days cannot be told: ${cellsText}; CloudTrail sign-in events (userIdentity.type Root) would show it.`,
          evidence,
        ),
      ];
    }
    return [
      ctx.pass(resource, `The root user has not been used within the last ${threshold} days.`, evidence),
    ];
  },
});
