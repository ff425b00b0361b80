import type { RegionFailure, TrailEvent } from "../../snapshot/types.js";

/** IAM records its API calls (MFA and credential changes) in us-east-1, where the collector reads them. */
export const IAM_EVENTS_REGION = "us-east-1";

/** Failed regions for a message: `ap-southeast-2 (AccessDeniedException), …`. */
export function describeFailedRegions(failed: readonly RegionFailure[]): string {
  return failed.map((f) => `${f.region} (${f.code})`).join(", ");
}

/** The string at `path` inside an event's parsed CloudTrailEvent, or null when absent or not a string. */
export function detailString(event: TrailEvent, ...path: string[]): string | null {
  let value: unknown = event.detail;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === "string" ? value : null;
}

/** True when the call was refused: CloudTrail records failed API calls with an `errorCode`. */
export function failedCall(event: TrailEvent): boolean {
  return detailString(event, "errorCode") !== null;
}

/** The events once each (the first of an event id seen through two regions), in time order. */
export function uniqueEvents(events: readonly TrailEvent[]): TrailEvent[] {
  const byId = new Map<string, TrailEvent>();
  for (const event of events) if (!byId.has(event.eventId)) byId.set(event.eventId, event);
  return [...byId.values()].sort((a, b) => a.eventTime.localeCompare(b.eventTime));
}

/** The region the event was recorded in (its `awsRegion`), else the region whose history returned it. */
export function eventRegion(event: TrailEvent): string {
  return detailString(event, "awsRegion") ?? event.region;
}

/** What a reader needs to find the event in CloudTrail's event history, and who did it from where. */
export function eventEvidence(event: TrailEvent): Record<string, unknown> {
  return {
    eventId: event.eventId,
    eventName: event.eventName,
    eventTime: event.eventTime,
    region: eventRegion(event),
    actor: detailString(event, "userIdentity", "arn"),
    sourceIPAddress: detailString(event, "sourceIPAddress"),
  };
}
