import { accountResource } from "../../engine/runChecks.js";
import type { CredentialReport, TrailEvent } from "../../snapshot/types.js";
import {
  detailString,
  eventEvidence,
  failedCall,
  IAM_EVENTS_REGION,
  uniqueEvents,
} from "../support/cloudTrail.js";
import { reportDate } from "../support/time.js";
import { type CheckContext, defineCheck, type Finding } from "../types.js";

/** The credential report's name for root; no IAM user name can contain `<` or `>`. */
const ROOT = "<root_account>";

/** The name root's virtual device used to be given (devices can have any name now). */
const ROOT_DEVICE_NAME = "root-account-mfa-device";

type RelatedBy = "request" | "caller" | "earlier deactivation" | "device name";

interface Change {
  event: TrailEvent;
  serialNumber: string | null;
  /** How the user was told: the request's userName, the caller, a deactivation of the same serial, the device name; null when nothing tells. */
  relatedBy: RelatedBy | null;
}

/** One user's MFA changes in the window. `user` is a report user name, or ROOT. */
interface History {
  user: string;
  removals: Change[];
  enables: Change[];
}

/** The user whose device DeactivateMFADevice or EnableMFADevice acted on: the request's userName, else the caller. */
function targetOf(event: TrailEvent): { user: string; relatedBy: RelatedBy } | null {
  const userName = detailString(event, "requestParameters", "userName");
  if (userName) return { user: userName, relatedBy: "request" };
  const type = detailString(event, "userIdentity", "type");
  if (type === "Root") return { user: ROOT, relatedBy: "caller" };
  const caller = detailString(event, "userIdentity", "userName");
  return type === "IAMUser" && caller ? { user: caller, relatedBy: "caller" } : null;
}

/** The user a virtual device's name (`…:mfa/<path/>name`) points at: root's legacy name, or a user in the report. */
function userByDeviceName(serial: string, report: CredentialReport): string | null {
  const name = serial.split(":mfa/")[1]?.split("/").pop();
  if (!name) return null;
  if (name === ROOT_DEVICE_NAME) return ROOT;
  return report.users.find((u) => u.user.toLowerCase() === name.toLowerCase())?.user ?? null;
}

function changeEvidence(change: Change) {
  return { ...eventEvidence(change.event), serialNumber: change.serialNumber, relatedBy: change.relatedBy };
}

function describe(change: Change): string {
  const actor = detailString(change.event, "userIdentity", "arn") ?? "an unnamed caller";
  const { eventName, eventTime, eventId } = change.event;
  return `${eventName} of ${change.serialNumber ?? "an unnamed device"} by ${actor} at ${eventTime}, event ${eventId}`;
}

/** Groups successful IAM MFA changes by user; removals that name no user are returned apart. */
function histories(events: TrailEvent[], report: CredentialReport) {
  const byUser = new Map<string, History>();
  const unrelated: Change[] = [];
  const deactivatedBy = new Map<string, string>();
  const historyOf = (user: string): History => {
    const key = user.toLowerCase();
    const history = byUser.get(key) ?? { user, removals: [], enables: [] };
    byUser.set(key, history);
    return history;
  };
  for (const event of events) {
    const serialNumber = detailString(event, "requestParameters", "serialNumber");
    if (event.eventName === "DeactivateMFADevice" || event.eventName === "EnableMFADevice") {
      const target = targetOf(event);
      const deactivation = event.eventName === "DeactivateMFADevice";
      if (!target) {
        if (deactivation) unrelated.push({ event, serialNumber, relatedBy: null });
        continue;
      }
      const change = { event, serialNumber, relatedBy: target.relatedBy };
      if (deactivation) {
        historyOf(target.user).removals.push(change);
        if (serialNumber) deactivatedBy.set(serialNumber, target.user);
      } else historyOf(target.user).enables.push(change);
    } else if (event.eventName === "DeleteVirtualMFADevice") {
      const earlier = serialNumber ? deactivatedBy.get(serialNumber) : undefined;
      const byName = serialNumber ? userByDeviceName(serialNumber, report) : null;
      if (earlier)
        historyOf(earlier).removals.push({ event, serialNumber, relatedBy: "earlier deactivation" });
      else if (byName) historyOf(byName).removals.push({ event, serialNumber, relatedBy: "device name" });
      else unrelated.push({ event, serialNumber, relatedBy: null });
    }
  }
  return { histories: [...byUser.values()].filter((h) => h.removals.length > 0), unrelated };
}

function judge(
  history: History,
  report: CredentialReport,
  window: Record<string, unknown>,
  ctx: CheckContext,
): Finding {
  const first = history.removals[0] as Change;
  const last = history.removals[history.removals.length - 1] as Change;
  const isRoot = history.user === ROOT;
  const row = isRoot
    ? report.root
    : report.users.find((u) => u.user.toLowerCase() === history.user.toLowerCase());
  const name = isRoot ? "root" : (row?.user ?? history.user);
  const enables = history.enables.filter((e) => e.event.eventTime > first.event.eventTime);
  const evidence = {
    ...window,
    removals: history.removals.map(changeEvidence),
    enables: enables.map(changeEvidence),
    mfaActive: row?.mfaActive ?? null,
    credentialReportGeneratedTime: report.generatedTime,
  };
  const removed = `${name}'s MFA was removed (${describe(last)})`;
  const partition = detailString(first.event, "userIdentity", "arn")?.split(":")[1] || "aws";
  if (!row) {
    return isRoot
      ? ctx.unknown(
          `arn:${partition}:iam::${ctx.accountId}:root`,
          `${removed}, but the credential report has no root row, so whether root has MFA now cannot be told.`,
          evidence,
        )
      : ctx.notApplicable(
          `arn:${partition}:iam::${ctx.accountId}:user/${history.user}`,
          `${removed}, but ${name} is no longer in the credential report: the user has since been deleted.`,
          evidence,
        );
  }
  const generated = reportDate(report.generatedTime);
  const lastTime = new Date(last.event.eventTime).getTime();
  const reEnabled = enables.filter((e) => new Date(e.event.eventTime).getTime() > lastTime).at(-1);
  if (reEnabled && (!generated || generated.getTime() < new Date(reEnabled.event.eventTime).getTime())) {
    return ctx.pass(
      row.arn,
      `${removed}, and MFA was enabled again afterwards (${describe(reEnabled)}), after the credential report was generated (${report.generatedTime}).`,
      evidence,
    );
  }
  if (!generated || generated.getTime() < lastTime) {
    return ctx.unknown(
      row.arn,
      `${removed} after the credential report was generated (${report.generatedTime}), so whether ${name} has MFA now cannot be told; a fresh report will.`,
      evidence,
    );
  }
  if (row.mfaActive === true) {
    const enabled = enables.at(-1);
    const how = enabled
      ? `EnableMFADevice at ${enabled.event.eventTime}`
      : "no EnableMFADevice event in the window";
    return ctx.pass(row.arn, `${removed} and ${name} has MFA again (${how}).`, evidence);
  }
  if (row.mfaActive === false && history.removals.every((r) => r.relatedBy === "device name")) {
    return ctx.unknown(
      row.arn,
      `A virtual MFA device named after ${name} was deleted (${describe(last)}), but no DeactivateMFADevice in the window ties it to ${name}: a device is deactivated before it can be deleted, so that happened before the window or the device was never theirs. ${name} has no MFA now (user-console-mfa reports that).`,
      evidence,
    );
  }
  if (row.mfaActive === false) {
    return ctx.fail(row.arn, `${removed} and ${name} still has no MFA.`, evidence);
  }
  return ctx.unknown(
    row.arn,
    `${removed} and the report's mfa_active is "${row.mfaActive}", so whether ${name} has MFA now cannot be told.`,
    evidence,
  );
}

export default defineCheck({
  id: "mfa-device-removed",
  title: "MFA devices removed recently were replaced",
  severity: "high",
  requires: ["cloudTrail", "credentialReport"],
  risk: "Removing MFA is a classic step of an account takeover: whoever did it, the user is left with a password or key that works alone.",
  remediation: {
    console:
      "CloudTrail → Event history → Event name = DeactivateMFADevice to confirm who removed it and why; then IAM → Users → <user> → Security credentials → Assign MFA device",
    cli: "aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=EventName,AttributeValue=DeactivateMFADevice && aws iam enable-mfa-device --user-name <user> --serial-number <serial> --authentication-code1 <code1> --authentication-code2 <code2>",
    docs: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_disable.html",
  },
  references: {},
  evaluate({ cloudTrail, credentialReport }, ctx) {
    const iamRegion = cloudTrail.failedRegions?.find((f) => f.region === IAM_EVENTS_REGION);
    if (iamRegion) {
      return [
        ctx.unknown(
          accountResource(ctx.accountId),
          `IAM's MFA changes are recorded in ${IAM_EVENTS_REGION}, whose CloudTrail event history could not be read (${iamRegion.code}: ${iamRegion.message}), so MFA removals cannot be seen.`,
          {
            windowStart: cloudTrail.start,
            windowEnd: cloudTrail.end,
            failedRegions: cloudTrail.failedRegions,
          },
        ),
      ];
    }
    const events = uniqueEvents(cloudTrail.events).filter(
      (e) => e.eventSource === "iam.amazonaws.com" && !failedCall(e),
    );
    const window = { windowStart: cloudTrail.start, windowEnd: cloudTrail.end };
    const grouped = histories(events, credentialReport);
    const findings = grouped.histories.map((h) => judge(h, credentialReport, window, ctx));
    for (const change of grouped.unrelated) {
      findings.push(
        ctx.unknown(
          change.serialNumber ?? accountResource(ctx.accountId),
          `${describe(change)} cannot be related to a user: neither the request, the caller, an earlier deactivation nor the device name tells whose MFA it was.`,
          { ...window, removals: [changeEvidence(change)] },
        ),
      );
    }
    return findings;
  },
});
