import { accountResource } from "../../engine/runChecks.js";
import type { TrailEvent } from "../../snapshot/types.js";
import {
  describeFailedRegions,
  detailString,
  eventEvidence,
  eventRegion,
  uniqueEvents,
} from "../support/cloudTrail.js";
import { reportDate } from "../support/time.js";
import { type CheckContext, defineCheck, type Evidence } from "../types.js";

/** IAM user and root sign-ins; federated and role sessions (AssumedRole, SAMLUser…) are out of scope. */
const PRINCIPAL_TYPES = new Set(["IAMUser", "Root"]);

function mfaUsed(event: TrailEvent): string | null {
  return detailString(event, "additionalEventData", "MFAUsed");
}

function signInEvidence(event: TrailEvent) {
  return { ...eventEvidence(event), mfaUsed: mfaUsed(event) };
}

function principalName(event: TrailEvent, arn: string): string {
  if (detailString(event, "userIdentity", "type") === "Root") return "root";
  return detailString(event, "userIdentity", "userName") ?? arn;
}

function times(n: number): string {
  return n === 1 ? "once" : `${n} times`;
}

/**
 * What the credential report, when newer than the last sign-in, says of the principal now: deleted
 * since, or MFA enrolled since. The sign-in still happened, so the result stays a finding.
 */
function sinceThen(arn: string, last: TrailEvent, ctx: CheckContext): { note: string; evidence: Evidence } {
  const report = ctx.section("credentialReport");
  if (report.status === "error")
    return { note: "", evidence: { credentialReport: `not read: ${report.error.code}` } };
  const generated = reportDate(report.data.generatedTime);
  const evidence: Evidence = { credentialReportGeneratedTime: report.data.generatedTime };
  if (!generated || generated.getTime() <= new Date(last.eventTime).getTime()) {
    return { note: "", evidence: { ...evidence, state: "the report predates the last sign-in" } };
  }
  const row = [report.data.root, ...report.data.users].find((r) => r?.arn === arn);
  if (!row) {
    return {
      note: `; the user has since been deleted (not in the credential report of ${report.data.generatedTime})`,
      evidence: { ...evidence, state: "deleted" },
    };
  }
  if (row.mfaActive === true) {
    return {
      note: `; MFA has been enrolled since (mfa_active is true in the credential report of ${report.data.generatedTime})`,
      evidence: { ...evidence, state: "mfa enrolled", mfaActive: true },
    };
  }
  return { note: "", evidence: { ...evidence, state: "still present", mfaActive: row.mfaActive } };
}

export default defineCheck({
  id: "console-login-without-mfa",
  title: "IAM users and root signed in to the console with MFA",
  severity: "high",
  requires: ["cloudTrail"],
  optional: ["credentialReport"],
  risk: "A successful sign-in without MFA means a password alone opened the console: if that password was phished or reused, the attacker is already in. Only IAM user and root sign-ins are judged; federated and role sign-ins (AssumedRole, SAML, IAM Identity Center) get their MFA from the identity provider and are out of scope.",
  remediation: {
    console:
      "IAM → Users → <user> → Security credentials → Assign MFA device; then CloudTrail → Event history → Event name = ConsoleLogin to review each listed sign-in",
    cli: "aws cloudtrail lookup-events --region <region> --lookup-attributes AttributeKey=EventName,AttributeValue=ConsoleLogin --start-time <start> --end-time <end>",
    docs: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html",
  },
  references: {},
  evaluate({ cloudTrail }, ctx) {
    const failedRegions = cloudTrail.failedRegions ?? [];
    const unread = failedRegions.length > 0 ? describeFailedRegions(failedRegions) : null;
    const window = {
      windowStart: cloudTrail.start,
      windowEnd: cloudTrail.end,
      regionsRead: cloudTrail.regions,
      failedRegions,
    };
    const byPrincipal = new Map<string, TrailEvent[]>();
    const unnamed: TrailEvent[] = [];
    for (const event of uniqueEvents(cloudTrail.events)) {
      if (event.eventName !== "ConsoleLogin" || event.eventSource !== "signin.amazonaws.com") continue;
      if (detailString(event, "responseElements", "ConsoleLogin") !== "Success") continue;
      if (!PRINCIPAL_TYPES.has(detailString(event, "userIdentity", "type") ?? "")) continue;
      const arn = detailString(event, "userIdentity", "arn");
      if (!arn) unnamed.push(event);
      else byPrincipal.set(arn, [...(byPrincipal.get(arn) ?? []), event]);
    }

    const findings = [...byPrincipal].map(([arn, events]) => {
      const name = principalName(events[0] as TrailEvent, arn);
      const without = events.filter((e) => mfaUsed(e)?.toLowerCase() === "no");
      const unclear = events.filter((e) => !["no", "yes"].includes(mfaUsed(e)?.toLowerCase() ?? ""));
      const between = `between ${cloudTrail.start} and ${cloudTrail.end}`;
      if (without.length > 0) {
        const last = without[without.length - 1] as TrailEvent;
        const since = sinceThen(arn, last, ctx);
        return ctx.fail(
          arn,
          `${name} signed in to the console without MFA ${times(without.length)} ${between}, last at ${last.eventTime} in ${eventRegion(last)} from ${detailString(last, "sourceIPAddress") ?? "an unrecorded address"}${since.note}.`,
          {
            ...window,
            signInsWithoutMfa: without.map(signInEvidence),
            signIns: events.length,
            sinceThen: since.evidence,
          },
        );
      }
      if (unclear.length > 0) {
        return ctx.unknown(
          arn,
          `${name} signed in to the console ${times(unclear.length)} ${between} with no MFAUsed Yes/No in the event, so whether MFA was used cannot be told.`,
          { ...window, unclearSignIns: unclear.map(signInEvidence), signIns: events.length },
        );
      }
      if (unread) {
        return ctx.unknown(
          arn,
          `${name} signed in to the console ${times(events.length)} ${between} with MFA in the regions read, but the sign-ins in ${unread} could not be read.`,
          { ...window, signIns: events.length },
        );
      }
      return ctx.pass(
        arn,
        `${name} signed in to the console ${times(events.length)} ${between}, always with MFA.`,
        {
          ...window,
          signIns: events.length,
          lastSignIn: signInEvidence(events[events.length - 1] as TrailEvent),
        },
      );
    });
    if (unnamed.length > 0) {
      findings.push(
        ctx.unknown(
          accountResource(ctx.accountId),
          `${unnamed.length} successful console sign-in${unnamed.length > 1 ? "s" : ""} of an IAM user or root carry no userIdentity.arn, so they cannot be attributed.`,
          { ...window, unattributedSignIns: unnamed.map(signInEvidence) },
        ),
      );
    }
    if (unread) {
      findings.push(
        ctx.unknown(
          accountResource(ctx.accountId),
          `Console sign-ins in ${unread} could not be read: a sign-in without MFA there would not be seen.`,
          window,
        ),
      );
    }
    return findings;
  },
});
